// SPDX-License-Identifier: GPL-3.0-or-later
// Sources end to end: a project's llama-server source is scraped on a schedule and becomes samples with
// the KV in use derived from its slots; the source's state follows the server (down with the reason,
// backoff, up again). The server here replays, byte for byte, what a real llama-server answered.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/ingest/listener.h"
#include "core/services/automationstore.h"
#include "core/services/scraper.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace cachewise;

class TestSources : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addRefusesBadSources();
    void scrapesIntoSamples();
    void downWithReasonThenUpAgain();
    void slotsEndpointOff();
    void sourcesChangedElsewhereArePickedUp();
    void automationErasesIdleSlots();
    void vllmFromItsMetrics();
    void ollamaFromPsAndShow();
    void vllmPrefixCacheResetVerified();
    void ollamaUnloadsAModel();
    void eraseWithoutSlotSavePath();
    void eraseRefusedOnceUntilRestart();
    void unifiedServerAsksThenEvicts();
    void restartDuringBackoffCountsEverything();

private:
    void erasingServer(test::ReplayServer &server, int eraseStatus, bool unified = false);
    QString automatedProject(test::TestStack &stack, quint16 port);
};

void TestSources::erasingServer(test::ReplayServer &server, int eraseStatus, bool unified)
{
    if (unified)
        test::serveUnifiedLlamaCaptures(server, "slots_after_load.json", "metrics_after_load.txt");
    else
        test::serveLlamaCaptures(server, "slots_after_load.json", "metrics_after_load.txt");
    // Erasing a slot empties it in what /slots answers next, as llama-server does.
    auto slots = std::make_shared<QJsonArray>(
        QJsonDocument::fromJson(
            unified ? test::testData(QStringLiteral("llama-server/f16-npauto-kvu/slots_after_load.json"))
                    : test::llamaCapture("slots_after_load.json"))
            .array());
    for (int id = 0; id < 4; ++id) {
        const QByteArray path = "/slots/" + QByteArray::number(id) + "?action=erase";
        const int tokens = slots->at(id).toObject().value(QLatin1String("n_prompt_tokens")).toInt();
        server.serve(path, eraseStatus,
                     eraseStatus == 200
                         ? QStringLiteral(R"({"id_slot":%1,"n_erased":%2})").arg(id).arg(tokens).toUtf8()
                         : test::testData(QStringLiteral("llama-server/no-slot-save-path/slot0_erase.json")));
        if (eraseStatus == 200) {
            server.onHit(path, [&server, slots, id] {
                QJsonObject slot = slots->at(id).toObject();
                slot[QStringLiteral("n_prompt_tokens")] = 0;
                slots->replace(id, slot);
                server.serve("/slots", 200, QJsonDocument(*slots).toJson(QJsonDocument::Compact));
            });
        }
    }
}

// A project read from `engine` at `port`, automation live above `maxCache` %, no runtime needed.
static QString liveProject(test::TestStack &stack, quint16 port, model::Engine engine, double maxCache)
{
    const test::CreatedProject p = stack.createProject(model::name(engine));
    model::AutomationSettings limits;
    limits.enabled = true;
    limits.dryRun = false;
    limits.maxCachePercent = maxCache;
    limits.hysteresisPercent = 5;
    limits.cooldownSeconds = 0;
    model::Source source = test::sourceAt(p.id, port);
    source.engine = engine;
    const bool ok = stack.repository().actions().setAutomation(p.id, limits).ok() &&
                    stack.repository().sources().add(source).ok();
    return ok ? p.id : QString();
}

// The first automated evict_lru entry that is no longer pending.
static std::optional<model::ActionLogEntry> settledEvict(test::TestStack &stack, const QString &project)
{
    const QList<model::ActionLogEntry> log = stack.repository().actions().list(project, 50).value();
    for (const model::ActionLogEntry &a : log) {
        if (a.actionType == QLatin1String("evict_lru") && a.status != model::ActionStatus::Pending)
            return a;
    }
    return std::nullopt;
}

