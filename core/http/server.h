// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/http/message.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <memory>
#include <mutex>
#include <vector>

class QTcpServer;
class QTimer;

namespace cachewise::http {

class Server;

// Sends the one response to one request. Copyable, callable from any thread; a response for a
// client that has gone away is dropped. Only the first send() counts.
class Responder
{
public:
    void send(Response response) const;

private:
    friend class Server;
    // Answers wait here for the server's thread, which takes them all at once: one wake-up for a whole
    // commit's worth of answers, not one event per answer.
    struct Answer
    {
        quint64 connectionId;
        quint64 request; // the connection's request number: a second answer to one request is dropped
        Response response;
    };
    struct Gate
    {
        std::mutex mutex;
        Server *server = nullptr;
        std::vector<Answer> answers;
    };
    Responder(std::shared_ptr<Gate> gate, quint64 connectionId, quint64 request);
    std::shared_ptr<Gate> m_gate;
    quint64 m_connectionId = 0;
    quint64 m_request = 0;
};

// The one-method interface the routes implement. Called on the server's thread, one request at a
// time per connection; it must not block on disk or network: answer later through the Responder.
class Handler
{
public:
    virtual ~Handler() = default;
    virtual void handle(const Request &request, const Responder &responder) = 0;
};

// HTTP/1.1 server with the limits in Limits (header and body size, including chunked bodies, connection
// count, idle and request timeouts, keep-alive). Lives on one thread. Connections are plain non-blocking
// sockets watched by one SocketPoller (epoll on Linux, one QSocketNotifier per socket elsewhere), read and
// written directly: no QTcpSocket buffers, no notifier toggled per request, and one timer for all.
class Server final : public QObject
{
    Q_OBJECT

public:
    Server(Handler &handler, Limits limits, QObject *parent = nullptr);
    ~Server() override;

    Result<void> listen(const QHostAddress &address, quint16 port);
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    bool isListening() const;

    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }
    int connectionCount() const { return int(m_connections.size()) - m_refused; }
    int requestsInFlight() const;

    // Stops accepting, closes idle connections, lets requests in flight finish; emits drained()
    // when no request is left (at once if none is).
    void shutdown();

    class SocketPoller;

Q_SIGNALS:
    void drained();
    void responded(int status);

private:
    struct Connection;
    friend class Responder;

    void accept(qintptr fd);
    void onEvent(quint64 connectionId, bool readable, bool writable, bool hangUp);
    void readFrom(Connection *c);
    void processBuffered(Connection *c);
    void onTimeout(Connection *c);
    void takeAnswers();
    void deliver(Connection *c, Response response);
    void writeResponse(Connection *c, Response response, bool close);
    void send(Connection *c, const QByteArray &bytes);
    void flush(Connection *c);
    void closeAfterWriting(Connection *c, int lingerMs);
    void dropConnection(Connection *c);
    // Closes the connection idle the longest that has not started a request; false when there is none.
    bool evictIdleConnection();
    // Answers 503 to a connection over the limit, then closes it without resetting a client mid-body.
    void refuse(Connection *c);
    void checkDrained();
    void armTimer(Connection *c);
    void setDeadline(Connection *c, qint64 deadlineMs);
    void startTimerFor(qint64 deadlineMs);
    void onTimer();

    Handler &m_handler;
    Limits m_limits;
    QTcpServer *m_tcp;
    std::unique_ptr<SocketPoller> m_poller;
    std::shared_ptr<Responder::Gate> m_gate;
    QHash<quint64, Connection *> m_connections;
    int m_refused = 0; // connections in m_connections only to answer 503 and close
    quint64 m_nextId = 1;
    bool m_shuttingDown = false;
    // One timer for every connection's deadline, set to the earliest.
    QTimer *m_timer;
    qint64 m_timerDue = -1;
    QElapsedTimer m_clock;
};

} // namespace cachewise::http
