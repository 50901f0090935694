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
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("/slots is not JSON: %1").arg(error.errorString()));
    if (doc.isObject() && doc.object().contains(QLatin1String("error")))
        return makeError(ErrorKind::Unavailable, QStringLiteral("/slots answered an error: %1")
                                                     .arg(doc.object()
                                                              .value(QLatin1String("error"))
                                                              .toObject()
                                                              .value(QLatin1String("message"))
                                                              .toString()));
    if (!doc.isArray())
        return makeError(ErrorKind::BadInput, QStringLiteral("/slots is not a list of slots"));
    QList<LlamaSlot> out;
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        LlamaSlot slot;
        const auto id = integer(o, "id");
        const auto ctx = integer(o, "n_ctx");
        if (!id || !ctx)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("a slot in /slots has no valid id or n_ctx"));
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
        return makeError(ErrorKind::BadInput, QStringLiteral("/props is not a JSON object"));
    const QJsonObject o = doc.object();
    LlamaProps p;
    const auto slots = integer(o, "total_slots");
    if (!slots)
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("/props has no total_slots: not a llama-server model endpoint (router mode?)"));
    p.totalSlots = int(*slots);
    p.contextPerSlot =
        integer(o.value(QLatin1String("default_generation_settings")).toObject(), "n_ctx").value_or(0);
    p.buildInfo = o.value(QLatin1String("build_info")).toString();
    p.modelPath = o.value(QLatin1String("model_path")).toString();
    p.metricsEndpoint = o.value(QLatin1String("endpoint_metrics")).toBool();
    return p;
}

QStringList llamaPropsChanges(const LlamaProps &before, const LlamaProps &after)
{
    QStringList out;
    if (before.totalSlots != after.totalSlots)
        out << QStringLiteral("slots %1 → %2").arg(before.totalSlots).arg(after.totalSlots);
    if (before.contextPerSlot != after.contextPerSlot)
        out << QStringLiteral("context per slot %1 → %2")
                   .arg(before.contextPerSlot)
                   .arg(after.contextPerSlot);
    if (before.modelPath != after.modelPath)
        out << QStringLiteral("model %1 → %2").arg(before.modelPath, after.modelPath);
    if (before.buildInfo != after.buildInfo)
        out << QStringLiteral("build %1 → %2").arg(before.buildInfo, after.buildInfo);
    if (before.metricsEndpoint != after.metricsEndpoint)
        out << (after.metricsEndpoint ? QStringLiteral("--metrics on") : QStringLiteral("--metrics off"));
    return out;
}

LlamaCapacity llamaCapacity(const QList<LlamaSlot> &slots, KvLayout answered,
                            const std::optional<DescribedLlama> &described, qint64 bytesPerToken)
{
    LlamaCapacity out;
    if (slots.isEmpty())
        return out;
    const int count = int(slots.size());
    qint64 slotContext = 0;
    qint64 tokens = 0;
    for (const LlamaSlot &s : slots) {
        slotContext = std::max(slotContext, s.contextTokens);
        tokens += s.cachedTokens;
    }
    // One shared cache of n_ctx cannot hold more than n_ctx tokens: only separate caches can.
    const bool provenPerSlot = count > 1 && tokens > slotContext;

    bool matches = false;
    if (described) {
        matches = described->slots == count && described->slotContext == slotContext;
        if (!matches) {
            out.notices << Notice{QLatin1String(notice::kRuntimeMismatch),
                                  {{QStringLiteral("slots"), count},
                                   {QStringLiteral("slotContext"), slotContext},
                                   {QStringLiteral("expectedSlots"), described->slots},
                                   {QStringLiteral("expectedSlotContext"), described->slotContext},
                                   {QStringLiteral("flags"), described->flags}}};
            for (const LlamaSlot &s : slots) {
                if (!described->unified && s.cachedTokens > described->slotContext) {
                    out.notices << Notice{QLatin1String(notice::kSlotOverRuntime),
                                          {{QStringLiteral("slot"), s.id},
                                           {QStringLiteral("tokens"), s.cachedTokens},
                                           {QStringLiteral("limit"), described->slotContext}}};
                    break;
                }
            }
        }
    }

    if (count == 1) {
        out.layout = KvLayout::Unified; // one slot: its n_ctx is the whole cache either way
    } else if (matches) {
        out.layout = described->unified ? KvLayout::Unified : KvLayout::PerSlot;
    } else {
        out.layout = answered;
    }
    if (provenPerSlot && out.layout != KvLayout::PerSlot) {
        if (out.layout == KvLayout::Unified)
            out.notices << Notice{
                QLatin1String(notice::kNotUnified),
                {{QStringLiteral("tokens"), tokens}, {QStringLiteral("slotContext"), slotContext}}};
        out.layout = KvLayout::PerSlot;
    }
    if (out.layout == KvLayout::Unknown) {
        out.notices << Notice{
            QLatin1String(notice::kKvLayoutUnknown),
            {{QStringLiteral("slots"), count}, {QStringLiteral("slotContext"), slotContext}}};
        return out;
    }
    out.tokens = out.layout == KvLayout::Unified ? slotContext : slotContext * count;
    if (matches && described->allocatedBytes > 0 && (out.layout == KvLayout::Unified) == described->unified)
        out.bytes = described->allocatedBytes; // the KV model's allocation, layer by layer
    else if (bytesPerToken > 0)
        out.bytes = *out.tokens * bytesPerToken;
    return out;
}

