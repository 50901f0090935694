// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/server.h"

#include "core/common/logging.h"
#include "core/http/requestparser.h"

#include <QDateTime>
#include <QLocale>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTimeZone>
#include <QTimer>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <limits>

#ifdef Q_OS_WIN
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif
#ifdef Q_OS_LINUX
#include <sys/epoll.h>
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

// The Date header's text, formatted once a second (formatting a date is a tenth of a small reply's cost).
const QByteArray &httpDate()
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

// The few socket calls the server makes, on a descriptor Qt accepted.
namespace socket {
#ifdef Q_OS_WIN
using Length = int;
SOCKET native(qintptr fd)
{
    return static_cast<SOCKET>(fd);
}
bool wouldBlock()
{
    return WSAGetLastError() == WSAEWOULDBLOCK;
}
bool interrupted()
{
    return WSAGetLastError() == WSAEINTR;
}
void setNonBlocking(qintptr fd)
{
    u_long on = 1;
    ::ioctlsocket(native(fd), FIONBIO, &on);
}
qint64 receive(qintptr fd, char *data, qint64 size)
{
    return ::recv(native(fd), data, int(size), 0);
}
qint64 transmit(qintptr fd, const char *data, qint64 size)
{
    return ::send(native(fd), data, int(size), 0);
}
void shutdownWrite(qintptr fd)
{
    ::shutdown(native(fd), SD_SEND);
}
void close(qintptr fd)
{
    ::closesocket(native(fd));
}
#else
using Length = socklen_t;
int native(qintptr fd)
{
    return static_cast<int>(fd);
}
bool wouldBlock()
{
    return errno == EAGAIN || errno == EWOULDBLOCK;
}
bool interrupted()
{
    return errno == EINTR;
}
void setNonBlocking(qintptr fd)
{
    const int flags = ::fcntl(native(fd), F_GETFL);
    ::fcntl(native(fd), F_SETFL, flags | O_NONBLOCK);
#ifdef SO_NOSIGPIPE
    const int on = 1; // macOS: a write to a closed connection fails instead of raising SIGPIPE
    ::setsockopt(native(fd), SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
}
qint64 receive(qintptr fd, char *data, qint64 size)
{
    return ::recv(native(fd), data, std::size_t(size), 0);
}
qint64 transmit(qintptr fd, const char *data, qint64 size)
{
#ifdef MSG_NOSIGNAL
    return ::send(native(fd), data, std::size_t(size), MSG_NOSIGNAL);
#else
    return ::send(native(fd), data, std::size_t(size), 0);
#endif
}
void shutdownWrite(qintptr fd)
{
    ::shutdown(native(fd), SHUT_WR);
}
void close(qintptr fd)
{
    ::close(native(fd));
}
#endif

void setNoDelay(qintptr fd)
{
    // Each answer goes out in one write; Nagle would only hold a 100 Continue back.
    const int on = 1;
    ::setsockopt(native(fd), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&on), sizeof on);
}

QHostAddress peerOf(qintptr fd)
{
    sockaddr_storage address{};
    Length length = sizeof address;
    if (::getpeername(native(fd), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}
} // namespace socket

// Hands Qt's accepted descriptors to the server instead of wrapping them in QTcpSockets.
class Acceptor final : public QTcpServer
{
public:
    Acceptor(std::function<void(qintptr)> onAccepted, QObject *parent)
        : QTcpServer(parent), m_onAccepted(std::move(onAccepted))
    {}

protected:
    void incomingConnection(qintptr fd) override { m_onAccepted(fd); }

private:
    std::function<void(qintptr)> m_onAccepted;
};

} // namespace

// Tells the server which connections can be read or written. Edge-triggered pollers report every arrival
// and ignore wantRead/wantWrite; level-triggered ones must be told, or a request in progress would wake
// them again and again.
class Server::SocketPoller
{
public:
    // hangUp: the peer closed or the connection broke (known only to pollers that can tell).
    using OnEvent = std::function<void(quint64 id, bool readable, bool writable, bool hangUp)>;
    virtual ~SocketPoller() = default;
    virtual bool add(qintptr fd, quint64 id) = 0;
    virtual void remove(qintptr fd, quint64 id) = 0;
    virtual void wantRead(quint64 id, bool want) = 0;
    virtual void wantWrite(quint64 id, bool want) = 0;
};

namespace {

// One QSocketNotifier pair per connection: works wherever Qt does (Windows, macOS).
class NotifierPoller final : public Server::SocketPoller
{
public:
    explicit NotifierPoller(OnEvent onEvent) : m_onEvent(std::move(onEvent)) {}
    ~NotifierPoller() override
    {
        for (const auto &[read, write] : std::as_const(m_notifiers)) {
            delete read;
            delete write;
        }
    }

