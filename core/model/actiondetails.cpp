// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/actiondetails.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace cachewise::model {
namespace {

const QLatin1String kSay("say");

QJsonObject make(const char *id, std::initializer_list<std::pair<QString, QJsonValue>> args = {})
{
    QJsonObject o{{kSay, QLatin1String(id)}};
    for (const auto &[key, value] : args)
        o.insert(key, value);
    return o;
}

QString key(const char *k)
{
    return QString::fromLatin1(k);
}

QJsonValue optional(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

} // namespace

namespace phrase {

QJsonObject httpError(int status, const QString &networkError)
{
    return status > 0 ? QJsonObject{{key("status"), status}} : QJsonObject{{key("error"), networkError}};
}

QJsonObject cacheSize(double percent, double limit, double target)
{
    return make("cache_size", {{key("percent"), percent}, {key("limit"), limit}, {key("target"), target}});
}

QJsonObject latency(bool perOutputToken, double ms, std::optional<double> running, double abovePercent,
                    double baselineMs, double limitPercent)
{
    return make("latency", {{key("measure"), perOutputToken ? QStringLiteral("per_output_token")
                                                            : QStringLiteral("inference")},
                            {key("ms"), ms},
                            {key("running"), optional(running)},
                            {key("above"), abovePercent},
                            {key("baseline"), baselineMs},
                            {key("limit"), limitPercent}});
}

QJsonObject prefillChunks(int tokens)
{
    return make("prefill_chunks", {{key("tokens"), tokens}});
}

QJsonObject restartToChangeBatching(Engine engine)
{
    return make("restart_batching", {{key("engine"), name(engine)}});
}

QJsonObject eraseRefusedBefore()
{
    return make("erase_refused_before");
}

QJsonObject keyUnreadable(const QString &action, const QString &server, const QString &why)
{
    return make("key_unreadable", {{key("action"), action}, {key("server"), server}, {key("why"), why}});
}

QJsonObject notAtRunTime(const QString &action, const QString &server, Engine engine)
{
    return make("not_at_run_time",
                {{key("action"), action}, {key("server"), server}, {key("engine"), name(engine)}});
}

QJsonObject resetFailed(const QString &server, const QString &path, const QJsonObject &error,
                        const QString &serverSaid)
{
    return make("reset_failed", {{key("server"), server},
                                 {key("path"), path},
                                 {key("failure"), error},
                                 {key("serverSaid"), serverSaid}});
}

QJsonObject resetDone(const QString &server, const QString &path, std::optional<double> beforePercent,
                      std::optional<double> afterPercent)
{
    return make("reset_done", {{key("server"), server},
                               {key("path"), path},
                               {key("before"), optional(beforePercent)},
                               {key("after"), optional(afterPercent)}});
}

QJsonObject listFailed(const QString &server, const QString &path, const QJsonObject &error)
{
    return make("list_failed", {{key("server"), server}, {key("path"), path}, {key("failure"), error}});
}

QJsonObject noModelLoaded(const QString &server)
{
    return make("no_model_loaded", {{key("server"), server}});
}

QJsonObject unloadFailed(const QString &server, const QString &modelName, const QJsonObject &error)
{
    return make("unload_failed",
                {{key("server"), server}, {key("model"), modelName}, {key("failure"), error}});
}

QJsonObject unloaded(const QString &server, const QString &modelName, qint64 bytes)
{
    return make("unloaded", {{key("server"), server}, {key("model"), modelName}, {key("bytes"), bytes}});
}

QJsonObject capacityUnknown(const QString &server)
{
    return make("capacity_unknown", {{key("server"), server}});
}

QJsonObject atTarget(const QString &server, qint64 used, qint64 capacity, qint64 target)
{
    return make(
        "at_target",
        {{key("server"), server}, {key("used"), used}, {key("capacity"), capacity}, {key("target"), target}});
}

QJsonObject noIdleSlot(const QString &server, qint64 used, qint64 capacity)
{
    return make("no_idle_slot", {{key("server"), server}, {key("used"), used}, {key("capacity"), capacity}});
}

QJsonObject eraseRefused(const QString &server)
{
    return make("erase_refused", {{key("server"), server}});
}

QJsonObject eraseFailed(const QString &server, int slot, const QJsonObject &error)
{
    return make("erase_failed", {{key("server"), server}, {key("slot"), slot}, {key("failure"), error}});
}

QJsonObject erased(const QString &server, const QJsonArray &slots, qint64 before, std::optional<qint64> after)
{
    return make("erased", {{key("server"), server},
                           {key("slots"), slots},
                           {key("before"), before},
                           {key("after"), after ? QJsonValue(*after) : QJsonValue(QJsonValue::Null)}});
}

QJsonObject webhookDelivered(const QString &action, const QString &url, int status)
{
    return make("webhook_delivered", {{key("action"), action}, {key("url"), url}, {key("status"), status}});
}

QJsonObject webhookFailed(const QString &action, const QString &url, const QJsonObject &error)
{
    return make("webhook_failed", {{key("action"), action}, {key("url"), url}, {key("failure"), error}});
}

QJsonObject recommendationApplied(const QJsonObject &finding, const QString &title, const QStringList &flags)
{
    return make("recommendation_applied", {{key("finding"), finding},
                                           {key("title"), title},
                                           {key("flags"), QJsonArray::fromStringList(flags)}});
}

QJsonObject recommendationUndone(const QJsonObject &finding, const QString &title, const QStringList &flags)
{
    return make("recommendation_undone", {{key("finding"), finding},
                                          {key("title"), title},
                                          {key("flags"), QJsonArray::fromStringList(flags)}});
}

QJsonObject entriesCleared(int entries, const QString &policy, double thresholdPercent)
{
    return make("entries_cleared",
                {{key("entries"), entries}, {key("policy"), policy}, {key("threshold"), thresholdPercent}});
}

} // namespace phrase

// The texts' translation context (lupdate reads tr() in its members as cachewise::model::ActionDetails).
class ActionDetails
{
public:
    explicit ActionDetails(const PhraseWording &wording)
        : m_wording(wording), m_locale(wording.translated ? QLocale() : QLocale::c())
    {}