QString TestSources::automatedProject(test::TestStack &stack, quint16 port)
{
    const test::CreatedProject p = stack.createProject(QStringLiteral("Automated"));
    const analysis::KvConfig config{
        analysis::Engine::LlamaCpp, 4096, 4, false, false, 512, 16, analysis::CacheType::F16,
        analysis::CacheType::F16};
    const bool runtimeSet =
        stack.repository()
            .runtimes()
            .set(p.id, analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")), config))
            .ok();
    model::AutomationSettings limits;
    limits.enabled = true;
    limits.dryRun = false;
    limits.maxCachePercent = 50; // the captured server holds 3043 of 4096 tokens: 74 %
    limits.hysteresisPercent = 5;
    limits.cooldownSeconds = 0;
    const bool ok = runtimeSet && stack.repository().actions().setAutomation(p.id, limits).ok() &&
                    stack.repository().sources().add(test::sourceAt(p.id, port)).ok();
    return ok ? p.id : QString(); // empty: the caller's QVERIFY fails
}

void TestSources::addRefusesBadSources()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Sources"));
    storage::Repository &repo = stack.repository();
    model::Source s = test::sourceAt(p.id, 8080);
    s.baseUrl = QStringLiteral("ftp://127.0.0.1:8080");
    QCOMPARE(repo.sources().add(s).error().field, QStringLiteral("url"));
    s.baseUrl = QStringLiteral("http://");
    QCOMPARE(repo.sources().add(s).error().field, QStringLiteral("url"));
    s = test::sourceAt(p.id, 8080);
    s.intervalMs = 10;
    QCOMPARE(repo.sources().add(s).error().field, QStringLiteral("interval"));
    s = test::sourceAt(p.id, 8080);
    s.engine = model::Engine::Generic; // there is no generic server to read
    QCOMPARE(repo.sources().add(s).error().field, QStringLiteral("engine"));
    s = test::sourceAt(QStringLiteral("00000000-0000-4000-8000-000000000000"), 8080);
    QCOMPARE(repo.sources().add(s).error().kind, ErrorKind::NotFound);
    QVERIFY(repo.sources().list(p.id)->isEmpty()); // nothing stored by the refusals
    s = test::sourceAt(p.id, 8080);
    s.baseUrl += QLatin1Char('/');
    auto added = repo.sources().add(s);
    QVERIFY(added);
    QCOMPARE(added->baseUrl, QStringLiteral("http://127.0.0.1:8080"));
    QCOMPARE(repo.sources().add(test::sourceAt(p.id, 8080)).error().kind, ErrorKind::Conflict);
    QVERIFY(repo.sources().setEnabled(added->id, false).value());
    QVERIFY(!repo.sources().list(p.id)->first().enabled);
    QVERIFY(repo.sources().remove(added->id).value());
    QVERIFY(!repo.sources().remove(added->id).value());
}

void TestSources::scrapesIntoSamples()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveLlamaCaptures(server, "during_slots_06.json", "during_metrics_06.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Scraped"));
    // The project runs Llama 3.1 8B at f16 with 4 slots: 131072 bytes per cached token.
    QVERIFY(stack.repository().runtimes().set(
        p.id,
        analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")),
                              analysis::KvConfig{analysis::Engine::LlamaCpp, 4096, 4, false, false, 512, 16,
                                                 analysis::CacheType::F16, analysis::CacheType::F16})));
    QVERIFY(stack.repository().sources().add(test::sourceAt(p.id, server.port())));

    services::SourceScraper &scraper = stack.startScraping();
    QSignalSpy states(&scraper, &services::SourceScraper::stateChanged);
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= 2, 10000);
    QVERIFY(!states.isEmpty());
    QCOMPARE(states.first().at(1).value<model::SourceState>(), model::SourceState::Up);
    const auto latest = stack.repository().samples().recent(p.id, 1);
    QVERIFY(latest);
    const model::MetricSample s = latest->first();
    QCOMPARE(*s.value(model::Metric::KvCacheSizeKB), double(1023 * 131072 / 1024));
    QCOMPARE(*s.value(model::Metric::KvCacheCapacityKB), double(4096 * 131072 / 1024));
    QCOMPARE(*s.value(model::Metric::RequestsRunning), 4.0);
    QCOMPARE(*s.value(model::Metric::RequestsWaiting), 2.0);
    // The per-slot view rides along as the sample's processed data.
    QVERIFY(s.processedData.contains("\"slots\""));
    QVERIFY(s.processedData.contains("\"tokens\":274"));
    const auto source = stack.repository().sources().list(p.id)->first();
    QCOMPARE(source.state, model::SourceState::Up);
    QVERIFY(source.lastLatencyMs.has_value());
    QCOMPARE(server.hits("/props"), 1); // asked once, then kept
    QVERIFY(server.hits("/slots") >= 2);
}

