// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/otlp.h"

#include <algorithm>
#include <cmath>

namespace cachewise::ingest {
namespace {

using model::Metric;

const QList<std::pair<OtlpField, QString>> &fieldNames()
{
    static const QList<std::pair<OtlpField, QString>> names{
        {OtlpField::Ignore, QStringLiteral("ignore")},
        {OtlpField::KvUsageRatio, QStringLiteral("kv_cache_usage_ratio")},
        {OtlpField::KvBytes, QStringLiteral("kv_cache_bytes")},
        {OtlpField::KvKiB, QStringLiteral("kv_cache_kib")},
        {OtlpField::KvCapacityBytes, QStringLiteral("kv_cache_capacity_bytes")},
        {OtlpField::MemoryBytes, QStringLiteral("memory_bytes")},
        {OtlpField::RequestsRunning, QStringLiteral("requests_running")},
        {OtlpField::RequestsWaiting, QStringLiteral("requests_waiting")},
        {OtlpField::PrefixHitRate, QStringLiteral("prefix_cache_hit_rate")},
        {OtlpField::Tokens, QStringLiteral("tokens")},
        {OtlpField::Preemptions, QStringLiteral("preemptions")},
        {OtlpField::RequestDuration, QStringLiteral("request_duration")},
        {OtlpField::TimeToFirstToken, QStringLiteral("time_to_first_token")},
        {OtlpField::TimePerOutputToken, QStringLiteral("time_per_output_token")},
    };
    return names;
}

// Milliseconds per unit of a duration metric.
double millisecondsPer(const QString &unit)
{
    if (unit == QLatin1String("ms"))
        return 1.0;
    if (unit == QLatin1String("us"))
        return 0.001;
    if (unit == QLatin1String("ns"))
        return 1e-6;
    return 1000.0; // "s", or none: OpenTelemetry's semantic conventions use seconds
}

} // namespace

QString otlpFieldName(OtlpField field)
{
    for (const auto &[f, name] : fieldNames()) {
        if (f == field)
            return name;
    }
    return {};
}

std::optional<OtlpField> otlpFieldFromName(const QString &name)
{
    for (const auto &[f, n] : fieldNames()) {
        if (n == name)
            return f;
    }
    return std::nullopt;
}

QStringList otlpFieldNames()
{
    QStringList out;
    for (const auto &[f, name] : fieldNames())
        out << name;
    return out;
}

QString normalisedOtlpName(const QString &name)
{
    return name.trimmed()
        .toLower()
        .replace(QLatin1Char('.'), QLatin1Char('_'))
        .replace(QLatin1Char('-'), QLatin1Char('_'));
}

const QList<std::pair<QString, OtlpField>> &OtlpMapping::defaultNames()
{
    static const QList<std::pair<QString, OtlpField>> names{
        {QStringLiteral("kv_cache_usage_ratio"), OtlpField::KvUsageRatio},
        {QStringLiteral("gen_ai.server.kv_cache.usage"), OtlpField::KvUsageRatio},
        {QStringLiteral("kv_cache_size_bytes"), OtlpField::KvBytes},
        {QStringLiteral("kv_cache_size"), OtlpField::KvBytes},
        {QStringLiteral("kv_cache_size_kb"), OtlpField::KvKiB},
        {QStringLiteral("kv_cache_capacity_bytes"), OtlpField::KvCapacityBytes},
        {QStringLiteral("process.memory.usage"), OtlpField::MemoryBytes},
        {QStringLiteral("memory_usage_bytes"), OtlpField::MemoryBytes},
        {QStringLiteral("llm.requests.active"), OtlpField::RequestsRunning},
        {QStringLiteral("requests_running"), OtlpField::RequestsRunning},
        {QStringLiteral("gen_ai.server.requests.running"), OtlpField::RequestsRunning},
        {QStringLiteral("requests_waiting"), OtlpField::RequestsWaiting},
        {QStringLiteral("gen_ai.server.requests.waiting"), OtlpField::RequestsWaiting},
        {QStringLiteral("prefix_cache_hit_rate"), OtlpField::PrefixHitRate},
        {QStringLiteral("llm.tokens"), OtlpField::Tokens},
        {QStringLiteral("gen_ai.client.token.usage"), OtlpField::Tokens},
        {QStringLiteral("tokens_processed"), OtlpField::Tokens},
        {QStringLiteral("preemptions"), OtlpField::Preemptions},
        {QStringLiteral("llm.request.duration"), OtlpField::RequestDuration},
        {QStringLiteral("gen_ai.client.operation.duration"), OtlpField::RequestDuration},
        {QStringLiteral("gen_ai.server.request.duration"), OtlpField::RequestDuration},
        {QStringLiteral("llm.time_to_first_token"), OtlpField::TimeToFirstToken},
        {QStringLiteral("gen_ai.server.time_to_first_token"), OtlpField::TimeToFirstToken},
        {QStringLiteral("gen_ai.server.time_per_output_token"), OtlpField::TimePerOutputToken},
    };
    return names;
}

OtlpMapping::OtlpMapping() : m_projectAttribute(QStringLiteral("service.name"))
{
    for (const auto &[name, field] : defaultNames())
        m_fields.insert(normalisedOtlpName(name), field);
}

void OtlpMapping::map(const QString &metricName, OtlpField field)
{
    m_fields.insert(normalisedOtlpName(metricName), field);
}

OtlpField OtlpMapping::fieldOf(const QString &metricName) const
{
    return m_fields.value(normalisedOtlpName(metricName), OtlpField::Ignore);
}

Result<QList<OtlpResource>> mapOtlp(const OtlpRequest &request, const OtlpMapping &mapping, qint64 nowMs,
                                    QHash<QString, CounterTracker> &counters)
{
    QList<OtlpResource> out;
    for (qsizetype r = 0; r < request.size(); ++r) {
        const OtlpResourceMetrics &rm = request[r];
        OtlpResource res;
        res.projectName = rm.attributes.value(mapping.projectAttribute()).trimmed();
        if (res.projectName.isEmpty())
            res.projectName = QStringLiteral("unknown_service");
        if (res.projectName.size() > 200)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("resourceMetrics[%1]: %2 must be at most 200 characters")
                                 .arg(r)
                                 .arg(mapping.projectAttribute()));
        CounterTracker &tracker = counters[res.projectName];
        const auto set = [&res](Metric m, double v) {
            res.sample.setValue(m, v);
            ++res.mapped;
        };
        for (const OtlpMetric &metric : rm.metrics) {
            const OtlpField field = mapping.fieldOf(metric.name);
            const bool hasValues = metric.valuePoints > 0;
            const bool hasDistribution = metric.distributionPoints > 0;
            if (field == OtlpField::Ignore || (!hasValues && !hasDistribution))
                continue;
            const double total = metric.valueTotal;
            const double mean = hasValues ? total / metric.valuePoints : 0.0;
            const auto perInterval = [&](const QString &key, double value) -> std::optional<double> {
                return metric.cumulative ? tracker.delta(metric.name + key, value)
                                         : std::optional<double>(value);
            };
            switch (field) {
            case OtlpField::KvUsageRatio:
                if (hasValues)
                    set(Metric::KvCacheUsageRatio, std::clamp(mean, 0.0, 1.0));
                break;
            case OtlpField::PrefixHitRate:
                if (hasValues)
                    set(Metric::PrefixCacheHitRate, std::clamp(mean, 0.0, 1.0));
                break;
            case OtlpField::KvBytes:
                if (hasValues)
                    set(Metric::KvCacheSizeKB, std::round(std::max(0.0, total) / 1024.0));
                break;
            case OtlpField::KvKiB:
                if (hasValues)
                    set(Metric::KvCacheSizeKB, std::round(std::max(0.0, total)));
                break;
            case OtlpField::KvCapacityBytes:
                if (hasValues)
                    set(Metric::KvCacheCapacityKB, std::round(std::max(0.0, total) / 1024.0));
                break;
            case OtlpField::MemoryBytes:
                if (hasValues)
                    set(Metric::MemoryUsageGB, std::max(0.0, total) / 1e9);
                break;
            case OtlpField::RequestsRunning:
                if (hasValues)
                    set(Metric::RequestsRunning, std::round(std::max(0.0, total)));
                break;
            case OtlpField::RequestsWaiting:
                if (hasValues)
                    set(Metric::RequestsWaiting, std::round(std::max(0.0, total)));
                break;
            case OtlpField::Preemptions:
                if (hasValues)
                    set(Metric::Preemptions, std::round(std::max(0.0, total)));
                break;
            case OtlpField::Tokens: {
                // A counter of tokens, or a histogram of tokens per request (gen_ai.client.token.usage).
                const double amount = hasValues ? total : metric.sum;
                if (const auto d = perInterval(QStringLiteral("#tokens"), amount))
                    set(Metric::TokensProcessed, std::round(std::max(0.0, *d)));
                break;
            }
            case OtlpField::RequestDuration:
            case OtlpField::TimeToFirstToken:
            case OtlpField::TimePerOutputToken: {
                if (!hasDistribution)
                    break;
                const auto dSum = perInterval(QStringLiteral("#sum"), metric.sum);
                const auto dCount = perInterval(QStringLiteral("#count"), metric.count);
                if (!dSum || !dCount || *dCount <= 0)
                    break; // no request in the interval: nothing measured
                const double ms = millisecondsPer(metric.unit) * *dSum / *dCount;
                if (field == OtlpField::TimePerOutputToken) {
                    set(Metric::TimePerOutputTokenMs, ms);
                    if (ms > 0)
                        set(Metric::DecodeTokensPerSecond, 1000.0 / ms);
                } else {
                    set(field == OtlpField::TimeToFirstToken ? Metric::TimeToFirstTokenMs
                                                             : Metric::InferenceTimeMs,
                        std::round(ms));
                }
                break;
            }
            case OtlpField::Ignore: break;
            }
        }
        res.sample.timestampMs = rm.latestTimeNs > 0 ? rm.latestTimeNs / 1'000'000 : nowMs;
        out << res;
    }
    return out;
}

} // namespace cachewise::ingest