    bool add(qintptr fd, quint64 id) override
    {
        auto *read = new QSocketNotifier(fd, QSocketNotifier::Read);
        auto *write = new QSocketNotifier(fd, QSocketNotifier::Write);
        write->setEnabled(false);
        QObject::connect(read, &QSocketNotifier::activated, read,
                         [this, id] { m_onEvent(id, true, false, false); });
        QObject::connect(write, &QSocketNotifier::activated, write,
                         [this, id] { m_onEvent(id, false, true, false); });
        m_notifiers.insert(id, {read, write});
        return true;
    }

    void remove(qintptr, quint64 id) override
    {
        const auto [read, write] = m_notifiers.take(id);
        for (QSocketNotifier *n : {read, write}) {
            if (n) {
                n->setEnabled(false);
                n->deleteLater(); // it may be the one whose signal is being handled
            }
        }
    }

    void wantRead(quint64 id, bool want) override { set(m_notifiers.value(id).first, want); }
    void wantWrite(quint64 id, bool want) override { set(m_notifiers.value(id).second, want); }

private:
    static void set(QSocketNotifier *n, bool want)
    {
        if (n && n->isEnabled() != want)
            n->setEnabled(want);
    }

    OnEvent m_onEvent;
    QHash<quint64, QPair<QSocketNotifier *, QSocketNotifier *>> m_notifiers;
};

#ifdef Q_OS_LINUX
// Every connection in one edge-triggered epoll set; the event loop watches only the set's descriptor, and
// one wake-up serves every connection that is ready.
class EpollPoller final : public Server::SocketPoller
{
public:
    EpollPoller(int epoll, OnEvent onEvent) : m_epoll(epoll), m_onEvent(std::move(onEvent))
    {
        m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read);
        QObject::connect(m_notifier, &QSocketNotifier::activated, m_notifier, [this] { dispatch(); });
    }
    ~EpollPoller() override
    {
        delete m_notifier;
        ::close(m_epoll);
    }

    bool add(qintptr fd, quint64 id) override
    {
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        event.data.u64 = id;
        return ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, int(fd), &event) == 0;
    }
    void remove(qintptr fd, quint64) override { ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, int(fd), nullptr); }
    void wantRead(quint64, bool) override {}
    void wantWrite(quint64, bool) override {}

private:
    void dispatch()
    {
        std::array<epoll_event, 64> events{};
        const int n = ::epoll_wait(m_epoll, events.data(), int(events.size()), 0);
        for (int i = 0; i < n; ++i) {
            const quint32 e = events[std::size_t(i)].events;
            m_onEvent(events[std::size_t(i)].data.u64, e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR),
                      e & (EPOLLOUT | EPOLLHUP | EPOLLERR), e & (EPOLLRDHUP | EPOLLHUP | EPOLLERR));
        }
    }

    int m_epoll;
    OnEvent m_onEvent;
    QSocketNotifier *m_notifier;
};
#endif

