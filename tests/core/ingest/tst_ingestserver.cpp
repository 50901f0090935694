// SPDX-License-Identifier: GPL-3.0-or-later
// The push API over real sockets: every bad input refused with its status and field and nothing
// stored; good input committed before the answer; the admin endpoints; concurrent pushers.
#include "core/services/engine.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"
#include "tests/support/httpclient.h"
#include "tests/support/teststack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <thread>

using namespace cachewise;
using namespace cachewise::test;
using model::Metric;

namespace {
const QString kUnknownProject = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8aff");
}

class TestIngestServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void acceptsBriefSample();
    void bodyLimitFollowsTheSetting();
    void acceptsBatchesAndEngineFields();
    void acceptsApiKeyHeader();
    void badInputStoresNothing_data();
    void badInputStoresNothing();
    void methodAndRouteErrors();
    void onlyLoopbackHostsAreAnswered();
    void storageFailureSaysWhatHappened();
    void health();
    void rateLimit();
    void adminEndpoints();
    void projectCreatedElsewhereCanPushAtOnce();
    void concurrentPushers();

private:
    HttpReply push(const QByteArray &body, const QString &key,
                   const QList<QPair<QByteArray, QByteArray>> &extra = {});
    HttpReply admin(const QByteArray &method, const QByteArray &path, const QByteArray &body = {});

    std::unique_ptr<TestStack> m_stack;
    CreatedProject m_project;
    CreatedProject m_other;
    QString m_revokedKey;
};

void TestIngestServer::initTestCase()
{
    m_stack = std::make_unique<TestStack>();
    QVERIFY(m_stack->start());
    QVERIFY(m_stack->repository().settings().set(storage::setting::RateLimitPerSecond, QStringLiteral("0")));
    QVERIFY(
        m_stack->repository().settings().set(storage::setting::MaxSamplesPerRequest, QStringLiteral("100")));
    m_project = m_stack->createProject(QStringLiteral("Chatbot v2"));
    m_other = m_stack->createProject(QStringLiteral("Code Gen API"));
    QVERIFY(!m_project.id.isEmpty() && !m_other.id.isEmpty());
    auto revoked = m_stack->repository().keys().create(m_project.id, QStringLiteral("old"));
    QVERIFY(revoked);
    QVERIFY(m_stack->repository().keys().revoke(revoked->key.id).value());
    m_revokedKey = revoked->secret;
    // Noticed through SQLite's change counter, read again by the listener's backend.
    QTRY_VERIFY(m_stack->engine().listenerSettings().ratePerSecond == 0 &&
                m_stack->engine().listenerSettings().maxSamples == 100);
}

void TestIngestServer::cleanupTestCase()
{
    m_stack.reset();
}

HttpReply TestIngestServer::push(const QByteArray &body, const QString &key,
                                 const QList<QPair<QByteArray, QByteArray>> &extra)
{
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
    if (!key.isEmpty())
        headers.append({"Authorization", "Bearer " + key.toLatin1()});
    headers += extra;
    return client.request("POST", "/api/metrics", body, headers);
}

HttpReply TestIngestServer::admin(const QByteArray &method, const QByteArray &path, const QByteArray &body)
{
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    QList<QPair<QByteArray, QByteArray>> headers{
        {"Authorization", "Bearer " + m_stack->adminToken().toLatin1()}};
    if (!body.isEmpty())
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return client.request(method, path, body, headers);
}

