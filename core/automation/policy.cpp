// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/automation/policy.h"

#include "core/common/logging.h"
#include "core/model/actiondetails.h"

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
    if (!rule.armed || !cooled) {
        qCDebug(lcAutomation) << "above the limit, held back:"
                              << (!rule.armed
                                      ? "acted already; waits to fall below the limit minus the hysteresis"
                                      : "cooling down");
        return false;
    }
    rule.armed = false;
    rule.lastActionMs = nowMs;
    return true;
}

// 1 → 0, 2 → 1, 3–4 → 2, 5–8 → 3, …: loads whose latencies are comparable.
int loadClass(double running)
{
    int load = 0;
    for (double r = std::max(1.0, std::round(running)); r > 1; r = std::ceil(r / 2))
        ++load;
    return load;
}

} // namespace

std::optional<double> Policy::cachePercent(const model::MetricSample &sample)
{
    using model::Metric;
    if (const auto ratio = sample.value(Metric::KvCacheUsageRatio))
        return *ratio * 100.0;
    const auto size = sample.value(Metric::KvCacheSizeKB);
    const auto capacity = sample.value(Metric::KvCacheCapacityKB);
    if (size && capacity && *capacity > 0)
        return *size / *capacity * 100.0;
    return std::nullopt;
}

QList<Decision> Policy::evaluate(ProjectState &state, const model::AutomationSettings &settings,
                                 const model::MetricSample &sample, qint64 nowMs) const
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
            d.phrases = {model::phrase::cacheSize(*percent, limit, target)};
            d.details = model::englishPhrasesText(d.phrases);
            out << d;
        }
    }

    // Per output token where measured: it compares across requests of any length.
    const auto perToken = sample.value(model::Metric::TimePerOutputTokenMs);
    const auto latency = perToken ? perToken : sample.value(model::Metric::InferenceTimeMs);
    const auto processed = sample.value(model::Metric::TokensProcessed);
    const bool idle = processed && *processed <= 0;
    if (latency && (*latency <= 0 || idle))
        qCDebug(lcAutomation) << "latency" << *latency << "ms not judged:"
                              << (idle ? "no token processed in the interval" : "not a measurement");
    if (latency && *latency > 0 && !idle) {
        const auto running = sample.value(model::Metric::RequestsRunning);
        const int load = running ? loadClass(*running) : -1;
        LatencyBaseline &baseline = state.latencyBaselines[(perToken ? 1000 : 0) + load + 1];
        const QString what =
            perToken ? QStringLiteral("time per output token") : QStringLiteral("inference time");
        if (baseline.samples < kBaselineSamples) {
            // The first samples at a load only build its baseline.
            qCDebug(lcAutomation) << what << *latency << "ms builds the baseline of load" << load << "("
                                  << baseline.samples + 1 << "of" << kBaselineSamples << ")";
            baseline.meanMs = (baseline.meanMs * baseline.samples + *latency) / (baseline.samples + 1);
            ++baseline.samples;
        } else {
            const double base = baseline.meanMs;
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
                d.phrases = {model::phrase::latency(
                                 perToken.has_value(), *latency,
                                 running ? std::optional<double>(std::floor(*running)) : std::nullopt,
                                 (*latency / base - 1.0) * 100.0, base, settings.maxLatencyIncreasePercent),
                             model::phrase::prefillChunks(512)};
                d.details = model::englishPhrasesText(d.phrases);
                out << d;
            }
            // Only normal samples move the baseline, so a slow stretch cannot become the new normal.
            if (!above)
                baseline.meanMs += kBaselineWeight * (*latency - baseline.meanMs);
        }
    }
    return out;
}

} // namespace cachewise::automation