void TestSources::downWithReasonThenUpAgain()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    const quint16 port = server.port();
    test::serveLlamaCaptures(server, "slots_after_load.json", "metrics_after_load.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Flaky"));
    QVERIFY(stack.repository().sources().add(test::sourceAt(p.id, port)));
    stack.startScraping();
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().sources().list(p.id)->first().state == model::SourceState::Up,
                             10000);
    // No model described: the state says why the KV is not in bytes.
    QVERIFY(stack.repository().sources().list(p.id)->first().stateReason.contains(
        QStringLiteral("Engine and model")));
    server.close();
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(p.id)->first().state == model::SourceState::Down, 10000);
    QVERIFY(!stack.repository().sources().list(p.id)->first().stateReason.isEmpty());
    const qint64 stored = stack.rawCount(p.id);
    QVERIFY(server.listen(port));
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().sources().list(p.id)->first().state == model::SourceState::Up,
                             20000);
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) > stored, 10000);
}

void TestSources::sourcesChangedElsewhereArePickedUp()
{
    // The scraper runs before the source exists; another connection (as the CLI or the window) adds it,
    // disables it and enables it again: the engine hears of each through SQLite's change counter.
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveLlamaCaptures(server, "slots_after_load.json", "metrics_after_load.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    QSignalSpy changed(&stack.engine(), &services::Engine::changedElsewhere);
    services::SourceScraper &scraper = stack.startScraping();
    QSignalSpy read(&scraper, &services::SourceScraper::sourcesRead);
    QVERIFY(read.wait(5000)); // the first read, at start: nothing to scrape yet
    QCOMPARE(read.last().first().toInt(), 0);
    // From here on the scraper reads its sources only when the engine says the database changed.
    const test::CreatedProject p = stack.createProject(QStringLiteral("Added later"));
    auto added = stack.repository().sources().add(test::sourceAt(p.id, server.port()));
    QVERIFY(added);
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= 1, 5000);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(read.last().first().toInt(), 1);

    const int before = int(changed.size());
    QVERIFY(stack.repository().sources().setEnabled(added->id, false));
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() > before, 5000);
    // A negative fact needs a window: eight scrape intervals (250 ms each) without a request, after the
    // one that may have been under way.
    QTest::qWait(300);
    const int afterDisable = server.hits("/slots");
    QTest::qWait(2000);
    QCOMPARE(server.hits("/slots"), afterDisable);
    QVERIFY(stack.repository().sources().setEnabled(added->id, true));
    QTRY_VERIFY_WITH_TIMEOUT(server.hits("/slots") > afterDisable, 5000);
}

void TestSources::slotsEndpointOff()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveLlamaCaptures(server, "slots_after_load.json", "metrics_after_load.txt");
    server.serve(
        "/slots", 501,
        R"({"error":{"code":501,"message":"This server does not support slots endpoint.","type":"not_supported_error"}})");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("No slots"));
    QVERIFY(stack.repository().sources().add(test::sourceAt(p.id, server.port())));
    stack.startScraping();
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(p.id)->first().state == model::SourceState::Down, 10000);
    QVERIFY(stack.repository().sources().list(p.id)->first().stateReason.contains(QStringLiteral("--slots")));
    QCOMPARE(stack.rawCount(p.id), 0);
}

void TestSources::automationErasesIdleSlots()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    erasingServer(server, 200);
    test::TestStack stack;
    QVERIFY(stack.start());
    const QString project = automatedProject(stack, server.port());
    QVERIFY(!project.isEmpty());
    stack.startScraping();
    const auto evict = [&]() -> std::optional<model::ActionLogEntry> {
        const QList<model::ActionLogEntry> log = stack.repository().actions().list(project, 50).value();
        for (const model::ActionLogEntry &a : log) {
            if (a.actionType == QLatin1String("evict_lru") && a.status != model::ActionStatus::Pending)
                return a;
        }
        return std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(evict().has_value(), 15000);
    const model::ActionLogEntry done = *evict();
    QCOMPARE(done.status, model::ActionStatus::Success);
    // Down to 45 %: the two least recently used slots (tasks 265 and 268), never more.
    QVERIFY2(done.details.contains(QStringLiteral("slot 2 (767 tokens), slot 3 (742 tokens)")),
             qPrintable(done.details));
    QVERIFY2(done.details.contains(QStringLiteral("3043 → 1534")),
             qPrintable(done.details + QString::fromUtf8(server.requests.join(", "))));
    // The decision, then how it ended, each with its numbers.
    QCOMPARE(done.phrases.size(), 2);
    QCOMPARE(done.phrases.at(0).toObject().value(QLatin1String("say")).toString(),
             QStringLiteral("cache_size"));
    QCOMPARE(done.phrases.at(1).toObject().value(QLatin1String("after")).toInteger(), 1534);
    QVERIFY(server.requests.contains("POST /slots/2?action=erase"));
    QVERIFY(!server.requests.contains("POST /slots/0?action=erase"));
    QVERIFY(!server.requests.contains("POST /slots/1?action=erase"));
}

