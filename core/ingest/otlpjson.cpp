// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/otlpjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace cachewise::ingest {
namespace {

using storage::Metric;

enum class Field
{
    None,
    KvUsageRatio,
    KvBytes,
    KvKiB,
    KvCapacityBytes,
    MemoryBytes,
    Running,
    Waiting,
    PrefixHitRate,
    Tokens,
    Preemptions,
    DurationSeconds,
    TtftSeconds,
};

// Names are compared with dots and dashes as underscores, lower case.
Field fieldOf(QString name)
{
    name = name.toLower()
               .replace(QLatin1Char('.'), QLatin1Char('_'))
               .replace(QLatin1Char('-'), QLatin1Char('_'));
    static const QHash<QString, Field> table{
        {QStringLiteral("kv_cache_usage_ratio"), Field::KvUsageRatio},
        {QStringLiteral("gen_ai_server_kv_cache_usage"), Field::KvUsageRatio},
        {QStringLiteral("kv_cache_size_bytes"), Field::KvBytes},
        {QStringLiteral("kv_cache_size"), Field::KvBytes},
        {QStringLiteral("kv_cache_size_kb"), Field::KvKiB},
        {QStringLiteral("kv_cache_capacity_bytes"), Field::KvCapacityBytes},
        {QStringLiteral("process_memory_usage"), Field::MemoryBytes},
        {QStringLiteral("memory_usage_bytes"), Field::MemoryBytes},
        {QStringLiteral("llm_requests_active"), Field::Running},
        {QStringLiteral("requests_running"), Field::Running},
        {QStringLiteral("gen_ai_server_requests_running"), Field::Running},
        {QStringLiteral("requests_waiting"), Field::Waiting},
        {QStringLiteral("gen_ai_server_requests_waiting"), Field::Waiting},
        {QStringLiteral("prefix_cache_hit_rate"), Field::PrefixHitRate},
        {QStringLiteral("llm_tokens"), Field::Tokens},
        {QStringLiteral("gen_ai_client_token_usage"), Field::Tokens},
        {QStringLiteral("tokens_processed"), Field::Tokens},
        {QStringLiteral("preemptions"), Field::Preemptions},
        {QStringLiteral("llm_request_duration"), Field::DurationSeconds},
        {QStringLiteral("gen_ai_client_operation_duration"), Field::DurationSeconds},
        {QStringLiteral("gen_ai_server_request_duration"), Field::DurationSeconds},
        {QStringLiteral("llm_time_to_first_token"), Field::TtftSeconds},
        {QStringLiteral("gen_ai_server_time_to_first_token"), Field::TtftSeconds},
    };
    return table.value(name, Field::None);
}

// An OTLP number: JSON number, or a string of digits (int64 in canonical JSON); null (NaN/Inf) is none.
std::optional<double> number(const QJsonValue &v)
{
    if (v.isDouble())
        return std::isfinite(v.toDouble()) ? std::optional<double>(v.toDouble()) : std::nullopt;
    if (v.isString()) {
        bool ok = false;
        const double d = v.toString().toDouble(&ok);
        return ok && std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
    }
    return std::nullopt;
}

// Nanosecond times do not fit a double exactly: read the string form as an integer.
qint64 nanoseconds(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().toLongLong();
    return v.isDouble() ? qint64(v.toDouble()) : 0;
}

Error bad(const QString &path, const QString &what)
{
    return makeError(QStringLiteral("%1: %2").arg(path, what), QStringLiteral("invalid_otlp"));
}

} // namespace

