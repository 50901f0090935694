// SPDX-License-Identifier: GPL-3.0-or-later
// OTLP/HTTP in: the JSON and protobuf requests the OpenTelemetry JS SDK and the Collector really sent, read
// into samples, then end to end over the listener (chunked, gzip, no key from this machine, a project per
// service), with the user's own name mapping.
#include "core/common/gzip.h"
#include "core/ingest/otlp.h"
#include "core/storage/settings.h"
#include "tests/support/httpclient.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cachewise;
using model::Metric;

namespace {

QByteArray capture(const char *name)
{
    return cachewise::test::testData(QStringLiteral("otlp/") + QLatin1String(name));
}

// Decodes and maps, as the listener does.
Result<QList<ingest::OtlpResource>> read(const QByteArray &body, QHash<QString, CounterTracker> &counters,
                                         const ingest::OtlpMapping &mapping = {}, bool protobuf = false)
{
    auto decoded = protobuf ? ingest::decodeOtlpProtobuf(body) : ingest::decodeOtlpJson(body);
    if (!decoded)
        return decoded.error();
    return ingest::mapOtlp(decoded.value(), mapping, 0, counters);
}

} // namespace

class TestOtlp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonFromTheJsSdk();
    void canonicalJsonFromTheCollector();
    void nanAndInfAreSkipped();
    void protobufFromTheJsSdk();
    void protobufRefusals();
    void userMapping();
    void gzipBodies();
    void refusals_data();
    void refusals();
    void overTheListener();
    void protobufAndGzipOverTheListener();
    void rateLimitedWithRetryAfter();
    void userMappingOverTheListener();
    void keylessProgramsStayOutOfKeyedProjects();
    void badValuesAreRefusedAsThePushApiRefusesThem();
};

void TestOtlp::jsonFromTheJsSdk()
{
    QHash<QString, CounterTracker> counters;
    auto first = read(capture("otlp-json-000.json"), counters);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.errorMessage()));
    QCOMPARE(first->size(), 1);
    const ingest::OtlpResource &r = first->first();
    QCOMPARE(r.projectName, QStringLiteral("kv-peer-otel-js"));
    QCOMPARE(*r.sample.value(Metric::KvCacheUsageRatio), 0.25);
    QCOMPARE(*r.sample.value(Metric::RequestsRunning), 1.0);
    QCOMPARE(r.sample.timestampMs, 1795321385721);
    // Cumulative token counts and durations need a previous value: nothing for them yet.
    QVERIFY(!r.sample.value(Metric::TokensProcessed));
    QVERIFY(!r.sample.value(Metric::InferenceTimeMs));
    // The same totals again: zero tokens in between.
    auto second = read(capture("otlp-json-000.json"), counters);
    QVERIFY(second.ok());
    QCOMPARE(*second->first().sample.value(Metric::TokensProcessed), 0.0);
}

void TestOtlp::canonicalJsonFromTheCollector()
{
    // int64 values as strings, as the Collector's proto3 JSON writes them.
    QHash<QString, CounterTracker> counters;
    auto parsed = read(capture("otlp-json-canonical-from-proto.json"), counters);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(parsed->first().projectName, QStringLiteral("kv-peer-otel-js"));
    QCOMPARE(*parsed->first().sample.value(Metric::KvCacheUsageRatio), 0.25);
    QCOMPARE(*parsed->first().sample.value(Metric::RequestsRunning), 1.0);
}

void TestOtlp::nanAndInfAreSkipped()
{
    QHash<QString, CounterTracker> counters;
    auto parsed = read(capture("otlp-json-nan-inf-000.json"), counters);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    // The gauge's NaN, +Inf and -Inf (null in JSON) leave no value; a large int64 stays exact enough.
    auto decoded = ingest::decodeOtlpJson(capture("otlp-json-nan-inf-000.json"));
    QVERIFY(decoded.ok());
    const QList<ingest::OtlpMetric> &metrics = decoded->first().metrics;
    QCOMPARE(metrics.size(), 2);
    QCOMPARE(metrics[0].name, QStringLiteral("g"));
    QCOMPARE(metrics[0].valuePoints, 0);
    QCOMPARE(metrics[1].valuePoints, 1);
    QCOMPARE(metrics[1].valueTotal, 9007199254740994.0);
    // Mapped onto a field, a gauge of only NaN/Inf sets nothing.
    ingest::OtlpMapping mapping;
    mapping.map(QStringLiteral("g"), ingest::OtlpField::KvUsageRatio);
    auto mapped = ingest::mapOtlp(decoded.value(), mapping, 0, counters);
    QVERIFY(mapped.ok());
    QVERIFY(!mapped->first().sample.value(Metric::KvCacheUsageRatio));
}