QByteArray slotsJson(const QList<LlamaSlot> &slots, qint64 nowMs, QHash<int, qint64> &idleSince,
                     KvLayout layout)
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
    return QJsonDocument(QJsonObject{{QStringLiteral("slots"), list},
                                     {QStringLiteral("kvLayout"), model::name(layout)}})
        .toJson(QJsonDocument::Compact);
}

namespace {

const char *const kCounters[] = {"llamacpp:prompt_tokens_total", "llamacpp:prompt_tokens_cached_total",
                                 "llamacpp:tokens_predicted_total",
                                 "llamacpp:tokens_predicted_seconds_total"};

QHash<QString, double> counterValues(const LlamaScrape &scrape)
{
    QHash<QString, double> out;
    if (!scrape.metrics)
        return out;
    for (const char *name : kCounters) {
        if (const auto v = scrape.metrics->value(QString::fromLatin1(name)))
            out.insert(QString::fromLatin1(name), *v);
    }
    return out;
}

} // namespace

bool LlamaSession::restarted(const LlamaScrape &scrape) const
{
    if (!m_lastMs)
        return false; // nothing to compare with yet
    if (!scrape.processStart.isEmpty() && !m_processStart.isEmpty() && scrape.processStart != m_processStart)
        return true;
    qint64 newest = -1;
    qint64 newestBefore = -1;
    for (const LlamaSlot &s : scrape.slots) {
        const auto before = m_taskBySlot.constFind(s.id);
        if (before != m_taskBySlot.constEnd()) {
            newestBefore = std::max(newestBefore, *before);
            if (!s.taskId)
                return true; // a slot that had served a task is new again
        }
        newest = std::max(newest, s.taskId.value_or(-1));
    }
    if (newestBefore >= 0 && newest >= 0 && newest < newestBefore)
        return true; // task ids only grow within one process
    return m_counters.wentBackwards(counterValues(scrape));
}

