// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

namespace cachewise::model::json {
namespace {

// The machine format of common/timeformat.h (isoUtc), which model, below common, cannot include.
QString isoUtc(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonValue optionalTime(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(isoUtc(*ms)) : QJsonValue();
}

} // namespace

QJsonObject project(const Project &p)
{
    return QJsonObject{{QStringLiteral("id"), p.id},
                       {QStringLiteral("projectName"), p.name},
                       {QStringLiteral("modelName"), p.modelName},
                       {QStringLiteral("modelArchitecture"), p.modelArchitecture},
                       {QStringLiteral("createdAt"), isoUtc(p.createdAtMs)},
                       {QStringLiteral("updatedAt"), isoUtc(p.updatedAtMs)}};
}

QJsonObject apiKey(const ApiKey &k)
{
    return QJsonObject{{QStringLiteral("id"), k.id},
                       {QStringLiteral("projectId"), k.projectId},
                       {QStringLiteral("name"), k.name},
                       {QStringLiteral("prefix"), k.prefix},
                       {QStringLiteral("createdAt"), isoUtc(k.createdAtMs)},
                       {QStringLiteral("revoked"), k.revoked()},
                       {QStringLiteral("revokedAt"), optionalTime(k.revokedAtMs)},
                       {QStringLiteral("lastUsedAt"), optionalTime(k.lastUsedAtMs)}};
}

QJsonObject stats(const ProjectStats &s)
{
    QJsonObject metrics;
    for (const MetricInfo &info : metricTable()) {
        const MetricSummary &m = s.metrics[metricIndex(info.metric)];
        if (m.count == 0)
            continue;
        metrics.insert(QLatin1String(info.jsonName), QJsonObject{{QStringLiteral("count"), m.count},
                                                                 {QStringLiteral("mean"), m.mean},
                                                                 {QStringLiteral("min"), m.minimum},
                                                                 {QStringLiteral("max"), m.maximum}});
    }
    return QJsonObject{{QStringLiteral("projectId"), s.projectId},
                       {QStringLiteral("sampleCount"), s.sampleCount},
                       {QStringLiteral("rawSampleCount"), s.rawSampleCount},
                       {QStringLiteral("firstTimestamp"), optionalTime(s.firstTimestampMs)},
                       {QStringLiteral("lastTimestamp"), optionalTime(s.lastTimestampMs)},
                       {QStringLiteral("metrics"), metrics}};
}

QJsonObject sample(const MetricSample &s)
{
    QJsonObject o{{QStringLiteral("projectId"), s.projectId},
                  {QStringLiteral("timestamp"), isoUtc(s.timestampMs)}};
    for (const MetricInfo &info : metricTable()) {
        if (const auto v = s.values[metricIndex(info.metric)])
            o.insert(QLatin1String(info.jsonName), info.integer ? QJsonValue(qint64(*v)) : QJsonValue(*v));
    }
    if (!s.processedData.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(s.processedData);
        o.insert(QStringLiteral("processedData"),
                 doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
    }
    return o;
}

QJsonObject recommendation(const Recommendation &r)
{
    QJsonObject impact;
    if (r.memorySavingPercent)
        impact.insert(QStringLiteral("memorySavingPercent"), *r.memorySavingPercent);
    if (r.speedIncreasePercent)
        impact.insert(QStringLiteral("speedIncreasePercent"), *r.speedIncreasePercent);
    QJsonObject o{{QStringLiteral("id"), r.id},
                  {QStringLiteral("projectId"), r.projectId},
                  {QStringLiteral("generatedAt"), isoUtc(r.generatedAtMs)},
                  {QStringLiteral("title"), r.title},
                  {QStringLiteral("description"), r.description},
                  {QStringLiteral("impactEstimate"), impact},
                  {QStringLiteral("status"), name(r.status)}};
    if (!r.rule.isEmpty())
        o.insert(QStringLiteral("rule"), r.rule);
    const QJsonDocument details = QJsonDocument::fromJson(r.details);
    if (details.isObject())
        o.insert(QStringLiteral("details"), details.object());
    return o;
}

QJsonObject action(const ActionLogEntry &a)
{
    QJsonObject o{{QStringLiteral("id"), a.id},
                  {QStringLiteral("projectId"), a.projectId},
                  {QStringLiteral("timestamp"), isoUtc(a.timestampMs)},
                  {QStringLiteral("type"), a.actionType},
                  {QStringLiteral("details"), a.details},
                  {QStringLiteral("status"), name(a.status)}};
    if (!a.rule.isEmpty())
        o.insert(QStringLiteral("rule"), a.rule);
    const QJsonDocument directive = QJsonDocument::fromJson(a.directive);
    if (directive.isObject())
        o.insert(QStringLiteral("directive"), directive.object());
    if (a.ackedAtMs)
        o.insert(QStringLiteral("acknowledgedAt"), isoUtc(*a.ackedAtMs));
    if (!a.outcome.isEmpty())
        o.insert(QStringLiteral("outcome"), a.outcome);
    return o;
}

QJsonObject runtime(const ProjectRuntime &r)
{
    return QJsonObject{{QStringLiteral("engine"), name(r.engine)},
                       {QStringLiteral("modelId"), r.modelId},
                       {QStringLiteral("model"), QJsonDocument::fromJson(r.modelJson).object()},
                       {QStringLiteral("context"), double(r.context)},
                       {QStringLiteral("parallel"), r.parallel},
                       {QStringLiteral("unified"), r.unified},
                       {QStringLiteral("swaFull"), r.swaFull},
                       {QStringLiteral("cacheTypeK"), name(r.cacheTypeK)},
                       {QStringLiteral("cacheTypeV"), name(r.cacheTypeV)},
                       {QStringLiteral("flashAttention"), r.flashAttention},
                       {QStringLiteral("prefixCaching"), r.prefixCaching},
                       {QStringLiteral("gpuMemoryGB"), r.gpuMemoryGB}};
}

std::optional<ProjectRuntime> runtimeFrom(const QJsonObject &o)
{
    for (const char *key : {"engine", "modelId", "model", "context", "parallel", "unified", "swaFull",
                            "cacheTypeK", "cacheTypeV", "flashAttention", "prefixCaching", "gpuMemoryGB"}) {
        if (!o.contains(QLatin1String(key)))
            return std::nullopt;
    }
    const auto engine = parseEngine(o.value(QLatin1String("engine")).toString());
    const auto k = parseCacheType(o.value(QLatin1String("cacheTypeK")).toString());
    const auto v = parseCacheType(o.value(QLatin1String("cacheTypeV")).toString());
    if (!engine || !k || !v || !o.value(QLatin1String("model")).isObject())
        return std::nullopt;
    ProjectRuntime r;
    r.engine = *engine;
    r.modelId = o.value(QLatin1String("modelId")).toString();
    r.modelJson = QJsonDocument(o.value(QLatin1String("model")).toObject()).toJson(QJsonDocument::Compact);
    r.context = qint64(o.value(QLatin1String("context")).toDouble());
    r.parallel = o.value(QLatin1String("parallel")).toInt();
    r.unified = o.value(QLatin1String("unified")).toBool();
    r.swaFull = o.value(QLatin1String("swaFull")).toBool();
    r.cacheTypeK = *k;
    r.cacheTypeV = *v;
    r.flashAttention = o.value(QLatin1String("flashAttention")).toBool();
    r.prefixCaching = o.value(QLatin1String("prefixCaching")).toBool();
    r.gpuMemoryGB = o.value(QLatin1String("gpuMemoryGB")).toDouble();
    return r;
}

} // namespace cachewise::model::json