void TestOtlp::protobufFromTheJsSdk()
{
    // The same export in protobuf and in the Collector's canonical JSON decodes to the same metrics.
    auto proto = ingest::decodeOtlpProtobuf(test::testData(QStringLiteral("otlp-proto/otlp-proto-000.bin")));
    QVERIFY2(proto.ok(), qPrintable(proto.ok() ? QString() : proto.errorMessage()));
    auto json = ingest::decodeOtlpJson(capture("otlp-json-canonical-from-proto.json"));
    QVERIFY(json.ok());
    QCOMPARE(proto->size(), 1);
    QCOMPARE(json->size(), 1);
    const ingest::OtlpResourceMetrics &p = proto->first();
    const ingest::OtlpResourceMetrics &j = json->first();
    QCOMPARE(p.attributes.value(QStringLiteral("service.name")), QStringLiteral("kv-peer-otel-js"));
    QCOMPARE(p.attributes.value(QStringLiteral("process.pid")), QStringLiteral("4242"));
    QCOMPARE(p.attributes, j.attributes);
    QCOMPARE(p.latestTimeNs, j.latestTimeNs);
    QCOMPARE(p.metrics.size(), 7);
    QCOMPARE(p.metrics.size(), j.metrics.size());
    for (qsizetype i = 0; i < p.metrics.size(); ++i) {
        const ingest::OtlpMetric &a = p.metrics[i];
        const ingest::OtlpMetric &b = j.metrics[i];
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.unit, b.unit);
        QCOMPARE(int(a.kind), int(b.kind));
        QCOMPARE(a.cumulative, b.cumulative);
        QCOMPARE(a.valueTotal, b.valueTotal);
        QCOMPARE(a.valuePoints, b.valuePoints);
        QCOMPARE(a.count, b.count);
        QCOMPARE(a.sum, b.sum);
        QCOMPARE(a.distributionPoints, b.distributionPoints);
    }
    QCOMPARE(p.metrics[0].name, QStringLiteral("llm.time_to_first_token"));
    QCOMPARE(int(p.metrics[0].kind), int(ingest::OtlpKind::ExponentialHistogram));
    QCOMPARE(p.metrics[0].count, 3.0);
    QCOMPARE(p.metrics[0].sum, 0.25);
    QCOMPARE(p.metrics[3].valueTotal, 192.0); // llm.tokens: 128 prompt + 64 completion
    QHash<QString, CounterTracker> counters;
    auto mapped = read(test::testData(QStringLiteral("otlp-proto/otlp-proto-000.bin")), counters, {}, true);
    QVERIFY(mapped.ok());
    QCOMPARE(*mapped->first().sample.value(Metric::KvCacheUsageRatio), 0.25);
    QCOMPARE(*mapped->first().sample.value(Metric::RequestsRunning), 1.0);
}

void TestOtlp::protobufRefusals()
{
    const QByteArray good = test::testData(QStringLiteral("otlp-proto/otlp-proto-000.bin"));
    // Cut inside a field, a wire type that does not exist, and text.
    for (const QByteArray &bad :
         {good.left(good.size() / 2), QByteArray("\x0f\x01", 2), QByteArray("{\"resourceMetrics\":[]}")}) {
        auto decoded = ingest::decodeOtlpProtobuf(bad);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().kind, ErrorKind::BadInput);
        QVERIFY(decoded.errorMessage().contains(QStringLiteral("protobuf")));
    }
    // An empty body is an empty request (protobuf has no required fields).
    QVERIFY(ingest::decodeOtlpProtobuf(QByteArray())->isEmpty());
    // The reply to a protobuf exporter's error: google.rpc.Status (code 3, message).
    const QByteArray status = ingest::encodeOtlpStatus(3, QStringLiteral("bad"));
    QCOMPARE(status, QByteArray("\x08\x03\x12\x03"
                                "bad",
                                7));
}

