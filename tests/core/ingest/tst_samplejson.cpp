// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/samplejson.h"

#include <QTest>

using namespace cachewise;
using namespace cachewise::ingest;
using model::Metric;

namespace {

const QString kProject = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01");
constexpr qint64 kNow = 1'705'312'800'000; // 2024-01-15T10:00:00Z

SampleParseOptions options()
{
    SampleParseOptions o;
    o.nowMs = kNow;
    o.maxSamples = 10;
    o.maxProcessedDataBytes = 64;
    return o;
}

QByteArray sample(const QString &extra = {}, const QString &drop = {})
{
    QStringList fields{QStringLiteral("\"projectId\":\"%1\"").arg(kProject),
                       QStringLiteral("\"tokensProcessed\":1250"), QStringLiteral("\"kvCacheSizeKB\":480000"),
                       QStringLiteral("\"memoryUsageGB\":2.7"), QStringLiteral("\"inferenceTimeMs\":550")};
    if (!drop.isEmpty())
        fields.erase(std::remove_if(fields.begin(), fields.end(),
                                    [&](const QString &f) {
                                        return f.startsWith(QLatin1Char('"') + drop + QLatin1Char('"'));
                                    }),
                     fields.end());
    if (!extra.isEmpty())
        fields << extra;
    return (QLatin1Char('{') + fields.join(QLatin1Char(',')) + QLatin1Char('}')).toUtf8();
}

} // namespace

class TestSampleJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void briefSample();
    void batchForms();
    void optionalFields();
    void refusals_data();
    void refusals();
    void timestamps_data();
    void timestamps();
    void uuids();
};

void TestSampleJson::briefSample()
{
    // The product brief's own request body.
    const QByteArray body =
        QStringLiteral(
            R"({ "projectId": "%1", "timestamp": "2024-01-15T10:00:00Z", "tokensProcessed": 1500, "kvCacheSizeKB": 450000, "memoryUsageGB": 2.5, "inferenceTimeMs": 500 })")
            .arg(kProject)
            .toUtf8();
    auto result = parseSamples(body, options());
    QVERIFY(std::holds_alternative<QList<model::MetricSample>>(result));
    const auto samples = std::get<QList<model::MetricSample>>(result);
    QCOMPARE(samples.size(), 1);
    QCOMPARE(samples[0].projectId, kProject);
    QCOMPARE(samples[0].timestampMs, kNow);
    QCOMPARE(*samples[0].value(Metric::TokensProcessed), 1500.0);
    QCOMPARE(*samples[0].value(Metric::KvCacheSizeKB), 450000.0);
    QCOMPARE(*samples[0].value(Metric::MemoryUsageGB), 2.5);
    QCOMPARE(*samples[0].value(Metric::InferenceTimeMs), 500.0);
    QVERIFY(!samples[0].value(Metric::OptimizationScore));
}

void TestSampleJson::batchForms()
{
    const QByteArray one = sample();
    for (const QByteArray &body :
         {QByteArray("[" + one + "," + one + "]"), QByteArray("{\"samples\":[" + one + "," + one + "]}")}) {
        auto result = parseSamples(body, options());
        QVERIFY2(std::holds_alternative<QList<model::MetricSample>>(result), body.constData());
        QCOMPARE(std::get<QList<model::MetricSample>>(result).size(), 2);
    }
}

void TestSampleJson::optionalFields()
{
    const QByteArray body = sample(QStringLiteral(
        R"("optimizationScore":75.5,"kvCacheCapacityKB":640000,"kvCacheUsageRatio":0.75,"requestsRunning":2,"requestsWaiting":0,"prefixCacheHitRate":0.4,"tokensPerSecond":31.5,"timeToFirstTokenMs":120.5,"preemptions":3,"processedData":{"slot":1},"timestamp":null)"));
    auto result = parseSamples(body, options());
    QVERIFY(std::holds_alternative<QList<model::MetricSample>>(result));
    const auto s = std::get<QList<model::MetricSample>>(result).first();
    QCOMPARE(*s.value(Metric::OptimizationScore), 75.5);
    QCOMPARE(*s.value(Metric::KvCacheCapacityKB), 640000.0);
    QCOMPARE(*s.value(Metric::KvCacheUsageRatio), 0.75);
    QCOMPARE(*s.value(Metric::Preemptions), 3.0);
    QCOMPARE(s.processedData, QByteArray("{\"slot\":1}"));
    QCOMPARE(s.timestampMs, kNow); // null timestamp means now
}

