// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/requestparser.h"

#include <QTest>

using cachewise::http::Limits;
using cachewise::http::RequestParser;
using State = RequestParser::State;

class TestRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void completeRequests_data();
    void completeRequests();
    void refusals_data();
    void refusals();
    void byteByByte();
    void pipelined();
    void chunkedOverLimitStopsEarly();
    void expectContinue();
    void headerLimitCountsAllLines();
};

static Limits smallLimits()
{
    Limits l;
    l.maxHeaderBytes = 512;
    l.maxBodyBytes = 64;
    return l;
}

void TestRequestParser::completeRequests_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    QTest::addRow("GET without body")
        << QByteArray("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("GET")
        << QStringLiteral("/api/health") << QByteArray() << true;
    QTest::addRow("POST with Content-Length")
        << QByteArray("POST /api/metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello") << QByteArray("POST")
        << QStringLiteral("/api/metrics") << QByteArray("hello") << true;
    QTest::addRow("chunked body with extension and trailer")
        << QByteArray("POST /x HTTP/1.1\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n")
        << QByteArray("POST") << QStringLiteral("/x") << QByteArray("abcde") << true;
    QTest::addRow("bare LF line ends") << QByteArray("GET /a HTTP/1.1\nHost: x\n\n") << QByteArray("GET")
                                       << QStringLiteral("/a") << QByteArray() << true;
    QTest::addRow("Connection: close") << QByteArray("GET /a HTTP/1.1\r\nConnection: close\r\n\r\n")
                                       << QByteArray("GET") << QStringLiteral("/a") << QByteArray() << false;
    QTest::addRow("HTTP/1.0 closes by default") << QByteArray("GET /a HTTP/1.0\r\n\r\n") << QByteArray("GET")
                                                << QStringLiteral("/a") << QByteArray() << false;
    QTest::addRow("percent-encoded path and query")
        << QByteArray("GET /api/projects/a%20b?x=1 HTTP/1.1\r\n\r\n") << QByteArray("GET")
        << QStringLiteral("/api/projects/a b") << QByteArray() << true;
    QTest::addRow("body exactly at the limit")
        << QByteArray("POST /x HTTP/1.1\r\nContent-Length: 64\r\n\r\n") + QByteArray(64, 'a')
        << QByteArray("POST") << QStringLiteral("/x") << QByteArray(64, 'a') << true;
}

void TestRequestParser::completeRequests()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    RequestParser parser(smallLimits());
    QCOMPARE(parser.feed(raw), State::Complete);
    const auto request = parser.takeRequest();
    QCOMPARE(request.method, method);
    QCOMPARE(request.path, path);
    QCOMPARE(request.body, body);
    QCOMPARE(request.keepAlive, keepAlive);
    QVERIFY(!parser.hasBufferedBytes());
}

void TestRequestParser::refusals_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");

    QTest::addRow("garbage request line") << QByteArray("HELLO\r\n\r\n") << 400;
    QTest::addRow("request line with extra words") << QByteArray("GET / x HTTP/1.1\r\n\r\n") << 400;
    QTest::addRow("two spaces before the target") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
    QTest::addRow("no method") << QByteArray(" / HTTP/1.1\r\n\r\n") << 400;
    QTest::addRow("no version") << QByteArray("GET / \r\n\r\n") << 400;
    QTest::addRow("space after the version") << QByteArray("GET / HTTP/1.1 \r\n\r\n") << 400;
    QTest::addRow("method not a token") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400;
    QTest::addRow("two words") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::addRow("target not a path") << QByteArray("GET http://x/ HTTP/1.1\r\n\r\n") << 400;
    QTest::addRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::addRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nNoColon\r\n\r\n") << 400;
    QTest::addRow("folded header") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
    QTest::addRow("space in header name") << QByteArray("GET / HTTP/1.1\r\nBad Name: 1\r\n\r\n") << 400;
    QTest::addRow("control byte in value") << QByteArray("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n") << 400;
    QTest::addRow("negative Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::addRow("non-numeric Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::addRow("conflicting Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << 400;
    QTest::addRow("Content-Length with Transfer-Encoding")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
    QTest::addRow("unsupported Transfer-Encoding")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
    QTest::addRow("Content-Length over the limit")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 209715200\r\n\r\n") << 413;
    QTest::addRow("chunked body over the limit")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n") << 413;
    QTest::addRow("malformed chunk size")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
    QTest::addRow("chunk longer than its size")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n") << 400;
    QTest::addRow("headers over the limit")
        << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(600, 'a') + "\r\n\r\n"
        << 431;
    QTest::addRow("request line over the limit without newline") << QByteArray(600, 'G') << 431;
}

void TestRequestParser::refusals()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    RequestParser parser(smallLimits());
    QCOMPARE(parser.feed(raw), State::Error);
    QCOMPARE(parser.errorStatus(), status);
    QVERIFY(!parser.errorMessage().isEmpty());
    // Once failed, it stays failed whatever follows.
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), State::Error);
}

