// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/automation/engineexecutor.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/common/secretstore.h"
#include "core/model/actiondetails.h"
#include "core/sources/llamaserver.h"
#include "core/sources/ollama.h"
#include "core/sources/prometheustext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>

#include <algorithm>
#include <functional>
#include <memory>

namespace cachewise::automation {

class EngineExecutorWorker final : public QObject
{
    Q_OBJECT

public:
    EngineExecutorWorker(StoreOpener openStore, const Clock &clock)
        : m_store(std::move(openStore)), m_clock(clock)
    {}

    void execute(const Directive &directive)
    {
        if (!m_store.get("engine actions"))
            return;
        if (!m_network)
            m_network = new QNetworkAccessManager(this);
        auto sources = m_store->sources(directive.projectId);
        if (!sources)
            return;
        for (const model::Source &source : *sources) {
            if (!source.enabled)
                continue;
            // The source's API key from the keychain (this thread only waits for it; actions are rare).
            m_keys.remove(source.baseUrl);
            if (source.hasApiKey) {
                auto key = secrets::readNow(secrets::sourceKeyName(source.id));
                if (!key || !key.value())
                    return finish(directive, model::ActionStatus::Failed,
                                  model::phrase::keyUnreadable(directive.type, source.baseUrl,
                                                               key ? QString() : key.errorMessage()));
                m_keys.insert(source.baseUrl, *key.value());
            }
            if (directive.type == QLatin1String("evict_lru")) {
                if (source.engine == model::Engine::LlamaCpp)
                    evict(directive, source);
                else if (source.engine == model::Engine::Ollama)
                    unloadOllama(directive, source.baseUrl);
                else
                    resetAndVerify(directive, source);
            } else {
                finish(directive, model::ActionStatus::Skipped,
                       model::phrase::notAtRunTime(directive.type, source.baseUrl, source.engine));
            }
            return; // one server per project
        }
    }

private:
    // A JSON request to a source, with the source's API key when it has one.
    QNetworkRequest requestTo(const QString &url) const
    {
        QNetworkRequest r{QUrl(url)};
        r.setTransferTimeout(10'000);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it) {
            if (url.startsWith(it.key() + QLatin1Char('/')))
                r.setRawHeader("Authorization", "Bearer " + it.value().toUtf8());
        }
        return r;
    }