void TestOtlp::userMapping()
{
    const QByteArray body = capture("otlp-json-000.json");
    ingest::OtlpMapping mapping;
    // A program's own names: blocks in use as the KV size in KiB, and a default name switched off.
    mapping.map(QStringLiteral("kv_cache_blocks_used"), ingest::OtlpField::KvKiB);
    mapping.map(QStringLiteral("LLM.Requests.Active"), ingest::OtlpField::Ignore);
    mapping.setProjectAttribute(QStringLiteral("process.pid"));
    QHash<QString, CounterTracker> counters;
    auto mapped = read(body, counters, mapping);
    QVERIFY(mapped.ok());
    QCOMPARE(mapped->first().projectName, QStringLiteral("4242"));
    QCOMPARE(*mapped->first().sample.value(Metric::KvCacheSizeKB), 100.0);
    QVERIFY(!mapped->first().sample.value(Metric::RequestsRunning));
    QCOMPARE(*mapped->first().sample.value(Metric::KvCacheUsageRatio), 0.25);
    // An attribute the program does not send: the SDK's own fallback name.
    mapping.setProjectAttribute(QStringLiteral("deployment.environment"));
    QCOMPARE(read(body, counters, mapping)->first().projectName, QStringLiteral("unknown_service"));
    // Field names round-trip; unknown ones are refused.
    for (const QString &name : ingest::otlpFieldNames())
        QCOMPARE(ingest::otlpFieldName(*ingest::otlpFieldFromName(name)), name);
    QVERIFY(!ingest::otlpFieldFromName(QStringLiteral("kv_cache_size_gb")));
    // Durations in milliseconds are read as milliseconds.
    const QByteArray ms =
        R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"llm.request.duration","unit":"ms",
        "histogram":{"aggregationTemporality":1,"dataPoints":[{"count":4,"sum":2000}]}}]}]}]})";
    QCOMPARE(*read(ms, counters)->first().sample.value(Metric::InferenceTimeMs), 500.0);
}

void TestOtlp::gzipBodies()
{
    const QByteArray body = capture("otlp-json-000.json");
    const QByteArray packed = gzip(body);
    QVERIFY(packed.size() < body.size());
    QCOMPARE(gunzip(packed, 1 << 20).value(), body);
    // Two members in a row are one stream.
    QCOMPARE(gunzip(packed + gzip("tail"), 1 << 20).value(), body + "tail");
    // Cut short, not gzip, empty, garbage after a member: refused.
    for (const QByteArray &bad :
         {packed.left(packed.size() - 5), body, QByteArray(), QByteArray(packed + "junk")}) {
        auto r = gunzip(bad, 1 << 20);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
    }
    // A small body that expands past the limit is refused before it is all inflated.
    const QByteArray bomb = gzip(QByteArray(8 << 20, 'a'));
    QVERIFY(bomb.size() < 64 * 1024);
    auto r = gunzip(bomb, 1 << 20);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::TooLarge);
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
    QHash<QString, CounterTracker> counters;
    auto parsed = read(body, counters);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, ErrorKind::BadInput);
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
    auto projects = stack.repository().projects().list();
    QVERIFY(projects);
    QString id;
    for (const model::Project &p : *projects) {
        if (p.name == QLatin1String("kv-peer-otel-js"))
            id = p.id;
    }
    QVERIFY(!id.isEmpty());
    QCOMPARE(stack.rawCount(id), 1);
    QCOMPARE(*stack.repository().samples().recent(id, 1)->first().value(Metric::KvCacheUsageRatio), 0.25);
    // The same service again: the same project.
    QCOMPARE(post("application/json", chunked).status, 200);
    QCOMPARE(stack.rawCount(id), 2);
    QCOMPARE(stack.repository().projects().list()->size(), 1);
    // A body type OTLP does not have is refused; a bad payload stores nothing.
    QCOMPARE(post("text/plain", "1\r\nx\r\n0\r\n\r\n").status, 415);
    QCOMPARE(post("application/json", "2\r\n{]\r\n0\r\n\r\n").status, 400);
    QCOMPARE(stack.rawCount(id), 2);
    // With a key, into the key's project.
    const test::CreatedProject mine = stack.createProject(QStringLiteral("Mine"));
    QCOMPARE(post("application/json", chunked, {{"Authorization", "Bearer " + mine.apiKey.toUtf8()}}).status,
             200);
    QCOMPARE(stack.rawCount(mine.id), 1);
    QCOMPARE(post("application/json", chunked, {{"Authorization", "Bearer cw_wrong"}}).status, 401);
}

