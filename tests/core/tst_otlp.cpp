// SPDX-License-Identifier: GPL-3.0-or-later
// OTLP/HTTP JSON in: the requests the OpenTelemetry JS SDK and the Collector really sent, read into
// samples, then end to end over the listener (chunked, no key from this machine, a project per service).
#include "core/ingest/otlpjson.h"
#include "tests/support/httpclient.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"

#include <QFile>
#include <QTest>

using namespace cachewise;
using storage::Metric;

namespace {

QByteArray capture(const char *name)
{
    return cachewise::test::testData(QStringLiteral("otlp/") + QLatin1String(name));
}

} // namespace

class TestOtlp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonFromTheJsSdk();
    void canonicalJsonFromTheCollector();
    void nanAndInfAreSkipped();
    void refusals_data();
    void refusals();
    void overTheListener();
};

void TestOtlp::jsonFromTheJsSdk()
{
    QHash<QString, sources::CounterTracker> counters;
    auto first = ingest::parseOtlpJson(capture("otlp-json-000.json"), 0, counters);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.errorMessage()));
    QCOMPARE(first->size(), 1);
    const ingest::OtlpResource &r = first->first();
    QCOMPARE(r.serviceName, QStringLiteral("kv-peer-otel-js"));
    QCOMPARE(*r.sample.value(Metric::KvCacheUsageRatio), 0.25);
    QCOMPARE(*r.sample.value(Metric::RequestsRunning), 1.0);
    QCOMPARE(r.sample.timestampMs, 1795321385721);
    // Cumulative token counts and durations need a previous value: nothing for them yet.
    QVERIFY(!r.sample.value(Metric::TokensProcessed));
    QVERIFY(!r.sample.value(Metric::InferenceTimeMs));
    // The same totals again: zero tokens in between.
    auto second = ingest::parseOtlpJson(capture("otlp-json-000.json"), 0, counters);
    QVERIFY(second.ok());
    QCOMPARE(*second->first().sample.value(Metric::TokensProcessed), 0.0);
}

void TestOtlp::canonicalJsonFromTheCollector()
{
    // int64 values as strings, as the Collector's proto3 JSON writes them.
    QHash<QString, sources::CounterTracker> counters;
    auto parsed = ingest::parseOtlpJson(capture("otlp-json-canonical-from-proto.json"), 0, counters);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(parsed->first().serviceName, QStringLiteral("kv-peer-otel-js"));
    QCOMPARE(*parsed->first().sample.value(Metric::KvCacheUsageRatio), 0.25);
    QCOMPARE(*parsed->first().sample.value(Metric::RequestsRunning), 1.0);
}

void TestOtlp::nanAndInfAreSkipped()
{
    QHash<QString, sources::CounterTracker> counters;
    auto parsed = ingest::parseOtlpJson(capture("otlp-json-nan-inf-000.json"), 0, counters);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
}

void TestOtlp::refusals_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("where");
    QTest::newRow("not json") << QByteArray("{resourceMetrics") << QStringLiteral("body");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("body");
    QTest::newRow("resourceMetrics not an array")
        << QByteArray(R"({"resourceMetrics":{}})") << QStringLiteral("resourceMetrics");
    QTest::newRow("metric without name")
        << QByteArray(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[]}}]}]}]})")
        << QStringLiteral("metrics[0]");
    QTest::newRow("metric without data")
        << QByteArray(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x"}]}]}]})")
        << QStringLiteral("no gauge");
    QTest::newRow("dataPoints not an array")
        << QByteArray(
               R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x","gauge":{"dataPoints":1}}]}]}]})")
        << QStringLiteral("dataPoints");
    QTest::newRow("value not a number")
        << QByteArray(
               R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"kv_cache_usage_ratio","gauge":{"dataPoints":[{"asDouble":"lots"}]}}]}]}]})")
        << QStringLiteral("dataPoints[0]");
}

void TestOtlp::refusals()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, where);
    QHash<QString, sources::CounterTracker> counters;
    auto parsed = ingest::parseOtlpJson(body, 0, counters);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, QStringLiteral("invalid_otlp"));
    QVERIFY2(parsed.errorMessage().contains(where), qPrintable(parsed.errorMessage()));
}

void TestOtlp::overTheListener()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    // As the JS exporter sends it: chunked, JSON, no key.
    const QByteArray body = capture("otlp-json-000.json");
    const QByteArray chunked = QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
    const auto post = [&](const QByteArray &type, const QByteArray &payload,
                          const QList<QPair<QByteArray, QByteArray>> &extra = {}) {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", type},
                                                     {"Transfer-Encoding", "chunked"}};
        headers += extra;
        client.writeRaw(test::HttpClient::buildRequest("POST", "/v1/metrics", {}, headers) + payload);
        return client.readReply();
    };
    test::HttpReply first = post("application/json", chunked);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.body, QByteArray("{}"));
    auto projects = stack.repository().projects();
    QVERIFY(projects);
    QString id;
    for (const storage::Project &p : *projects) {
        if (p.name == QLatin1String("kv-peer-otel-js"))
            id = p.id;
    }
    QVERIFY(!id.isEmpty());
    QCOMPARE(stack.rawCount(id), 1);
    QCOMPARE(*stack.repository().recentSamples(id, 1)->first().value(Metric::KvCacheUsageRatio), 0.25);
    // The same service again: the same project.
    QCOMPARE(post("application/json", chunked).status, 200);
    QCOMPARE(stack.rawCount(id), 2);
    QCOMPARE(stack.repository().projects()->size(), 1);
    // Protobuf is refused with what to do instead; a bad payload stores nothing.
    test::HttpReply proto = post("application/x-protobuf", "1\r\nx\r\n0\r\n\r\n");
    QCOMPARE(proto.status, 415);
    QVERIFY(proto.json().value(QLatin1String("message")).toString().contains(QStringLiteral("http/json")));
    QCOMPARE(post("application/json", "2\r\n{]\r\n0\r\n\r\n").status, 400);
    QCOMPARE(stack.rawCount(id), 2);
    // With a key, into the key's project.
    const test::CreatedProject mine = stack.createProject(QStringLiteral("Mine"));
    QCOMPARE(post("application/json", chunked, {{"Authorization", "Bearer " + mine.apiKey.toUtf8()}}).status,
             200);
    QCOMPARE(stack.rawCount(mine.id), 1);
    QCOMPARE(post("application/json", chunked, {{"Authorization", "Bearer cw_wrong"}}).status, 401);
}

QTEST_GUILESS_MAIN(TestOtlp)
#include "tst_otlp.moc"