    QString tr(const char *text) const
    {
        return m_wording.translated ? QCoreApplication::translate("cachewise::model::ActionDetails", text)
                                    : QString::fromUtf8(text);
    }

    // How a phrase joins the one before it.
    static QString joiner(const QString &say)
    {
        if (say == QLatin1String("prefill_chunks") || say == QLatin1String("restart_batching"))
            return QStringLiteral(": ");
        if (say == QLatin1String("erase_refused_before"))
            return QStringLiteral("; ");
        return QStringLiteral(" — ");
    }

    std::optional<QString> render(const QJsonObject &p) const;

private:
    QString number(double v) const { return m_locale.toString(v, 'f', v < 10 ? 1 : 0); }
    QString count(qint64 v) const { return m_locale.toString(v); }
    QString percent(const QJsonValue &v) const
    {
        return v.isDouble() ? tr("%1 %").arg(m_locale.toString(v.toDouble(), 'f', 1)) : QStringLiteral("?");
    }
    QString failure(const QJsonValue &v) const
    {
        const QJsonObject o = v.toObject();
        if (o.contains(QLatin1String("status")))
            return tr("HTTP %1").arg(o.value(QLatin1String("status")).toInt());
        return o.value(QLatin1String("error")).toString();
    }
    QString restartAdvice(const QString &engine) const;
    QString recommendation(const QJsonObject &p) const;

