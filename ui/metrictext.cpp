// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/metrictext.h"

#include "core/analysis/recommender.h"
#include "core/model/actiondetails.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace cachewise::ui {
namespace {

// The texts keep the translation context they were first written in (the project page's).
struct MetricText
{
    Q_DECLARE_TR_FUNCTIONS(cachewise::ui::ProjectPage)
};

// The action log's words, under the context of the panel that first showed them.
struct ActionText
{
    Q_DECLARE_TR_FUNCTIONS(cachewise::ui::ActionLogPanel)
};

} // namespace

QString metricTitle(model::Metric m)
{
    using model::Metric;
    switch (m) {
    case Metric::TokensProcessed: return MetricText::tr("Tokens Processed");
    case Metric::KvCacheSizeKB: return MetricText::tr("KV Cache Size");
    case Metric::MemoryUsageGB: return MetricText::tr("Memory Usage");
    case Metric::InferenceTimeMs: return MetricText::tr("Inference Time");
    case Metric::OptimizationScore: return MetricText::tr("Reported Score");
    case Metric::KvCacheCapacityKB: return MetricText::tr("KV Cache Capacity");
    case Metric::KvCacheUsageRatio: return MetricText::tr("KV Cache Usage");
    case Metric::RequestsRunning: return MetricText::tr("Requests Running");
    case Metric::RequestsWaiting: return MetricText::tr("Requests Waiting");
    case Metric::PrefixCacheHitRate: return MetricText::tr("Prefix Cache Hit Rate");
    case Metric::TokensPerSecond: return MetricText::tr("Throughput (all requests)");
    case Metric::TimeToFirstTokenMs: return MetricText::tr("Time to First Token");
    case Metric::Preemptions: return MetricText::tr("Preemptions");
    case Metric::DecodeTokensPerSecond: return MetricText::tr("Generation Speed per Request");
    case Metric::TimePerOutputTokenMs: return MetricText::tr("Time per Output Token");
    }
    return {};
}

QString metricDescription(model::Metric m)
{
    using model::Metric;
    switch (m) {
    case Metric::TokensProcessed:
        return MetricText::tr("Prompt tokens evaluated plus tokens generated in each interval, as the server "
                              "counts them or as your program pushed them.");
    case Metric::KvCacheSizeKB:
        return MetricText::tr("KV cache memory in use: tokens held in the cache × bytes per token of the "
                              "project's model.");
    case Metric::MemoryUsageGB:
        return MetricText::tr("Model weights plus the allocated KV cache (scraped servers), or what your "
                              "program pushed.");
    case Metric::InferenceTimeMs:
        return MetricText::tr("Time per request, end to end: the mean of the requests that finished in each "
                              "interval, or what your program pushed.");
    case Metric::OptimizationScore:
        return MetricText::tr("The score your program pushed as optimizationScore (0–100), shown as it "
                              "came. It is not CacheWise's Optimization Score, which is computed from the "
                              "measurements and the runtime (the key figures and the Recommendations tab).");
    case Metric::KvCacheCapacityKB: return MetricText::tr("The KV cache the engine allocated, in bytes.");
    case Metric::KvCacheUsageRatio:
        return MetricText::tr("Share of the KV cache's token positions in use, all slots together.");
    case Metric::RequestsRunning:
        return MetricText::tr("Requests being processed when the sample was taken.");
    case Metric::RequestsWaiting: return MetricText::tr("Requests queued, waiting for a slot or for memory.");
    case Metric::PrefixCacheHitRate:
        return MetricText::tr("Share of prompt tokens served from the cache in each interval.");
    case Metric::TokensPerSecond:
        return MetricText::tr("Server throughput: tokens generated per second of wall time, all requests "
                              "together.");
    case Metric::TimeToFirstTokenMs:
        return MetricText::tr("Mean time to the first token of the requests in each interval.");
    case Metric::Preemptions:
        return MetricText::tr("Requests the engine preempted to free KV memory (its counter).");
    case Metric::DecodeTokensPerSecond:
        return MetricText::tr("Speed of one request while it generates: tokens per second of the requests "
                              "that finished in each interval. Lower than the throughput when requests run "
                              "side by side.");
    case Metric::TimePerOutputTokenMs:
        return MetricText::tr("Mean time between two output tokens of one request, over the requests that "
                              "finished in each interval.");
    }
    return {};
}

