// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sources/llamaserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace cachewise::sources {
namespace {

std::optional<qint64> integer(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < 0 || d > 9.0e15 || d != std::floor(d))
        return std::nullopt;
    return qint64(d);
}

} // namespace

Result<QList<LlamaSlot>> parseLlamaSlots(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("/slots is not JSON: %1").arg(error.errorString()),
                         QStringLiteral("slots"));
    if (doc.isObject() && doc.object().contains(QLatin1String("error")))
        return makeError(QStringLiteral("/slots answered an error: %1")
                             .arg(doc.object()
                                      .value(QLatin1String("error"))
                                      .toObject()
                                      .value(QLatin1String("message"))
                                      .toString()),
                         QStringLiteral("slots_disabled"));
    if (!doc.isArray())
        return makeError(QStringLiteral("/slots is not a list of slots"), QStringLiteral("slots"));
    QList<LlamaSlot> out;
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        LlamaSlot slot;
        const auto id = integer(o, "id");
        const auto ctx = integer(o, "n_ctx");
        if (!id || !ctx)
            return makeError(QStringLiteral("a slot in /slots has no valid id or n_ctx"),
                             QStringLiteral("slots"));
        slot.id = int(*id);
        slot.contextTokens = *ctx;
        slot.processing = o.value(QLatin1String("is_processing")).toBool();
        slot.cachedTokens = integer(o, "n_prompt_tokens").value_or(integer(o, "n_tokens").value_or(0));
        if (const auto task = integer(o, "id_task"))
            slot.taskId = *task;
        QJsonValue next = o.value(QLatin1String("next_token"));
        if (next.isArray())
            next = next.toArray().isEmpty() ? QJsonValue() : next.toArray().first();
        slot.decodedTokens = integer(next.toObject(), "n_decoded").value_or(0);
        out << slot;
    }
    return out;
}

Result<LlamaProps> parseLlamaProps(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return makeError(QStringLiteral("/props is not a JSON object"), QStringLiteral("props"));
    const QJsonObject o = doc.object();
    LlamaProps p;
    const auto slots = integer(o, "total_slots");
    if (!slots)
        return makeError(
            QStringLiteral("/props has no total_slots: not a llama-server model endpoint (router mode?)"),
            QStringLiteral("props"));
    p.totalSlots = int(*slots);
    p.contextPerSlot =
        integer(o.value(QLatin1String("default_generation_settings")).toObject(), "n_ctx").value_or(0);
    p.buildInfo = o.value(QLatin1String("build_info")).toString();
    p.modelPath = o.value(QLatin1String("model_path")).toString();
    p.metricsEndpoint = o.value(QLatin1String("endpoint_metrics")).toBool();
    return p;
}

std::optional<double> CounterTracker::delta(const QString &name, std::optional<double> value)
{
    if (!value || !std::isfinite(*value))
        return std::nullopt;
    const auto last = m_last.constFind(name);
    const bool known = last != m_last.constEnd();
    const double previous = known ? *last : 0;
    m_last.insert(name, *value);
    if (!known)
        return std::nullopt;
    if (*value < previous) {
        ++m_resets; // the server restarted: new baseline
        return std::nullopt;
    }
    return *value - previous;
}

QByteArray slotsJson(const QList<LlamaSlot> &slots, qint64 nowMs, QHash<int, qint64> &idleSince)
{
    QJsonArray list;
    for (const LlamaSlot &slot : slots) {
        if (slot.processing)
            idleSince.remove(slot.id);
        else if (!idleSince.contains(slot.id))
            idleSince.insert(slot.id, nowMs);
        QJsonObject o{{QStringLiteral("id"), slot.id},
                      {QStringLiteral("tokens"), double(slot.cachedTokens)},
                      {QStringLiteral("nCtx"), double(slot.contextTokens)},
                      {QStringLiteral("processing"), slot.processing},
                      {QStringLiteral("decoded"), double(slot.decodedTokens)}};
        if (!slot.processing)
            o.insert(QStringLiteral("idleSeconds"), double(nowMs - idleSince.value(slot.id)) / 1000.0);
        list.append(o);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("slots"), list}}).toJson(QJsonDocument::Compact);
}

storage::MetricSample llamaSample(const QString &projectId, qint64 nowMs, const LlamaScrape &scrape,
                                  const LlamaMapping &mapping, CounterTracker &counters,
                                  std::optional<double> &lastInferenceMs)
{
    using storage::Metric;
    storage::MetricSample s;
    s.projectId = projectId;
    s.timestampMs = nowMs;

    qint64 tokens = 0;
    qint64 capacity = 0;
    int processing = 0;
    for (const LlamaSlot &slot : scrape.slots) {
        tokens += slot.cachedTokens;
        capacity = mapping.unified ? std::max(capacity, slot.contextTokens) : capacity + slot.contextTokens;
        processing += slot.processing ? 1 : 0;
    }
    const double bpt = double(mapping.bytesPerToken);
    s.setValue(Metric::KvCacheSizeKB, std::round(double(tokens) * bpt / 1024.0));
    if (capacity > 0) {
        s.setValue(Metric::KvCacheCapacityKB, std::round(double(capacity) * bpt / 1024.0));
        s.setValue(Metric::KvCacheUsageRatio, std::min(1.0, double(tokens) / double(capacity)));
    }
    s.setValue(Metric::MemoryUsageGB, (double(scrape.modelBytes) + double(capacity) * bpt) / 1.0e9);

    const Exposition *m = scrape.metrics ? &*scrape.metrics : nullptr;
    const auto metric = [m](const char *name) -> std::optional<double> {
        return m ? m->value(QString::fromLatin1(name)) : std::nullopt;
    };
    s.setValue(Metric::RequestsRunning, metric("llamacpp:requests_processing").value_or(processing));
    if (const auto deferred = metric("llamacpp:requests_deferred"))
        s.setValue(Metric::RequestsWaiting, *deferred);

    const auto prompt = counters.delta(QStringLiteral("prompt"), metric("llamacpp:prompt_tokens_total"));
    const auto cached =
        counters.delta(QStringLiteral("cached"), metric("llamacpp:prompt_tokens_cached_total"));
    const auto predicted =
        counters.delta(QStringLiteral("predicted"), metric("llamacpp:tokens_predicted_total"));
    const auto predictSeconds =
        counters.delta(QStringLiteral("predict_seconds"), metric("llamacpp:tokens_predicted_seconds_total"));
    s.setValue(Metric::TokensProcessed, std::round(prompt.value_or(0) + predicted.value_or(0)));
    if (prompt && cached && *prompt + *cached > 0)
        s.setValue(Metric::PrefixCacheHitRate, *cached / (*prompt + *cached));
    if (predicted && predictSeconds && *predicted > 0 && *predictSeconds > 0) {
        s.setValue(Metric::TokensPerSecond, *predicted / *predictSeconds);
        lastInferenceMs = 1000.0 * *predictSeconds / *predicted;
    }
    s.setValue(Metric::InferenceTimeMs, std::round(lastInferenceMs.value_or(0)));
    return s;
}

} // namespace cachewise::sources