void TestIngestServer::bodyLimitFollowsTheSetting()
{
    // The guard in front of the routes takes its body limit from the settings as the backend reads them
    // (no timer): lowered by another connection, a body above it is refused before it is read.
    TestStack stack;
    QVERIFY(stack.start());
    const CreatedProject p = stack.createProject(QStringLiteral("Limits"));
    const auto bodyFor = [](const QString &projectId) -> QByteArray {
        QByteArray body = "[";
        for (int i = 0; i < 600; ++i)
            body += (i ? "," : "") + sampleJson(projectId, i);
        return body + "]";
    };
    const QByteArray big = bodyFor(p.id);
    // The probe names a project that does not exist: until the new limit applies it gets 404, storing
    // nothing.
    const QByteArray probe = bodyFor(QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8aff"));
    QVERIFY(big.size() > 65536 && probe.size() > 65536);
    QVERIFY(stack.repository().settings().set(storage::setting::MaxBodyBytes, QStringLiteral("65536")));
    QTRY_COMPARE(stack.engine().listenerSettings().maxBodyBytes, qsizetype(65536));
    HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QTRY_COMPARE(client.postJson("/api/metrics", probe, p.apiKey).status, 413);
    const HttpReply refused = client.postJson("/api/metrics", big, p.apiKey);
    QCOMPARE(refused.status, 413);
    QCOMPARE(refused.errorCode(), QStringLiteral("body_too_large"));
    QCOMPARE(stack.rawCount(p.id), 0);

    // Raised again by this process (the window's settings page writes through the writer): the engine's
    // typed event tells the backend, not the change counter, which stays for other processes.
    QSignalSpy changed(&stack.engine(), &services::Engine::changed);
    QSignalSpy elsewhere(&stack.engine(), &services::Engine::changedElsewhere);
    QVERIFY(storage::writeThrough(stack.writer().writes(), [](storage::Repository &w) {
        return w.settings().set(storage::setting::MaxBodyBytes, QStringLiteral("1048576"));
    }));
    QTRY_COMPARE(stack.engine().listenerSettings().maxBodyBytes, qsizetype(1048576));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().value<storage::Change>().kind, storage::ChangeKind::Setting);
    QCOMPARE(changed.first().first().value<storage::Change>().id, storage::setting::MaxBodyBytes);
    QCOMPARE(client.postJson("/api/metrics", big, p.apiKey).status, 200);
    QCOMPARE(stack.rawCount(p.id), 600);
    QVERIFY(stack.settleChangeChecks());
    QVERIFY(elsewhere.isEmpty());
}

void TestIngestServer::acceptsBriefSample()
{
    const qint64 before = m_stack->rawCount(m_project.id);
    const QByteArray body =
        QStringLiteral(
            R"({"projectId":"%1","timestamp":"2024-01-15T10:00:00Z","tokensProcessed":1250,"kvCacheSizeKB":480000,"memoryUsageGB":2.7,"inferenceTimeMs":550,"optimizationScore":75.5})")
            .arg(m_project.id)
            .toUtf8();
    const HttpReply reply = push(body, m_project.apiKey);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QLatin1String("accepted")).toInt(), 1);
    QVERIFY(reply.json().value(QLatin1String("actions")).isArray());
    // Answered after the commit: the row is there the moment the reply is.
    QCOMPARE(m_stack->rawCount(m_project.id), before + 1);
    {
        const auto page =
            m_stack->repository().samples().page(m_project.id, 1705312800000, 1705312800001, false, {}, 10);
        QVERIFY(page && page->size() == 1);
        const model::MetricSample &stored = page->first().sample;
        QCOMPARE(stored.value(Metric::TokensProcessed).value_or(-1), 1250.0);
        QCOMPARE(stored.value(Metric::KvCacheSizeKB).value_or(-1), 480000.0);
        QCOMPARE(stored.value(Metric::MemoryUsageGB).value_or(-1), 2.7);
        QCOMPARE(stored.value(Metric::InferenceTimeMs).value_or(-1), 550.0);
        QCOMPARE(stored.value(Metric::OptimizationScore).value_or(-1), 75.5);
    }
    // The key's last use is recorded (by the writer, not the listener thread).
    QTRY_VERIFY(m_stack->repository().keys().get(m_project.apiKeyId).value()->lastUsedAtMs.has_value());
    // What the text checks must not refuse: a whole surrogate pair, and one key name in two objects.
    const QByteArray fine =
        QStringLiteral(
            R"({"projectId":"%1","tokensProcessed":1,"kvCacheSizeKB":2,"memoryUsageGB":3,)"
            R"("inferenceTimeMs":4,"processedData":{"note":"\ud83d\ude00","a":{"a":1},"b":[{"a":2}]}})")
            .arg(m_project.id)
            .toUtf8();
    const HttpReply accepted = push(fine, m_project.apiKey);
    QCOMPARE(accepted.status, 200);
    const auto latest = m_stack->repository().samples().recent(m_project.id, 1).value();
    QVERIFY(QString::fromUtf8(latest.first().processedData).contains(QString::fromUtf8("\xF0\x9F\x98\x80")));
}