void TestRequestParser::byteByByte()
{
    const QByteArray raw(
        "POST /api/metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
        "\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n");
    RequestParser parser(smallLimits());
    for (qsizetype i = 0; i < raw.size() - 1; ++i)
        QCOMPARE(parser.feed(raw.mid(i, 1)), State::Incomplete);
    QCOMPARE(parser.feed(raw.right(1)), State::Complete);
    const auto request = parser.takeRequest();
    QCOMPARE(request.body, QByteArray("{\"a\":1}"));
    QCOMPARE(request.header("content-type"), QByteArray("application/json"));
}

void TestRequestParser::pipelined()
{
    RequestParser parser(smallLimits());
    QCOMPARE(
        parser.feed("GET /one HTTP/1.1\r\n\r\nPOST /two HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /thr"),
        State::Complete);
    QCOMPARE(parser.takeRequest().path, QStringLiteral("/one"));
    QCOMPARE(parser.feed({}), State::Complete);
    const auto second = parser.takeRequest();
    QCOMPARE(second.path, QStringLiteral("/two"));
    QCOMPARE(second.body, QByteArray("hi"));
    QCOMPARE(parser.feed({}), State::Incomplete);
    QCOMPARE(parser.feed("ee HTTP/1.1\r\n\r\n"), State::Complete);
    QCOMPARE(parser.takeRequest().path, QStringLiteral("/three"));
}

void TestRequestParser::chunkedOverLimitStopsEarly()
{
    Limits limits = smallLimits();
    RequestParser parser(limits);
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), State::Incomplete);
    QCOMPARE(parser.feed("20\r\n" + QByteArray(32, 'a') + "\r\n"), State::Incomplete);
    QCOMPARE(parser.feed("20\r\n" + QByteArray(32, 'a') + "\r\n"), State::Incomplete);
    // The next chunk would pass 64 bytes: refused before its data is read.
    QCOMPARE(parser.feed("1\r\n"), State::Error);
    QCOMPARE(parser.errorStatus(), 413);
}

void TestRequestParser::expectContinue()
{
    RequestParser parser(smallLimits());
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"),
             State::Incomplete);
    QVERIFY(parser.wantsContinue());
    parser.markContinueSent();
    QVERIFY(!parser.wantsContinue());
    QCOMPARE(parser.feed("ok"), State::Complete);

    RequestParser tooLarge(smallLimits());
    QCOMPARE(tooLarge.feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 65\r\n\r\n"),
             State::Error);
    QCOMPARE(tooLarge.errorStatus(), 413);
}

void TestRequestParser::headerLimitCountsAllLines()
{
    RequestParser parser(smallLimits());
    QByteArray raw("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 40; ++i)
        raw += "X-" + QByteArray::number(i) + ": 0123456789\r\n";
    QCOMPARE(parser.feed(raw), State::Error);
    QCOMPARE(parser.errorStatus(), 431);
}

QTEST_GUILESS_MAIN(TestRequestParser)
#include "tst_requestparser.moc"
