// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"
#include "core/model/types.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise::servers {

// The arguments llama-server gets for a profile, in this order: the model, 127.0.0.1 and the port, the
// endpoints CacheWise reads (--metrics, --slots, --slot-save-path for slot eviction), -lv 4 (the KV
// allocation line is logged only from that verbosity on: llama-server's default, 3, leaves it out), then
// the KV flags, GPU layers and threads when set, then the extra arguments.
QStringList serverArguments(const model::ServerProfile &profile, const QString &slotSavePath);

// The program and its arguments as one line a POSIX shell runs as is (arguments quoted where needed).
QString shellCommandLine(const QString &program, const QStringList &arguments);

// The KV flags of a profile, as a user of a server CacheWise does not manage would type them.
QStringList kvFlags(const model::ServerProfile &profile);

struct ProfileProblem
{
    QString field;   // the option it concerns: executable, model, cache-type-v, flash-attention, extra, …
    QString message; // what llama-server would do, and what to change
};

// What llama-server would refuse (or what would keep CacheWise from reading the server), found before a
// launch: the program or the model missing, a cache type llama.cpp lacks, a quantized V cache with flash
// attention off, a quantized cache whose block size does not divide the model's head size, fewer cells
// than slots, and extra arguments that repeat a flag the profile sets. `model` is the header's
// architecture, when it could be read.
QList<ProfileProblem> checkProfile(const model::ServerProfile &profile,
                                   const std::optional<analysis::ModelArch> &model);

// llama-server programs on this machine: on PATH, then in llama.cpp's usual build folders under the home
// folder and in Homebrew's; those that exist and can be run, without duplicates.
QStringList findLlamaServers();

// A TCP port on 127.0.0.1 that nothing listens on now and no profile has taken.
std::optional<int> freeLoopbackPort(const QSet<int> &taken);
// Nothing listens on 127.0.0.1:`port` now.
bool loopbackPortFree(int port);

} // namespace cachewise::servers