void TestIngestServer::acceptsBatchesAndEngineFields()
{
    const qint64 before = m_stack->rawCount(m_project.id);
    const QByteArray one = sampleJson(m_project.id, 1);
    QCOMPARE(push("[" + one + "," + one + "," + one + "]", m_project.apiKey).status, 200);
    const HttpReply wrapped = push("{\"samples\":[" + one + "," + one + "]}", m_project.apiKey);
    QCOMPARE(wrapped.status, 200);
    QCOMPARE(wrapped.json().value(QLatin1String("accepted")).toInt(), 2);
    // The common answer is written out by hand: the bytes Qt's JSON writer gives, and its content type.
    QCOMPARE(wrapped.body, QJsonDocument(QJsonObject{{QStringLiteral("accepted"), 2},
                                                     {QStringLiteral("actions"), QJsonArray()}})
                               .toJson(QJsonDocument::Compact));
    QCOMPARE(wrapped.header("content-type"), QByteArray("application/json"));
    const QByteArray extras =
        QStringLiteral(
            R"({"projectId":"%1","tokensProcessed":5,"kvCacheSizeKB":10,"memoryUsageGB":1,"inferenceTimeMs":2,"kvCacheCapacityKB":640000,"kvCacheUsageRatio":0.25,"requestsRunning":3,"requestsWaiting":1,"prefixCacheHitRate":0.5,"tokensPerSecond":42.5,"timeToFirstTokenMs":80,"preemptions":0,"processedData":{"slot":2}})")
            .arg(m_project.id)
            .toUtf8();
    QCOMPARE(push(extras, m_project.apiKey).status, 200);
    QCOMPARE(m_stack->rawCount(m_project.id), before + 6);
    auto recent = m_stack->repository().samples().recent(m_project.id, 1);
    QVERIFY(recent);
    const model::MetricSample &s = recent->first();
    QCOMPARE(*s.value(Metric::KvCacheCapacityKB), 640000.0);
    QCOMPARE(*s.value(Metric::TokensPerSecond), 42.5);
    QCOMPARE(*s.value(Metric::Preemptions), 0.0);
    QCOMPARE(s.processedData, QByteArray("{\"slot\":2}"));
}

void TestIngestServer::acceptsApiKeyHeader()
{
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    const HttpReply reply = client.request(
        "POST", "/api/metrics", sampleJson(m_project.id),
        {{"Content-Type", "application/json; charset=utf-8"}, {"X-API-Key", m_project.apiKey.toLatin1()}});
    QCOMPARE(reply.status, 200);
}