    void request(const QByteArray &verb, const QString &url,
                 std::function<void(int, QByteArray, QString)> done)
    {
        const QNetworkRequest r = requestTo(url);
        QNetworkReply *reply = verb == "POST" ? m_network->post(r, QByteArray("{}")) : m_network->get(r);
        connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            done(status, reply->readAll(), reply->errorString());
        });
    }

    // vLLM and SGLang: the KV usage their /metrics report, in percent.
    static std::optional<double> usagePercent(const QByteArray &metrics, bool vllm)
    {
        auto parsed = sources::parsePrometheusText(metrics);
        if (!parsed)
            return std::nullopt;
        const double v =
            vllm ? parsed->value(QStringLiteral("vllm:kv_cache_usage_perc"))
                       .value_or(parsed->value(QStringLiteral("vllm:gpu_cache_usage_perc")).value_or(-1))
                 : parsed->value(QStringLiteral("sglang:token_usage")).value_or(-1);
        return v < 0 ? std::nullopt : std::optional<double>(v * 100.0);
    }

    void resetAndVerify(const Directive &directive, const model::Source &source)
    {
        const bool vllm = source.engine == model::Engine::Vllm;
        const QString base = source.baseUrl;
        const QString path = vllm ? QStringLiteral("/reset_prefix_cache") : QStringLiteral("/flush_cache");
        request("GET", base + QStringLiteral("/metrics"),
                [=, this](int, const QByteArray &before, const QString &) {
                    const auto was = usagePercent(before, vllm);
                    request("POST", base + path,
                            [=, this](int status, const QByteArray &body, const QString &error) {
                                if (status != 200)
                                    return finish(directive, model::ActionStatus::Failed,
                                                  model::phrase::resetFailed(
                                                      base, path, model::phrase::httpError(status, error),
                                                      QString::fromUtf8(body.left(200)).trimmed()));
                                // A 200 can still mean "not reset": read the usage again.
                                request("GET", base + QStringLiteral("/metrics"),
                                        [=, this](int, const QByteArray &after, const QString &) {
                                            const auto now = usagePercent(after, vllm);
                                            const bool helped = was && now && *now < *was;
                                            finish(directive,
                                                   helped ? model::ActionStatus::Success
                                                          : model::ActionStatus::Failed,
                                                   model::phrase::resetDone(base, path, was, now));
                                        });
                            });
                });
    }

    void unloadOllama(const Directive &directive, const QString &base)
    {
        request("GET", base + QStringLiteral("/api/ps"),
                [=, this](int status, const QByteArray &body, const QString &error) {
                    auto models = sources::parseOllamaPs(body);
                    if (status != 200 || !models)
                        return finish(directive, model::ActionStatus::Failed,
                                      model::phrase::listFailed(base, QStringLiteral("/api/ps"),
                                                                model::phrase::httpError(status, error)));
                    if (models->isEmpty())
                        return finish(directive, model::ActionStatus::Skipped,
                                      model::phrase::noModelLoaded(base));
                    // The model that expires first is the least recently used.
                    const sources::OllamaModel victim =
                        *std::min_element(models->begin(), models->end(), [](const auto &a, const auto &b) {
                            return a.expiresAt < b.expiresAt;
                        });
                    const QByteArray unload =
                        QJsonDocument(QJsonObject{{QStringLiteral("model"), victim.name},
                                                  {QStringLiteral("keep_alive"), 0}})
                            .toJson(QJsonDocument::Compact);
                    post(base + QStringLiteral("/api/generate"), unload,
                         [=, this](int unloadStatus, const QByteArray &, const QString &unloadError) {
                             if (unloadStatus != 200)
                                 return finish(directive, model::ActionStatus::Failed,
                                               model::phrase::unloadFailed(
                                                   base, victim.name,
                                                   model::phrase::httpError(unloadStatus, unloadError)));
                             finish(directive, model::ActionStatus::Success,
                                    model::phrase::unloaded(base, victim.name, victim.sizeBytes));
                         });
                });
    }

    void post(const QString &url, const QByteArray &body, std::function<void(int, QByteArray, QString)> done)
    {
        QNetworkReply *reply = m_network->post(requestTo(url), body);
        connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
            reply->deleteLater();
            done(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
                 reply->errorString());
        });
    }

    void evict(const Directive &directive, const model::Source &source)
    {
        const QString base = source.baseUrl;
        // The pool the scraper worked out (one shared cache, or a cache per slot); without it the target
        // in tokens is unknown.
        if (!source.capacityTokens)
            return finish(directive, model::ActionStatus::Skipped, model::phrase::capacityUnknown(base));
        const qint64 capacity = *source.capacityTokens;
        const QString sourceId = source.id;
        request("GET", base + QStringLiteral("/slots"),
                [this, directive, base, capacity, sourceId](int status, const QByteArray &body,
                                                            const QString &error) {
                    auto slots = sources::parseLlamaSlots(body);
                    if (status != 200 || !slots)
                        return finish(directive, model::ActionStatus::Failed,
                                      model::phrase::listFailed(base, QStringLiteral("/slots"),
                                                                model::phrase::httpError(status, error)));
                    qint64 used = 0;
                    for (const sources::LlamaSlot &s : *slots)
                        used += s.cachedTokens;
                    const double target =
                        directive.params.value(QLatin1String("targetPercent")).toDouble(100);
                    const qint64 keep = qint64(double(capacity) * target / 100.0);
                    // Idle slots holding tokens, least recently used (oldest task) first; never one that is
                    // processing.
                    QList<sources::LlamaSlot> idle;
                    for (const sources::LlamaSlot &s : *slots) {
                        if (!s.processing && s.cachedTokens > 0)
                            idle << s;
                    }
                    std::sort(idle.begin(), idle.end(), [](const auto &a, const auto &b) {
                        return a.taskId.value_or(-1) < b.taskId.value_or(-1);
                    });
                    QList<int> chosen;
                    qint64 after = used;
                    for (const sources::LlamaSlot &s : std::as_const(idle)) {
                        if (after <= keep)
                            break;
                        chosen << s.id;
                        after -= s.cachedTokens;
                    }
                    if (used <= keep)
                        return finish(directive, model::ActionStatus::Skipped,
                                      model::phrase::atTarget(base, used, capacity, keep));
                    if (chosen.isEmpty())
                        return finish(directive, model::ActionStatus::Skipped,
                                      model::phrase::noIdleSlot(base, used, capacity));
                    eraseNext(directive, base, sourceId, chosen, used, QJsonArray());
                });
    }

    void eraseNext(const Directive &directive, const QString &base, const QString &sourceId,
                   QList<int> remaining, qint64 before, QJsonArray erased)
    {
        if (remaining.isEmpty()) {
            // Read the value the action changed, after it.
            request("GET", base + QStringLiteral("/slots"),
                    [this, directive, base, before, erased](int, const QByteArray &body, const QString &) {
                        qint64 now = -1;
                        if (auto slots = sources::parseLlamaSlots(body)) {
                            now = 0;
                            for (const sources::LlamaSlot &s : *slots)
                                now += s.cachedTokens;
                        }
                        finish(directive, model::ActionStatus::Success,
                               model::phrase::erased(base, erased, before,
                                                     now >= 0 ? std::optional<qint64>(now) : std::nullopt));
                    });
            return;
        }
        const int slot = remaining.takeFirst();
        request("POST", base + QStringLiteral("/slots/%1?action=erase").arg(slot),
                [this, directive, base, sourceId, remaining, before, erased,
                 slot](int status, const QByteArray &body, const QString &error) mutable {
                    if (status == 501) {
                        // Not retried every cooldown: the source remembers it until the server restarts.
                        if (auto r = m_store->recordSourceEraseRefused(sourceId, m_clock.nowMs()); !r)
                            qCWarning(lcAutomation) << "refused erase not recorded:" << r.errorMessage();
                        return finish(directive, model::ActionStatus::Failed,
                                      model::phrase::eraseRefused(base));
                    }
                    if (status != 200)
                        return finish(
                            directive, model::ActionStatus::Failed,
                            model::phrase::eraseFailed(base, slot, model::phrase::httpError(status, error)));
                    const qint64 n =
                        QJsonDocument::fromJson(body).object().value(QLatin1String("n_erased")).toInteger();
                    erased.append(QJsonObject{{QStringLiteral("slot"), slot}, {QStringLiteral("tokens"), n}});
                    eraseNext(directive, base, sourceId, remaining, before, erased);
                });
    }

    void finish(const Directive &directive, model::ActionStatus status, const QJsonObject &outcome)
    {
        // The decision stays in the entry; the outcome follows it.
        QJsonArray phrases = directive.phrases;
        phrases.append(outcome);
        if (auto updated = m_store->updateActionStatus(directive.id, status, phrases); !updated)
            qCWarning(lcAutomation) << "llama-server action not logged:" << updated.errorMessage();
    }

    LazyStore m_store;
    const Clock &m_clock;
    QNetworkAccessManager *m_network = nullptr;
    QHash<QString, QString> m_keys; // API key by source base URL
};

EngineExecutor::EngineExecutor(StoreOpener openStore, const Clock &clock)
    : m_thread(new QThread), m_worker(new EngineExecutorWorker(std::move(openStore), clock))
{
    m_thread->setObjectName(QStringLiteral("cachewise-llama-actions"));
    m_worker->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

EngineExecutor::~EngineExecutor()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void EngineExecutor::execute(const Directive &directive, const model::AutomationSettings &)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, directive] { worker->execute(directive); }, Qt::QueuedConnection);
}

} // namespace cachewise::automation

#include "engineexecutor.moc"
