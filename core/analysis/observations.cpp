// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/analysis/observations.h"

#include <QHash>

#include <algorithm>

namespace cachewise::analysis {
namespace {

using model::Metric;
using model::RollupPoint;

const QList<RollupPoint> &points(const MetricRollups &r, Metric m)
{
    return r[model::metricIndex(m)];
}

std::optional<double> weightedMean(const QList<RollupPoint> &list, qsizetype from, qsizetype to)
{
    double sum = 0;
    qint64 count = 0;
    for (qsizetype i = from; i < to; ++i) {
        sum += list[i].mean * double(list[i].count);
        count += list[i].count;
    }
    return count > 0 ? std::optional<double>(sum / double(count)) : std::nullopt;
}

std::optional<double> peak(const QList<RollupPoint> &list)
{
    if (list.isEmpty())
        return std::nullopt;
    double m = list.first().maximum;
    for (const RollupPoint &p : list)
        m = std::max(m, p.maximum);
    return m;
}

} // namespace

std::optional<double> Observations::latencyTrend() const
{
    if (!latencyEarlyMs || !latencyLateMs || *latencyEarlyMs <= 0)
        return std::nullopt;
    return *latencyLateMs / *latencyEarlyMs - 1.0;
}

Observations observe(const MetricRollups &rollups)
{
    Observations o;
    qint64 first = -1;
    qint64 last = -1;
    for (const auto &list : rollups) {
        if (list.isEmpty())
            continue;
        first = first < 0 ? list.first().bucketStartMs : std::min(first, list.first().bucketStartMs);
        last = std::max(last, list.last().bucketStartMs);
    }
    if (first < 0)
        return o;
    o.fromMs = first;
    o.toMs = last + 60'000;
    o.minutes = double(last - first) / 60'000.0 + 1.0;
    // Samples per minute: the largest count of any field in it (every sample measures something).
    QHash<qint64, qint64> perMinute;
    for (const auto &list : rollups) {
        for (const RollupPoint &p : list)
            perMinute[p.bucketStartMs] = std::max(perMinute.value(p.bucketStartMs), p.count);
    }
    for (const qint64 count : std::as_const(perMinute))
        o.samples += count;

    const auto &kv = points(rollups, Metric::KvCacheSizeKB);
    if (const auto p = peak(kv))
        o.peakKvBytes = *p * 1024.0;
    if (const auto m = weightedMean(kv, 0, kv.size()))
        o.meanKvBytes = *m * 1024.0;
    const auto &capacity = points(rollups, Metric::KvCacheCapacityKB);
    if (!capacity.isEmpty())
        o.capacityBytes = capacity.last().mean * 1024.0;

    const auto &usage = points(rollups, Metric::KvCacheUsageRatio);
    if (!usage.isEmpty()) {
        o.meanUsage = weightedMean(usage, 0, usage.size());
        o.peakUsage = peak(usage);
    } else if (o.capacityBytes && *o.capacityBytes > 0 && o.meanKvBytes) {
        o.meanUsage = std::min(1.0, *o.meanKvBytes / *o.capacityBytes);
        o.peakUsage = std::min(1.0, *o.peakKvBytes / *o.capacityBytes);
    }

    const auto &waiting = points(rollups, Metric::RequestsWaiting);
    if (!waiting.isEmpty()) {
        const auto busy =
            std::count_if(waiting.begin(), waiting.end(), [](const RollupPoint &p) { return p.maximum > 0; });
        o.waitingShare = double(busy) / double(waiting.size());
        o.meanWaiting = weightedMean(waiting, 0, waiting.size());
    }
    o.peakRunning = peak(points(rollups, Metric::RequestsRunning));
    const auto &hits = points(rollups, Metric::PrefixCacheHitRate);
    o.prefixHitRate = weightedMean(hits, 0, hits.size());
    const auto &preemptions = points(rollups, Metric::Preemptions);
    if (!preemptions.isEmpty()) {
        double low = preemptions.first().minimum;
        for (const RollupPoint &p : preemptions)
            low = std::min(low, p.minimum);
        o.preemptions = *peak(preemptions) - low;
    }
    const auto &latency = points(rollups, Metric::InferenceTimeMs);
    if (latency.size() >= 4) {
        const qsizetype quarter = latency.size() / 4;
        o.latencyEarlyMs = weightedMean(latency, 0, quarter);
        o.latencyLateMs = weightedMean(latency, latency.size() - quarter, latency.size());
    }
    o.peakMemoryGB = peak(points(rollups, Metric::MemoryUsageGB));
    return o;
}

} // namespace cachewise::analysis