Result<QList<OtlpResource>> parseOtlpJson(const QByteArray &body, qint64 nowMs,
                                          QHash<QString, sources::CounterTracker> &counters)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return bad(QStringLiteral("body"), QStringLiteral("not a JSON object (%1)").arg(error.errorString()));
    const QJsonValue rms = doc.object().value(QLatin1String("resourceMetrics"));
    if (!rms.isArray() && !rms.isUndefined())
        return bad(QStringLiteral("resourceMetrics"), QStringLiteral("must be an array"));
    QList<OtlpResource> out;
    const QJsonArray resources = rms.toArray();
    for (qsizetype r = 0; r < resources.size(); ++r) {
        const QString rpath = QStringLiteral("resourceMetrics[%1]").arg(r);
        const QJsonObject rm = resources[r].toObject();
        OtlpResource res;
        res.serviceName = QStringLiteral("unknown_service");
        for (const QJsonValue &a :
             rm.value(QLatin1String("resource")).toObject().value(QLatin1String("attributes")).toArray()) {
            const QJsonObject attr = a.toObject();
            if (attr.value(QLatin1String("key")).toString() == QLatin1String("service.name"))
                res.serviceName = attr.value(QLatin1String("value"))
                                      .toObject()
                                      .value(QLatin1String("stringValue"))
                                      .toString(res.serviceName);
        }
        if (res.serviceName.trimmed().isEmpty() || res.serviceName.size() > 200)
            return bad(rpath, QStringLiteral("service.name must be 1 to 200 characters"));
        sources::CounterTracker &tracker = counters[res.serviceName];
        qint64 latestNs = 0;
        const auto set = [&res](Metric m, double v) {
            res.sample.setValue(m, v);
            ++res.mapped;
        };
        const QJsonArray scopes = rm.value(QLatin1String("scopeMetrics")).toArray();
        for (qsizetype s = 0; s < scopes.size(); ++s) {
            const QJsonArray metrics = scopes[s].toObject().value(QLatin1String("metrics")).toArray();
            for (qsizetype i = 0; i < metrics.size(); ++i) {
                const QString mpath =
                    QStringLiteral("%1.scopeMetrics[%2].metrics[%3]").arg(rpath).arg(s).arg(i);
                const QJsonObject metric = metrics[i].toObject();
                const QString name = metric.value(QLatin1String("name")).toString();
                if (name.isEmpty())
                    return bad(mpath, QStringLiteral("a metric needs a name"));
                const Field field = fieldOf(name);
                QString kind;
                for (const char *k : {"gauge", "sum", "histogram", "exponentialHistogram", "summary"}) {
                    if (metric.contains(QLatin1String(k)))
                        kind = QLatin1String(k);
                }
                if (kind.isEmpty())
                    return bad(mpath, QStringLiteral("no gauge, sum, histogram or summary"));
                const QJsonObject data = metric.value(kind).toObject();
                const QJsonValue pointsValue = data.value(QLatin1String("dataPoints"));
                if (!pointsValue.isArray())
                    return bad(mpath + QLatin1Char('.') + kind,
                               QStringLiteral("dataPoints must be an array"));
                const bool cumulative =
                    number(data.value(QLatin1String("aggregationTemporality"))).value_or(2) == 2;
                double total = 0;
                double count = 0;
                double sum = 0;
                int points = 0;
                const QJsonArray dps = pointsValue.toArray();
                for (qsizetype p = 0; p < dps.size(); ++p) {
                    const QJsonObject dp = dps[p].toObject();
                    latestNs = std::max(latestNs, nanoseconds(dp.value(QLatin1String("timeUnixNano"))));
                    if (kind == QLatin1String("gauge") || kind == QLatin1String("sum")) {
                        const QJsonValue v = dp.contains(QLatin1String("asDouble"))
                                                 ? dp.value(QLatin1String("asDouble"))
                                                 : dp.value(QLatin1String("asInt"));
                        if (const auto value = number(v)) {
                            total += *value;
                            ++points;
                        } else if (!v.isNull() && !v.isUndefined()) {
                            return bad(QStringLiteral("%1.%2.dataPoints[%3]").arg(mpath, kind).arg(p),
                                       QStringLiteral("the value is not a number"));
                        }
                    } else {
                        const auto c = number(dp.value(QLatin1String("count")));
                        const auto sm = number(dp.value(QLatin1String("sum")));
                        if (c && sm) {
                            count += *c;
                            sum += *sm;
                            ++points;
                        }
                    }
                }
                if (points == 0 || field == Field::None)
                    continue;
                // Ratios and levels over several attribute sets: their mean; amounts: their sum.
                const double mean = total / points;
                const auto perInterval = [&](const QString &key, double value) -> std::optional<double> {
                    return cumulative ? tracker.delta(name + key, value) : std::optional<double>(value);
                };
                switch (field) {
                case Field::KvUsageRatio: set(Metric::KvCacheUsageRatio, std::clamp(mean, 0.0, 1.0)); break;
                case Field::PrefixHitRate: set(Metric::PrefixCacheHitRate, std::clamp(mean, 0.0, 1.0)); break;
                case Field::KvBytes: set(Metric::KvCacheSizeKB, std::round(total / 1024.0)); break;
                case Field::KvKiB: set(Metric::KvCacheSizeKB, std::round(total)); break;
                case Field::KvCapacityBytes:
                    set(Metric::KvCacheCapacityKB, std::round(total / 1024.0));
                    break;
                case Field::MemoryBytes: set(Metric::MemoryUsageGB, total / 1e9); break;
                case Field::Running: set(Metric::RequestsRunning, std::round(std::max(0.0, total))); break;
                case Field::Waiting: set(Metric::RequestsWaiting, std::round(std::max(0.0, total))); break;
                case Field::Preemptions: set(Metric::Preemptions, std::round(std::max(0.0, total))); break;
                case Field::Tokens: {
                    const double amount = kind == QLatin1String("sum") ? total : sum;
                    if (const auto d = perInterval(QStringLiteral("#tokens"), amount))
                        set(Metric::TokensProcessed, std::round(std::max(0.0, *d)));
                    break;
                }
                case Field::DurationSeconds:
                case Field::TtftSeconds: {
                    const auto dSum = perInterval(QStringLiteral("#sum"), sum);
                    const auto dCount = perInterval(QStringLiteral("#count"), count);
                    if (dSum && dCount && *dCount > 0)
                        set(field == Field::TtftSeconds ? Metric::TimeToFirstTokenMs
                                                        : Metric::InferenceTimeMs,
                            std::round(1000.0 * *dSum / *dCount));
                    break;
                }
                case Field::None: break;
                }
            }
        }
        res.sample.timestampMs = latestNs > 0 ? latestNs / 1'000'000 : nowMs;
        out << res;
    }
    return out;
}

} // namespace cachewise::ingest
