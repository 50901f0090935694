// SPDX-License-Identifier: GPL-3.0-or-later
// The listener's guard over a real socket: header and body limits (also chunked), connection
// count, idle and request timeouts, keep-alive, pipelining, 100-continue, clients that leave.
#include "tests/support/httpclient.h"
#include "tests/support/teststack.h"

#include <QElapsedTimer>
#include <QTest>

using namespace cachewise;
using namespace cachewise::test;

class TestHttpGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void headersTooLarge();
    void declaredBodyTooLargeIsRefusedBeforeItArrives();
    void chunkedBodyTooLarge();
    void chunkedBodyAccepted();
    void halfSentRequestTimesOut();
    void dribblingRequestTimesOut();
    void idleKeepAliveConnectionIsClosed();
    void connectionLimit();
    void silentConnectionsDoNotLockPushesOut();
    void keepAliveServesManyRequests();
    void pipelinedRequestsAnsweredInOrder();
    void expectContinue();
    void malformedRequests_data();
    void malformedRequests();
    void clientLeavingBeforeTheAnswer();
    void clientClosingItsSideGetsTheAnswerAndTheEnd();

private:
    HttpClient client() { return HttpClient(QStringLiteral("127.0.0.1"), m_stack->port()); }
    std::unique_ptr<TestStack> m_stack;
    CreatedProject m_project;
};

void TestHttpGuard::initTestCase()
{
    http::Limits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxBodyBytes = 64 * 1024;
    limits.maxConnections = 8;
    // Short enough to test quickly, long enough that a busy CI machine does not trip them by accident.
    limits.idleTimeoutMs = 1000;
    limits.requestTimeoutMs = 3000;
    limits.keepAliveTimeoutMs = 2000;
    m_stack = std::make_unique<TestStack>();
    QVERIFY(m_stack->start(limits, false));
    QVERIFY(m_stack->repository().settings().set(QStringLiteral("ingest.rateLimitPerSecond"),
                                                 QStringLiteral("0")));
    m_project = m_stack->createProject(QStringLiteral("Guarded"));
    QTRY_COMPARE(m_stack->engine().listenerSettings().ratePerSecond, 0.0);
}

void TestHttpGuard::cleanupTestCase()
{
    m_stack.reset();
}

void TestHttpGuard::headersTooLarge()
{
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    c.writeRaw("GET /api/health HTTP/1.1\r\nX-Big: " + QByteArray(4096, 'a') + "\r\n\r\n");
    const HttpReply reply = c.readReply();
    QCOMPARE(reply.status, 431);
    QCOMPARE(reply.errorCode(), QStringLiteral("headers_too_large"));
    QVERIFY(reply.closedByServer);
}

void TestHttpGuard::declaredBodyTooLargeIsRefusedBeforeItArrives()
{
    // 200 MB announced, not one byte sent: the answer comes at once and the body is never read.
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    QElapsedTimer timer;
    timer.start();
    c.writeRaw("POST /api/metrics HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " +
               m_project.apiKey.toLatin1() + "\r\nContent-Length: 209715200\r\n\r\n");
    const HttpReply reply = c.readReply(3000);
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.errorCode(), QStringLiteral("body_too_large"));
    QVERIFY(reply.closedByServer);
    QCOMPARE(m_stack->rawCount(m_project.id), 0);
}

void TestHttpGuard::chunkedBodyTooLarge()
{
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    c.writeRaw(
        "POST /api/metrics HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        "Authorization: Bearer " +
        m_project.apiKey.toLatin1() + "\r\n\r\n");
    const QByteArray chunk = QByteArray::number(16 * 1024, 16) + "\r\n" + QByteArray(16 * 1024, ' ') + "\r\n";
    HttpReply reply;
    for (int i = 0; i < 64 && reply.status == 0; ++i) { // up to 1 MiB, the limit is 64 KiB
        c.writeRaw(chunk);
        reply = c.readReply(50);
    }
    if (reply.status == 0)
        reply = c.readReply(3000);
    QCOMPARE(reply.status, 413);
    QVERIFY(reply.closedByServer);
    QCOMPARE(m_stack->rawCount(m_project.id), 0);
}

void TestHttpGuard::chunkedBodyAccepted()
{
    // The way the OpenTelemetry JS exporter sends: chunked, no Content-Length.
    const QByteArray body = sampleJson(m_project.id);
    const QByteArray first = body.left(20);
    const QByteArray rest = body.mid(20);
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    c.writeRaw("POST /api/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
               "application/json\r\nTransfer-Encoding: chunked\r\n"
               "Authorization: Bearer " +
               m_project.apiKey.toLatin1() + "\r\n\r\n" + QByteArray::number(first.size(), 16) + "\r\n" +
               first + "\r\n" + QByteArray::number(rest.size(), 16) + "\r\n" + rest + "\r\n0\r\n\r\n");
    const HttpReply reply = c.readReply();
    QCOMPARE(reply.status, 200);
    QCOMPARE(m_stack->rawCount(m_project.id), 1);
}