void TestIngestServer::badInputStoresNothing_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("key"); // own, none, bad, revoked, other
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");

    const QByteArray good = "{\"projectId\":\"$P\",\"tokensProcessed\":1,\"kvCacheSizeKB\":2,"
                            "\"memoryUsageGB\":3,\"inferenceTimeMs\":4";
    auto with = [&](const char *extra) -> QByteArray {
        return good + extra + "}";
    };
    auto without = [&](const char *field, const char *replacement = "") -> QByteArray {
        QByteArray b = good + "}";
        const QByteArray name = QByteArray("\"") + field + "\":";
        const qsizetype at = b.indexOf(name);
        const qsizetype end = b.indexOf(',', at) < 0 ? b.indexOf('}', at) : b.indexOf(',', at);
        b.remove(at, end - at + (b.at(end) == ',' ? 1 : 0));
        if (b.endsWith(",}"))
            b.replace(",}", "}");
        if (*replacement)
            b.insert(b.size() - 1, QByteArray(b.endsWith("{}") ? "" : ",") + replacement);
        return b;
    };
    const QByteArray json = "application/json";
    auto row = [&](const char *name, const QByteArray &body, const char *key, const QByteArray &type,
                   int status, const char *code, const char *field) {
        QTest::addRow("%s", name) << body << QString::fromLatin1(key) << type << status
                                  << QString::fromLatin1(code) << QString::fromLatin1(field);
    };
    row("malformed JSON", "{\"projectId\":", "own", json, 400, "malformed_json", "body");
    row("empty body", "", "own", json, 400, "malformed_json", "body");
    row("JSON scalar", "42", "own", json, 400, "malformed_json", "body");
    row("missing projectId", without("projectId"), "own", json, 400, "missing_field", "projectId");
    row("missing tokensProcessed", without("tokensProcessed"), "own", json, 400, "missing_field",
        "tokensProcessed");
    row("missing kvCacheSizeKB", without("kvCacheSizeKB"), "own", json, 400, "missing_field",
        "kvCacheSizeKB");
    row("missing memoryUsageGB", without("memoryUsageGB"), "own", json, 400, "missing_field",
        "memoryUsageGB");
    row("missing inferenceTimeMs", without("inferenceTimeMs"), "own", json, 400, "missing_field",
        "inferenceTimeMs");
    row("wrong type: string number", without("kvCacheSizeKB", "\"kvCacheSizeKB\":\"2\""), "own", json, 400,
        "wrong_type", "kvCacheSizeKB");
    row("wrong type: projectId number", without("projectId", "\"projectId\":1"), "own", json, 400,
        "wrong_type", "projectId");
    row("negative kvCacheSizeKB", without("kvCacheSizeKB", "\"kvCacheSizeKB\":-2"), "own", json, 400,
        "negative_value", "kvCacheSizeKB");
    row("negative inferenceTimeMs", without("inferenceTimeMs", "\"inferenceTimeMs\":-4"), "own", json, 400,
        "negative_value", "inferenceTimeMs");
    row("non-finite memoryUsageGB", without("memoryUsageGB", "\"memoryUsageGB\":1e999"), "own", json, 400,
        "non_finite", "memoryUsageGB");
    row("NaN optimizationScore", with(",\"optimizationScore\":NaN"), "own", json, 400, "non_finite",
        "optimizationScore");
    row("fractional tokensProcessed", without("tokensProcessed", "\"tokensProcessed\":1.5"), "own", json, 400,
        "not_integer", "tokensProcessed");
    row("score over 100", with(",\"optimizationScore\":101"), "own", json, 400, "out_of_range",
        "optimizationScore");
    row("unknown field", with(",\"kvCacheSizeKb\":2"), "own", json, 400, "unknown_field", "kvCacheSizeKb");
    row("unknown field with wrong type", with(",\"gpuName\":[1]"), "own", json, 400, "unknown_field",
        "gpuName");
    row("optional field with wrong type", with(",\"requestsWaiting\":\"many\""), "own", json, 400,
        "wrong_type", "requestsWaiting");
    row("timestamp far in the future", with(",\"timestamp\":\"2999-01-01T00:00:00Z\""), "own", json, 400,
        "timestamp_in_future", "timestamp");
    row("timestamp unreadable", with(",\"timestamp\":\"soon\""), "own", json, 400, "invalid_timestamp",
        "timestamp");
    row("processedData not an object", with(",\"processedData\":7"), "own", json, 400, "wrong_type",
        "processedData");
    row("processedData too large",
        with(QStringLiteral(",\"processedData\":{\"x\":\"%1\"}")
                 .arg(QString(20000, QLatin1Char('y')))
                 .toUtf8()
                 .constData()),
        "own", json, 400, "too_large", "processedData");
    row("one bad sample in a batch",
        "[" + good + "}," + without("kvCacheSizeKB", "\"kvCacheSizeKB\":-1") + "]", "own", json, 400,
        "negative_value", "samples[1].kvCacheSizeKB");
    row("empty batch", "[]", "own", json, 400, "no_samples", "body");
    QByteArray many = "[";
    for (int i = 0; i < 101; ++i)
        many += (i ? "," : "") + good + "}";
    row("too many samples", many + "]", "own", json, 413, "too_many_samples", "body");
    row("body over the size limit", "[" + good + "}," + QByteArray(4 * 1024 * 1024, ' ') + "]", "own", json,
        413, "body_too_large", "");
    row("no content type", good + "}", "own", "", 415, "unsupported_media_type", "Content-Type");
    row("text/plain", good + "}", "own", "text/plain", 415, "unsupported_media_type", "Content-Type");
    row("form encoded", "a=1", "own", "application/x-www-form-urlencoded", 415, "unsupported_media_type",
        "Content-Type");
    row("no API key", good + "}", "none", json, 401, "missing_api_key", "Authorization");
    row("unknown API key", good + "}", "bad", json, 401, "invalid_api_key", "Authorization");
    row("revoked API key", good + "}", "revoked", json, 401, "revoked_api_key", "Authorization");
    row("key of another project", good + "}", "other", json, 403, "forbidden_project", "projectId");
    row("unknown project", QByteArray(good + "}").replace("$P", kUnknownProject.toLatin1()), "own", json, 404,
        "unknown_project", "projectId");
    // What Qt's JSON parser lets through: a key given twice (the last would win), escapes that spell the
    // same key, a projectId with a newline, and strings with half a surrogate pair.
    row("projectId twice", "{\"projectId\":\"$O\"," + QByteArray(good + "}").mid(1), "own", json, 400,
        "duplicate_field", "projectId");
    row("projectId twice, once escaped", with(",\"\\u0070rojectId\":\"$O\""), "own", json, 400,
        "duplicate_field", "projectId");
    row("field twice in a batch", "[" + good + "}," + with(",\"kvCacheSizeKB\":9") + "]", "own", json, 400,
        "duplicate_field", "samples[1].kvCacheSizeKB");
    row("key twice inside processedData", with(",\"processedData\":{\"a\":1,\"a\":2}"), "own", json, 400,
        "duplicate_field", "processedData.a");
    row("projectId with a newline", QByteArray(good + "}").replace("$P", "$P\\n"), "own", json, 400,
        "invalid_value", "projectId");
    row("lone high surrogate", with(",\"processedData\":{\"note\":\"x\\ud800\"}"), "own", json, 400,
        "invalid_string", "processedData.note");
    row("lone low surrogate", with(",\"processedData\":[\"\\udc00\"]"), "own", json, 400, "invalid_string",
        "processedData[0]");
    row("surrogates in the wrong order", with(",\"processedData\":{\"n\":\"\\ude00\\ud83d\"}"), "own", json,
        400, "invalid_string", "processedData.n");
    row("batch touching another project",
        "[" + good + "}," + QByteArray(good + "}").replace("$P", "$O") + "]", "own", json, 403,
        "forbidden_project", "projectId");
}