void TestOtlp::protobufAndGzipOverTheListener()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    const auto post = [&](const QByteArray &type, const QByteArray &payload,
                          const QList<QPair<QByteArray, QByteArray>> &extra = {}) {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", type}};
        headers += extra;
        client.writeRaw(test::HttpClient::buildRequest("POST", "/v1/metrics", payload, headers));
        return client.readReply();
    };
    const QByteArray proto = test::testData(QStringLiteral("otlp-proto/otlp-proto-000.bin"));
    // Protobuf: an empty ExportMetricsServiceResponse in protobuf.
    test::HttpReply first = post("application/x-protobuf", proto);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.header("content-type"), QByteArray("application/x-protobuf"));
    QVERIFY(first.body.isEmpty());
    const QString id = stack.repository().projects().list()->first().id;
    QCOMPARE(stack.repository().projects().list()->first().name, QStringLiteral("kv-peer-otel-js"));
    QCOMPARE(stack.rawCount(id), 1);
    QCOMPARE(*stack.repository().samples().recent(id, 1)->first().value(Metric::KvCacheUsageRatio), 0.25);
    // gzip, in both encodings.
    QCOMPARE(post("application/x-protobuf", gzip(proto), {{"Content-Encoding", "gzip"}}).status, 200);
    QCOMPARE(
        post("application/json", gzip(capture("otlp-json-000.json")), {{"Content-Encoding", "gzip"}}).status,
        200);
    QCOMPARE(stack.rawCount(id), 3);
    // Refusals store nothing; a protobuf exporter gets google.rpc.Status in protobuf.
    test::HttpReply bad = post("application/x-protobuf", proto.left(100));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.header("content-type"), QByteArray("application/x-protobuf"));
    QCOMPARE(bad.body.left(2), QByteArray("\x08\x03", 2)); // code INVALID_ARGUMENT
    QVERIFY(bad.body.contains("not an OTLP ExportMetricsServiceRequest"));
    QCOMPARE(post("application/x-protobuf", proto.left(100) + "x", {{"Content-Encoding", "gzip"}}).status,
             400);
    QCOMPARE(post("application/json", "{}", {{"Content-Encoding", "br"}}).status, 415);
    // A wrong key: 401, told in the exporter's own encoding (UNAUTHENTICATED).
    test::HttpReply unauthenticated =
        post("application/x-protobuf", proto, {{"Authorization", "Bearer cw_wrong"}});
    QCOMPARE(unauthenticated.status, 401);
    QCOMPARE(unauthenticated.header("content-type"), QByteArray("application/x-protobuf"));
    QCOMPARE(unauthenticated.body.left(2), QByteArray("\x08\x10", 2));
    // A gzip bomb: 413, whatever the listener's body limit was on the wire.
    QVERIFY(stack.repository().settings().set(storage::setting::MaxBodyBytes, QStringLiteral("65536")).ok());
    const QByteArray bomb = gzip("x" + QByteArray(4 << 20, ' ')); // 400 before the new limit is read
    QTRY_COMPARE(post("application/json", bomb, {{"Content-Encoding", "gzip"}}).status, 413);
    QCOMPARE(stack.rawCount(id), 3);
}

void TestOtlp::rateLimitedWithRetryAfter()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(
        stack.repository().settings().set(storage::setting::RateLimitPerSecond, QStringLiteral("1")).ok());
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    const QByteArray proto = test::testData(QStringLiteral("otlp-proto/otlp-proto-000.bin"));
    // The setting is read within a second; then the burst of two is used up and the third waits.
    test::HttpReply limited;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            client.writeRaw(test::HttpClient::buildRequest("POST", "/v1/metrics", proto,
                                                           {{"Content-Type", "application/x-protobuf"}}));
            limited = client.readReply();
            return limited.status == 429;
        }(),
        10000);
    QCOMPARE(limited.header("retry-after"), QByteArray("1"));
    QCOMPARE(limited.header("content-type"), QByteArray("application/x-protobuf"));
    QCOMPARE(limited.body.left(2), QByteArray("\x08\x08", 2)); // RESOURCE_EXHAUSTED
}

