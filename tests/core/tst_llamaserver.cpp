// SPDX-License-Identifier: GPL-3.0-or-later
// The llama-server connector on what a real llama-server (-c 4096 -np 4, f16) answered: /slots, /props,
// /metrics before, during and after load, and after a restart.
#include "core/sources/llamaserver.h"
#include "tests/support/replayserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace cachewise::sources;
using cachewise::storage::Metric;

namespace {

QByteArray capture(const char *name)
{
    return cachewise::test::testData(QStringLiteral("llama-server/f16-np4/") + QLatin1String(name));
}

LlamaScrape scrape(const char *slots, const char *metrics)
{
    LlamaScrape s;
    s.slots = parseLlamaSlots(capture(slots)).value();
    s.metrics = parsePrometheusText(capture(metrics)).value();
    s.modelBytes = 35132416; // /v1/models meta.size of the captured model
    return s;
}

} // namespace

class TestLlamaServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slots();
    void slotShapes();
    void slotRefusals_data();
    void slotRefusals();
    void props();
    void sampleFromScrapes();
    void unifiedCapacity();
    void restartStartsNewBaseline();
    void withoutMetrics();
    void perSlotView();
};

void TestLlamaServer::slots()
{
    auto during = parseLlamaSlots(capture("during_slots_06.json"));
    QVERIFY(during.ok());
    QCOMPARE(during->size(), 4);
    qint64 tokens = 0;
    for (const LlamaSlot &s : *during) {
        QCOMPARE(s.contextTokens, 1024); // -c 4096 -np 4: 1024 per slot
        QVERIFY(s.processing);
        tokens += s.cachedTokens;
    }
    QCOMPARE(tokens, 250 + 250 + 274 + 249);
    QCOMPARE(during->at(2).decodedTokens, 6);
    auto loaded = parseLlamaSlots(capture("slots_after_load.json"));
    QVERIFY(loaded.ok());
    QVERIFY(!loaded->first().processing);
    QCOMPARE(loaded->first().cachedTokens, 767);
    // After one request: slots never used carry only id, n_ctx, speculative, is_processing.
    auto single = parseLlamaSlots(capture("slots_after_single.json"));
    QVERIFY(single.ok());
    QCOMPARE(single->size(), 4);
    int unused = 0;
    for (const LlamaSlot &s : *single)
        unused += !s.taskId.has_value() ? 1 : 0;
    QVERIFY(unused > 0);
    // After erasing slot 0 its cache is empty.
    auto erased = parseLlamaSlots(capture("slots_after_erase.json"));
    QVERIFY(erased.ok());
    QCOMPARE(erased->first().cachedTokens, 0);
}

void TestLlamaServer::slotShapes()
{
    // Older builds: next_token as an object, n_tokens instead of n_prompt_tokens.
    auto old = parseLlamaSlots(R"([{"id":0,"n_ctx":2048,"is_processing":true,"id_task":3,"n_tokens":99,
                                     "next_token":{"has_next_token":true,"n_remain":-1,"n_decoded":12}}])");
    QVERIFY(old.ok());
    QCOMPARE(old->first().cachedTokens, 99);
    QCOMPARE(old->first().decodedTokens, 12);
    auto empty = parseLlamaSlots(R"([{"id":1,"n_ctx":2048,"is_processing":false,"next_token":[]}])");
    QVERIFY(empty.ok());
    QCOMPARE(empty->first().decodedTokens, 0);
    QVERIFY(parseLlamaSlots("[]")->isEmpty());
}

void TestLlamaServer::slotRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");
    QTest::newRow("not json") << QByteArray("<html>") << QStringLiteral("slots");
    QTest::newRow("object") << QByteArray(R"({"slots":[]})") << QStringLiteral("slots");
    QTest::newRow("slots disabled")
        << QByteArray(
               R"({"error":{"code":501,"message":"This server does not support slots endpoint.","type":"not_supported_error"}})")
        << QStringLiteral("slots_disabled");
    QTest::newRow("slot without id") << QByteArray(R"([{"n_ctx":1024}])") << QStringLiteral("slots");
    QTest::newRow("negative n_ctx") << QByteArray(R"([{"id":0,"n_ctx":-5}])") << QStringLiteral("slots");
}

void TestLlamaServer::slotRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    auto parsed = parseLlamaSlots(json);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, code);
}

void TestLlamaServer::props()
{
    auto p = parseLlamaProps(capture("props.json"));
    QVERIFY(p.ok());
    QCOMPARE(p->totalSlots, 4);
    QCOMPARE(p->contextPerSlot, 1024);
    QVERIFY(p->metricsEndpoint);
    QCOMPARE(p->modelPath, QStringLiteral("models/tiny.gguf"));
    QVERIFY(!parseLlamaProps(R"({"role":"router","model_path":"none"})").ok());
    QVERIFY(!parseLlamaProps("[1]").ok());
}

