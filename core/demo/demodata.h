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

} // namespace cachewise::demo