void TestOtlp::userMappingOverTheListener()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    // Saved as the CLI saves them; the listener reads them within a second.
    QVERIFY(stack.repository().settings().setOtlpName(QStringLiteral("kv_cache_blocks_used"),
                                                      QStringLiteral("kv_cache_kib")));
    QVERIFY(stack.repository()
                .settings()
                .set(storage::setting::OtlpProjectAttribute, QStringLiteral("process.pid"))
                .ok());
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    QTRY_COMPARE(stack.engine().listenerSettings().otlpProjectAttribute, QStringLiteral("process.pid"));
    QTRY_VERIFY(stack.engine().listenerSettings().otlpNames.contains(
        {QStringLiteral("kv_cache_blocks_used"), QStringLiteral("kv_cache_kib")}));
    client.writeRaw(test::HttpClient::buildRequest("POST", "/v1/metrics", capture("otlp-json-000.json"),
                                                   {{"Content-Type", "application/json"}}));
    QCOMPARE(client.readReply().status, 200);
    auto projects = stack.repository().projects().list();
    QVERIFY(projects);
    QCOMPARE(projects->size(), 1);
    QCOMPARE(projects->first().name, QStringLiteral("4242"));
    QCOMPARE(
        *stack.repository().samples().recent(projects->first().id, 1)->first().value(Metric::KvCacheSizeKB),
        100.0);
}

void TestOtlp::keylessProgramsStayOutOfKeyedProjects()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    // One resource per service name, each with a KV usage the mapping reads.
    const auto export_ = [&client](const QStringList &services) {
        QJsonArray resources;
        for (const QString &service : services) {
            resources.append(QJsonObject{
                {QStringLiteral("resource"),
                 QJsonObject{
                     {QStringLiteral("attributes"),
                      QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("service.name")},
                                             {QStringLiteral("value"),
                                              QJsonObject{{QStringLiteral("stringValue"), service}}}}}}}},
                {QStringLiteral("scopeMetrics"),
                 QJsonArray{QJsonObject{
                     {QStringLiteral("metrics"),
                      QJsonArray{QJsonObject{
                          {QStringLiteral("name"), QStringLiteral("gen_ai.server.kv_cache.usage")},
                          {QStringLiteral("gauge"),
                           QJsonObject{{QStringLiteral("dataPoints"),
                                        QJsonArray{QJsonObject{{QStringLiteral("asDouble"), 0.5}}}}}}}}}}}}});
        }
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("resourceMetrics"), resources}})
                                    .toJson(QJsonDocument::Compact);
        return client.request("POST", "/v1/metrics", body, {{"Content-Type", "application/json"}});
    };
    const auto projectCount = [&stack] {
        return stack.repository().projects().list()->size();
    };

    // A project with a key takes keyed writes only, whatever the case of the program's name; a request
    // naming it stores nothing, not even for its other names.
    const test::CreatedProject victim = stack.createProject(QStringLiteral("victim"));
    for (const QStringList &services :
         {QStringList{QStringLiteral("victim")}, QStringList{QStringLiteral("VICTIM")},
          QStringList{QStringLiteral("fresh"), QStringLiteral("victim")}}) {
        const test::HttpReply refused = export_(services);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), QStringLiteral("project_has_keys"));
    }
    QCOMPARE(stack.rawCount(victim.id), 0);
    QCOMPARE(projectCount(), 1);
    // A keyless program gets a project of its own; names that differ only in case share it.
    QCOMPARE(export_({QStringLiteral("my-service"), QStringLiteral("My-Service")}).status, 200);
    QCOMPARE(projectCount(), 2);

    // Keyless creation is capped: a request that would pass the cap creates nothing and says why.
    QVERIFY(stack.repository().settings().set(storage::setting::OtlpMaxKeylessProjects, QStringLiteral("3")));
    QTRY_COMPARE(stack.engine().listenerSettings().maxKeylessProjects, 3);
    QStringList many;
    for (int i = 0; i < 500; ++i)
        many << QStringLiteral("svc-%1").arg(i);
    test::HttpReply capped = export_(many);
    QCOMPARE(capped.status, 403); // not 429 or 503: an exporter must not retry it
    QCOMPARE(capped.errorCode(), QStringLiteral("too_many_projects"));
    QVERIFY2(capped.json()
                 .value(QLatin1String("message"))
                 .toString()
                 .contains(QLatin1String("otlp.maxKeylessProjects")),
             capped.body.constData());
    QCOMPARE(projectCount(), 2);
    QCOMPARE(export_({QStringLiteral("a"), QStringLiteral("b")}).status, 200); // 1 + 2 = 3
    QCOMPARE(export_({QStringLiteral("c")}).status, 403);
    QCOMPARE(export_({QStringLiteral("a")}).status, 200); // its own project, already made
    QCOMPARE(projectCount(), 4);
    // Given a key, a keyless program's project is the owner's: no more keyless writes, and it stops
    // counting against the cap.
    QString serviceProject;
    const QList<model::Project> all = stack.repository().projects().list().value();
    for (const model::Project &p : all) {
        if (p.name == QLatin1String("a"))
            serviceProject = p.id;
    }
    QVERIFY(stack.repository().keys().create(serviceProject, QStringLiteral("now mine")));
    QCOMPARE(export_({QStringLiteral("a")}).status, 401);
    QCOMPARE(export_({QStringLiteral("c")}).status, 200);
}

