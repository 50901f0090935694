// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace cachewise::servers {

// GPU memory per process as the NVIDIA driver tells it: `nvidia-smi --query-compute-apps=pid,used_memory
// --format=csv,noheader,nounits` prints one "PID, MiB" line per process using a GPU (a process on two GPUs
// has two lines: they are added). "[N/A]" (some drivers) says nothing about that process. Anything else is
// refused as not nvidia-smi's answer.
Result<QHash<qint64, qint64>> parseNvidiaComputeApps(const QByteArray &csv);

// Asks nvidia-smi (blocking, at most `timeoutMs`: call it off the UI thread). Unavailable when there is no
// nvidia-smi or no driver answers: "no NVIDIA GPU to read".
Result<QHash<qint64, qint64>> readNvidiaGpuMemory(const QString &program = QStringLiteral("nvidia-smi"),
                                                  int timeoutMs = 3000);

} // namespace cachewise::servers
