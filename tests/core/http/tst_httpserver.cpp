// SPDX-License-Identifier: GPL-3.0-or-later
// The listener's own contract with its handlers, over a real socket: a request gets exactly one answer,
// the first one sent, whatever else a handler sends through a responder it kept.
#include "core/http/server.h"
#include "tests/support/httpclient.h"

#include <QTest>
#include <QThread>

#include <optional>

using namespace cachewise;
using namespace cachewise::test;

namespace {

http::Response text(const QByteArray &body)
{
    http::Response r;
    r.status = 200;
    r.body = body;
    return r;
}

// /first is answered at once and its responder kept; /again answers twice; /second sends through the kept
// responder of /first before answering itself.
class KeepingHandler final : public http::Handler
{
public:
    void handle(const http::Request &request, const http::Responder &responder) override
    {
        if (request.path == QLatin1String("/first")) {
            m_first = responder;
            responder.send(text("first"));
        } else if (request.path == QLatin1String("/again")) {
            responder.send(text("again"));
            responder.send(text("again, a second time"));
        } else {
            if (m_first)
                m_first->send(text("late answer to /first"));
            responder.send(text("second"));
        }
    }

private:
    std::optional<http::Responder> m_first;
};

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void onlyTheFirstAnswerCounts();

private:
    KeepingHandler m_handler;
    QThread m_thread;
    QObject *m_context = nullptr;
    http::Server *m_server = nullptr;
    quint16 m_port = 0;
};

void TestHttpServer::initTestCase()
{
    // On a thread of its own, as in the app: the blocking client below would otherwise stall it.
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    bool listening = false;
    QMetaObject::invokeMethod(
        m_context,
        [this, &listening] {
            m_server = new http::Server(m_handler, http::Limits{});
            listening = bool(m_server->listen(QHostAddress::LocalHost, 0));
            m_port = m_server->serverPort();
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(listening);
}

void TestHttpServer::cleanupTestCase()
{
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            delete m_server;
            delete m_context;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void TestHttpServer::onlyTheFirstAnswerCounts()
{
    HttpClient client(QStringLiteral("127.0.0.1"), m_port);
    QVERIFY(client.connectToServer());
    // Every request on one kept-alive connection gets its own answer, in order: neither a second send for an
    // answered request nor a late one through an old responder takes the place of the next request's answer.
    const QList<QByteArray> expected{"first", "again", "second", "again", "second"};
    for (const QByteArray &path : expected) {
        const HttpReply reply = client.request("GET", "/" + path, {}, {{"Host", "127.0.0.1"}}, 5000);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, path);
    }
    // And nothing more arrives: the extra answers were dropped, not queued.
    QCOMPARE(client.readRaw(300), QByteArray());
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