void TestSources::eraseWithoutSlotSavePath()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    erasingServer(server, 501);
    test::TestStack stack;
    QVERIFY(stack.start());
    const QString project = automatedProject(stack, server.port());
    QVERIFY(!project.isEmpty());
    stack.startScraping();
    const auto failed = [&] {
        const QList<model::ActionLogEntry> log = stack.repository().actions().list(project, 50).value();
        for (const model::ActionLogEntry &a : log) {
            if (a.actionType == QLatin1String("evict_lru") && a.status == model::ActionStatus::Failed)
                return a.details;
        }
        return QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!failed().isEmpty(), 15000);
    QVERIFY(failed().contains(QStringLiteral("--slot-save-path")));
}

void TestSources::eraseRefusedOnceUntilRestart()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    erasingServer(server, 501);
    const QByteArray metrics = test::llamaCapture("metrics_after_load.txt");
    server.serve("/metrics", 200, metrics, "Process-Start-Time-Unix: 100\r\n");
    test::TestStack stack;
    QVERIFY(stack.start());
    const QString project = automatedProject(stack, server.port());
    QVERIFY(!project.isEmpty());
    // Still above the limit a second after acting: the rule would try again every second.
    model::AutomationSettings limits = stack.repository().actions().automation(project).value();
    limits.cooldownSeconds = 1;
    QVERIFY(stack.repository().actions().setAutomation(project, limits));
    stack.startScraping();
    const auto entries = [&](model::ActionStatus status) {
        int n = 0;
        const auto log = stack.repository().actions().list(project, 200).value();
        for (const model::ActionLogEntry &a : log)
            n += a.actionType == QLatin1String("evict_lru") && a.status == status ? 1 : 0;
        return n;
    };
    const auto heldBack = [&] {
        int n = 0;
        const auto log = stack.repository().actions().list(project, 200).value();
        for (const model::ActionLogEntry &a : log)
            n += a.status == model::ActionStatus::Alert && a.details.contains(QStringLiteral("not tried"))
                     ? 1
                     : 0;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(entries(model::ActionStatus::Failed), 1, 15000);
    // Later crossings only alert, with the fix, and the project says what to do.
    QTRY_VERIFY_WITH_TIMEOUT(heldBack() >= 2, 15000);
    QCOMPARE(entries(model::ActionStatus::Failed) + entries(model::ActionStatus::Pending), 1);
    QCOMPARE(server.hits("/slots/3?action=erase") + server.hits("/slots/2?action=erase"), 1);
    const model::Source source = stack.repository().sources().list(project)->first();
    QVERIFY(source.eraseRefusedAtMs.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(project)->first().noticesJson.contains("erase_refused"), 5000);
    // Restarted (perhaps with the flag): the next crossing tries again.
    server.serve("/metrics", 200, metrics, "Process-Start-Time-Unix: 200\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(entries(model::ActionStatus::Failed) == 2, 15000);
    QVERIFY(stack.repository().sources().list(project)->first().restartedAtMs.has_value());
}

void TestSources::unifiedServerAsksThenEvicts()
{
    // llama-server -c 4096 without -np: 4 slots that each report 4096, one cache of 4096 between them.
    test::ReplayServer server;
    QVERIFY(server.listen());
    erasingServer(server, 200, true);
    test::TestStack stack;
    QVERIFY(stack.start());
    const QString project = liveProject(stack, server.port(), model::Engine::LlamaCpp, 50);
    QVERIFY(!project.isEmpty());
    stack.startScraping();
    // The HTTP API cannot tell: the project asks, once, and stores no capacity or usage meanwhile.
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(project)->first().noticesJson.contains("kv_layout_unknown"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(project) >= 3, 10000);
    const auto unanswered = stack.repository().samples().recent(project, 10).value();
    for (const model::MetricSample &s : unanswered) {
        QVERIFY(!s.value(model::Metric::KvCacheUsageRatio));
        QVERIFY(!s.value(model::Metric::KvCacheCapacityKB));
        QVERIFY(!s.value(model::Metric::KvCacheSizeKB)); // and no model: no bytes, never 0
        QVERIFY(s.processedData.contains("\"kvLayout\":\"unknown\""));
    }
    QVERIFY(!settledEvict(stack, project).has_value());
    // Answered: one shared cache. 3043 of 4096 tokens is 74 %, above the 50 % limit.
    const QString sourceId = stack.repository().sources().list(project)->first().id;
    QVERIFY(stack.repository().sources().setKvLayout(sourceId, model::KvLayout::Unified).value());
    QTRY_VERIFY_WITH_TIMEOUT(settledEvict(stack, project).has_value(), 15000);
    const model::ActionLogEntry done = *settledEvict(stack, project);
    QVERIFY2(done.status == model::ActionStatus::Success, qPrintable(done.details));
    // Down to 45 % of the shared 4096: the two least recently used slots.
    QVERIFY2(done.details.contains(QStringLiteral("slot 3 (767 tokens), slot 2 (742 tokens)")),
             qPrintable(done.details));
    QVERIFY2(done.details.contains(QStringLiteral("3043 → 1534")), qPrintable(done.details));
    QVERIFY(!stack.repository().sources().list(project)->first().noticesJson.contains("kv_layout_unknown"));
    QCOMPARE(*stack.repository().sources().list(project)->first().capacityTokens, 4096);
    bool sawUsage = false;
    const auto answered = stack.repository().samples().recent(project, 50).value();
    for (const model::MetricSample &s : answered) {
        if (const auto ratio = s.value(model::Metric::KvCacheUsageRatio)) {
            QVERIFY(*ratio == 3043.0 / 4096.0 || *ratio == 1534.0 / 4096.0);
            sawUsage = true;
        }
    }
    QVERIFY(sawUsage);
}

void TestSources::restartDuringBackoffCountsEverything()
{
    // Process A (-c 4096 -np 4), then down, then process B (no -np) whose counters are already past A's.
    test::ReplayServer server;
    QVERIFY(server.listen());
    const quint16 port = server.port();
    test::serveUnifiedLlamaCaptures(server, "slots_after_single.json", "metrics_after_single.txt", "111");
    server.serve("/props", 200, test::llamaCapture("props.json"));
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Restarted"));
    QVERIFY(stack.repository().sources().add(test::sourceAt(p.id, port)));
    stack.startScraping();
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= 2, 10000);
    server.close();
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(p.id)->first().state == model::SourceState::Down, 10000);
    const qint64 before = stack.rawCount(p.id);
    test::serveUnifiedLlamaCaptures(server, "slots_after_load.json", "metrics_after_load.txt", "222");
    QVERIFY(server.listen(port));
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= before + 2, 20000);
    // Every token of process B counted once: nothing of A's totals subtracted from it.
    double tokens = 0;
    const auto samples = stack.repository().samples().recent(p.id, 1000).value();
    for (const model::MetricSample &s : samples)
        tokens += s.value(model::Metric::TokensProcessed).value_or(0);
    QCOMPARE(tokens, double(1595 + 3256));
    // The project says so, with what changed, until the user says the runtime still holds.
    const model::Source source = stack.repository().sources().list(p.id)->first();
    QVERIFY(source.restartedAtMs.has_value());
    QCOMPARE(source.restartChanges,
             QStringLiteral("context per slot 1024 → 4096, model models/tiny.gguf → ./tiny.gguf"));
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(p.id)->first().noticesJson.contains("\"restarted\""), 5000);
    QCOMPARE(source.kvLayout, model::KvLayout::Unknown); // the slots changed: asked again
    QVERIFY(stack.repository().sources().acknowledgeRestart(source.id).value());
    QTRY_VERIFY_WITH_TIMEOUT(
        !stack.repository().sources().list(p.id)->first().noticesJson.contains("\"restarted\""), 5000);
}

