// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstddef>
#include <optional>

namespace cachewise::model {

// The numeric fields of a sample. The integer values are stored in metric_rollups.metric:
// append new metrics at the end, never reorder.
enum class Metric : int
{
    TokensProcessed = 0,
    KvCacheSizeKB = 1,
    MemoryUsageGB = 2,
    InferenceTimeMs = 3,
    OptimizationScore = 4,
    KvCacheCapacityKB = 5,
    KvCacheUsageRatio = 6,
    RequestsRunning = 7,
    RequestsWaiting = 8,
    PrefixCacheHitRate = 9,
    TokensPerSecond = 10,
    TimeToFirstTokenMs = 11,
    Preemptions = 12,
    DecodeTokensPerSecond = 13,
    TimePerOutputTokenMs = 14,
};

inline constexpr std::size_t kMetricCount = 15;

// The rollups' own row for how many samples a bucket holds, whatever they measured (metric_rollups.metric;
// every field of a sample is optional, so no field's count is the sample count).
inline constexpr int kSampleCountRollup = 1000;

struct MetricInfo
{
    Metric metric;
    const char *jsonName; // name in the push API and in machine exports
    const char *column;   // column in metric_samples
    bool integer;         // stored as INTEGER; JSON value must be integral
    bool required;        // must be present in every sample pushed to POST /api/metrics (scraped and
                          // OpenTelemetry samples leave out what their program does not measure)
    double maximum;       // inclusive upper bound (values are never negative)
};

const std::array<MetricInfo, kMetricCount> &metricTable();
const MetricInfo &metricInfo(Metric metric);
inline std::size_t metricIndex(Metric metric)
{
    return static_cast<std::size_t>(metric);
}

// Largest integer a JSON number (an IEEE double) carries exactly.
inline constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53

// One observation of one project. Values are raw (units in the field names); optional metrics may
// be missing.
struct MetricSample
{
    QString projectId;      // lower-case UUID without braces
    qint64 timestampMs = 0; // UTC milliseconds since the epoch
    std::array<std::optional<double>, kMetricCount> values{};
    QByteArray processedData; // compact JSON, or empty

    std::optional<double> value(Metric m) const { return values[metricIndex(m)]; }
    void setValue(Metric m, double v) { values[metricIndex(m)] = v; }
};

// One bucket of a metric's rollups: how many samples measured it and their range and mean.
struct RollupPoint
{
    qint64 bucketStartMs = 0;
    qint64 count = 0;
    double minimum = 0;
    double maximum = 0;
    double mean = 0;
};

} // namespace cachewise::model
