// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/metric.h"
#include "core/storage/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace cachewise::automation {

// One rule's memory between samples.
struct RuleState
{
    bool armed = true;        // a crossing counts as new
    qint64 lastActionMs = -1; // when the rule last acted (or would have, in dry-run)
    qint64 aboveSinceMs = -1; // start of the current stretch above the threshold
};

struct ProjectState
{
    RuleState cache;
    RuleState latency;
    double latencyBaselineMs = 0; // moving average while latency is normal
    int latencySamples = 0;       // samples in the baseline so far
};

// What a rule decided: act (type + parameters for the client), with the numbers behind it.
struct Decision
{
    QString rule;       // "cache_size" or "latency"
    QString actionType; // "evict_lru", "set_chunk_size"
    QJsonObject params; // e.g. {"targetPercent": 85}
    double value = 0;   // measured (percent of cache used, or ms)
    double limit = 0;   // the threshold it crossed
    QString details;    // one line for the log, English
};

// The thresholds of a project, applied to each committed sample.
//
// cache_size: the KV cache in use (kvCacheUsageRatio, or kvCacheSizeKB / kvCacheCapacityKB) above
// maxCachePercent → evict_lru down to maxCachePercent - hysteresis.
// latency: inferenceTimeMs above baseline × (1 + maxLatencyIncreasePercent / 100), the baseline being a
// moving average of normal samples (the first 10 only build it) → set_chunk_size 512.
//
// A rule acts when its value is above the limit and it is armed, and at most once per cooldown. Acting
// disarms it; it re-arms when the value falls below the limit minus the hysteresis (percentage points),
// or when the value has stayed above the limit for a whole (non-zero) cooldown since it acted (the action
// did not help, so acting again is not flapping).
class Policy
{
public:
    static constexpr int kBaselineSamples = 10;
    static constexpr double kBaselineWeight = 0.05;

    QList<Decision> evaluate(ProjectState &state, const storage::AutomationSettings &settings,
                             const storage::MetricSample &sample, qint64 nowMs) const;

    // Percent of the KV cache in use, if the sample says.
    static std::optional<double> cachePercent(const storage::MetricSample &sample);
};

} // namespace cachewise::automation
