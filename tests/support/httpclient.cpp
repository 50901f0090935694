// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/httpclient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

namespace cachewise::test {

QByteArray HttpReply::header(const QByteArray &lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpClient::HttpClient(QString host, quint16 port) : m_host(std::move(host)), m_port(port) {}

HttpClient::~HttpClient() = default;

bool HttpClient::connectToServer(int timeoutMs)
{
    m_socket = std::make_unique<QTcpSocket>();
    m_buffer.clear();
    m_socket->connectToHost(m_host, m_port);
    return m_socket->waitForConnected(timeoutMs);
}

bool HttpClient::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpClient::writeRaw(const QByteArray &bytes)
{
    if (!isConnected() && !connectToServer())
        return;
    m_socket->write(bytes);
    m_socket->waitForBytesWritten(5000);
}

void HttpClient::finishSending()
{
    if (!m_socket)
        return;
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(m_socket->socketDescriptor()), SD_SEND);
#else
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#endif
}

HttpReply HttpClient::readReply(int timeoutMs)
{
    HttpReply reply;
    if (!m_socket)
        return reply;
    QDeadlineTimer deadline(timeoutMs);
    auto fill = [&]() -> bool {
        if (m_socket->bytesAvailable() == 0 &&
            !m_socket->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())))) {
            reply.closedByServer = m_socket->state() != QAbstractSocket::ConnectedState;
            return false;
        }
        m_buffer += m_socket->readAll();
        return true;
    };
    for (;;) {
        qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        while (headerEnd < 0) {
            if (deadline.hasExpired() || !fill())
                return reply;
            headerEnd = m_buffer.indexOf("\r\n\r\n");
        }
        const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
        const QList<QByteArray> statusParts = lines.value(0).trimmed().split(' ');
        reply.status = statusParts.value(1).toInt();
        reply.headers.clear();
        qint64 length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            reply.headers.append({name, value});
            if (name == "content-length")
                length = value.toLongLong();
        }
        m_buffer.remove(0, headerEnd + 4);
        if (reply.status == 100) {
            reply = HttpReply{};
            continue; // interim response: the real one follows
        }
        while (m_buffer.size() < length) {
            if (deadline.hasExpired() || !fill()) {
                reply.status = 0;
                return reply;
            }
        }
        reply.body = m_buffer.left(length);
        m_buffer.remove(0, length);
        if (reply.header("connection") == "close")
            reply.closedByServer = waitForClose(2000);
        return reply;
    }
}

QByteArray HttpClient::readRaw(int timeoutMs)
{
    if (m_socket && m_buffer.isEmpty() && m_socket->bytesAvailable() == 0)
        m_socket->waitForReadyRead(timeoutMs);
    QByteArray out = m_buffer + (m_socket ? m_socket->readAll() : QByteArray());
    m_buffer.clear();
    return out;
}

bool HttpClient::waitForClose(int timeoutMs)
{
    if (!m_socket)
        return true;
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket->state() == QAbstractSocket::ConnectedState) {
        if (deadline.hasExpired())
            return false;
        if (m_socket->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
            m_buffer += m_socket->readAll();
    }
    return true;
}

QByteArray HttpClient::buildRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\n";
    bool hasHost = false;
    for (const auto &[name, value] : headers)
        hasHost |= name.toLower() == "host";
    if (!hasHost)
        out += "Host: 127.0.0.1\r\n";
    bool hasLength = false;
    for (const auto &[name, value] : headers) {
        out += name + ": " + value + "\r\n";
        if (name.toLower() == "content-length" || name.toLower() == "transfer-encoding")
            hasLength = true;
    }
    if (!hasLength && (!body.isEmpty() || method == "POST"))
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    return out;
}

HttpReply HttpClient::request(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                              const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs)
{
    if (!isConnected() && !connectToServer())
        return {};
    writeRaw(buildRequest(method, path, body, headers));
    HttpReply reply = readReply(timeoutMs);
    if (reply.closedByServer)
        m_socket.reset();
    return reply;
}

HttpReply HttpClient::postJson(const QByteArray &path, const QByteArray &body, const QString &apiKey,
                               int timeoutMs)
{
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
    if (!apiKey.isEmpty())
        headers.append({"Authorization", "Bearer " + apiKey.toLatin1()});
    return request("POST", path, body, headers, timeoutMs);
}

} // namespace cachewise::test
