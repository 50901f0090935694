// SPDX-License-Identifier: GPL-3.0-or-later
// CSV and JSON exports for programs: compared byte for byte with golden files (run under a Turkish locale:
// dots and ISO 8601 UTC all the same), CSV quoting of names, rollups, both projects, and the refusals
// (unknown project, empty range, cancelled) that write nothing or stop cleanly.
#include "core/common/clock.h"
#include "core/report/machineexport.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "tests/support/replayserver.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using model::Metric;

namespace {

constexpr qint64 kStart = 1'767'225'600'000; // 2026-01-01T00:00:00Z
const QString kChat = QStringLiteral("11111111-1111-4111-8111-111111111111");
const QString kCaptions = QStringLiteral("22222222-2222-4222-8222-222222222222");

class FixedClock final : public Clock
{
public:
    qint64 nowMs() const override { return kStart + 3'600'000; }
};

QString goldenPath(const QString &name)
{
    return test::testDataPath(QStringLiteral("export/") + name);
}

} // namespace

class TestMachineExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void golden_data();
    void golden();
    void refusals();
    void cancelled();

private:
    QByteArray exported(const report::ExportRequest &request);

    QTemporaryDir m_dir;
    FixedClock m_clock;
    std::unique_ptr<storage::Repository> m_repository;
};

void TestMachineExport::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::Turkish, QLocale::Turkey));
    const QString path = m_dir.filePath(QStringLiteral("cachewise.sqlite"));
    m_repository = std::make_unique<storage::Repository>(m_clock);
    QVERIFY(m_repository->open(path));
    QVERIFY(m_repository->projects().create(QStringLiteral("Chat, \"v2\""), QStringLiteral("Llama-3.1-8B"),
                                            QStringLiteral("Decoder-only Transformer"), kChat));
    QVERIFY(m_repository->projects().create(QStringLiteral("Görüntü Altyazı"), QStringLiteral("Gemma-3-27B"),
                                            QStringLiteral("Vision-language"), kCaptions));
    // Three samples a minute apart for the chat, two for the captions; fractional values and optional
    // fields present or not, so every formatting path is in the golden files.
    QList<model::MetricSample> samples;
    for (int i = 0; i < 3; ++i) {
        model::MetricSample s;
        s.projectId = kChat;
        s.timestampMs = kStart + i * 60'000 + 1'500;
        s.setValue(Metric::TokensProcessed, 1000 + i * 250);
        s.setValue(Metric::KvCacheSizeKB, 524288 + i * 1024);
        s.setValue(Metric::MemoryUsageGB, 8.25 + i * 0.125);
        s.setValue(Metric::InferenceTimeMs, 120 + i);
        s.setValue(Metric::KvCacheUsageRatio, 0.5 + i / 10.0);
        if (i == 1) {
            s.setValue(Metric::TimeToFirstTokenMs, 35.5);
            s.processedData = R"({"latencySeconds":{"ttft":{"p50":0.0355}}})";
        }
        samples << s;
    }
    for (int i = 0; i < 2; ++i) {
        model::MetricSample s;
        s.projectId = kCaptions;
        s.timestampMs = kStart + 3'600'000 - 120'000 + i * 60'000;
        s.setValue(Metric::TokensProcessed, 40);
        s.setValue(Metric::KvCacheSizeKB, 2048);
        s.setValue(Metric::MemoryUsageGB, 17.0);
        s.setValue(Metric::InferenceTimeMs, 900);
        samples << s;
    }
    storage::MetricWriter writer(path, m_clock);
    QVERIFY(writer.start());
    bool done = false;
    writer.submit(samples, [&done](const storage::WriteOutcome &outcome) { done = outcome.ok(); });
    writer.stop(); // commits what is queued
    QVERIFY(done);
}

QByteArray TestMachineExport::exported(const report::ExportRequest &request)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    auto rows = report::writeMachineExport(*m_repository, request, buffer);
    if (!rows)
        qWarning() << rows.errorMessage();
    return buffer.data();
}

void TestMachineExport::golden_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("content");
    QTest::addColumn<QStringList>("projects");
    const int csv = int(report::ExportFormat::Csv);
    const int json = int(report::ExportFormat::Json);
    const int samples = int(report::ExportContent::Samples);
    const int minutes = int(report::ExportContent::MinuteRollups);
    QTest::newRow("samples csv, all") << QStringLiteral("samples-all.csv") << csv << samples << QStringList();
    QTest::newRow("samples json, all")
        << QStringLiteral("samples-all.json") << json << samples << QStringList();
    QTest::newRow("samples csv, one")
        << QStringLiteral("samples-chat.csv") << csv << samples << QStringList{kChat};
    QTest::newRow("minute rollups csv")
        << QStringLiteral("minutes-chat.csv") << csv << minutes << QStringList{kChat};
    QTest::newRow("minute rollups json")
        << QStringLiteral("minutes-chat.json") << json << minutes << QStringList{kChat};
}

void TestMachineExport::golden()
{
    QFETCH(QString, file);
    QFETCH(int, format);
    QFETCH(int, content);
    QFETCH(QStringList, projects);
    report::ExportRequest request;
    request.projectIds = projects;
    request.fromMs = kStart;
    request.toMs = kStart + 3'600'000;
    request.format = report::ExportFormat(format);
    request.content = report::ExportContent(content);
    request.exportedAtMs = m_clock.nowMs();
    const QByteArray actual = exported(request);
    if (qEnvironmentVariableIsSet("CACHEWISE_UPDATE_GOLDEN")) {
        QFile out(goldenPath(file));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(actual);
    }
    QFile expected(goldenPath(file));
    QVERIFY2(expected.open(QIODevice::ReadOnly), qPrintable(goldenPath(file)));
    QCOMPARE(actual, expected.readAll());
    if (request.format == report::ExportFormat::Json) {
        QJsonParseError error;
        QJsonDocument::fromJson(actual, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }
}

void TestMachineExport::refusals()
{
    report::ExportRequest request;
    request.fromMs = kStart;
    request.toMs = kStart + 3'600'000;
    request.projectIds = {kChat, QStringLiteral("33333333-3333-4333-8333-333333333333")};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    auto unknown = report::writeMachineExport(*m_repository, request, buffer);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().kind, ErrorKind::NotFound);
    QVERIFY(buffer.data().isEmpty()); // nothing written before every project was known
    request.projectIds = {kChat};
    request.toMs = request.fromMs;
    auto empty = report::writeMachineExport(*m_repository, request, buffer);
    QVERIFY(!empty);
    QCOMPARE(empty.error().field, QStringLiteral("range"));
    QVERIFY(buffer.data().isEmpty());
    QVERIFY(!report::exportFormatFromName(QStringLiteral("xlsx")));
    QVERIFY(!report::exportContentFromName(QStringLiteral("week")));
}

void TestMachineExport::cancelled()
{
    report::ExportRequest request;
    request.fromMs = kStart;
    request.toMs = kStart + 3'600'000;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    int pages = 0;
    auto stopped = report::writeMachineExport(*m_repository, request, buffer, [&pages](qint64) {
        ++pages;
        return false;
    });
    QVERIFY(!stopped);
    QCOMPARE(stopped.error().kind, ErrorKind::Cancelled);
    QCOMPARE(pages, 1);
}

QTEST_GUILESS_MAIN(TestMachineExport)
#include "tst_machineexport.moc"
