// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"
#include "core/sources/llamaserver.h"
#include "core/sources/prometheustext.h"

namespace cachewise::sources {

// One vLLM or SGLang server followed across scrapes.
struct PromSession
{
    CounterTracker counters;
    std::optional<qint64> lastMs;       // the last scrape
    std::optional<double> processStart; // process_start_time_seconds, where exposed
};

// Both carry p50/p95/p99 of their latency histograms (time to first token, inter-token, end to end), in
// seconds, as processedData {"latencySeconds":{"ttft":{"p50",…},…}}: over the interval when the buckets
// moved, else over everything observed.
// vLLM's /metrics (V1 engine) onto a sample, accepting the current and the removed names:
// vllm:kv_cache_usage_perc (vllm:gpu_cache_usage_perc before v0.12), running/waiting requests,
// prefix-cache queries and hits (hit rate over the interval), preemptions, prompt and generation tokens,
// time to first token, time per output token and end-to-end latency histograms (means over the requests
// of the interval, left out when none finished; decode speed per request = 1 / time per output token),
// generation throughput = generated tokens / wall time, capacity from
// vllm:cache_config_info's kv_cache_size_tokens (or num_gpu_blocks × block_size). Sums over engines
// (data-parallel ranks); `_created` series are ignored.
model::MetricSample vllmSample(const QString &projectId, qint64 nowMs, const Exposition &metrics,
                               qint64 bytesPerToken, PromSession &session);

// SGLang's /metrics onto a sample: sglang:token_usage, used/max tokens, running/queued requests,
// cache hit rate, retractions, token counters and latency histograms, with the rank labels of newer
// builds summed.
model::MetricSample sglangSample(const QString &projectId, qint64 nowMs, const Exposition &metrics,
                                 qint64 bytesPerToken, PromSession &session);

} // namespace cachewise::sources
