// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QTcpSocket>

#include <memory>

namespace cachewise::test {

struct HttpReply
{
    int status = 0;                               // 0: no answer (closed or timed out)
    QList<QPair<QByteArray, QByteArray>> headers; // names in lower case
    QByteArray body;
    bool closedByServer = false;

    QByteArray header(const QByteArray &lowerName) const;
    QJsonObject json() const;
    QString errorCode() const { return json().value(QLatin1String("error")).toString(); }
    QString errorField() const { return json().value(QLatin1String("field")).toString(); }
};

// A blocking HTTP/1.1 client on a real socket, for tests only: it writes exactly the bytes it is
// given, so tests can send malformed, partial and pipelined requests.
class HttpClient
{
public:
    HttpClient(QString host, quint16 port);
    ~HttpClient();

    bool connectToServer(int timeoutMs = 5000);
    bool isConnected() const;
    void writeRaw(const QByteArray &bytes);
    // Closes the sending side (a FIN) and keeps reading, as `nc -N` does after its request.
    void finishSending();
    // Reads one response (Content-Length framed); status 0 if none arrives in time.
    HttpReply readReply(int timeoutMs = 10000);
    // Whatever bytes arrive within the time, unparsed.
    QByteArray readRaw(int timeoutMs);
    // Waits until the server closes the connection.
    bool waitForClose(int timeoutMs);

    HttpReply request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                      const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 10000);
    HttpReply postJson(const QByteArray &path, const QByteArray &body, const QString &apiKey,
                       int timeoutMs = 10000);

    static QByteArray buildRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                   const QList<QPair<QByteArray, QByteArray>> &headers);

private:
    QString m_host;
    quint16 m_port;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
};

} // namespace cachewise::test