void TestSampleJson::refusals_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");

    auto row = [](const char *name, const QByteArray &body, int status, const char *code, const char *field) {
        QTest::addRow("%s", name) << body << status << QString::fromLatin1(code)
                                  << QString::fromLatin1(field);
    };
    row("empty body", "", 400, "malformed_json", "body");
    row("truncated JSON", "{\"projectId\":", 400, "malformed_json", "body");
    row("top-level string", "\"hello\"", 400, "malformed_json", "body");
    row("array of numbers", "[1,2]", 400, "wrong_type", "samples[0]");
    row("missing projectId", sample({}, QStringLiteral("projectId")), 400, "missing_field", "projectId");
    row("projectId not a UUID",
        sample(QStringLiteral("\"projectId\":\"proj-abc\""), QStringLiteral("projectId")), 400,
        "invalid_value", "projectId");
    row("projectId a number", sample(QStringLiteral("\"projectId\":7"), QStringLiteral("projectId")), 400,
        "wrong_type", "projectId");
    row("missing tokensProcessed", sample({}, QStringLiteral("tokensProcessed")), 400, "missing_field",
        "tokensProcessed");
    row("missing kvCacheSizeKB", sample({}, QStringLiteral("kvCacheSizeKB")), 400, "missing_field",
        "kvCacheSizeKB");
    row("missing memoryUsageGB", sample({}, QStringLiteral("memoryUsageGB")), 400, "missing_field",
        "memoryUsageGB");
    row("missing inferenceTimeMs", sample({}, QStringLiteral("inferenceTimeMs")), 400, "missing_field",
        "inferenceTimeMs");
    row("tokensProcessed as string",
        sample(QStringLiteral("\"tokensProcessed\":\"1250\""), QStringLiteral("tokensProcessed")), 400,
        "wrong_type", "tokensProcessed");
    row("required field null",
        sample(QStringLiteral("\"kvCacheSizeKB\":null"), QStringLiteral("kvCacheSizeKB")), 400, "wrong_type",
        "kvCacheSizeKB");
    row("negative kvCacheSizeKB",
        sample(QStringLiteral("\"kvCacheSizeKB\":-1"), QStringLiteral("kvCacheSizeKB")), 400,
        "negative_value", "kvCacheSizeKB");
    row("negative memoryUsageGB",
        sample(QStringLiteral("\"memoryUsageGB\":-0.5"), QStringLiteral("memoryUsageGB")), 400,
        "negative_value", "memoryUsageGB");
    row("fractional tokensProcessed",
        sample(QStringLiteral("\"tokensProcessed\":12.5"), QStringLiteral("tokensProcessed")), 400,
        "not_integer", "tokensProcessed");
    row("number beyond a double",
        sample(QStringLiteral("\"inferenceTimeMs\":1e400"), QStringLiteral("inferenceTimeMs")), 400,
        "non_finite", "inferenceTimeMs");
    row("NaN literal", sample(QStringLiteral("\"memoryUsageGB\":NaN"), QStringLiteral("memoryUsageGB")), 400,
        "non_finite", "memoryUsageGB");
    row("Infinity literal", sample(QStringLiteral("\"optimizationScore\":Infinity")), 400, "non_finite",
        "optimizationScore");
    row("integer above 2^53",
        sample(QStringLiteral("\"tokensProcessed\":18014398509481984"), QStringLiteral("tokensProcessed")),
        400, "out_of_range", "tokensProcessed");
    row("optimizationScore above 100", sample(QStringLiteral("\"optimizationScore\":100.5")), 400,
        "out_of_range", "optimizationScore");
    row("usage ratio above 1", sample(QStringLiteral("\"kvCacheUsageRatio\":1.5")), 400, "out_of_range",
        "kvCacheUsageRatio");
    row("boolean memoryUsageGB",
        sample(QStringLiteral("\"memoryUsageGB\":true"), QStringLiteral("memoryUsageGB")), 400, "wrong_type",
        "memoryUsageGB");
    row("negative optional field", sample(QStringLiteral("\"requestsWaiting\":-2")), 400, "negative_value",
        "requestsWaiting");
    row("unknown field (typo)", sample(QStringLiteral("\"kvCacheSizeKb\":1")), 400, "unknown_field",
        "kvCacheSizeKb");
    row("unknown field with object value", sample(QStringLiteral("\"extra\":{\"a\":1}")), 400,
        "unknown_field", "extra");
    row("timestamp not ISO 8601", sample(QStringLiteral("\"timestamp\":\"15/01/2024 10:00\"")), 400,
        "invalid_timestamp", "timestamp");
    row("timestamp impossible date", sample(QStringLiteral("\"timestamp\":\"2024-02-30T10:00:00Z\"")), 400,
        "invalid_timestamp", "timestamp");
    row("timestamp as number", sample(QStringLiteral("\"timestamp\":1705312800")), 400, "wrong_type",
        "timestamp");
    row("timestamp far in the future", sample(QStringLiteral("\"timestamp\":\"2100-01-01T00:00:00Z\"")), 400,
        "timestamp_in_future", "timestamp");
    row("timestamp before 2000", sample(QStringLiteral("\"timestamp\":\"1970-01-01T00:00:00Z\"")), 400,
        "timestamp_too_old", "timestamp");
    row("processedData a string", sample(QStringLiteral("\"processedData\":\"raw\"")), 400, "wrong_type",
        "processedData");
    row("processedData too large",
        sample(QStringLiteral("\"processedData\":{\"blob\":\"%1\"}").arg(QString(80, QLatin1Char('x')))), 400,
        "too_large", "processedData");
    row("bad sample in a batch",
        "[" + sample() + "," +
            sample(QStringLiteral("\"kvCacheSizeKB\":-5"), QStringLiteral("kvCacheSizeKB")) + "]",
        400, "negative_value", "samples[1].kvCacheSizeKB");
    row("samples wrapper with another key", "{\"samples\":[" + sample() + "],\"x\":1}", 400, "unknown_field",
        "x");
    row("samples not an array", "{\"samples\":{}}", 400, "wrong_type", "samples");
    row("empty batch", "[]", 400, "no_samples", "body");
    row("empty samples wrapper", "{\"samples\":[]}", 400, "no_samples", "samples");
    QByteArray many = "[";
    for (int i = 0; i < 11; ++i)
        many += (i ? "," : "") + sample();
    row("too many samples", many + "]", 413, "too_many_samples", "body");
}

