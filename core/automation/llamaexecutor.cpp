// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/automation/llamaexecutor.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/sources/llamaserver.h"
#include "core/storage/repository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>

#include <algorithm>
#include <functional>
#include <memory>

namespace cachewise::automation {

class LlamaExecutorWorker final : public QObject
{
    Q_OBJECT

public:
    LlamaExecutorWorker(QString databasePath, const Clock &clock)
        : m_path(std::move(databasePath)), m_repository(clock)
    {}

    void execute(const Directive &directive)
    {
        if (!m_repository.isOpen() && !m_repository.open(m_path))
            return;
        if (!m_network)
            m_network = new QNetworkAccessManager(this);
        auto sources = m_repository.sources(directive.projectId);
        if (!sources)
            return;
        for (const storage::Source &source : *sources) {
            if (!source.enabled || source.engine != QLatin1String("llama.cpp"))
                continue;
            if (directive.type == QLatin1String("evict_lru")) {
                evict(directive, source.baseUrl);
            } else {
                finish(directive, QStringLiteral("skipped"),
                       QStringLiteral(
                           "%1 at %2: llama-server cannot change this at run time; restart it with the "
                           "new setting")
                           .arg(directive.type, source.baseUrl));
            }
            return; // one server per project
        }
    }

private:
    void request(const QByteArray &verb, const QString &url,
                 std::function<void(int, QByteArray, QString)> done)
    {
        QNetworkRequest r{QUrl(url)};
        r.setTransferTimeout(10'000);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = verb == "POST" ? m_network->post(r, QByteArray("{}")) : m_network->get(r);
        connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            done(status, reply->readAll(), reply->errorString());
        });
    }

    void evict(const Directive &directive, const QString &base)
    {
        request(
            "GET", base + QStringLiteral("/slots"),
            [this, directive, base](int status, const QByteArray &body, const QString &error) {
                auto slots = sources::parseLlamaSlots(body);
                if (status != 200 || !slots)
                    return finish(directive, QStringLiteral("failed"),
                                  QStringLiteral("evict_lru at %1: cannot read /slots (%2)")
                                      .arg(base, status > 0 ? QStringLiteral("HTTP %1").arg(status) : error));
                qint64 used = 0;
                qint64 capacity = 0;
                for (const sources::LlamaSlot &s : *slots) {
                    used += s.cachedTokens;
                    capacity += s.contextTokens;
                }
                const double target = directive.params.value(QLatin1String("targetPercent")).toDouble(100);
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
                if (chosen.isEmpty())
                    return finish(
                        directive, QStringLiteral("skipped"),
                        QStringLiteral("evict_lru at %1: no idle slot holds tokens (%2 of %3 in use, all in "
                                       "requests being processed)")
                            .arg(base)
                            .arg(used)
                            .arg(capacity));
                eraseNext(directive, base, chosen, used, QStringList());
            });
    }

    void eraseNext(const Directive &directive, const QString &base, QList<int> remaining, qint64 before,
                   QStringList erased)
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
                        finish(directive, QStringLiteral("success"),
                               QStringLiteral("evict_lru at %1: erased %2; tokens in use %3 → %4")
                                   .arg(base, erased.join(QStringLiteral(", ")))
                                   .arg(before)
                                   .arg(now >= 0 ? QString::number(now) : QStringLiteral("?")));
                    });
            return;
        }
        const int slot = remaining.takeFirst();
        request("POST", base + QStringLiteral("/slots/%1?action=erase").arg(slot),
                [this, directive, base, remaining, before, erased, slot](int status, const QByteArray &body,
                                                                         const QString &error) mutable {
                    if (status == 501)
                        return finish(
                            directive, QStringLiteral("failed"),
                            QStringLiteral("evict_lru at %1: HTTP 501, llama-server erases slots only when "
                                           "started with --slot-save-path")
                                .arg(base));
                    if (status != 200)
                        return finish(directive, QStringLiteral("failed"),
                                      QStringLiteral("evict_lru at %1: erasing slot %2 failed (%3)")
                                          .arg(base)
                                          .arg(slot)
                                          .arg(status > 0 ? QStringLiteral("HTTP %1").arg(status) : error));
                    const qint64 n =
                        QJsonDocument::fromJson(body).object().value(QLatin1String("n_erased")).toInteger();
                    erased << QStringLiteral("slot %1 (%2 tokens)").arg(slot).arg(n);
                    eraseNext(directive, base, remaining, before, erased);
                });
    }

    void finish(const Directive &directive, const QString &status, const QString &details)
    {
        // The decision stays in the entry; the outcome follows it.
        const QString text = directive.details + QStringLiteral(" — ") + details;
        if (auto updated = m_repository.updateActionStatus(directive.id, status, text); !updated)
            qCWarning(lcApp) << "llama-server action not logged:" << updated.errorMessage();
    }

    QString m_path;
    storage::Repository m_repository;
    QNetworkAccessManager *m_network = nullptr;
};

LlamaServerExecutor::LlamaServerExecutor(const QString &databasePath, const Clock &clock)
    : m_thread(new QThread), m_worker(new LlamaExecutorWorker(databasePath, clock))
{
    m_thread->setObjectName(QStringLiteral("cachewise-llama-actions"));
    m_worker->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

LlamaServerExecutor::~LlamaServerExecutor()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void LlamaServerExecutor::execute(const Directive &directive, const storage::AutomationSettings &)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, directive] { worker->execute(directive); }, Qt::QueuedConnection);
}

} // namespace cachewise::automation

#include "llamaexecutor.moc"