void TestIngestServer::badInputStoresNothing()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, key);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, field);
    body.replace("$P", m_project.id.toLatin1()).replace("$O", m_other.id.toLatin1());
    QString secret;
    if (key == QLatin1String("own"))
        secret = m_project.apiKey;
    else if (key == QLatin1String("bad"))
        secret = QStringLiteral("cw_notakey");
    else if (key == QLatin1String("revoked"))
        secret = m_revokedKey;
    else if (key == QLatin1String("other"))
        secret = m_other.apiKey;

    const qint64 before = m_stack->totalRawCount();
    const qint64 samplesBefore = m_stack->repository().samples().stats(m_project.id)->sampleCount;
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!contentType.isEmpty())
        headers.append(qMakePair(QByteArray("Content-Type"), contentType));
    if (!secret.isEmpty())
        headers.append({"Authorization", "Bearer " + secret.toLatin1()});
    const HttpReply reply = client.request("POST", "/api/metrics", body, headers);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    QCOMPARE(reply.errorCode(), code);
    QCOMPARE(reply.errorField(), field);
    QVERIFY(!reply.json().value(QLatin1String("message")).toString().isEmpty());
    if (status == 401)
        QVERIFY(!reply.header("www-authenticate").isEmpty());
    QCOMPARE(m_stack->totalRawCount(), before);
    QCOMPARE(m_stack->repository().samples().stats(m_project.id)->sampleCount, samplesBefore);
}

void TestIngestServer::methodAndRouteErrors()
{
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    HttpReply reply = client.request("GET", "/api/metrics");
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.header("allow"), QByteArray("POST"));
    reply = client.request("DELETE", "/api/projects");
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.header("allow"), QByteArray("GET, POST"));
    reply = client.request("GET", "/nothing/here");
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.errorCode(), QStringLiteral("not_found"));
}

