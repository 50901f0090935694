// SPDX-License-Identifier: GPL-3.0-or-later
// Machine formats (push replies, admin JSON, timestamps) ignore the UI locale: Turkish writes 2,7
// for 2.7 and must never leak into JSON. ctest runs this with LANG/LC_ALL=tr_TR.UTF-8.
#include "core/common/timeformat.h"
#include "core/http/message.h"
#include "core/ingest/samplejson.h"
#include "tests/support/httpclient.h"
#include "tests/support/teststack.h"

#include <QLocale>
#include <QTest>

#include <clocale>

using namespace cachewise;
using namespace cachewise::test;

class TestMachineFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void uiLocaleReallyIsTurkish();
    void pushParsesDotDecimals();
    void jsonRepliesUseDots();
    void timestampsAreIsoUtc();
    void adminStatsOverHttpUseDots();
};

void TestMachineFormats::initTestCase()
{
    std::setlocale(LC_ALL, ""); // whatever the environment says (tr_TR.UTF-8 under ctest)
    QLocale::setDefault(QLocale(QLocale::Turkish, QLocale::Turkey));
}

void TestMachineFormats::uiLocaleReallyIsTurkish()
{
    // Guards the test itself: if this fails, the other checks prove nothing.
    QCOMPARE(QLocale().toString(2.7), QStringLiteral("2,7"));
}

void TestMachineFormats::pushParsesDotDecimals()
{
    const QByteArray body =
        R"({"projectId":"5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01","tokensProcessed":1250,"kvCacheSizeKB":480000,"memoryUsageGB":2.7,"inferenceTimeMs":550,"optimizationScore":75.5})";
    ingest::SampleParseOptions options;
    options.nowMs = 1'705'312'800'000;
    auto result = ingest::parseSamples(body, options);
    QVERIFY(std::holds_alternative<QList<model::MetricSample>>(result));
    const auto sample = std::get<QList<model::MetricSample>>(result).first();
    QCOMPARE(*sample.value(model::Metric::MemoryUsageGB), 2.7);
    QCOMPARE(*sample.value(model::Metric::OptimizationScore), 75.5);
}

void TestMachineFormats::jsonRepliesUseDots()
{
    const http::Response r = http::Response::json(200, QJsonObject{{QStringLiteral("mean"), 2.7}});
    QCOMPARE(r.body, QByteArray("{\"mean\":2.7}"));
}

void TestMachineFormats::timestampsAreIsoUtc()
{
    QCOMPARE(isoUtc(1'705'312'800'250), QStringLiteral("2024-01-15T10:00:00.250Z"));
    QCOMPARE(ingest::parseIsoTimestamp(QStringLiteral("2024-01-15T10:00:00,250Z")), 1'705'312'800'250);
}

void TestMachineFormats::adminStatsOverHttpUseDots()
{
    TestStack stack;
    QVERIFY(stack.start());
    const CreatedProject project = stack.createProject(QStringLiteral("Çalışma Projesi"));
    HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    const QByteArray body =
        QStringLiteral(
            R"({"projectId":"%1","tokensProcessed":3,"kvCacheSizeKB":4,"memoryUsageGB":2.75,"inferenceTimeMs":5})")
            .arg(project.id)
            .toUtf8();
    QCOMPARE(client.postJson("/api/metrics", body, project.apiKey).status, 200);
    const HttpReply reply = client.request("GET", "/api/projects/" + project.id.toLatin1(), {},
                                           {{"Authorization", "Bearer " + stack.adminToken().toLatin1()}});
    QCOMPARE(reply.status, 200);
    QVERIFY2(reply.body.contains("\"mean\":2.75"), reply.body.constData());
    QVERIFY(!reply.body.contains("2,75"));
    QVERIFY(reply.body.contains(QStringLiteral("Çalışma Projesi").toUtf8()));
}

QTEST_GUILESS_MAIN(TestMachineFormats)
#include "tst_machineformats.moc"