AxisScale axisScale(Unit unit)
{
    switch (unit) {
    case Unit::KibiBytes: return {1024.0, QStringLiteral("MiB")};
    case Unit::GibiBytes: return {1.0, QStringLiteral("GiB")};
    case Unit::Milliseconds: return {1.0, QStringLiteral("ms")};
    case Unit::Ratio: return {0.01, QStringLiteral("%")};
    default: return {1.0, QString()};
    }
}

AxisScale axisScale(Unit unit, double largest)
{
    constexpr double kKiB = 1024.0;
    switch (unit) {
    case Unit::KibiBytes:
        if (largest >= kKiB * kKiB)
            return {kKiB * kKiB, QStringLiteral("GiB")};
        if (largest >= kKiB)
            return {kKiB, QStringLiteral("MiB")};
        return {1.0, QStringLiteral("KiB")};
    case Unit::GibiBytes:
        if (largest > 0 && largest < 1.0)
            return {1.0 / kKiB, QStringLiteral("MiB")};
        return {1.0, QStringLiteral("GiB")};
    default: return axisScale(unit);
    }
}

QString actionTypeText(const QString &type)
{
    if (type == QLatin1String("evict_lru"))
        return ActionText::tr("Erase least recently used slots");
    if (type == QLatin1String("set_chunk_size"))
        return ActionText::tr("Smaller prefill chunks");
    if (type == QLatin1String("threshold_crossed"))
        return ActionText::tr("Threshold crossed");
    if (type == QLatin1String("webhook"))
        return ActionText::tr("Webhook");
    if (type == QLatin1String("recommendation_applied"))
        return ActionText::tr("Recommendation marked applied");
    if (type == QLatin1String("recommendation_undone"))
        return ActionText::tr("Recommendation undone");
    if (type == QLatin1String("sync_conflict"))
        return ActionText::tr("Sync conflict");
    if (type == QLatin1String("Cache Pruning")) // the brief's sample entry
        return ActionText::tr("Cache Pruning");
    return type;
}

QString syncConflictText(const QString &details)
{
    const QJsonObject o = QJsonDocument::fromJson(details.toUtf8()).object();
    const QJsonObject kept = o.value(QLatin1String("kept")).toObject();
    const QJsonObject lost = o.value(QLatin1String("lost")).toObject();
    if (o.isEmpty() || kept.isEmpty() || lost.isEmpty())
        return details;
    const QString record = o.value(QLatin1String("record")).toString();
    const QString kind = record.section(QLatin1Char('/'), 0, 0);
    static const QHash<QString, const char *> kinds{
        {QStringLiteral("project"), QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "the project")},
        {QStringLiteral("automation"),
         QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "the automation limits")},
        {QStringLiteral("runtime"),
         QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "the engine and model")},
        {QStringLiteral("source"), QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "a source")},
        {QStringLiteral("server"),
         QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "a llama-server profile")},
        {QStringLiteral("recommendation"),
         QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "a recommendation")},
        {QStringLiteral("action"), QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "an action")},
        {QStringLiteral("apiKey"), QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "an API key")},
        {QStringLiteral("runtimeChange"),
         QT_TRANSLATE_NOOP("cachewise::ui::ActionLogPanel", "a runtime change")},
    };
    const auto it = kinds.constFind(kind);
    const QString what = it == kinds.constEnd() ? kind : ActionText::tr(*it);
    const QString lostVersion =
        lost.value(QLatin1String("deleted")).toBool()
            ? ActionText::tr("a deletion")
            : QString::fromUtf8(
                  QJsonDocument(lost.value(QLatin1String("data")).toObject()).toJson(QJsonDocument::Compact));
    return ActionText::tr(
               "Two devices changed %1; device %2's version was kept. The version device %3 made at %4 "
               "lost: %5")
        .arg(what, kept.value(QLatin1String("device")).toString(),
             lost.value(QLatin1String("device")).toString(),
             QLocale().toString(
                 QDateTime::fromMSecsSinceEpoch(qint64(lost.value(QLatin1String("at")).toDouble())),
                 QLocale::ShortFormat),
             lostVersion);
}