void TestIngestServer::onlyLoopbackHostsAreAnswered()
{
    // A page whose name rebinds to 127.0.0.1 sends its own name: refused before any work, a key or not.
    const qint64 samplesBefore = m_stack->repository().samples().stats(m_project.id)->sampleCount;
    const qsizetype projectsBefore = m_stack->repository().projects().list()->size();
    HttpReply reply = push(sampleJson(m_project.id, 1), m_project.apiKey, {{"Host", "evil.example:4318"}});
    QCOMPARE(reply.status, 421);
    QCOMPARE(reply.errorCode(), QStringLiteral("host_not_allowed"));
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    reply = client.request("GET", "/metrics", {}, {{"Host", "evil.example"}});
    QCOMPARE(reply.status, 421);
    QVERIFY(!reply.body.contains(m_project.id.toLatin1()));
    const QByteArray otlp =
        R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name",)"
        R"("value":{"stringValue":"rebound"}}]},"scopeMetrics":[{"metrics":[{"name":)"
        R"("gen_ai.server.kv_cache.usage","gauge":{"dataPoints":[{"asDouble":0.5}]}}]}]}]})";
    reply = client.request("POST", "/v1/metrics", otlp,
                           {{"Host", "evil.example"}, {"Content-Type", "application/json"}});
    QCOMPARE(reply.status, 421);
    // A request without Host at all, in HTTP/1.1 and 1.0.
    for (const QByteArray &version : {QByteArray("1.1"), QByteArray("1.0")}) {
        HttpClient raw(QStringLiteral("127.0.0.1"), m_stack->port());
        QVERIFY(raw.connectToServer());
        raw.writeRaw("GET /api/health HTTP/" + version + "\r\n\r\n");
        reply = raw.readReply();
        QCOMPARE(reply.status, 421);
        QCOMPARE(reply.errorCode(), QStringLiteral("missing_host"));
    }
    QCOMPARE(m_stack->repository().samples().stats(m_project.id)->sampleCount, samplesBefore);
    QCOMPARE(m_stack->repository().projects().list()->size(), projectsBefore);

    // Every loopback spelling is this machine; "[::1" is not a name.
    for (const QByteArray &host :
         {QByteArray("127.0.0.1:4318"), QByteArray("localhost"), QByteArray("LocalHost:80"),
          QByteArray("localhost."), QByteArray("127.0.0.2"), QByteArray("[::1]:4318")}) {
        reply = client.request("GET", "/api/health", {}, {{"Host", host}});
        QVERIFY2(reply.status == 200, host.constData());
    }
    // Other machines, names that only begin like a loopback one, and ports that are not numbers.
    for (const QByteArray &host :
         {QByteArray("[::1"), QByteArray("localhost.evil.example"), QByteArray("127.0.0.1.evil.example"),
          QByteArray("0.0.0.0"), QByteArray("localhostevil.example"), QByteArray("127.0.0.10.evil.example"),
          QByteArray("localhost:4318.evil.example"), QByteArray("[::1]evil.example")}) {
        reply = client.request("GET", "/api/health", {}, {{"Host", host}});
        QVERIFY2(reply.status == 421, host.constData());
    }

    // Names the user adds are answered once the setting is read; a malformed list is refused as a whole.
    QVERIFY(!m_stack->repository().settings().set(storage::setting::AllowedHosts, QStringLiteral("my box")));
    QVERIFY(!m_stack->repository().settings().set(storage::setting::AllowedHosts, QStringLiteral("a..b")));
    QVERIFY(m_stack->repository().settings().set(storage::setting::AllowedHosts,
                                                 QStringLiteral(" My-Box.local ,llm.lan")));
    QCOMPARE(m_stack->repository().settings().value(storage::setting::AllowedHosts).value(),
             QStringLiteral("my-box.local,llm.lan"));
    QTRY_VERIFY(client.request("GET", "/api/health", {}, {{"Host", "my-box.local:4318"}}).status == 200);
    QCOMPARE(client.request("GET", "/api/health", {}, {{"Host", "evil.example"}}).status, 421);
    QVERIFY(m_stack->repository().settings().set(storage::setting::AllowedHosts, QString()));
    QTRY_VERIFY(client.request("GET", "/api/health", {}, {{"Host", "my-box.local"}}).status == 421);
}

void TestIngestServer::storageFailureSaysWhatHappened()
{
    // A commit that fails inside SQLite (a trigger raising here): 503 with Retry-After, told in words,
    // never SQLite's own text; nothing stored; the next push after it works.
    QSqlQuery q(m_stack->repository().database());
    QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER refuse_samples BEFORE INSERT ON samples BEGIN "
                                  "SELECT RAISE(ABORT, 'internal detail 0x5eed'); END")));
    const qint64 before = m_stack->rawCount(m_project.id);
    HttpReply reply = push(sampleJson(m_project.id, 1), m_project.apiKey);
    QCOMPARE(reply.status, 503);
    QCOMPARE(reply.errorCode(), QStringLiteral("storage_unavailable"));
    QCOMPARE(reply.header("retry-after"), QByteArray("1"));
    QVERIFY2(
        reply.json().value(QLatin1String("message")).toString().contains(QLatin1String("could not commit")),
        reply.body.constData());
    QVERIFY(!reply.body.contains("0x5eed"));
    QCOMPARE(m_stack->rawCount(m_project.id), before);
    QVERIFY(q.exec(QStringLiteral("DROP TRIGGER refuse_samples")));
    QCOMPARE(push(sampleJson(m_project.id, 1), m_project.apiKey).status, 200);
}

