// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/server.h"

#include "core/common/logging.h"
#include "core/http/requestparser.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimeZone>
#include <QTimer>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

namespace cachewise::http {
namespace {

QString errorCodeFor(int status)
{
    switch (status) {
    case 413: return QStringLiteral("body_too_large");
    case 431: return QStringLiteral("headers_too_large");
    case 501: return QStringLiteral("not_implemented");
    case 505: return QStringLiteral("http_version_not_supported");
    default: return QStringLiteral("bad_request");
    }
}

void shutdownWrite(QTcpSocket *socket)
{
    const qintptr fd = socket->socketDescriptor();
    if (fd < 0)
        return;
#ifdef Q_OS_WIN
    ::shutdown(static_cast<SOCKET>(fd), SD_SEND);
#else
    ::shutdown(static_cast<int>(fd), SHUT_WR);
#endif
}

// The Date header's text, formatted once a second (formatting a date is a tenth of a small reply's cost).
QByteArray httpDate()
{
    thread_local qint64 formattedSecond = -1;
    thread_local QByteArray text;
    const qint64 second = QDateTime::currentSecsSinceEpoch();
    if (second != formattedSecond) {
        formattedSecond = second;
        text = QLocale::c()
                   .toString(QDateTime::fromSecsSinceEpoch(second, QTimeZone::utc()),
                             QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                   .toLatin1();
    }
    return text;
}

} // namespace

struct Server::Connection
{
    quint64 id = 0;
    QTcpSocket *socket = nullptr;
    QTimer *timer = nullptr;
    std::unique_ptr<RequestParser> parser;
    QElapsedTimer requestStarted; // since the first byte of the request being read
    QElapsedTimer lastProgress;
    bool processing = false; // a handler owns the current request
    bool closing = false;    // closing after the last write
    bool keepAlive = true;
};

Responder::Responder(std::shared_ptr<Gate> gate, quint64 connectionId)
    : m_gate(std::move(gate)), m_connectionId(connectionId), m_sent(std::make_shared<std::atomic_bool>(false))
{}

void Responder::send(Response response) const
{
    if (!m_gate || m_sent->exchange(true))
        return;
    std::lock_guard lock(m_gate->mutex);
    Server *server = m_gate->server;
    if (!server)
        return;
    // Queued even on the server's own thread, so handlers never re-enter the socket code.
    QMetaObject::invokeMethod(
        server,
        [server, id = m_connectionId, r = std::move(response)]() mutable {
            server->deliver(id, std::move(r));
        },
        Qt::QueuedConnection);
}

Server::Server(Handler &handler, Limits limits, QObject *parent)
    : QObject(parent), m_handler(handler), m_limits(limits), m_tcp(new QTcpServer(this)),
      m_gate(std::make_shared<Responder::Gate>())
{
    m_gate->server = this;
    connect(m_tcp, &QTcpServer::newConnection, this, &Server::onNewConnection);
}

Server::~Server()
{
    {
        std::lock_guard lock(m_gate->mutex);
        m_gate->server = nullptr;
    }
    const auto connections = m_connections;
    for (Connection *c : connections)
        dropConnection(c);
}

Result<void> Server::listen(const QHostAddress &address, quint16 port)
{
    m_tcp->setMaxPendingConnections(m_limits.maxConnections);
    if (!m_tcp->listen(address, port)) {
        const bool inUse = m_tcp->serverError() == QAbstractSocket::AddressInUseError;
        return makeError(inUse ? ErrorKind::Conflict : ErrorKind::Network,
                         QStringLiteral("cannot listen on %1:%2: %3")
                             .arg(address.toString())
                             .arg(port)
                             .arg(m_tcp->errorString()),
                         QStringLiteral("port"));
    }
    return {};
}

QHostAddress Server::serverAddress() const
{
    return m_tcp->serverAddress();
}

quint16 Server::serverPort() const
{
    return m_tcp->serverPort();
}

bool Server::isListening() const
{
    return m_tcp->isListening();
}

int Server::requestsInFlight() const
{
    int n = 0;
    for (const Connection *c : m_connections)
        n += c->processing ? 1 : 0;
    return n;
}

void Server::shutdown()
{
    m_shuttingDown = true;
    m_tcp->close();
    const auto connections = m_connections;
    for (Connection *c : connections) {
        if (!c->processing)
            dropConnection(c);
        else
            c->keepAlive = false;
    }
    checkDrained();
}

void Server::checkDrained()
{
    if (m_shuttingDown && requestsInFlight() == 0)
        Q_EMIT drained();
}

void Server::onNewConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        if (m_shuttingDown) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Full: a connection that has not sent a byte of a request (a silent one, or a kept-alive one
        // between requests) gives way to the newcomer, oldest first, so silent connections cannot lock
        // pushes out. Only when every connection is busy is the newcomer refused.
        if (m_connections.size() >= m_limits.maxConnections && !evictIdleConnection()) {
            refuse(socket);
            continue;
        }
        auto *c = new Connection;
        c->id = m_nextId++;
        c->socket = socket;
        c->socket->setParent(this);
        c->socket->setReadBufferSize(64 * 1024); // backpressure: the kernel holds the rest
        c->parser = std::make_unique<RequestParser>(m_limits);
        c->timer = new QTimer(this);
        c->timer->setSingleShot(true);
        c->lastProgress.start();
        m_connections.insert(c->id, c);
        qCDebug(lcHttp) << "connection" << c->id << "opened;" << m_connections.size() << "open";
        connect(socket, &QTcpSocket::readyRead, this, [this, c] { onReadyRead(c); });
        connect(socket, &QTcpSocket::disconnected, this, [this, c] {
            qCDebug(lcHttp) << "connection" << c->id << "disconnected by peer; processing" << c->processing;
            if (!c->processing)
                dropConnection(c);
            else
                c->closing = true; // dropped when the handler answers
        });
        connect(c->timer, &QTimer::timeout, this, [this, c] { onTimer(c); });
        armTimer(c);
        if (socket->bytesAvailable() > 0)
            onReadyRead(c);
    }
}

bool Server::evictIdleConnection()
{
    Connection *oldest = nullptr;
    for (Connection *c : std::as_const(m_connections)) {
        if (c->processing || c->closing || c->parser->hasStarted())
            continue;
        if (!oldest || c->lastProgress.elapsed() > oldest->lastProgress.elapsed())
            oldest = c;
    }
    if (!oldest)
        return false;
    qCDebug(lcHttp) << "connection" << oldest->id << "idle for" << oldest->lastProgress.elapsed()
                    << "ms closed to make room";
    dropConnection(oldest);
    return true;
}

void Server::refuse(QTcpSocket *socket)
{
    // Answered, not left hanging; and closed the way an answered connection is (lingering), so a
    // client still sending its body reads the 503 instead of a reset.
    const Response r =
        Response::error(503, QStringLiteral("too_many_connections"),
                        QStringLiteral("the listener has %1 open connections, all busy; try again later")
                            .arg(m_limits.maxConnections));
    const QByteArray head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                            "X-Content-Type-Options: nosniff\r\nRetry-After: 1\r\nConnection: close\r\n"
                            "Content-Length: " +
                            QByteArray::number(r.body.size()) + "\r\n\r\n";
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    auto halfClose = [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
            shutdownWrite(socket);
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, halfClose);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write(head + r.body);
    socket->flush();
    halfClose();
    QTimer::singleShot(std::min(m_limits.idleTimeoutMs, 2000), socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    Q_EMIT responded(503);
}

void Server::armTimer(Connection *c)
{
    if (c->processing) {
        c->timer->stop();
        return;
    }
    int wait = m_limits.keepAliveTimeoutMs;
    // Under pressure (three quarters full) a connection that sends nothing waits one second, not 30.
    if (m_connections.size() * 4 >= m_limits.maxConnections * 3)
        wait = std::min(wait, 1000);
    if (c->parser->hasStarted()) {
        wait = int(std::max<qint64>(0, m_limits.idleTimeoutMs - c->lastProgress.elapsed()));
        if (c->requestStarted.isValid())
            wait = int(std::min<qint64>(
                wait, std::max<qint64>(0, m_limits.requestTimeoutMs - c->requestStarted.elapsed())));
    }
    c->timer->start(wait);
}

void Server::onTimer(Connection *c)
{
    qCDebug(lcHttp) << "timer of connection" << c->id << "started" << c->parser->hasStarted();
    if (c->processing || c->closing)
        return;
    if (!c->parser->hasStarted()) {
        dropConnection(c); // idle keep-alive connection
        return;
    }
    const bool idle = c->lastProgress.elapsed() >= m_limits.idleTimeoutMs;
    const bool slow = c->requestStarted.isValid() && c->requestStarted.elapsed() >= m_limits.requestTimeoutMs;
    if (!idle && !slow) {
        armTimer(c);
        return;
    }
    qCDebug(lcHttp) << "request timed out from" << c->socket->peerAddress();
    writeResponse(
        c,
        Response::error(
            408, QStringLiteral("request_timeout"),
            idle ? QStringLiteral("no data received for %1 ms").arg(m_limits.idleTimeoutMs)
                 : QStringLiteral("request not complete within %1 ms").arg(m_limits.requestTimeoutMs)),
        true);
}

void Server::onReadyRead(Connection *c)
{
    if (c->closing) {
        c->socket->readAll(); // discarded while lingering
        return;
    }
    if (c->processing)
        return; // read later: one request at a time per connection
    const QByteArray bytes = c->socket->readAll();
    if (bytes.isEmpty())
        return;
    if (!c->parser->hasStarted())
        c->requestStarted.start();
    c->lastProgress.start();
    c->parser->feed(bytes);
    processBuffered(c);
}

void Server::processBuffered(Connection *c)
{
    RequestParser &parser = *c->parser;
    switch (parser.state()) {
    case RequestParser::State::Error:
        writeResponse(
            c,
            Response::error(parser.errorStatus(), errorCodeFor(parser.errorStatus()), parser.errorMessage()),
            true);
        return;
    case RequestParser::State::Incomplete:
        if (parser.wantsContinue()) {
            parser.markContinueSent();
            c->socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        armTimer(c);
        return;
    case RequestParser::State::Complete: break;
    }
    Request request = parser.takeRequest();
    qCDebug(lcHttp) << "connection" << c->id << request.method << request.path;
    request.peer = c->socket->peerAddress();
    c->keepAlive = request.keepAlive && !m_shuttingDown;
    c->processing = true;
    c->requestStarted.invalidate();
    armTimer(c);
    m_handler.handle(request, Responder(m_gate, c->id));
}

void Server::deliver(quint64 connectionId, Response response)
{
    Connection *c = m_connections.value(connectionId);
    qCDebug(lcHttp) << "deliver to" << connectionId << (c ? "open" : "gone");
    if (!c)
        return;
    c->processing = false;
    if (c->closing) {
        dropConnection(c); // the client left before the answer
        checkDrained();
        return;
    }
    writeResponse(c, std::move(response), !c->keepAlive || m_shuttingDown);
    if (!c->closing) {
        // Pipelined requests already received, then whatever the socket holds.
        if (c->parser->hasBufferedBytes()) {
            c->requestStarted.start();
            c->parser->feed({});
            processBuffered(c);
        } else if (c->socket->bytesAvailable() > 0) {
            onReadyRead(c);
        } else {
            armTimer(c);
        }
    }
    checkDrained();
}

void Server::writeResponse(Connection *c, Response response, bool close)
{
    close = close || response.closeConnection;
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    // No browser may take a JSON or text answer for something it would run or render.
    out += "X-Content-Type-Options: nosniff\r\n";
    out += "Date: " + httpDate() + "\r\n";
    out += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    out += response.body;
    c->socket->write(out);
    Q_EMIT responded(response.status);
    if (close) {
        c->closing = true;
        c->timer->stop();
        // Lingering close: send our side's FIN once the answer is out, then read and drop what the
        // client still sends (a refused large body), so the kernel does not reset the connection
        // before the client has read the answer. Cut off after the idle timeout in any case.
        auto halfClose = [socket = c->socket] {
            if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
                shutdownWrite(socket);
        };
        connect(c->socket, &QTcpSocket::bytesWritten, c->socket, halfClose);
        c->socket->flush();
        halfClose();
        QTimer::singleShot(m_limits.idleTimeoutMs, c->socket, [this, id = c->id] {
            if (Connection *gone = m_connections.value(id))
                dropConnection(gone);
        });
    }
}

void Server::dropConnection(Connection *c)
{
    if (!m_connections.remove(c->id))
        return;
    qCDebug(lcHttp) << "connection" << c->id << "closed;" << m_connections.size() << "open";
    c->timer->stop();
    c->timer->deleteLater();
    c->socket->disconnect(this);
    c->socket->abort();
    c->socket->deleteLater();
    delete c;
}

} // namespace cachewise::http
