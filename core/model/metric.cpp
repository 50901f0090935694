// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/metric.h"

namespace cachewise::model {

const std::array<MetricInfo, kMetricCount> &metricTable()
{
    static const std::array<MetricInfo, kMetricCount> table{{
        {Metric::TokensProcessed, "tokensProcessed", "tokens_processed", true, true, kMaxExactInteger},
        {Metric::KvCacheSizeKB, "kvCacheSizeKB", "kv_cache_size_kb", true, true, kMaxExactInteger},
        {Metric::MemoryUsageGB, "memoryUsageGB", "memory_usage_gb", false, true, 1.0e9},
        {Metric::InferenceTimeMs, "inferenceTimeMs", "inference_time_ms", true, true, kMaxExactInteger},
        {Metric::OptimizationScore, "optimizationScore", "optimization_score", false, false, 100.0},
        {Metric::KvCacheCapacityKB, "kvCacheCapacityKB", "kv_cache_capacity_kb", true, false,
         kMaxExactInteger},
        {Metric::KvCacheUsageRatio, "kvCacheUsageRatio", "kv_cache_usage_ratio", false, false, 1.0},
        {Metric::RequestsRunning, "requestsRunning", "requests_running", true, false, kMaxExactInteger},
        {Metric::RequestsWaiting, "requestsWaiting", "requests_waiting", true, false, kMaxExactInteger},
        {Metric::PrefixCacheHitRate, "prefixCacheHitRate", "prefix_cache_hit_rate", false, false, 1.0},
        {Metric::TokensPerSecond, "tokensPerSecond", "tokens_per_second", false, false, 1.0e12},
        {Metric::TimeToFirstTokenMs, "timeToFirstTokenMs", "time_to_first_token_ms", false, false, 1.0e12},
        {Metric::Preemptions, "preemptions", "preemptions", true, false, kMaxExactInteger},
        {Metric::DecodeTokensPerSecond, "decodeTokensPerSecond", "decode_tokens_per_second", false, false,
         1.0e12},
        {Metric::TimePerOutputTokenMs, "timePerOutputTokenMs", "time_per_output_token_ms", false, false,
         1.0e12},
    }};
    return table;
}

const MetricInfo &metricInfo(Metric metric)
{
    return metricTable()[metricIndex(metric)];
}

} // namespace cachewise::model