QString actionDetailsText(const model::ActionLogEntry &entry)
{
    if (entry.actionType == QLatin1String("sync_conflict"))
        return syncConflictText(entry.details);
    model::PhraseWording wording;
    wording.findingTitle = [](const QJsonObject &finding) {
        return finding.isEmpty() ? QString() : analysis::renderRecommendation(finding).title;
    };
    return model::phrasesText(entry.phrases, wording).value_or(entry.details);
}

QString actionStatusText(model::ActionStatus status)
{
    switch (status) {
    case model::ActionStatus::Success: return ActionText::tr("Success");
    case model::ActionStatus::Error: return ActionText::tr("Error");
    case model::ActionStatus::Failed: return ActionText::tr("Failed");
    case model::ActionStatus::Pending: return ActionText::tr("Waiting for acknowledgement");
    case model::ActionStatus::DryRun: return ActionText::tr("Dry run");
    case model::ActionStatus::Alert: return ActionText::tr("Alert");
    case model::ActionStatus::Skipped: return ActionText::tr("Skipped");
    }
    return model::name(status);
}

QStringList runtimeChangeLines(const model::ProjectRuntime &before, const model::ProjectRuntime &after)
{
    const auto onOff = [](bool on) {
        return on ? ActionText::tr("on") : ActionText::tr("off");
    };
    const auto tokens = [](qint64 n) {
        return formatCount(n);
    };
    QStringList lines;
    const auto line = [&lines](const QString &what, const QString &from, const QString &to) {
        if (from != to)
            lines << ActionText::tr("%1: %2 → %3").arg(what, from, to);
    };
    line(ActionText::tr("Engine"), model::name(before.engine), model::name(after.engine));
    line(ActionText::tr("Context (tokens)"), tokens(before.context), tokens(after.context));
    line(ActionText::tr("Parallel sequences"), tokens(before.parallel), tokens(after.parallel));
    line(ActionText::tr("Unified KV cache"), onOff(before.unified), onOff(after.unified));
    line(ActionText::tr("Full-size sliding-window cache"), onOff(before.swaFull), onOff(after.swaFull));
    line(ActionText::tr("K cache type"), model::name(before.cacheTypeK), model::name(after.cacheTypeK));
    line(ActionText::tr("V cache type"), model::name(before.cacheTypeV), model::name(after.cacheTypeV));
    line(ActionText::tr("Flash attention"), onOff(before.flashAttention), onOff(after.flashAttention));
    line(ActionText::tr("Prefix caching"), onOff(before.prefixCaching), onOff(after.prefixCaching));
    if (before.modelJson != after.modelJson || before.modelId != after.modelId)
        lines << ActionText::tr("Model architecture changed");
    if (before.gpuMemoryGB != after.gpuMemoryGB)
        lines << ActionText::tr("GPU memory: %1 → %2")
                     .arg(before.gpuMemoryGB > 0 ? formatValue(before.gpuMemoryGB, Unit::GibiBytes)
                                                 : ActionText::tr("unknown"),
                          after.gpuMemoryGB > 0 ? formatValue(after.gpuMemoryGB, Unit::GibiBytes)
                                                : ActionText::tr("unknown"));
    return lines;
}

} // namespace cachewise::ui
