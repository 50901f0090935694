// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/samplejson.h"

#include <QTest>

#include <bit>

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
    void readersAgree_data();
    void readersAgree();
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

void TestSampleJson::readersAgree_data()
{
    // Bodies near the edge of what the fast reader (simdjson) takes: each answer must be the one Qt's
    // reader gives, the same samples bit for bit or the same refusal word for word.
    QTest::addColumn<QByteArray>("body");
    const auto with = [](const char *extra) {
        return sample(QString::fromUtf8(extra));
    };
    const auto number = [](const char *text) {
        return sample(QStringLiteral("\"kvCacheUsageRatio\":%1").arg(QString::fromLatin1(text)));
    };
    QTest::addRow("plain") << sample();
    QTest::addRow("batch") << QByteArray("[" + sample() + "," + sample() + "]");
    QTest::addRow("wrapped") << QByteArray("{\"samples\":[" + sample() + "]}");
    QTest::addRow("wrapped twice") << QByteArray("{\"samples\":[" + sample() + "],\"samples\":[]}");
    QTest::addRow("wrapper with another key") << QByteArray("{\"samples\":[" + sample() + "],\"x\":1}");
    QTest::addRow("wrapper not an array") << QByteArray("{\"samples\":{}}");
    QTest::addRow("empty batch") << QByteArray("[]");
    QTest::addRow("byte order mark") << QByteArray("\xEF\xBB\xBF" + sample());
    QTest::addRow("trailing NUL") << QByteArray(sample() + QByteArray(1, '\0'));
    QTest::addRow("surrounding space") << QByteArray(" \t\r\n" + sample() + "\n");
    for (const char *text : {"0",
                             "-0",
                             "0.0",
                             "-0.0",
                             "0e10",
                             "1e-400",
                             "4.9e-324",
                             "1.5e-310",
                             "0.75",
                             "1.",
                             ".5",
                             "01",
                             "1E0",
                             "1e+0",
                             "18446744073709551615",
                             "18446744073709551616",
                             "9223372036854775808",
                             "-1",
                             "null",
                             "true",
                             "\"1\"",
                             "1e400"})
        QTest::addRow("ratio %s", text) << number(text);
    QTest::addRow("integer as 1.0") << with(R"("requestsRunning":1.0)");
    QTest::addRow("integer as 1.5") << with(R"("requestsRunning":1.5)");
    QTest::addRow("integer at 2^53") << with(R"("preemptions":9007199254740993)");
    QTest::addRow("required null") << sample(QStringLiteral("\"tokensProcessed\":null"),
                                             QStringLiteral("tokensProcessed"));
    QTest::addRow("key given twice") << with(R"("requestsRunning":1,"requestsRunning":2)");
    QTest::addRow("projectId twice") << with(R"("projectId":"5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a02")");
    QTest::addRow("escaped key") << with(R"("requests\u0052unning":1)");
    QTest::addRow("escaped key twice") << with(R"("requests\u0052unning":1,"requestsRunning":1)");
    QTest::addRow("unknown key") << with(R"("requestsrunning":1)");
    QTest::addRow("processedData") << with(R"("processedData":{"b":1,"a":[1.50,"x"]})");
    QTest::addRow("processedData null") << with(R"("processedData":null)");
    QTest::addRow("lone surrogate") << with(R"("processedData":{"a":"\ud800"})");
    QTest::addRow("control byte in a string") << with("\"processedData\":{\"a\":\"\x01\"}");
    for (const char *id :
         {"5F1C2A7E-0B7D-4F43-9A51-6C3E0D2B8A01", "{5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01}",
          "00000000-0000-0000-0000-000000000000", "5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01\\n",
          "5f1c2a7e\\u002d0b7d-4f43-9a51-6c3e0d2b8a01", "5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a0g"})
        QTest::addRow("projectId %s", id) << sample(
            QStringLiteral("\"projectId\":\"%1\"").arg(QString::fromLatin1(id)), QStringLiteral("projectId"));
    for (const char *ts : {"2024-01-15T10:00:00Z",
                           "2024-01-15T10:00:00.250Z",
                           "2024-01-15T10:00:00.123456789z",
                           "2024-01-15T10:00:00.1234567890Z",
                           "2024-01-15T10:00:00,5Z",
                           "2024-01-15T13:00:00+03:00",
                           "2024-01-15T05:00:00-0500",
                           "2024-01-15T05:00:00-05",
                           "2024-01-15T10:00:00",
                           "2024-01-15 10:00:00Z",
                           "2024-01-15T10:00Z",
                           "2024-01-15T10:00:60Z",
                           "2024-01-15T24:00:00Z",
                           "2024-01-15T10:00:00+24:00",
                           "2024-01-15T10:00:00+03:60",
                           "2023-02-29T10:00:00Z",
                           "2020-02-29T10:00:00Z",
                           "2000-01-01T00:00:00Z",
                           "1999-12-31T23:59:59.999Z",
                           "2024-01-15T10:05:00.001Z",
                           "2024-01-15T10:05:00Z",
                           " 2024-01-15T10:00Z",
                           "2024-01-15T10:00:00Z ",
                           "2024-1-15T10:00:00Z",
                           "2024-01-15t10:00:00Z",
                           "0000-01-01T00:00:00Z"})
        QTest::addRow("timestamp %s", ts) << with(QByteArray("\"timestamp\":\"" + QByteArray(ts) + "\""));
    QTest::addRow("timestamp null") << with(R"("timestamp":null)");
    QTest::addRow("timestamp twice") << with(R"("timestamp":null,"timestamp":"2024-01-15T10:00:00Z")");
    QTest::addRow("timestamp number") << with(R"("timestamp":1705312800000)");
}

void TestSampleJson::readersAgree()
{
    QFETCH(QByteArray, body);
    const SampleParseResult fast = parseSamples(body, options());
    const SampleParseResult reference = parseSamplesWithQtJson(body, options());
    QCOMPARE(fast.index(), reference.index());
    if (const auto *refused = std::get_if<SampleParseError>(&reference)) {
        const auto &given = std::get<SampleParseError>(fast);
        QCOMPARE(given.status, refused->status);
        QCOMPARE(given.code, refused->code);
        QCOMPARE(given.message, refused->message);
        QCOMPARE(given.field, refused->field);
        return;
    }
    const auto &a = std::get<QList<model::MetricSample>>(fast);
    const auto &b = std::get<QList<model::MetricSample>>(reference);
    QCOMPARE(a.size(), b.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].projectId, b[i].projectId);
        QCOMPARE(a[i].timestampMs, b[i].timestampMs);
        QCOMPARE(a[i].processedData, b[i].processedData);
        for (std::size_t m = 0; m < model::kMetricCount; ++m) {
            QCOMPARE(a[i].values[m].has_value(), b[i].values[m].has_value());
            if (a[i].values[m])
                QCOMPARE(std::bit_cast<quint64>(*a[i].values[m]), std::bit_cast<quint64>(*b[i].values[m]));
        }
    }
}

QTEST_GUILESS_MAIN(TestSampleJson)
#include "tst_samplejson.moc"
