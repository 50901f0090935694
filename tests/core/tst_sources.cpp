// SPDX-License-Identifier: GPL-3.0-or-later
// Sources end to end: a project's llama-server source is scraped on a schedule and becomes samples with
// the KV in use derived from its slots; the source's state follows the server (down with the reason,
// backoff, up again). The server here replays, byte for byte, what a real llama-server answered.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/sources/scraper.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"

#include <QFile>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace cachewise;

namespace {

QByteArray capture(const char *name)
{
    QFile f(QFINDTESTDATA(QStringLiteral("../data/llama-server/f16-np4/") + QLatin1String(name)));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing capture %s", name);
    return f.readAll();
}

void serveLlama(test::ReplayServer &server, const char *slots, const char *metrics)
{
    server.serve("/props", 200, capture("props.json"));
    server.serve("/v1/models", 200, capture("models.json"));
    server.serve("/slots", 200, capture(slots));
    server.serve("/metrics", 200, capture(metrics));
}

storage::Source sourceFor(const QString &projectId, quint16 port)
{
    storage::Source s;
    s.projectId = projectId;
    s.engine = QStringLiteral("llama.cpp");
    s.baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
    s.intervalMs = 250;
    return s;
}

} // namespace

class TestSources : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addRefusesBadSources();
    void scrapesIntoSamples();
    void downWithReasonThenUpAgain();
    void slotsEndpointOff();
};

void TestSources::addRefusesBadSources()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Sources"));
    storage::Repository &repo = stack.repository();
    storage::Source s = sourceFor(p.id, 8080);
    s.baseUrl = QStringLiteral("ftp://127.0.0.1:8080");
    QCOMPARE(repo.addSource(s).error().code, QStringLiteral("url"));
    s.baseUrl = QStringLiteral("http://");
    QCOMPARE(repo.addSource(s).error().code, QStringLiteral("url"));
    s = sourceFor(p.id, 8080);
    s.intervalMs = 10;
    QCOMPARE(repo.addSource(s).error().code, QStringLiteral("interval"));
    s = sourceFor(p.id, 8080);
    s.engine = QStringLiteral("tgi");
    QCOMPARE(repo.addSource(s).error().code, QStringLiteral("engine"));
    s = sourceFor(QStringLiteral("00000000-0000-4000-8000-000000000000"), 8080);
    QCOMPARE(repo.addSource(s).error().code, QStringLiteral("not_found"));
    QVERIFY(repo.sources(p.id)->isEmpty()); // nothing stored by the refusals
    s = sourceFor(p.id, 8080);
    s.baseUrl += QLatin1Char('/');
    auto added = repo.addSource(s);
    QVERIFY(added);
    QCOMPARE(added->baseUrl, QStringLiteral("http://127.0.0.1:8080"));
    QCOMPARE(repo.addSource(sourceFor(p.id, 8080)).error().code, QStringLiteral("duplicate"));
    QVERIFY(repo.setSourceEnabled(added->id, false).value());
    QVERIFY(!repo.sources(p.id)->first().enabled);
    QVERIFY(repo.removeSource(added->id).value());
    QVERIFY(!repo.removeSource(added->id).value());
}

void TestSources::scrapesIntoSamples()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    serveLlama(server, "during_slots_06.json", "during_metrics_06.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Scraped"));
    // The project runs Llama 3.1 8B at f16 with 4 slots: 131072 bytes per cached token.
    QVERIFY(stack.repository().setRuntime(
        p.id,
        analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")),
                              analysis::KvConfig{analysis::Engine::LlamaCpp, 4096, 4, false, false, 512, 16,
                                                 analysis::CacheType::F16, analysis::CacheType::F16})));
    QVERIFY(stack.repository().addSource(sourceFor(p.id, server.port())));

    SystemClock clock;
    sources::SourceScraper scraper(stack.databasePath(), stack.writer(), clock, 200);
    QSignalSpy states(&scraper, &sources::SourceScraper::stateChanged);
    scraper.start();
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= 2, 10000);
    QVERIFY(!states.isEmpty());
    QCOMPARE(states.first().at(1).toString(), QStringLiteral("up"));
    const auto latest = stack.repository().recentSamples(p.id, 1);
    QVERIFY(latest);
    const storage::MetricSample s = latest->first();
    QCOMPARE(*s.value(storage::Metric::KvCacheSizeKB), double(1023 * 131072 / 1024));
    QCOMPARE(*s.value(storage::Metric::KvCacheCapacityKB), double(4096 * 131072 / 1024));
    QCOMPARE(*s.value(storage::Metric::RequestsRunning), 4.0);
    QCOMPARE(*s.value(storage::Metric::RequestsWaiting), 2.0);
    // The per-slot view rides along as the sample's processed data.
    QVERIFY(s.processedData.contains("\"slots\""));
    QVERIFY(s.processedData.contains("\"tokens\":274"));
    const auto source = stack.repository().sources(p.id)->first();
    QCOMPARE(source.state, QStringLiteral("up"));
    QVERIFY(source.lastLatencyMs.has_value());
    QCOMPARE(server.hits("/props"), 1); // asked once, then kept
    QVERIFY(server.hits("/slots") >= 2);
}

void TestSources::downWithReasonThenUpAgain()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    const quint16 port = server.port();
    serveLlama(server, "slots_after_load.json", "metrics_after_load.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Flaky"));
    QVERIFY(stack.repository().addSource(sourceFor(p.id, port)));
    SystemClock clock;
    sources::SourceScraper scraper(stack.databasePath(), stack.writer(), clock, 200);
    scraper.start();
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().sources(p.id)->first().state == QLatin1String("up"), 10000);
    // No model described: the state says why the KV is not in bytes.
    QVERIFY(
        stack.repository().sources(p.id)->first().stateReason.contains(QStringLiteral("Engine and model")));
    server.close();
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().sources(p.id)->first().state == QLatin1String("down"), 10000);
    QVERIFY(!stack.repository().sources(p.id)->first().stateReason.isEmpty());
    const qint64 stored = stack.rawCount(p.id);
    QVERIFY(server.listen(port));
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().sources(p.id)->first().state == QLatin1String("up"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) > stored, 10000);
}

void TestSources::slotsEndpointOff()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    serveLlama(server, "slots_after_load.json", "metrics_after_load.txt");
    server.serve(
        "/slots", 501,
        R"({"error":{"code":501,"message":"This server does not support slots endpoint.","type":"not_supported_error"}})");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("No slots"));
    QVERIFY(stack.repository().addSource(sourceFor(p.id, server.port())));
    SystemClock clock;
    sources::SourceScraper scraper(stack.databasePath(), stack.writer(), clock, 200);
    scraper.start();
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().sources(p.id)->first().state == QLatin1String("down"), 10000);
    QVERIFY(stack.repository().sources(p.id)->first().stateReason.contains(QStringLiteral("--slots")));
    QCOMPARE(stack.rawCount(p.id), 0);
}

QTEST_GUILESS_MAIN(TestSources)
#include "tst_sources.moc"