std::unique_ptr<Server::SocketPoller> makePoller(Server::SocketPoller::OnEvent onEvent)
{
#ifdef Q_OS_LINUX
    // CACHEWISE_HTTP_POLLER=notifier runs the portable poller here, so that the tests cover it too.
    if (qEnvironmentVariable("CACHEWISE_HTTP_POLLER") != QLatin1String("notifier")) {
        if (const int epoll = ::epoll_create1(EPOLL_CLOEXEC); epoll >= 0)
            return std::make_unique<EpollPoller>(epoll, std::move(onEvent));
        qCWarning(lcHttp) << "epoll is not available; watching each connection on its own";
    }
#endif
    return std::make_unique<NotifierPoller>(std::move(onEvent));
}

} // namespace

struct Server::Connection
{
    quint64 id = 0;
    qintptr fd = -1;
    QHostAddress peer;
    std::unique_ptr<RequestParser> parser;
    QByteArray out;             // answered bytes the socket has not taken yet
    qint64 deadline = -1;       // on m_clock, -1: none
    qint64 requestStarted = -1; // the first byte of the request being read
    qint64 lastProgress = 0;    // the last byte received
    bool processing = false;    // a handler owns the current request
    bool closing = false;       // closing after the last write, or the client left
    bool readPending = false;   // bytes may be waiting that were not read while a request was processed
    bool writeShut = false;     // our FIN is sent
    bool refused = false;       // over the limit: answered 503 and closed
    bool hangUp = false;        // the poller saw the peer close: read to the end, not only to empty
    bool keepAlive = true;
    quint64 requests = 0; // requests handed to the handler; the number of the one being processed
};

Responder::Responder(std::shared_ptr<Gate> gate, quint64 connectionId, quint64 request)
    : m_gate(std::move(gate)), m_connectionId(connectionId), m_request(request)
{}

void Responder::send(Response response) const
{
    if (!m_gate)
        return;
    std::lock_guard lock(m_gate->mutex);
    Server *server = m_gate->server;
    if (!server)
        return;
    m_gate->answers.push_back(Answer{m_connectionId, m_request, std::move(response)});
    // Queued even on the server's own thread, so handlers never re-enter the socket code; one wake-up
    // carries every answer that arrives before the server gets to them.
    if (m_gate->answers.size() == 1)
        QMetaObject::invokeMethod(
            server, [server] { server->takeAnswers(); }, Qt::QueuedConnection);
}

Server::Server(Handler &handler, Limits limits, QObject *parent)
    : QObject(parent), m_handler(handler), m_limits(limits),
      m_tcp(new Acceptor([this](qintptr fd) { accept(fd); }, this)),
      m_poller(makePoller([this](quint64 id, bool readable, bool writable, bool hangUp) {
          onEvent(id, readable, writable, hangUp);
      })),
      m_gate(std::make_shared<Responder::Gate>()), m_timer(new QTimer(this))
{
    m_gate->server = this;
    m_clock.start();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &Server::onTimer);
}

Server::~Server()
{
    {
        std::lock_guard lock(m_gate->mutex);
        m_gate->server = nullptr;
        m_gate->answers.clear();
    }
    const auto connections = m_connections;
    for (Connection *c : connections)
        dropConnection(c);
}