void TestHttpGuard::halfSentRequestTimesOut()
{
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    c.writeRaw("POST /api/metrics HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"half\":");
    QElapsedTimer timer;
    timer.start();
    const HttpReply reply = c.readReply(5000);
    QCOMPARE(reply.status, 408);
    QCOMPARE(reply.errorCode(), QStringLiteral("request_timeout"));
    QVERIFY(reply.closedByServer);
    QVERIFY(timer.elapsed() < 4500);
}

void TestHttpGuard::dribblingRequestTimesOut()
{
    // One byte every 200 ms never trips the 1 s idle timeout but does trip the 3 s request timeout.
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    const QByteArray request = "GET /api/health HTTP/1.1\r\nX-Slow: " + QByteArray(200, 'a');
    HttpReply reply;
    for (qsizetype i = 0; i < request.size() && reply.status == 0; ++i) {
        c.writeRaw(request.mid(i, 1));
        reply = c.readReply(200);
    }
    QCOMPARE(reply.status, 408);
    QVERIFY(reply.closedByServer);
}

void TestHttpGuard::idleKeepAliveConnectionIsClosed()
{
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    QCOMPARE(c.request("GET", "/api/health").status, 200);
    QVERIFY(c.waitForClose(6000));
}

void TestHttpGuard::connectionLimit()
{
    std::vector<std::unique_ptr<HttpClient>> held;
    for (int i = 0; i < 8; ++i) {
        held.push_back(std::make_unique<HttpClient>(QStringLiteral("127.0.0.1"), m_stack->port()));
        QVERIFY(held.back()->connectToServer());
        held.back()->writeRaw("GET /api/he"); // started, so not closed as idle keep-alive
    }
    QTest::qWait(100);
    // Every connection busy: the newcomer is refused with a 503 it can read, even while it sends a
    // body (no reset mid-upload).
    HttpClient extra = client();
    QVERIFY(extra.connectToServer());
    extra.writeRaw(HttpClient::buildRequest(
        "POST", "/api/metrics", QByteArray(48 * 1024, ' ') + sampleJson(m_project.id),
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + m_project.apiKey.toLatin1()}}));
    const HttpReply refused = extra.readReply(3000);
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.errorCode(), QStringLiteral("too_many_connections"));
    QCOMPARE(refused.header("retry-after"), QByteArray("1"));
    held.clear();
    // Slots free up again.
    QTRY_COMPARE_WITH_TIMEOUT(client().request("GET", "/api/health").status, 200, 5000);
}

void TestHttpGuard::silentConnectionsDoNotLockPushesOut()
{
    // Every slot taken by connections that send nothing: a push still gets in at once (the silent one
    // idle longest gives way), not after their keep-alive timeout.
    std::vector<std::unique_ptr<HttpClient>> silent;
    for (int i = 0; i < 8; ++i) {
        silent.push_back(std::make_unique<HttpClient>(QStringLiteral("127.0.0.1"), m_stack->port()));
        QVERIFY(silent.back()->connectToServer());
    }
    QTest::qWait(100);
    const qint64 before = m_stack->rawCount(m_project.id);
    for (int round = 0; round < 3; ++round) {
        HttpClient pusher = client();
        QVERIFY(pusher.connectToServer());
        const HttpReply pushed =
            pusher.postJson("/api/metrics", sampleJson(m_project.id), m_project.apiKey, 1500);
        QCOMPARE(pushed.status, 200);
        // They reconnect: still no lock-out.
        silent.push_back(std::make_unique<HttpClient>(QStringLiteral("127.0.0.1"), m_stack->port()));
        QVERIFY(silent.back()->connectToServer());
    }
    QCOMPARE(m_stack->rawCount(m_project.id), before + 3);
}

void TestHttpGuard::keepAliveServesManyRequests()
{
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    for (int i = 0; i < 20; ++i) {
        const HttpReply r = c.request("GET", "/api/health");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection"), QByteArray("keep-alive"));
    }
    const HttpReply last = c.request("GET", "/api/health", {}, {{"Connection", "close"}});
    QCOMPARE(last.status, 200);
    QVERIFY(last.closedByServer);
}