model::MetricSample LlamaSession::sample(const QString &projectId, qint64 nowMs, const LlamaScrape &scrape,
                                         const LlamaCapacity &capacity, qint64 bytesPerToken)
{
    using model::Metric;
    model::MetricSample s;
    s.projectId = projectId;
    s.timestampMs = nowMs;

    const bool restart = restarted(scrape);
    if (restart) {
        m_counters.rebase(); // every counter counts from zero in the new process
        m_decodedByTask.clear();
        m_idleSince.clear();
    }

    qint64 tokens = 0;
    int processing = 0;
    for (const LlamaSlot &slot : scrape.slots) {
        tokens += slot.cachedTokens;
        processing += slot.processing ? 1 : 0;
    }
    const double bpt = double(bytesPerToken);
    if (bytesPerToken > 0)
        s.setValue(Metric::KvCacheSizeKB, std::round(double(tokens) * bpt / 1024.0));
    if (capacity.tokens && *capacity.tokens > 0)
        s.setValue(Metric::KvCacheUsageRatio, std::min(1.0, double(tokens) / double(*capacity.tokens)));
    if (capacity.bytes) {
        s.setValue(Metric::KvCacheCapacityKB, std::round(double(*capacity.bytes) / 1024.0));
        if (scrape.modelBytes && *scrape.modelBytes > 0)
            s.setValue(Metric::MemoryUsageGB, (double(*scrape.modelBytes) + double(*capacity.bytes)) / 1.0e9);
    }

    const Exposition *m = scrape.metrics ? &*scrape.metrics : nullptr;
    const auto metric = [m](const char *name) -> std::optional<double> {
        return m ? m->value(QString::fromLatin1(name)) : std::nullopt;
    };
    s.setValue(Metric::RequestsRunning, metric("llamacpp:requests_processing").value_or(processing));
    if (const auto deferred = metric("llamacpp:requests_deferred"))
        s.setValue(Metric::RequestsWaiting, *deferred);

    const auto prompt = m_counters.delta(QStringLiteral("prompt"), metric("llamacpp:prompt_tokens_total"));
    const auto cached =
        m_counters.delta(QStringLiteral("cached"), metric("llamacpp:prompt_tokens_cached_total"));
    const auto predicted =
        m_counters.delta(QStringLiteral("predicted"), metric("llamacpp:tokens_predicted_total"));
    const auto predictSeconds = m_counters.delta(QStringLiteral("predict_seconds"),
                                                 metric("llamacpp:tokens_predicted_seconds_total"));

    // Tokens generated in the interval: the progress of tasks in flight, plus what finished tasks added
    // to tokens_predicted_total beyond what had already been seen of them.
    double generatedTokens = 0;
    bool generatedKnown = false;
    if (m_lastMs) {
        double progress = 0;
        QHash<qint64, qint64> decodedNow;
        for (const LlamaSlot &slot : scrape.slots) {
            if (!slot.processing || !slot.taskId)
                continue;
            decodedNow.insert(*slot.taskId, slot.decodedTokens);
            progress += double(slot.decodedTokens - m_decodedByTask.value(*slot.taskId, 0));
        }
        double seenOfFinished = 0;
        for (auto it = m_decodedByTask.cbegin(); it != m_decodedByTask.cend(); ++it) {
            if (!decodedNow.contains(it.key()))
                seenOfFinished += double(it.value());
        }
        if (predicted) {
            generatedTokens = progress + *predicted - seenOfFinished;
            generatedKnown = generatedTokens >= 0;
        } else if (!m && seenOfFinished == 0) {
            generatedTokens = progress; // without --metrics only while no task finished
            generatedKnown = true;
        }
        m_decodedByTask = decodedNow;
    } else {
        for (const LlamaSlot &slot : scrape.slots) {
            if (slot.processing && slot.taskId)
                m_decodedByTask.insert(*slot.taskId, slot.decodedTokens);
        }
    }

    if (prompt && (generatedKnown || predicted))
        s.setValue(Metric::TokensProcessed,
                   std::round(*prompt + (generatedKnown ? generatedTokens : predicted.value_or(0))));
    if (generatedKnown && !restart && m_lastMs && nowMs > *m_lastMs)
        s.setValue(Metric::TokensPerSecond, generatedTokens / (double(nowMs - *m_lastMs) / 1000.0));
    if (prompt && cached && *prompt + *cached > 0)
        s.setValue(Metric::PrefixCacheHitRate, *cached / (*prompt + *cached));
    if (predicted && predictSeconds && *predicted > 0 && *predictSeconds > 0) {
        s.setValue(Metric::DecodeTokensPerSecond, *predicted / *predictSeconds);
        s.setValue(Metric::TimePerOutputTokenMs, 1000.0 * *predictSeconds / *predicted);
    }

    for (const LlamaSlot &slot : scrape.slots) {
        if (slot.taskId)
            m_taskBySlot.insert(slot.id, *slot.taskId);
        else
            m_taskBySlot.remove(slot.id);
    }
    if (!scrape.processStart.isEmpty())
        m_processStart = scrape.processStart;
    m_lastMs = nowMs;
    return s;
}

} // namespace cachewise::sources