void TestOtlp::badValuesAreRefusedAsThePushApiRefusesThem()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject mine = stack.createProject(QStringLiteral("Mine"));
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    const QByteArray nowNs = QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1'000'000);
    // One resource with one gauge of the given data points.
    const auto gauge = [](const QByteArray &name, const QByteArray &points) -> QByteArray {
        return R"({"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[{"metrics":[{"name":")" +
               name + R"(","gauge":{"dataPoints":[)" + points + "]}}]}]}]}";
    };
    struct Case
    {
        const char *name;
        QByteArray body;
        const char *why; // in the message
    };
    const Case cases[] = {
        {"a time in 2200", gauge("requests_running", R"({"asInt":"1","timeUnixNano":"7258118400000000000"})"),
         "timestamp_in_future"},
        {"a time in 1970", gauge("requests_running", R"({"asInt":"1","timeUnixNano":"1000"})"),
         "timestamp_too_old"},
        {"two points summing to infinity",
         gauge("requests_running", R"({"asDouble":1e308,"timeUnixNano":")" + nowNs +
                                       R"("},{"asDouble":1e308,"timeUnixNano":")" + nowNs + R"("})"),
         "non_finite"},
        {"a value past the field's range",
         gauge("kv_cache_size_bytes", R"({"asDouble":1e300,"timeUnixNano":")" + nowNs + R"("})"),
         "out_of_range"},
        {"a key twice",
         R"({"resourceMetrics":[],"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[]}]})",
         "given twice"},
        {"half a surrogate pair",
         R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a\ud800"}}]},)"
         R"("scopeMetrics":[]}]})",
         "surrogate"},
    };
    for (const Case &c : cases) {
        const test::HttpReply reply = client.request(
            "POST", "/v1/metrics", c.body,
            {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + mine.apiKey.toUtf8()}});
        QVERIFY2(reply.status == 400, c.name); // never 503: an exporter would retry it for ever
        QCOMPARE(reply.errorCode(), QStringLiteral("invalid_otlp"));
        QVERIFY2(reply.json().value(QLatin1String("message")).toString().contains(QLatin1String(c.why)),
                 reply.body.constData());
    }
    QCOMPARE(stack.rawCount(mine.id), 0);
    // The same gauge at a sound time and size is stored.
    QCOMPARE(client
                 .request("POST", "/v1/metrics",
                          gauge("requests_running", R"({"asInt":"3","timeUnixNano":")" + nowNs + R"("})"),
                          {{"Content-Type", "application/json"},
                           {"Authorization", "Bearer " + mine.apiKey.toUtf8()}})
                 .status,
             200);
    QCOMPARE(stack.rawCount(mine.id), 1);
}

QTEST_GUILESS_MAIN(TestOtlp)
#include "tst_otlp.moc"