void TestLlamaServer::sampleFromScrapes()
{
    const qint64 bpt = 131072; // Llama 3.1 8B at f16
    const LlamaMapping mapping{bpt, false};
    CounterTracker counters;
    std::optional<double> lastInference;
    // First scrape (during the load): levels, but no differences yet.
    const auto first =
        llamaSample(QStringLiteral("p"), 1000, scrape("during_slots_06.json", "during_metrics_06.txt"),
                    mapping, counters, lastInference);
    QCOMPARE(*first.value(Metric::KvCacheSizeKB), double(1023 * bpt / 1024));
    QCOMPARE(*first.value(Metric::KvCacheCapacityKB), double(4096 * bpt / 1024));
    QCOMPARE(*first.value(Metric::KvCacheUsageRatio), 1023.0 / 4096.0);
    QCOMPARE(*first.value(Metric::RequestsRunning), 4.0);
    QCOMPARE(*first.value(Metric::RequestsWaiting), 2.0);
    QCOMPARE(*first.value(Metric::TokensProcessed), 0.0);
    QVERIFY(!first.value(Metric::PrefixCacheHitRate));
    QCOMPARE(*first.value(Metric::InferenceTimeMs), 0.0);
    QCOMPARE(*first.value(Metric::MemoryUsageGB), (35132416.0 + 4096.0 * double(bpt)) / 1e9);

    // Second scrape (after the load): counter differences.
    const auto second =
        llamaSample(QStringLiteral("p"), 3000, scrape("slots_after_load.json", "metrics_after_load.txt"),
                    mapping, counters, lastInference);
    QCOMPARE(*second.value(Metric::TokensProcessed), double((1585 - 1051) + (3256 - 256)));
    QCOMPARE(*second.value(Metric::PrefixCacheHitRate), 2.0 / (534.0 + 2.0));
    QCOMPARE(*second.value(Metric::TokensPerSecond), 3000.0 / (56.2725 - 7.45477));
    QCOMPARE(*second.value(Metric::InferenceTimeMs), std::round(1000.0 * (56.2725 - 7.45477) / 3000.0));
    QCOMPARE(*second.value(Metric::RequestsRunning), 0.0);
    QCOMPARE(*second.value(Metric::KvCacheSizeKB), double((767 * 3 + 742) * bpt / 1024));
    // Nothing generated in the next interval: the time per token is carried forward.
    const auto third =
        llamaSample(QStringLiteral("p"), 5000, scrape("slots_after_erase.json", "metrics_after_erase.txt"),
                    mapping, counters, lastInference);
    QCOMPARE(*third.value(Metric::TokensProcessed), 0.0);
    QCOMPARE(*third.value(Metric::InferenceTimeMs), *second.value(Metric::InferenceTimeMs));
    QVERIFY(*third.value(Metric::KvCacheSizeKB) < *second.value(Metric::KvCacheSizeKB)); // slot 0 erased
}

void TestLlamaServer::unifiedCapacity()
{
    // --kv-unified: each slot reports the whole pool; capacity is the pool, not four of it.
    LlamaScrape s;
    s.slots = parseLlamaSlots(R"([{"id":0,"n_ctx":8192,"is_processing":true,"n_prompt_tokens":3000},
                                  {"id":1,"n_ctx":8192,"is_processing":true,"n_prompt_tokens":1000}])")
                  .value();
    CounterTracker counters;
    std::optional<double> last;
    const auto sample = llamaSample(QStringLiteral("p"), 0, s, LlamaMapping{1024, true}, counters, last);
    QCOMPARE(*sample.value(Metric::KvCacheCapacityKB), 8192.0);
    QCOMPARE(*sample.value(Metric::KvCacheUsageRatio), 4000.0 / 8192.0);
    QCOMPARE(*sample.value(Metric::RequestsRunning), 2.0); // from the slots when /metrics is off
    QVERIFY(!sample.value(Metric::RequestsWaiting));
}

void TestLlamaServer::restartStartsNewBaseline()
{
    CounterTracker counters;
    std::optional<double> last;
    const LlamaMapping mapping{1024, false};
    llamaSample(QStringLiteral("p"), 0, scrape("slots_after_load.json", "metrics_after_load.txt"), mapping,
                counters, last);
    // The single-request capture came from a fresh server: its counters are lower.
    const auto after =
        llamaSample(QStringLiteral("p"), 1, scrape("slots_after_single.json", "metrics_after_single.txt"),
                    mapping, counters, last);
    QCOMPARE(*after.value(Metric::TokensProcessed), 0.0);
    QVERIFY(counters.resets() > 0);
    QVERIFY(!after.value(Metric::TokensPerSecond));
}

void TestLlamaServer::withoutMetrics()
{
    LlamaScrape s;
    s.slots = parseLlamaSlots(capture("during_slots_06.json")).value();
    CounterTracker counters;
    std::optional<double> last;
    const auto sample = llamaSample(QStringLiteral("p"), 0, s, LlamaMapping{2048, false}, counters, last);
    QCOMPARE(*sample.value(Metric::RequestsRunning), 4.0);
    QCOMPARE(*sample.value(Metric::TokensProcessed), 0.0);
    QCOMPARE(*sample.value(Metric::KvCacheSizeKB), double(1023 * 2));
}

void TestLlamaServer::perSlotView()
{
    QHash<int, qint64> idleSince;
    const auto busy = parseLlamaSlots(capture("during_slots_06.json")).value();
    QJsonArray slots = QJsonDocument::fromJson(slotsJson(busy, 1000, idleSince))
                           .object()
                           .value(QLatin1String("slots"))
                           .toArray();
    QCOMPARE(slots.size(), 4);
    QCOMPARE(slots.at(2).toObject().value(QLatin1String("tokens")).toInt(), 274);
    QVERIFY(slots.at(2).toObject().value(QLatin1String("processing")).toBool());
    QVERIFY(!slots.at(2).toObject().contains(QLatin1String("idleSeconds")));
    const auto idle = parseLlamaSlots(capture("slots_after_load.json")).value();
    slotsJson(idle, 5000, idleSince);
    slots = QJsonDocument::fromJson(slotsJson(idle, 12000, idleSince))
                .object()
                .value(QLatin1String("slots"))
                .toArray();
    QCOMPARE(slots.at(0).toObject().value(QLatin1String("idleSeconds")).toDouble(), 7.0); // idle since 5 s
    QCOMPARE(slots.at(3).toObject().value(QLatin1String("tokens")).toInt(), 742);
}

QTEST_GUILESS_MAIN(TestLlamaServer)
#include "tst_llamaserver.moc"