void TestSources::vllmFromItsMetrics()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    server.serve("/metrics", 200, test::testData(QStringLiteral("prometheus/vllm-fixture.txt")));
    test::ReplayServer wrong; // a llama-server where a vLLM was expected
    QVERIFY(wrong.listen());
    test::serveLlamaCaptures(wrong, "slots_after_load.json", "metrics_after_load.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("vLLM"));
    const model::Source source = test::sourceAt(p.id, server.port(), model::Engine::Vllm);
    QVERIFY(stack.repository().sources().add(source));
    const test::CreatedProject q = stack.createProject(QStringLiteral("Mistaken"));
    const model::Source mistaken = test::sourceAt(q.id, wrong.port(), model::Engine::Vllm);
    QVERIFY(stack.repository().sources().add(mistaken));
    stack.startScraping();
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= 1, 10000);
    const model::MetricSample s = stack.repository().samples().recent(p.id, 1)->first();
    QCOMPARE(*s.value(model::Metric::KvCacheUsageRatio), 0.2735);
    QCOMPARE(*s.value(model::Metric::RequestsRunning), 3.0);
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(q.id)->first().state == model::SourceState::Down, 10000);
    QVERIFY(stack.repository().sources().list(q.id)->first().stateReason.contains(
        QStringLiteral("not a vllm server")));
    QCOMPARE(stack.rawCount(q.id), 0);
}