void TestHttpGuard::pipelinedRequestsAnsweredInOrder()
{
    const qint64 before = m_stack->rawCount(m_project.id);
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    QByteArray all;
    const QList<QPair<QByteArray, QByteArray>> headers{
        {"Content-Type", "application/json"}, {"Authorization", "Bearer " + m_project.apiKey.toLatin1()}};
    all += HttpClient::buildRequest("POST", "/api/metrics", sampleJson(m_project.id, 1), headers);
    all += HttpClient::buildRequest("GET", "/nope", {}, {});
    all += HttpClient::buildRequest(
        "POST", "/api/metrics", "[" + sampleJson(m_project.id, 2) + "," + sampleJson(m_project.id, 3) + "]",
        headers);
    c.writeRaw(all);
    const HttpReply a = c.readReply();
    const HttpReply b = c.readReply();
    const HttpReply d = c.readReply();
    QCOMPARE(a.status, 200);
    QCOMPARE(a.json().value(QLatin1String("accepted")).toInt(), 1);
    QCOMPARE(b.status, 404);
    QCOMPARE(d.status, 200);
    QCOMPARE(d.json().value(QLatin1String("accepted")).toInt(), 2);
    QCOMPARE(m_stack->rawCount(m_project.id), before + 3);
}

void TestHttpGuard::expectContinue()
{
    const QByteArray body = sampleJson(m_project.id);
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    c.writeRaw("POST /api/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: "
               "100-continue\r\n"
               "Authorization: Bearer " +
               m_project.apiKey.toLatin1() + "\r\nContent-Length: " + QByteArray::number(body.size()) +
               "\r\n\r\n");
    QCOMPARE(c.readRaw(2000), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    c.writeRaw(body);
    const HttpReply reply = c.readReply();
    QCOMPARE(reply.status, 200);
}

void TestHttpGuard::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    // A TLS ClientHello sent to the plain-HTTP port.
    QTest::addRow("TLS handshake") << QByteArray::fromHex("160301020001000001fc0303") + QByteArray("\r\n\r\n")
                                   << 400;
    QTest::addRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
    QTest::addRow("HTTP/3.0 version") << QByteArray("GET / HTTP/3.0\r\n\r\n") << 505;
    QTest::addRow("smuggling: both lengths") << QByteArray("POST /api/metrics HTTP/1.1\r\nContent-Length: "
                                                           "4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                                             << 400;
    QTest::addRow("gzip transfer coding")
        << QByteArray("POST /api/metrics HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
}

void TestHttpGuard::malformedRequests()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    HttpClient c = client();
    QVERIFY(c.connectToServer());
    c.writeRaw(raw);
    const HttpReply reply = c.readReply();
    QCOMPARE(reply.status, status);
    QVERIFY(reply.closedByServer);
    QCOMPARE(client().request("GET", "/api/health").status, 200); // and the listener lives on
}

void TestHttpGuard::clientLeavingBeforeTheAnswer()
{
    const qint64 before = m_stack->rawCount(m_project.id);
    for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < 4; ++i) { // at most half of the 8 connections allowed
            HttpClient c = client();
            QVERIFY(c.connectToServer());
            c.writeRaw(HttpClient::buildRequest(
                "POST", "/api/metrics", sampleJson(m_project.id, 1000 + round * 10 + i),
                {{"Content-Type", "application/json"},
                 {"Authorization", "Bearer " + m_project.apiKey.toLatin1()}}));
            // c goes out of scope: the socket closes while the sample is being committed.
        }
        // Each complete, valid request is committed even though nobody waits for the answer.
        QTRY_COMPARE_WITH_TIMEOUT(m_stack->rawCount(m_project.id), before + 4 * (round + 1), 5000);
        QCOMPARE(client().request("GET", "/api/health").status, 200);
    }
}

void TestHttpGuard::clientClosingItsSideGetsTheAnswerAndTheEnd()
{
    // A request, then the client's FIN (`nc -N`): the sample is answered and stored, and the listener closes
    // at once, not after the keep-alive timeout (2 s here), although the request and the FIN arrive together
    // and the read that takes the request leaves nothing but the end behind.
    for (int round = 0; round < 5; ++round) {
        const qint64 before = m_stack->rawCount(m_project.id);
        HttpClient c = client();
        QVERIFY(c.connectToServer());
        c.writeRaw(HttpClient::buildRequest("POST", "/api/metrics", sampleJson(m_project.id, 2000 + round),
                                            {{"Content-Type", "application/json"},
                                             {"Authorization", "Bearer " + m_project.apiKey.toLatin1()}}));
        c.finishSending();
        QElapsedTimer waited;
        waited.start();
        QCOMPARE(c.readReply(3000).status, 200);
        QVERIFY(c.waitForClose(3000));
        QVERIFY2(waited.elapsed() < 1000,
                 qPrintable(QStringLiteral("closed after %1 ms").arg(waited.elapsed())));
        QCOMPARE(m_stack->rawCount(m_project.id), before + 1);
    }
}

QTEST_GUILESS_MAIN(TestHttpGuard)
#include "tst_httpguard.moc"
