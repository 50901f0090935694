// SPDX-License-Identifier: GPL-3.0-or-later
// OTLP/HTTP JSON: the OpenTelemetry SDKs send ints as numbers, the Collector's proto3 JSON as strings;
// NaN and ±Inf arrive as null.
#include "core/ingest/jsontext.h"
#include "core/ingest/otlp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace cachewise::ingest {
namespace {

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

// A scalar AnyValue as text; arrays, lists and bytes are not project names.
QString scalarText(const QJsonObject &anyValue)
{
    if (anyValue.contains(QLatin1String("stringValue")))
        return anyValue.value(QLatin1String("stringValue")).toString();
    if (anyValue.contains(QLatin1String("intValue"))) {
        const QJsonValue v = anyValue.value(QLatin1String("intValue"));
        return v.isString() ? v.toString() : QString::number(qint64(v.toDouble()));
    }
    if (anyValue.contains(QLatin1String("doubleValue")))
        return QString::number(anyValue.value(QLatin1String("doubleValue")).toDouble());
    if (anyValue.contains(QLatin1String("boolValue")))
        return anyValue.value(QLatin1String("boolValue")).toBool() ? QStringLiteral("true")
                                                                   : QStringLiteral("false");
    return {};
}

Error bad(const QString &path, const QString &what)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("%1: %2").arg(path, what));
}

} // namespace

Result<OtlpRequest> decodeOtlpJson(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return bad(QStringLiteral("body"), QStringLiteral("not a JSON object (%1)").arg(error.errorString()));
    // The push API's rules: no key twice, no lone surrogate.
    if (const auto problem = checkJsonText(body))
        return makeError(ErrorKind::BadInput, problem->message, problem->path);
    const QJsonValue rms = doc.object().value(QLatin1String("resourceMetrics"));
    if (!rms.isArray() && !rms.isUndefined())
        return bad(QStringLiteral("resourceMetrics"), QStringLiteral("must be an array"));
    OtlpRequest out;
    const QJsonArray resources = rms.toArray();
    for (qsizetype r = 0; r < resources.size(); ++r) {
        const QString rpath = QStringLiteral("resourceMetrics[%1]").arg(r);
        const QJsonObject rm = resources[r].toObject();
        OtlpResourceMetrics res;
        for (const QJsonValue &a :
             rm.value(QLatin1String("resource")).toObject().value(QLatin1String("attributes")).toArray()) {
            const QJsonObject attr = a.toObject();
            const QString text = scalarText(attr.value(QLatin1String("value")).toObject());
            if (!text.isNull())
                res.attributes.insert(attr.value(QLatin1String("key")).toString(), text);
        }
        const QJsonArray scopes = rm.value(QLatin1String("scopeMetrics")).toArray();
        for (qsizetype s = 0; s < scopes.size(); ++s) {
            const QJsonArray metrics = scopes[s].toObject().value(QLatin1String("metrics")).toArray();
            for (qsizetype i = 0; i < metrics.size(); ++i) {
                const QString mpath =
                    QStringLiteral("%1.scopeMetrics[%2].metrics[%3]").arg(rpath).arg(s).arg(i);
                const QJsonObject metricObject = metrics[i].toObject();
                OtlpMetric metric;
                metric.name = metricObject.value(QLatin1String("name")).toString();
                metric.unit = metricObject.value(QLatin1String("unit")).toString();
                if (metric.name.isEmpty())
                    return bad(mpath, QStringLiteral("a metric needs a name"));
                static const std::pair<const char *, OtlpKind> kinds[] = {
                    {"gauge", OtlpKind::Gauge},
                    {"sum", OtlpKind::Sum},
                    {"histogram", OtlpKind::Histogram},
                    {"exponentialHistogram", OtlpKind::ExponentialHistogram},
                    {"summary", OtlpKind::Summary},
                };
                QString kindName;
                for (const auto &[k, kind] : kinds) {
                    if (metricObject.contains(QLatin1String(k))) {
                        kindName = QLatin1String(k);
                        metric.kind = kind;
                    }
                }
                if (kindName.isEmpty())
                    return bad(mpath, QStringLiteral("no gauge, sum, histogram or summary"));
                const QJsonObject data = metricObject.value(kindName).toObject();
                const QJsonValue pointsValue = data.value(QLatin1String("dataPoints"));
                if (!pointsValue.isArray())
                    return bad(mpath + QLatin1Char('.') + kindName,
                               QStringLiteral("dataPoints must be an array"));
                metric.cumulative =
                    number(data.value(QLatin1String("aggregationTemporality"))).value_or(2) != 1;
                const bool numbers = metric.kind == OtlpKind::Gauge || metric.kind == OtlpKind::Sum;
                const QJsonArray dps = pointsValue.toArray();
                for (qsizetype p = 0; p < dps.size(); ++p) {
                    const QJsonObject dp = dps[p].toObject();
                    res.latestTimeNs =
                        std::max(res.latestTimeNs, nanoseconds(dp.value(QLatin1String("timeUnixNano"))));
                    if (numbers) {
                        const QJsonValue v = dp.contains(QLatin1String("asDouble"))
                                                 ? dp.value(QLatin1String("asDouble"))
                                                 : dp.value(QLatin1String("asInt"));
                        if (const auto value = number(v)) {
                            metric.valueTotal += *value;
                            ++metric.valuePoints;
                        } else if (!v.isNull() && !v.isUndefined()) {
                            return bad(QStringLiteral("%1.%2.dataPoints[%3]").arg(mpath, kindName).arg(p),
                                       QStringLiteral("the value is not a number"));
                        }
                    } else {
                        const auto c = number(dp.value(QLatin1String("count")));
                        const auto sm = number(dp.value(QLatin1String("sum")));
                        if (c && sm) {
                            metric.count += *c;
                            metric.sum += *sm;
                            ++metric.distributionPoints;
                        }
                    }
                }
                res.metrics << metric;
            }
        }
        out << res;
    }
    return out;
}

} // namespace cachewise::ingest
