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
    void serve(const QByteArray &path, int status, const QByteArray &body)
    {
        m_routes[path] = {status, body};
    }
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
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QByteArray, int> m_hits;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QByteArray, std::function<void()>> m_hooks;
    QByteArray m_apiKey;
};

// A file under tests/data (e.g. "ollama/ps.json"); a missing file stops the test run.
QByteArray testData(const QString &relative);

// A file of tests/data/llama-server/f16-np4 (what a real llama-server -c 4096 -np 4 answered).
QByteArray llamaCapture(const char *name);
// Serves /props, /v1/models and the given /slots and /metrics captures.
void serveLlamaCaptures(ReplayServer &server, const char *slots, const char *metrics);
// A source of a project at 127.0.0.1:port (llama-server unless `engine` says otherwise), scraped every
// 250 ms.
storage::Source sourceAt(const QString &projectId, quint16 port,
                         const QString &engine = QStringLiteral("llama.cpp"));
// Serves Ollama's /api/ps and /api/show from tests/data/ollama.
void serveOllamaCaptures(ReplayServer &server);

} // namespace cachewise::test