void TestIngestServer::health()
{
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    const HttpReply reply = client.request("GET", "/api/health");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(reply.json().value(QLatin1String("version")).toString(), QStringLiteral(CACHEWISE_VERSION));
}

void TestIngestServer::rateLimit()
{
    QVERIFY(m_stack->repository().settings().set(storage::setting::RateLimitPerSecond, QStringLiteral("2")));
    QTRY_COMPARE(m_stack->engine().listenerSettings().ratePerSecond, 2.0);
    const qint64 before = m_stack->rawCount(m_project.id);
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    int accepted = 0;
    HttpReply limited;
    for (int i = 0; i < 12 && limited.status == 0; ++i) {
        const HttpReply reply = client.postJson("/api/metrics", sampleJson(m_project.id), m_project.apiKey);
        if (reply.status == 200)
            ++accepted;
        else if (reply.status == 429)
            limited = reply;
    }
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.errorCode(), QStringLiteral("rate_limited"));
    QVERIFY(limited.header("retry-after").toInt() >= 1);
    QVERIFY(accepted >= 1);
    QCOMPARE(m_stack->rawCount(m_project.id), before + accepted); // the refused one stored nothing
    // Another key has its own budget.
    QCOMPARE(push(sampleJson(m_other.id), m_other.apiKey).status, 200);
    QVERIFY(m_stack->repository().settings().set(storage::setting::RateLimitPerSecond, QStringLiteral("0")));
    QTRY_COMPARE(m_stack->engine().listenerSettings().ratePerSecond, 0.0);
}

void TestIngestServer::adminEndpoints()
{
    HttpClient anonymous(QStringLiteral("127.0.0.1"), m_stack->port());
    HttpReply reply = anonymous.request("GET", "/api/projects");
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.errorCode(), QStringLiteral("missing_admin_token"));
    reply = anonymous.request("GET", "/api/projects", {},
                              {{"Authorization", "Bearer " + m_project.apiKey.toLatin1()}});
    QCOMPARE(reply.status, 401); // a project key is not the admin token
    QCOMPARE(reply.errorCode(), QStringLiteral("invalid_admin_token"));

    reply = admin("GET", "/api/projects");
    QCOMPARE(reply.status, 200);
    const QJsonArray projects = reply.json().value(QLatin1String("projects")).toArray();
    QVERIFY(projects.size() >= 2);
    QVERIFY(projects.at(0).toObject().contains(QLatin1String("projectName")));

    reply = admin(
        "POST", "/api/projects",
        R"({"projectName":"Image Captioning","modelName":"BLIP-2","modelArchitecture":"Encoder-Decoder Transformer"})");
    QCOMPARE(reply.status, 201);
    QCOMPARE(reply.header("cache-control"), QByteArray("no-store")); // it carries the new key
    QCOMPARE(reply.header("x-content-type-options"), QByteArray("nosniff"));
    const QString id =
        reply.json().value(QLatin1String("project")).toObject().value(QLatin1String("id")).toString();
    const QString key = reply.json().value(QLatin1String("apiKey")).toString();
    QVERIFY(!id.isEmpty() && key.startsWith(QStringLiteral("cw_")));
    QCOMPARE(push(sampleJson(id), key).status, 200);
    // The name is taken now (case aside): 409, and no second project (nor key) is made.
    const qsizetype before =
        admin("GET", "/api/projects").json().value(QLatin1String("projects")).toArray().size();
    reply = admin("POST", "/api/projects", R"({"projectName":"image captioning","modelName":"BLIP-2"})");
    QCOMPARE(reply.status, 409);
    QCOMPARE(reply.errorCode(), QStringLiteral("name_taken"));
    QCOMPARE(reply.errorField(), QStringLiteral("projectName"));
    QCOMPARE(admin("GET", "/api/projects").json().value(QLatin1String("projects")).toArray().size(), before);

    reply = admin("POST", "/api/projects", R"({"projectName":"  ","modelName":"x"})");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.errorField(), QStringLiteral("projectName"));
    QCOMPARE(reply.json().value(QLatin1String("message")).toString(),
             QStringLiteral("Project Name is required."));
    reply = admin("POST", "/api/projects", R"({"projectName":"x","owner":"me"})");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.errorCode(), QStringLiteral("unknown_field"));
    reply = admin("POST", "/api/projects", R"({"projectName":5})");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.errorCode(), QStringLiteral("wrong_type"));

    reply = admin("GET", "/api/projects/" + id.toLatin1());
    QCOMPARE(reply.status, 200);
    QCOMPARE(
        reply.json().value(QLatin1String("stats")).toObject().value(QLatin1String("sampleCount")).toInt(), 1);
    QCOMPARE(reply.json().value(QLatin1String("recentMetrics")).toArray().size(), 1);
    reply = admin("GET", "/api/projects/" + kUnknownProject.toLatin1());
    QCOMPARE(reply.status, 404);
    reply = admin("GET", "/api/projects/proj-abc");
    QCOMPARE(reply.status, 400);
    reply = admin("GET", "/api/recommendations/" + id.toLatin1());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QLatin1String("recommendations")).toArray().size(), 0);
}