    const PhraseWording &m_wording;
    QLocale m_locale;
};

QString ActionDetails::restartAdvice(const QString &engine) const
{
    switch (parseEngine(engine).value_or(Engine::Generic)) {
    case Engine::LlamaCpp:
        return tr("llama-server cannot change this at run time; restart it with a smaller batch "
                  "(-ub 256 -b 1024) or fewer slots (-np)");
    case Engine::Vllm:
        return tr("vLLM cannot change this at run time; restart it with a smaller "
                  "--max-num-batched-tokens (chunked prefill) or --max-num-seqs");
    case Engine::Sglang:
        return tr("SGLang cannot change this at run time; restart it with a smaller "
                  "--chunked-prefill-size or --max-running-requests");
    case Engine::Ollama:
        return tr("Ollama cannot change this at run time; lower OLLAMA_NUM_PARALLEL and restart it");
    case Engine::Generic: break;
    }
    return tr("the server cannot change this at run time; restart it with smaller batches or fewer "
              "parallel requests");
}

QString ActionDetails::recommendation(const QJsonObject &p) const
{
    QString title = p.value(QLatin1String("title")).toString();
    if (m_wording.translated && m_wording.findingTitle) {
        if (const QString t = m_wording.findingTitle(p.value(QLatin1String("finding")).toObject());
            !t.isEmpty())
            title = t;
    }
    QStringList flags;
    for (const QJsonValue &f : p.value(QLatin1String("flags")).toArray())
        flags << f.toString();
    return flags.isEmpty() ? title : tr("%1 (%2)").arg(title, flags.join(QStringLiteral("; ")));
}

std::optional<QString> ActionDetails::render(const QJsonObject &p) const
{
    const QString say = p.value(kSay).toString();
    const auto str = [&p](const char *k) {
        return p.value(QLatin1String(k)).toString();
    };
    const auto num = [&p](const char *k) {
        return p.value(QLatin1String(k)).toDouble();
    };
    const auto integer = [&p](const char *k) {
        return p.value(QLatin1String(k)).toInteger();
    };
    const QString server = str("server");

    if (say == QLatin1String("cache_size"))
        return tr("KV cache at %1 % (limit %2 %): evict least recently used entries down to %3 %")
            .arg(number(num("percent")), number(num("limit")), number(num("target")));
    if (say == QLatin1String("latency")) {
        const QString measure = str("measure") == QLatin1String("per_output_token")
                                    ? tr("time per output token")
                                    : tr("inference time");
        const QJsonValue running = p.value(QLatin1String("running"));
        if (running.isDouble())
            return tr("%1 %2 ms with %3 request(s) running, %4 % above its %5 ms baseline at that load "
                      "(limit +%6 %)")
                .arg(measure, number(num("ms")), count(qint64(running.toDouble())), number(num("above")),
                     number(num("baseline")), number(num("limit")));
        return tr("%1 %2 ms, %3 % above its %4 ms baseline (limit +%5 %)")
            .arg(measure, number(num("ms")), number(num("above")), number(num("baseline")),
                 number(num("limit")));
    }
    if (say == QLatin1String("prefill_chunks"))
        return tr("prefill in chunks of %1 tokens").arg(count(integer("tokens")));
    if (say == QLatin1String("restart_batching"))
        return restartAdvice(str("engine"));
    if (say == QLatin1String("erase_refused_before"))
        return tr("not tried: llama-server refused to erase slots (HTTP 501) — start it with "
                  "--slot-save-path DIR, CacheWise tries again after it restarts");
    if (say == QLatin1String("key_unreadable")) {
        const QString why = str("why");
        return tr("%1: the source's API key could not be read from the OS keychain (%2)")
            .arg(server, why.isEmpty() ? tr("no entry") : why);
    }
    if (say == QLatin1String("not_at_run_time"))
        return tr("%1: %2 cannot change this at run time; restart it with the new setting")
            .arg(server, str("engine"));
    if (say == QLatin1String("reset_failed")) {
        const QJsonObject failed = p.value(QLatin1String("failure")).toObject();
        const int status = failed.value(QLatin1String("status")).toInt();
        QString why = failure(failed);
        if (str("path") == QLatin1String("/reset_prefix_cache") && status == 404)
            why = tr("%1: start vLLM with VLLM_SERVER_DEV_MODE=1 to allow it").arg(why);
        else if (str("path") == QLatin1String("/flush_cache") && status == 400)
            why = tr("%1: SGLang flushes only while no request runs (%2)").arg(why, str("serverSaid"));
        return tr("%1: POST %2 failed (%3)").arg(server, str("path"), why);
    }
    if (say == QLatin1String("reset_done")) {
        const QJsonValue before = p.value(QLatin1String("before"));
        const QJsonValue after = p.value(QLatin1String("after"));
        const bool shrank = before.isDouble() && after.isDouble() && after.toDouble() < before.toDouble();
        return (shrank ? tr("%1: POST %2 answered 200; KV usage %3 → %4")
                       : tr("%1: POST %2 answered 200; KV usage %3 → %4 (the cache did not shrink)"))
            .arg(server, str("path"), percent(before), percent(after));
    }
    if (say == QLatin1String("list_failed"))
        return tr("%1: cannot read %2 (%3)")
            .arg(server, str("path"), failure(p.value(QLatin1String("failure"))));
    if (say == QLatin1String("no_model_loaded"))
        return tr("%1: no model is loaded").arg(server);
    if (say == QLatin1String("unload_failed"))
        return tr("%1: unloading %2 failed (%3)")
            .arg(server, str("model"), failure(p.value(QLatin1String("failure"))));
    if (say == QLatin1String("unloaded"))
        return tr("%1: unloaded %2; memory %3 bytes → 0").arg(server, str("model"), count(integer("bytes")));
    if (say == QLatin1String("capacity_unknown"))
        return tr("%1: the size of the KV cache is not known yet (say whether the slots share one cache on "
                  "the project's Settings tab)")
            .arg(server);
    if (say == QLatin1String("at_target"))
        return tr("%1: %2 of %3 tokens in use, already at or below the target of %4")
            .arg(server, count(integer("used")), count(integer("capacity")), count(integer("target")));
    if (say == QLatin1String("no_idle_slot"))
        return tr("%1: no idle slot holds tokens (%2 of %3 in use, all in requests being processed)")
            .arg(server, count(integer("used")), count(integer("capacity")));
    if (say == QLatin1String("erase_refused"))
        return tr("%1: HTTP 501, llama-server erases slots only when started with --slot-save-path")
            .arg(server);
    if (say == QLatin1String("erase_failed"))
        return tr("%1: erasing slot %2 failed (%3)")
            .arg(server, count(integer("slot")), failure(p.value(QLatin1String("failure"))));
    if (say == QLatin1String("erased")) {
        QStringList slots;
        for (const QJsonValue &s : p.value(QLatin1String("slots")).toArray()) {
            const QJsonObject o = s.toObject();
            slots << tr("slot %1 (%2 tokens)")
                         .arg(count(o.value(QLatin1String("slot")).toInteger()),
                              count(o.value(QLatin1String("tokens")).toInteger()));
        }
        const QJsonValue after = p.value(QLatin1String("after"));
        return tr("%1: erased %2; tokens in use %3 → %4")
            .arg(server, slots.join(QStringLiteral(", ")), count(integer("before")),
                 after.isDouble() ? count(after.toInteger()) : QStringLiteral("?"));
    }
    if (say == QLatin1String("webhook_delivered"))
        return tr("%1 delivered to %2 (HTTP %3)").arg(str("action"), str("url"), count(integer("status")));
    if (say == QLatin1String("webhook_failed"))
        return tr("%1 not delivered to %2: %3")
            .arg(str("action"), str("url"), failure(p.value(QLatin1String("failure"))));
    if (say == QLatin1String("recommendation_applied"))
        return tr("Marked applied: %1").arg(recommendation(p));
    if (say == QLatin1String("recommendation_undone"))
        return tr("Undone: %1").arg(recommendation(p));
    if (say == QLatin1String("entries_cleared"))
        return tr("Cleared %1 %2 cache entries due to exceeding %3% memory threshold.")
            .arg(count(integer("entries")), str("policy"), m_locale.toString(num("threshold"), 'f', 0));
    return std::nullopt;
}

std::optional<QString> phrasesText(const QJsonArray &phrases, const PhraseWording &wording)
{
    if (phrases.isEmpty())
        return std::nullopt;
    const ActionDetails details(wording);
    QString out;
    for (qsizetype i = 0; i < phrases.size(); ++i) {
        const QJsonObject p = phrases.at(i).toObject();
        const auto text = details.render(p);
        if (!text)
            return std::nullopt;
        if (i > 0)
            out += ActionDetails::joiner(p.value(kSay).toString());
        out += *text;
    }
    return out;
}

QString englishPhrasesText(const QJsonArray &phrases)
{
    return phrasesText(phrases, PhraseWording{false, {}}).value_or(QString());
}

} // namespace cachewise::model
