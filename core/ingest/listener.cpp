// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/listener.h"

#include "core/common/logging.h"
#include "core/http/server.h"

#include <QThread>

namespace cachewise::ingest {

// Lives on the listener thread; everything it owns is created and destroyed there.
class ListenerWorker final : public QObject
{
    Q_OBJECT

public:
    ListenerWorker(Backend &backend, const Clock &clock, std::shared_ptr<IngestCounters> counters)
        : m_backend(backend), m_clock(clock), m_counters(std::move(counters))
    {}

    void start(const ListenerConfig &config)
    {
        m_config = config;
        m_handler = std::make_unique<IngestHandler>(m_backend, m_clock, config.adminToken, m_counters);
        m_handler->setAnyHost(!config.address.isLoopback());
        m_server = std::make_unique<http::Server>(*m_handler, limits());
        if (auto r = m_server->listen(config.address, config.port); !r) {
            m_server.reset();
            Q_EMIT failed(r.errorMessage(), r.error().kind);
            return;
        }
        connect(m_server.get(), &http::Server::drained, this, &ListenerWorker::finish);
        if (config.takeLimitsFromSettings) {
            // The body limit follows the settings as the backend reads them (posted to this thread).
            m_backend.setSettingsObserver([this] {
                QMetaObject::invokeMethod(
                    this,
                    [this] {
                        if (m_server)
                            m_server->setLimits(limits());
                    },
                    Qt::QueuedConnection);
            });
        }
        QHostAddress address = m_server->serverAddress();
        const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                                 ? QStringLiteral("[%1]").arg(address.toString())
                                 : address.toString();
        Q_EMIT listening(QStringLiteral("http://%1:%2").arg(host).arg(m_server->serverPort()));
    }

    void stop()
    {
        if (m_config.takeLimitsFromSettings)
            m_backend.setSettingsObserver({});
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

private:
    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_server.reset();
        m_handler.reset();
        Q_EMIT stopped();
    }

    http::Limits limits()
    {
        http::Limits l = m_config.limits;
        if (m_config.takeLimitsFromSettings)
            l.maxBodyBytes = m_backend.settings().maxBodyBytes;
        return l;
    }

    Backend &m_backend;
    const Clock &m_clock;
    std::shared_ptr<IngestCounters> m_counters;
    ListenerConfig m_config;
    std::unique_ptr<IngestHandler> m_handler;
    std::unique_ptr<http::Server> m_server;
    bool m_finished = false;
};

Listener::Listener(Backend &backend, const Clock &clock, QObject *parent)
    : QObject(parent), m_thread(new QThread), m_counters(std::make_shared<IngestCounters>())
{
    m_thread->setObjectName(QStringLiteral("cachewise-listener"));
    m_worker = new ListenerWorker(backend, clock, m_counters);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ListenerWorker::listening, this, [this](const QString &url) {
        m_url = url;
        Q_EMIT listening(url);
    });
    connect(m_worker, &ListenerWorker::failed, this, &Listener::failed);
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
