// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/listener.h"

#include "core/automation/automationengine.h"
#include "core/common/logging.h"
#include "core/http/server.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QThread>
#include <QTimer>

namespace cachewise::ingest {

// Lives on the listener thread; everything it owns is created and destroyed there.
class ListenerWorker final : public QObject
{
    Q_OBJECT

public:
    ListenerWorker(storage::MetricWriter &writer, const Clock &clock,
                   std::shared_ptr<IngestCounters> counters)
        : m_writer(writer), m_clock(clock), m_counters(std::move(counters))
    {}

    ~ListenerWorker() override
    {
        if (m_automation)
            m_automation->setAlertHandler({});
    }

    void start(const ListenerConfig &config)
    {
        m_config = config;
        m_repository = std::make_unique<storage::Repository>(m_clock);
        if (auto r = m_repository->open(config.databasePath); !r) {
            Q_EMIT failed(r.errorMessage(), ErrorKind::Storage);
            return;
        }
        if (config.automationEngine) {
            m_automation = config.automationEngine;
            m_automation->setAlertHandler([this](const automation::Alert &alert) {
                // Any thread: a signal emission is safe; receivers get it queued.
                Q_EMIT this->alert(alert.projectId, alert.rule, alert.message, alert.dryRun);
            });
        }
        m_handler = std::make_unique<IngestHandler>(*m_repository, m_writer, m_automation, m_clock,
                                                    config.adminToken, m_counters);
        m_server = std::make_unique<http::Server>(*m_handler, limits());
        if (auto r = m_server->listen(config.address, config.port); !r) {
            m_server.reset();
            Q_EMIT failed(r.errorMessage(), r.error().kind);
            return;
        }
        connect(m_server.get(), &http::Server::drained, this, &ListenerWorker::finish);
        if (config.takeLimitsFromSettings) {
            m_refresh = new QTimer(this);
            connect(m_refresh, &QTimer::timeout, this, [this] { m_server->setLimits(limits()); });
            m_refresh->start(2000);
        }
        QHostAddress address = m_server->serverAddress();
        const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                                 ? QStringLiteral("[%1]").arg(address.toString())
                                 : address.toString();
        Q_EMIT listening(QStringLiteral("http://%1:%2").arg(host).arg(m_server->serverPort()));
    }

    void stop()
    {
        if (m_refresh)
            m_refresh->stop();
        if (!m_server) {
            finish();
            return;
        }
        m_server->shutdown(); // emits drained() once requests in flight are answered
    }

Q_SIGNALS:
    void listening(const QString &url);
    void failed(const QString &message, cachewise::ErrorKind kind);
    void stopped();
    void alert(const QString &projectId, const QString &rule, const QString &message, bool dryRun);

private:
    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_server.reset();
        if (m_automation)
            m_automation->setAlertHandler({}); // this worker goes away; late alerts go nowhere
        m_handler.reset();
        m_repository.reset();
        Q_EMIT stopped();
    }

    http::Limits limits()
    {
        http::Limits l = m_config.limits;
        if (m_config.takeLimitsFromSettings && m_repository) {
            if (auto v = m_repository->integerSetting(storage::setting::MaxBodyBytes))
                l.maxBodyBytes = v.value();
        }
        return l;
    }

    storage::MetricWriter &m_writer;
    const Clock &m_clock;
    std::shared_ptr<IngestCounters> m_counters;
    ListenerConfig m_config;
    std::unique_ptr<storage::Repository> m_repository;
    std::shared_ptr<automation::AutomationEngine> m_automation;
    std::unique_ptr<IngestHandler> m_handler;
    std::unique_ptr<http::Server> m_server;
    QTimer *m_refresh = nullptr;
    bool m_finished = false;
};

Listener::Listener(storage::MetricWriter &writer, const Clock &clock, QObject *parent)
    : QObject(parent), m_thread(new QThread), m_counters(std::make_shared<IngestCounters>())
{
    m_thread->setObjectName(QStringLiteral("cachewise-listener"));
    m_worker = new ListenerWorker(writer, clock, m_counters);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ListenerWorker::listening, this, [this](const QString &url) {
        m_url = url;
        Q_EMIT listening(url);
    });
    connect(m_worker, &ListenerWorker::failed, this, &Listener::failed);
    connect(m_worker, &ListenerWorker::alert, this, &Listener::alert);
    connect(m_worker, &ListenerWorker::stopped, this, [this] {
        m_url.clear();
        Q_EMIT stopped();
    });
    m_thread->start();
}

Listener::~Listener()
{
    // The worker's objects must die on their own thread: stop, then let the thread end.
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->stop(); }, Qt::QueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void Listener::start(const ListenerConfig &config)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, config] { w->start(config); }, Qt::QueuedConnection);
}

void Listener::stop()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->stop(); }, Qt::QueuedConnection);
}

} // namespace cachewise::ingest

#include "listener.moc"
