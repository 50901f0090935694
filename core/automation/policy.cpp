// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/automation/policy.h"

#include <algorithm>
#include <cmath>

namespace cachewise::automation {
namespace {

// Applies arming, cooldown and hysteresis to one rule; true when it acts now.
bool shouldAct(RuleState &rule, bool above, bool belowRearm, qint64 nowMs, qint64 cooldownMs)
{
    if (belowRearm)
        rule.armed = true;
    if (!above) {
        rule.aboveSinceMs = -1;
        return false;
    }
    if (rule.aboveSinceMs < 0)
        rule.aboveSinceMs = nowMs;
    const bool cooled = rule.lastActionMs < 0 || nowMs - rule.lastActionMs >= cooldownMs;
    // Still above a whole cooldown after acting: the action did not help, try again. Without a cooldown
    // only the hysteresis re-arms, or every sample above the limit would act.
    if (!rule.armed && cooldownMs > 0 && cooled && rule.lastActionMs >= 0 &&
        rule.aboveSinceMs <= rule.lastActionMs)
        rule.armed = true;
    if (!rule.armed || !cooled)
        return false;
    rule.armed = false;
    rule.lastActionMs = nowMs;
    return true;
}

QString number(double v)
{
    return QString::number(v, 'f', v < 10 ? 1 : 0);
}

} // namespace

std::optional<double> Policy::cachePercent(const storage::MetricSample &sample)
{
    using storage::Metric;
    if (const auto ratio = sample.value(Metric::KvCacheUsageRatio))
        return *ratio * 100.0;
    const auto size = sample.value(Metric::KvCacheSizeKB);
    const auto capacity = sample.value(Metric::KvCacheCapacityKB);
    if (size && capacity && *capacity > 0)
        return *size / *capacity * 100.0;
    return std::nullopt;
}

QList<Decision> Policy::evaluate(ProjectState &state, const storage::AutomationSettings &settings,
                                 const storage::MetricSample &sample, qint64 nowMs) const
{
    QList<Decision> out;
    const qint64 cooldownMs = qint64(settings.cooldownSeconds) * 1000;

    if (const auto percent = cachePercent(sample)) {
        const double limit = settings.maxCachePercent;
        const double rearm = limit - settings.hysteresisPercent;
        if (shouldAct(state.cache, *percent > limit, *percent < rearm, nowMs, cooldownMs)) {
            Decision d;
            d.rule = QStringLiteral("cache_size");
            d.actionType = QStringLiteral("evict_lru");
            const double target = std::max(0.0, std::floor(rearm));
            d.params = {{QStringLiteral("targetPercent"), target}};
            d.value = *percent;
            d.limit = limit;
            d.details =
                QStringLiteral("KV cache at %1 % (limit %2 %): evict least recently used entries down "
                               "to %3 %")
                    .arg(number(*percent), number(limit), number(target));
            out << d;
        }
    }

    if (const auto latency = sample.value(storage::Metric::InferenceTimeMs)) {
        if (state.latencySamples < kBaselineSamples) {
            // The first samples only build the baseline.
            state.latencyBaselineMs =
                (state.latencyBaselineMs * state.latencySamples + *latency) / (state.latencySamples + 1);
            ++state.latencySamples;
        } else {
            const double base = state.latencyBaselineMs;
            const double limit = base * (1.0 + settings.maxLatencyIncreasePercent / 100.0);
            const double rearm =
                base * (1.0 + std::max(0.0, settings.maxLatencyIncreasePercent - settings.hysteresisPercent) /
                                  100.0);
            const bool above = *latency > limit;
            if (shouldAct(state.latency, above, *latency < rearm, nowMs, cooldownMs)) {
                Decision d;
                d.rule = QStringLiteral("latency");
                d.actionType = QStringLiteral("set_chunk_size");
                d.params = {{QStringLiteral("chunkSize"), 512}};
                d.value = *latency;
                d.limit = limit;
                d.details =
                    QStringLiteral("inference time %1 ms, %2 % above its %3 ms baseline (limit +%4 %): "
                                   "prefill in chunks of 512 tokens")
                        .arg(number(*latency), number((*latency / base - 1.0) * 100.0), number(base),
                             number(settings.maxLatencyIncreasePercent));
                out << d;
            }
            // Only normal samples move the baseline, so a slow stretch cannot become the new normal.
            if (!above)
                state.latencyBaselineMs += kBaselineWeight * (*latency - state.latencyBaselineMs);
        }
    }
    return out;
}

} // namespace cachewise::automation