void TestIngestServer::projectCreatedElsewhereCanPushAtOnce()
{
    // Another connection to the same file (as the CLI would be) creates a project and a key.
    SystemClock clock;
    storage::Repository repo(clock);
    QVERIFY(repo.open(m_stack->databasePath()));
    auto project = repo.projects().create(QStringLiteral("From elsewhere"), QString(), QString());
    auto key = repo.keys().create(project->id);
    QVERIFY(project && key);
    QCOMPARE(push(sampleJson(project->id), key->secret).status, 200);
    // A revocation counts at once: the listener remembers the key, but the transaction checks it again, so
    // nothing sent after the revocation committed is stored (before the app hears of the change).
    QVERIFY(repo.keys().revoke(key->key.id).value());
    const HttpReply refused = push(sampleJson(project->id), key->secret);
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.errorCode(), QStringLiteral("revoked_api_key"));
    QCOMPARE(m_stack->rawCount(project->id), 1);
    // The same through OpenTelemetry with that key.
    const QByteArray otlp =
        R"({"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[{"metrics":[{"name":)"
        R"("gen_ai.server.kv_cache.usage","gauge":{"dataPoints":[{"asDouble":0.5}]}}]}]}]})";
    HttpClient client(QStringLiteral("127.0.0.1"), m_stack->port());
    const HttpReply otlpRefused = client.request(
        "POST", "/v1/metrics", otlp,
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key->secret.toUtf8()}});
    QCOMPARE(otlpRefused.status, 401);
    QCOMPARE(m_stack->rawCount(project->id), 1);
}

void TestIngestServer::concurrentPushers()
{
    // 8 clients x 500 samples, each its own key and connection: exactly 4000 rows, none twice.
    constexpr int kClients = 8;
    constexpr int kSamples = 500;
    auto project = m_stack->createProject(QStringLiteral("Concurrent"));
    QList<QString> keys;
    for (int c = 0; c < kClients; ++c)
        keys << m_stack->repository().keys().create(project.id)->secret;
    const quint16 port = m_stack->port();
    std::atomic<int> acknowledged{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < kClients; ++c) {
        threads.emplace_back([&, c] {
            HttpClient client(QStringLiteral("127.0.0.1"), port);
            for (int i = 0; i < kSamples; ++i) {
                const HttpReply r =
                    client.postJson("/api/metrics", sampleJson(project.id, c * 100000 + i), keys[c]);
                if (r.status == 200 && r.json().value(QLatin1String("accepted")).toInt() == 1)
                    ++acknowledged;
            }
        });
    }
    for (auto &t : threads)
        t.join();
    QCOMPARE(acknowledged.load(), kClients * kSamples);
    QCOMPARE(m_stack->rawCount(project.id), kClients * kSamples);
    QSet<double> markers;
    for (const model::MetricSample &s : test::storedSamples(m_stack->repository(), project.id))
        markers.insert(*s.value(Metric::TokensProcessed));
    QCOMPARE(markers.size(), kClients * kSamples);
    QCOMPARE(m_stack->repository().samples().stats(project.id)->sampleCount, kClients * kSamples);
}

QTEST_GUILESS_MAIN(TestIngestServer)
#include "tst_ingestserver.moc"
