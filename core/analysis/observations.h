// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"

#include <QList>

#include <array>
#include <optional>

namespace cachewise::analysis {

// A project's recent data as per-minute rollups, one list per metric, oldest first.
using MetricRollups = std::array<QList<model::RollupPoint>, model::kMetricCount>;

// What the rules and the score look at, measured from the rollups. A field is empty when the project
// does not report the metric it needs.
struct Observations
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 samples = 0;
    double minutes = 0; // span from the first to the last minute with data
    std::optional<double> peakKvBytes;
    std::optional<double> meanKvBytes;
    std::optional<double> capacityBytes; // as the engine reports it (latest)
    std::optional<double> meanUsage;     // share of the allocated KV in use, 0…1
    std::optional<double> peakUsage;
    std::optional<double> waitingShare; // share of minutes in which requests waited
    std::optional<double> meanWaiting;
    std::optional<double> peakRunning;
    std::optional<double> prefixHitRate;  // 0…1
    std::optional<double> preemptions;    // increase of the engine's counter over the window
    std::optional<double> latencyEarlyMs; // mean inference time, first quarter of the window
    std::optional<double> latencyLateMs;  // … and last quarter
    std::optional<double> peakMemoryGB;

    std::optional<double> latencyTrend() const; // late / early - 1
};

Observations observe(const MetricRollups &rollups);

} // namespace cachewise::analysis
