// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"
#include "core/model/types.h"

#include <QList>
#include <QString>

namespace cachewise::demo {

// The product brief's sample projects, with fixed ids so loading the demo twice replaces it.
struct DemoProject
{
    QString id;
    QString name;
    QString modelName;
    QString architecture;
    bool operator==(const DemoProject &) const = default;
};

const QList<DemoProject> &demoProjects();

// A two-hour history ending at nowMs, one sample every 10 s: conversations that grow the KV cache
// and end, memory that follows it, inference time that grows with context. Deterministic.
QList<model::MetricSample> demoHistory(const DemoProject &project, qint64 nowMs);

// How each demo project runs its model (engine, preset, flags), matching its history.
model::ProjectRuntime demoRuntime(const DemoProject &project);

// The brief's sample action-log entry (a cache pruning that succeeded) for the first project, half an
// hour before nowMs, with a fixed id so loading twice keeps one; nothing for the others.
QList<model::ActionLogEntry> demoActions(const DemoProject &project, qint64 nowMs);

} // namespace cachewise::demo
