// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/http/message.h"
#include "core/ingest/ingesthandler.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace cachewise {
class Clock;
}

namespace cachewise::ingest {

struct ListenerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 4318;
    QString adminToken;
    http::Limits limits;
    bool takeLimitsFromSettings = true; // body size from the backend's settings, refreshed while running
};

class ListenerWorker;

// The push listener on a thread of its own (never the GUI thread). start() and stop() return at
// once; the outcome arrives as signals on the caller's thread. Owns the HTTP server and the routes;
// what they read and write goes through the backend, which must outlive the listener.
class Listener final : public QObject
{
    Q_OBJECT

public:
    Listener(Backend &backend, const Clock &clock, QObject *parent = nullptr);
    ~Listener() override;

    void start(const ListenerConfig &config);
    // Stops accepting, lets requests in flight be committed and answered, then emits stopped().
    void stop();

    std::shared_ptr<const IngestCounters> counters() const { return m_counters; }
    QString url() const { return m_url; }
    bool isListening() const { return !m_url.isEmpty(); }

Q_SIGNALS:
    void listening(const QString &url);
    // kind: Conflict (the port is taken) or Network
    void failed(const QString &message, cachewise::ErrorKind kind);
    void stopped();

private:
    QThread *m_thread;
    ListenerWorker *m_worker;
    std::shared_ptr<IngestCounters> m_counters;
    QString m_url;
};

} // namespace cachewise::ingest