void TestSampleJson::refusals()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, field);
    auto result = parseSamples(body, options());
    QVERIFY2(std::holds_alternative<SampleParseError>(result), body.constData());
    const auto error = std::get<SampleParseError>(result);
    QCOMPARE(error.code, code);
    QCOMPARE(error.status, status);
    QCOMPARE(error.field, field);
    QVERIFY(!error.message.isEmpty());
}

void TestSampleJson::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expected");
    QTest::addRow("Z") << QStringLiteral("2024-01-15T10:00:00Z") << kNow;
    QTest::addRow("milliseconds") << QStringLiteral("2024-01-15T10:00:00.250Z") << kNow + 250;
    QTest::addRow("microseconds truncated") << QStringLiteral("2024-01-15T10:00:00.123456Z") << kNow + 123;
    QTest::addRow("positive offset") << QStringLiteral("2024-01-15T13:00:00+03:00") << kNow;
    QTest::addRow("negative offset without colon") << QStringLiteral("2024-01-15T05:00:00-0500") << kNow;
    QTest::addRow("no offset is UTC") << QStringLiteral("2024-01-15T10:00:00") << kNow;
    QTest::addRow("space separator") << QStringLiteral("2024-01-15 10:00:00Z") << kNow;
    QTest::addRow("no seconds") << QStringLiteral("2024-01-15T10:00Z") << kNow;
    QTest::addRow("garbage") << QStringLiteral("yesterday") << qint64(-1);
    QTest::addRow("hour 25") << QStringLiteral("2024-01-15T25:00:00Z") << qint64(-1);
    QTest::addRow("offset hour 24") << QStringLiteral("2024-01-15T10:00:00+24:00") << qint64(-1);
}

void TestSampleJson::timestamps()
{
    QFETCH(QString, text);
    QFETCH(qint64, expected);
    QCOMPARE(parseIsoTimestamp(text), expected);
}

void TestSampleJson::uuids()
{
    QCOMPARE(normaliseUuid(QStringLiteral("{5F1C2A7E-0B7D-4F43-9A51-6C3E0D2B8A01}")), kProject);
    QCOMPARE(normaliseUuid(kProject), kProject);
    QVERIFY(normaliseUuid(QStringLiteral("proj-abc")).isEmpty());
    QVERIFY(normaliseUuid(QStringLiteral("5f1c2a7e0b7d4f439a516c3e0d2b8a01")).isEmpty());
    QVERIFY(normaliseUuid(QString()).isEmpty());
}

QTEST_GUILESS_MAIN(TestSampleJson)
#include "tst_samplejson.moc"