Result<void> Server::listen(const QHostAddress &address, quint16 port)
{
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

void Server::accept(qintptr fd)
{
    if (m_shuttingDown) {
        socket::close(fd);
        return;
    }
    socket::setNonBlocking(fd);
    socket::setNoDelay(fd);
    auto *c = new Connection;
    c->id = m_nextId++;
    c->fd = fd;
    c->peer = socket::peerOf(fd);
    c->parser = std::make_unique<RequestParser>(m_limits);
    c->lastProgress = m_clock.elapsed();
    // Full: a connection that has not sent a byte of a request (a silent one, or a kept-alive one between
    // requests) gives way to the newcomer, oldest first, so silent connections cannot lock pushes out. Only
    // when every connection is busy is the newcomer refused.
    const bool full = connectionCount() >= m_limits.maxConnections && !evictIdleConnection();
    m_connections.insert(c->id, c);
    if (!m_poller->add(fd, c->id)) {
        qCWarning(lcHttp) << "cannot watch a new connection";
        dropConnection(c);
        return;
    }
    if (full) {
        refuse(c);
        return;
    }
    qCDebug(lcHttp) << "connection" << c->id << "opened;" << connectionCount() << "open";
    armTimer(c);
}

bool Server::evictIdleConnection()
{
    Connection *oldest = nullptr;
    for (Connection *c : std::as_const(m_connections)) {
        if (c->refused || c->processing || c->closing || c->parser->hasStarted())
            continue;
        if (!oldest || c->lastProgress < oldest->lastProgress)
            oldest = c;
    }
    if (!oldest)
        return false;
    qCDebug(lcHttp) << "connection" << oldest->id << "idle for" << m_clock.elapsed() - oldest->lastProgress
                    << "ms closed to make room";
    dropConnection(oldest);
    return true;
}

void Server::refuse(Connection *c)
{
    // Answered, not left hanging; and closed the way an answered connection is (lingering), so a client
    // still sending its body reads the 503 instead of a reset.
    c->refused = true;
    ++m_refused;
    const Response r =
        Response::error(503, QStringLiteral("too_many_connections"),
                        QStringLiteral("the listener has %1 open connections, all busy; try again later")
                            .arg(m_limits.maxConnections));
    send(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            "X-Content-Type-Options: nosniff\r\nRetry-After: 1\r\nConnection: close\r\n"
            "Content-Length: " +
                QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body);
    closeAfterWriting(c, std::min(m_limits.idleTimeoutMs, 2000));
    Q_EMIT responded(503);
}

void Server::setDeadline(Connection *c, qint64 deadline)
{
    c->deadline = deadline;
    if (deadline < 0 || (m_timer->isActive() && m_timerDue <= deadline))
        return;
    startTimerFor(deadline);
}

void Server::startTimerFor(qint64 deadline)
{
    m_timerDue = deadline;
    m_timer->start(int(std::clamp<qint64>(deadline - m_clock.elapsed(), 0, std::numeric_limits<int>::max())));
}

void Server::onTimer()
{
    const qint64 now = m_clock.elapsed();
    QList<quint64> due;
    for (const Connection *c : std::as_const(m_connections)) {
        if (c->deadline >= 0 && c->deadline <= now)
            due << c->id;
    }
    for (const quint64 id : std::as_const(due)) {
        if (Connection *c = m_connections.value(id)) {
            c->deadline = -1;
            onTimeout(c);
        }
    }
    qint64 next = -1;
    for (const Connection *c : std::as_const(m_connections)) {
        if (c->deadline >= 0 && (next < 0 || c->deadline < next))
            next = c->deadline;
    }
    m_timerDue = -1;
    m_timer->stop();
    if (next >= 0)
        startTimerFor(next);
}

void Server::armTimer(Connection *c)
{
    if (c->processing) {
        c->deadline = -1;
        return;
    }
    const qint64 now = m_clock.elapsed();
    qint64 wait = m_limits.keepAliveTimeoutMs;
    // Under pressure (three quarters full) a connection that sends nothing waits one second, not 30.
    if (qint64(connectionCount()) * 4 >= qint64(m_limits.maxConnections) * 3)
        wait = std::min<qint64>(wait, 1000);
    if (c->parser->hasStarted()) {
        wait = std::max<qint64>(0, m_limits.idleTimeoutMs - (now - c->lastProgress));
        if (c->requestStarted >= 0)
            wait = std::min(wait, std::max<qint64>(0, m_limits.requestTimeoutMs - (now - c->requestStarted)));
    }
    setDeadline(c, now + wait);
}

void Server::onTimeout(Connection *c)
{
    qCDebug(lcHttp) << "timer of connection" << c->id << "started" << c->parser->hasStarted();
    if (c->processing)
        return;
    if (c->closing || !c->parser->hasStarted()) {
        dropConnection(c); // lingered long enough, or an idle keep-alive connection
        return;
    }
    const qint64 now = m_clock.elapsed();
    const bool idle = now - c->lastProgress >= m_limits.idleTimeoutMs;
    const bool slow = c->requestStarted >= 0 && now - c->requestStarted >= m_limits.requestTimeoutMs;
    if (!idle && !slow) {
        armTimer(c);
        return;
    }
    qCDebug(lcHttp) << "request timed out from" << c->peer;
    writeResponse(
        c,
        Response::error(
            408, QStringLiteral("request_timeout"),
            idle ? QStringLiteral("no data received for %1 ms").arg(m_limits.idleTimeoutMs)
                 : QStringLiteral("request not complete within %1 ms").arg(m_limits.requestTimeoutMs)),
        true);
}

void Server::onEvent(quint64 connectionId, bool readable, bool writable, bool hangUp)
{
    if (hangUp) {
        if (Connection *c = m_connections.value(connectionId))
            c->hangUp = true;
    }
    if (writable) {
        if (Connection *c = m_connections.value(connectionId))
            flush(c);
    }
    if (readable) {
        if (Connection *c = m_connections.value(connectionId))
            readFrom(c);
    }
}

void Server::readFrom(Connection *c)
{
    // Read until the socket is empty (the poller may report an arrival only once), except while a request
    // is being processed: one request at a time per connection, and the kernel holds the rest.
    std::array<char, 16 * 1024> buffer;
    const auto caughtUp = [this, c] {
        c->readPending = false;
        if (!c->processing && !c->closing)
            armTimer(c);
    };
    for (;;) {
        if (c->processing) {
            c->readPending = true;
            return;
        }
        const qint64 n = socket::receive(c->fd, buffer.data(), qint64(buffer.size()));
        if (n > 0 && !c->closing) { // while lingering, what arrives is discarded
            const qint64 now = m_clock.elapsed();
            if (!c->parser->hasStarted())
                c->requestStarted = now;
            c->lastProgress = now;
            c->parser->feed(QByteArray::fromRawData(buffer.data(), qsizetype(n)));
            processBuffered(c);
        }
        // Less than asked for: the socket was empty, and what arrives later is reported anew (epoll(7)), so
        // the read that would only say "empty" is saved.
        if (n > 0 && n < qint64(buffer.size()) && !c->hangUp)
            return caughtUp();
        if (n > 0 || (n < 0 && socket::interrupted()))
            continue;
        if (n < 0 && socket::wouldBlock())
            return caughtUp();
        // The client closed its side, or the connection broke.
        qCDebug(lcHttp) << "connection" << c->id << "closed by peer";
        dropConnection(c);
        return;
    }
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
            send(c, QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        }
        return;
    case RequestParser::State::Complete: break;
    }
    Request request = parser.takeRequest();
    qCDebug(lcHttp) << "connection" << c->id << request.method << request.path;
    request.peer = c->peer;
    c->keepAlive = request.keepAlive && !m_shuttingDown;
    c->processing = true;
    c->requestStarted = -1;
    c->deadline = -1;
    m_poller->wantRead(c->id, false);
    m_handler.handle(request, Responder(m_gate, c->id, ++c->requests));
}