void TestSources::ollamaFromPsAndShow()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveOllamaCaptures(server);
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Ollama"));
    const model::Source source = test::sourceAt(p.id, server.port(), model::Engine::Ollama);
    QVERIFY(stack.repository().sources().add(source));
    stack.startScraping();
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= 3, 10000);
    const model::MetricSample s = stack.repository().samples().recent(p.id, 1)->first();
    // num_ctx 32768 of a 32-layer, 8-KV-head model at f16: 4 GiB allocated up front.
    QCOMPARE(*s.value(model::Metric::KvCacheSizeKB), double(4LL * 1024 * 1024));
    QCOMPARE(*s.value(model::Metric::MemoryUsageGB), 9.613193216);
    QVERIFY(s.processedData.contains("qwen3:8b"));
    QCOMPARE(server.hits("/api/show"), 1); // the architecture is asked for once
    QCOMPARE(stack.repository().sources().list(p.id)->first().state, model::SourceState::Up);
}

void TestSources::vllmPrefixCacheResetVerified()
{
    QFile fixture(test::testDataPath(QStringLiteral("prometheus/vllm-fixture.txt")));
    QVERIFY(fixture.open(QIODevice::ReadOnly));
    const QByteArray metrics = fixture.readAll(); // KV usage 0.2735
    for (const int status : {200, 404}) {
        test::ReplayServer server;
        QVERIFY(server.listen());
        server.serve("/metrics", 200, metrics);
        server.serve("/reset_prefix_cache", status,
                     status == 200 ? QByteArray() : QByteArrayLiteral("Not Found"));
        if (status == 200) {
            server.onHit("/reset_prefix_cache", [&server, metrics] {
                QByteArray after = metrics;
                server.serve("/metrics", 200, after.replace("} 0.2735", "} 0.05"));
            });
        }
        test::TestStack stack;
        QVERIFY(stack.start());
        const QString project = liveProject(stack, server.port(), model::Engine::Vllm, 20);
        QVERIFY(!project.isEmpty());
        stack.startScraping();
        QTRY_VERIFY_WITH_TIMEOUT(settledEvict(stack, project).has_value(), 15000);
        const model::ActionLogEntry done = *settledEvict(stack, project);
        if (status == 200) {
            QCOMPARE(done.status, model::ActionStatus::Success);
            QVERIFY2(done.details.contains(QStringLiteral("KV usage 27.4 % → 5.0 %")),
                     qPrintable(done.details));
        } else {
            QCOMPARE(done.status, model::ActionStatus::Failed);
            QVERIFY2(done.details.contains(QStringLiteral("VLLM_SERVER_DEV_MODE=1")),
                     qPrintable(done.details));
        }
    }
}

void TestSources::ollamaUnloadsAModel()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveOllamaCaptures(server);
    server.serve("/api/generate", 200, R"({"model":"qwen3:8b","done":true,"done_reason":"unload"})");
    server.onHit("/api/generate", [&server] { server.serve("/api/ps", 200, R"({"models":[]})"); });
    test::TestStack stack;
    QVERIFY(stack.start());
    // Ollama allocates its KV up front: the cache always counts as full, so a limit of 90 % acts.
    const QString project = liveProject(stack, server.port(), model::Engine::Ollama, 90);
    QVERIFY(!project.isEmpty());
    stack.startScraping();
    QTRY_VERIFY_WITH_TIMEOUT(settledEvict(stack, project).has_value(), 15000);
    const model::ActionLogEntry done = *settledEvict(stack, project);
    QCOMPARE(done.status, model::ActionStatus::Success);
    QVERIFY2(done.details.contains(QStringLiteral("unloaded qwen3:8b")), qPrintable(done.details));
    QVERIFY(server.requests.contains("POST /api/generate"));
}

QTEST_GUILESS_MAIN(TestSources)
#include "tst_sources.moc"
