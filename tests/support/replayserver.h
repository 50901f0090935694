// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace cachewise::test {

// Answers GET requests on loopback from a map of path → (status, body): a server that replays, byte for
// byte, what a real one answered (the captures in tests/data). Lives on the thread that creates it.
class ReplayServer : public QObject
{
public:
    ReplayServer();
    bool listen(quint16 port = 0);
    // Gone like a stopped server: no new connections, and the kept-alive ones cut.
    void close();
    quint16 port() const { return m_server.serverPort(); }
    // `headers`: extra header lines ("Name: value\r\n" each), answered as given.
    void serve(const QByteArray &path, int status, const QByteArray &body, const QByteArray &headers = {})
    {
        m_routes[path] = {status, body};
        m_headers[path] = headers;
    }
    // A capture of a real server: its body from tests/data/`file` and, when `file`.headers.txt exists, the
    // status and the headers it answered with (Content-Length and Connection are the replay's own).
    void serveCapture(const QByteArray &path, const QString &file);
    int hits(const QByteArray &path) const { return m_hits.value(path); }
    // Runs after a request for `path` is answered (a server whose state changes, e.g. after an erase).
    void onHit(const QByteArray &path, std::function<void()> fn) { m_hooks[path] = std::move(fn); }
    // Like a server started with --api-key: requests without "Authorization: Bearer KEY" get 401.
    void requireApiKey(const QByteArray &key) { m_apiKey = key; }
    QList<QByteArray> requests;       // "METHOD path", in order
    QList<QByteArray> authorizations; // each request's Authorization header (empty when none)

private:
    void answer(QTcpSocket *socket);

    QTcpServer m_server;
    QHash<QByteArray, QPair<int, QByteArray>> m_routes;
    QHash<QByteArray, QByteArray> m_headers;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QByteArray, int> m_hits;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QByteArray, std::function<void()>> m_hooks;
    QByteArray m_apiKey;
};

// A file under tests/data (e.g. "ollama/ps.json"); a missing file stops the test run.
// The absolute path of a file under tests/data: the one way every suite finds its data.
QString testDataPath(const QString &relative);
QByteArray testData(const QString &relative);

// A file of tests/data/llama-server/f16-np4 (what a real llama-server -c 4096 -np 4 answered).
QByteArray llamaCapture(const char *name);
// Serves /props, /v1/models and the given /slots and /metrics captures.
void serveLlamaCaptures(ReplayServer &server, const char *slots, const char *metrics);
// The same from tests/data/llama-server/f16-npauto-kvu (llama-server -c 4096 without -np: 4 slots sharing
// one unified cache), with the captured headers; `processStart` replaces /metrics' Process-Start-Time-Unix
// (a restarted server sends another).
void serveUnifiedLlamaCaptures(ReplayServer &server, const char *slots, const char *metrics,
                               const QByteArray &processStart = "1530892723");
// A source of a project at 127.0.0.1:port (llama-server unless `engine` says otherwise), scraped every
// 250 ms.
model::Source sourceAt(const QString &projectId, quint16 port,
                       model::Engine engine = model::Engine::LlamaCpp);
// Serves Ollama's /api/ps and /api/show from tests/data/ollama.
void serveOllamaCaptures(ReplayServer &server);

} // namespace cachewise::test