void Server::takeAnswers()
{
    std::vector<Responder::Answer> answers;
    {
        std::lock_guard lock(m_gate->mutex);
        answers.swap(m_gate->answers);
    }
    for (Responder::Answer &answer : answers) {
        Connection *c = m_connections.value(answer.connectionId);
        // Only the first answer to the request the connection is waiting on counts.
        const bool awaited = c && c->processing && c->requests == answer.request;
        qCDebug(lcHttp) << "deliver to" << answer.connectionId << (awaited ? "waiting" : "gone or answered");
        if (awaited)
            deliver(c, std::move(answer.response));
    }
    checkDrained();
}

void Server::deliver(Connection *c, Response response)
{
    c->processing = false;
    writeResponse(c, std::move(response), !c->keepAlive || m_shuttingDown);
    if (c->closing)
        return;
    m_poller->wantRead(c->id, true);
    // Pipelined requests already received, then whatever the socket holds.
    if (c->parser->hasBufferedBytes()) {
        c->requestStarted = m_clock.elapsed();
        c->parser->feed({});
        processBuffered(c);
    }
    if (c->processing || c->closing)
        return;
    if (c->readPending)
        readFrom(c);
    else
        armTimer(c);
}

void Server::writeResponse(Connection *c, Response response, bool close)
{
    close = close || response.closeConnection;
    // Appended piece by piece into one buffer: this runs for every answer.
    std::array<char, 24> digits{};
    const auto number = [&digits](qint64 n) {
        const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
        return QByteArrayView(digits.data(), end - digits.data());
    };
    QByteArray out;
    out.reserve(256 + response.body.size());
    out.append("HTTP/1.1 ").append(number(response.status)).append(' ').append(reasonPhrase(response.status));
    out.append("\r\n");
    for (const auto &[name, value] : response.headers)
        out.append(name).append(": ").append(value).append("\r\n");
    out.append("Content-Length: ").append(number(response.body.size())).append("\r\n");
    // No browser may take a JSON or text answer for something it would run or render.
    out.append("X-Content-Type-Options: nosniff\r\nDate: ").append(httpDate()).append("\r\n");
    out.append(close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n");
    out.append(response.body);
    send(c, out);
    Q_EMIT responded(response.status);
    if (close)
        closeAfterWriting(c, m_limits.idleTimeoutMs);
}

void Server::closeAfterWriting(Connection *c, int lingerMs)
{
    // Lingering close: send our side's FIN once the answer is out, then read and drop what the client still
    // sends (a refused large body), so the kernel does not reset the connection before the client has read
    // the answer. Cut off after lingerMs in any case.
    c->closing = true;
    setDeadline(c, m_clock.elapsed() + lingerMs);
    flush(c);
}

void Server::send(Connection *c, const QByteArray &bytes)
{
    if (c->out.isEmpty())
        c->out = bytes;
    else
        c->out += bytes;
    flush(c);
}

void Server::flush(Connection *c)
{
    if (c->out.isEmpty() && (c->writeShut || !c->closing))
        return;
    qsizetype written = 0;
    while (written < c->out.size()) {
        const qint64 n = socket::transmit(c->fd, c->out.constData() + written, c->out.size() - written);
        if (n > 0) {
            written += qsizetype(n);
            continue;
        }
        if (n < 0 && socket::interrupted())
            continue;
        if (n < 0 && socket::wouldBlock())
            break;
        // The client is gone: nothing more can be said; dropped when its deadline comes (at once), not here,
        // where callers still hold the connection.
        qCDebug(lcHttp) << "connection" << c->id << "cannot be written to";
        c->out.clear();
        c->closing = true;
        c->writeShut = true;
        setDeadline(c, m_clock.elapsed());
        return;
    }
    c->out.remove(0, written);
    m_poller->wantWrite(c->id, !c->out.isEmpty());
    if (c->out.isEmpty() && c->closing && !c->writeShut) {
        c->writeShut = true;
        socket::shutdownWrite(c->fd);
    }
}

void Server::dropConnection(Connection *c)
{
    if (!m_connections.remove(c->id))
        return;
    qCDebug(lcHttp) << "connection" << c->id << "closed;" << connectionCount() << "open";
    if (c->refused)
        --m_refused;
    m_poller->remove(c->fd, c->id);
    socket::close(c->fd);
    delete c;
}

} // namespace cachewise::http
