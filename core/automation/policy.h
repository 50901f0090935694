// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"
#include "core/model/types.h"

#include <QHash>
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

// A moving average of normal latency at one load.
struct LatencyBaseline
{
    double meanMs = 0;
    int samples = 0; // in the baseline so far
};

struct ProjectState
{
    RuleState cache;
    RuleState latency;
    // By measure (per output token or per request) and load class (requests running): latency grows with
    // concurrency, so it is only compared with what was normal at the same load.
    QHash<int, LatencyBaseline> latencyBaselines;
};

// What a rule decided: act (type + parameters for the client), with the numbers behind it.
struct Decision
{
    QString rule;           // "cache_size" or "latency"
    QString actionType;     // "evict_lru", "set_chunk_size"
    QJsonObject params;     // e.g. {"targetPercent": 85}
    double value = 0;       // measured (percent of cache used, or ms)
    double limit = 0;       // the threshold it crossed
    QJsonArray phrases;     // what the log says (model/actiondetails.h)
    QString details;        // the same in English
    bool alertOnly = false; // nothing to act on: log and show the alert, hand out no directive
};

// The thresholds of a project, applied to each committed sample.
//
// cache_size: the KV cache in use (kvCacheUsageRatio, or kvCacheSizeKB / kvCacheCapacityKB) above
// maxCachePercent → evict_lru down to maxCachePercent - hysteresis.
// latency: the time per output token where the sample has it (else inferenceTimeMs, the request's time)
// above baseline × (1 + maxLatencyIncreasePercent / 100), the baseline being a moving average of normal
// samples at the same load (requests running 1, 2, 3–4, 5–8, …; the first 10 at a load only build it)
// → set_chunk_size 512. Not a measurement, so never part of a baseline nor compared: a latency of 0,
// and any latency of a sample in which no token was processed (an idle server's last value).
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

    QList<Decision> evaluate(ProjectState &state, const model::AutomationSettings &settings,
                             const model::MetricSample &sample, qint64 nowMs) const;

    // Percent of the KV cache in use, if the sample says.
    static std::optional<double> cachePercent(const model::MetricSample &sample);
};

} // namespace cachewise::automation
