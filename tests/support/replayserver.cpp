// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/replayserver.h"

#include <QFile>

namespace cachewise::test {

ReplayServer::ReplayServer()
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            m_sockets << socket;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

bool ReplayServer::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

void ReplayServer::close()
{
    m_server.close();
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
        if (socket)
            socket->abort();
    }
    m_sockets.clear();
}

void ReplayServer::answer(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
    const QByteArray path = requestLine.value(1);
    const QByteArray request = requestLine.value(0) + ' ' + path;
    // Drop the request with its body (Content-Length), so the next one on this connection parses.
    qsizetype length = 0;
    QByteArray authorization;
    for (const QByteArray &line : buffer.left(end).split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
        if (line.toLower().startsWith("authorization:"))
            authorization = line.mid(14).trimmed();
    }
    if (buffer.size() < end + 4 + length)
        return;
    buffer.remove(0, end + 4 + length);
    ++m_hits[path];
    requests << request;
    authorizations << authorization;
    auto route = m_routes.value(path, {404, QByteArrayLiteral("{\"error\":{\"code\":404}}")});
    if (!m_apiKey.isEmpty() && authorization != "Bearer " + m_apiKey) // llama-server's own refusal
        route = {401,
                 QByteArrayLiteral(
                     R"({"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}})")};
    QByteArray headers =
        m_apiKey.isEmpty() || authorization == "Bearer " + m_apiKey ? m_headers.value(path) : QByteArray();
    if (!headers.toLower().contains("content-type:"))
        headers += "Content-Type: application/json\r\n";
    socket->write("HTTP/1.1 " + QByteArray::number(route.first) + " X\r\n" + headers +
                  "Content-Length: " + QByteArray::number(route.second.size()) + "\r\n\r\n" + route.second);
    if (const auto hook = m_hooks.constFind(path); hook != m_hooks.constEnd())
        (*hook)();
}

void ReplayServer::serveCapture(const QByteArray &path, const QString &file)
{
    const QByteArray body = testData(file);
    int status = 200;
    QByteArray headers;
    QFile head(QStringLiteral(CACHEWISE_TEST_DATA_DIR "/") + file + QStringLiteral(".headers.txt"));
    if (head.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = head.readAll().split('\n');
        status = lines.value(0).split(' ').value(1).toInt();
        for (const QByteArray &raw : lines.mid(1)) {
            const QByteArray line = raw.trimmed();
            const QByteArray name = line.left(line.indexOf(':')).toLower();
            if (!line.isEmpty() && name != "content-length" && name != "connection" && name != "keep-alive")
                headers += line + "\r\n";
        }
    }
    serve(path, status, body, headers);
}

QString testDataPath(const QString &relative)
{
    return QStringLiteral(CACHEWISE_TEST_DATA_DIR "/") + relative;
}

QByteArray testData(const QString &relative)
{
    QFile f(testDataPath(relative));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(relative));
    return f.readAll();
}

QByteArray llamaCapture(const char *name)
{
    return testData(QStringLiteral("llama-server/f16-np4/") + QLatin1String(name));
}

void serveOllamaCaptures(ReplayServer &server)
{
    server.serve("/api/ps", 200, testData(QStringLiteral("ollama/ps.json")));
    server.serve("/api/show", 200, testData(QStringLiteral("ollama/show.json")));
}

void serveLlamaCaptures(ReplayServer &server, const char *slots, const char *metrics)
{
    server.serve("/props", 200, llamaCapture("props.json"));
    server.serve("/v1/models", 200, llamaCapture("models.json"));
    server.serve("/slots", 200, llamaCapture(slots));
    server.serve("/metrics", 200, llamaCapture(metrics));
}

void serveUnifiedLlamaCaptures(ReplayServer &server, const char *slots, const char *metrics,
                               const QByteArray &processStart)
{
    const QString dir = QStringLiteral("llama-server/f16-npauto-kvu/");
    server.serveCapture("/props", dir + QStringLiteral("props.json"));
    server.serveCapture("/v1/models", dir + QStringLiteral("v1_models.json"));
    server.serveCapture("/slots", dir + QLatin1String(slots));
    server.serveCapture("/metrics", dir + QLatin1String(metrics));
    // The captured header, or another process's.
    const QByteArray body = testData(dir + QLatin1String(metrics));
    server.serve("/metrics", 200, body,
                 "Content-Type: text/plain; version=0.0.4\r\nProcess-Start-Time-Unix: " + processStart +
                     "\r\n");
}

model::Source sourceAt(const QString &projectId, quint16 port, model::Engine engine)
{
    model::Source s;
    s.projectId = projectId;
    s.engine = engine;
    s.baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
    s.intervalMs = 250;
    return s;
}

} // namespace cachewise::test
