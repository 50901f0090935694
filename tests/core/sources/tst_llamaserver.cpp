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

using cachewise::ErrorKind;
using namespace cachewise::sources;
using cachewise::model::Metric;

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

// What llama-server -c 4096 without -np answered (4 slots, one unified cache).
QByteArray kvuCapture(const QByteArray &name)
{
    return cachewise::test::testData(QStringLiteral("llama-server/f16-npauto-kvu/") +
                                     QString::fromLatin1(name));
}

LlamaScrape kvuScrape(const QByteArray &slots, const QByteArray &metrics, const QByteArray &processStart)
{
    LlamaScrape s;
    s.slots = parseLlamaSlots(kvuCapture(slots)).value();
    s.metrics = parsePrometheusText(kvuCapture(metrics)).value();
    s.processStart = processStart;
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
    void throughputOverTheLoad();
    void unifiedNeedsAnAnswer();
    void separateCachesProvenByTokens();
    void restartSeenByItsHeader();
    void restartSeenByItsSlots();
    void propsChanges();
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
    QTest::addColumn<ErrorKind>("kind");
    QTest::newRow("not json") << QByteArray("<html>") << ErrorKind::BadInput;
    QTest::newRow("object") << QByteArray(R"({"slots":[]})") << ErrorKind::BadInput;
    QTest::newRow("slots disabled")
        << QByteArray(
               R"({"error":{"code":501,"message":"This server does not support slots endpoint.","type":"not_supported_error"}})")
        << ErrorKind::Unavailable;
    QTest::newRow("slot without id") << QByteArray(R"([{"n_ctx":1024}])") << ErrorKind::BadInput;
    QTest::newRow("negative n_ctx") << QByteArray(R"([{"id":0,"n_ctx":-5}])") << ErrorKind::BadInput;
}

void TestLlamaServer::slotRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(ErrorKind, kind);
    auto parsed = parseLlamaSlots(json);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, kind);
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
    // The runtime matches the server (-c 4096 -np 4, separate caches of 1024).
    const DescribedLlama described{4, 1024, false, 4096 * bpt, bpt, QStringLiteral("-c 4096 -np 4")};
    LlamaSession session;
    const auto at = [&](qint64 ms, const LlamaScrape &s) {
        return session.sample(QStringLiteral("p"), ms, s,
                              llamaCapacity(s.slots, KvLayout::Unknown, described, bpt), bpt);
    };
    // First scrape (during the load): levels, but no differences yet, so nothing per interval.
    const auto first = at(1000, scrape("during_slots_06.json", "during_metrics_06.txt"));
    QCOMPARE(*first.value(Metric::KvCacheSizeKB), double(1023 * bpt / 1024));
    QCOMPARE(*first.value(Metric::KvCacheCapacityKB), double(4096 * bpt / 1024));
    QCOMPARE(*first.value(Metric::KvCacheUsageRatio), 1023.0 / 4096.0);
    QCOMPARE(*first.value(Metric::RequestsRunning), 4.0);
    QCOMPARE(*first.value(Metric::RequestsWaiting), 2.0);
    QVERIFY(!first.value(Metric::TokensProcessed));
    QVERIFY(!first.value(Metric::TokensPerSecond));
    QVERIFY(!first.value(Metric::PrefixCacheHitRate));
    QVERIFY(!first.value(Metric::InferenceTimeMs)); // llama-server reports no request latency
    QCOMPARE(*first.value(Metric::MemoryUsageGB), (35132416.0 + 4096.0 * double(bpt)) / 1e9);

    // Second scrape (after the load), 2 s later: counter differences and the requests that finished.
    const auto second = at(3000, scrape("slots_after_load.json", "metrics_after_load.txt"));
    const double predicted = 3256 - 256;
    const double predictSeconds = 56.2725 - 7.45477;
    QCOMPARE(*second.value(Metric::DecodeTokensPerSecond), predicted / predictSeconds);
    QCOMPARE(*second.value(Metric::TimePerOutputTokenMs), 1000.0 * predictSeconds / predicted);
    QCOMPARE(*second.value(Metric::PrefixCacheHitRate), 2.0 / (534.0 + 2.0));
    QCOMPARE(*second.value(Metric::RequestsRunning), 0.0);
    QCOMPARE(*second.value(Metric::KvCacheSizeKB), double((767 * 3 + 742) * bpt / 1024));
    // Generated in the interval: what the finished tasks added beyond what had been seen of them.
    qint64 seen = 0;
    const auto during = parseLlamaSlots(capture("during_slots_06.json")).value();
    for (const LlamaSlot &slot : during)
        seen += slot.processing ? slot.decodedTokens : 0;
    QCOMPARE(*second.value(Metric::TokensProcessed), double((1585 - 1051) + predicted - double(seen)));
    QCOMPARE(*second.value(Metric::TokensPerSecond), (predicted - double(seen)) / 2.0);
    QVERIFY(!second.value(Metric::InferenceTimeMs));

    // Nothing ran in the next interval: 0 tokens is measured; per-request speeds are not re-stored.
    const auto third = at(5000, scrape("slots_after_erase.json", "metrics_after_erase.txt"));
    QCOMPARE(*third.value(Metric::TokensProcessed), 0.0);
    QCOMPARE(*third.value(Metric::TokensPerSecond), 0.0);
    QVERIFY(!third.value(Metric::DecodeTokensPerSecond));
    QVERIFY(!third.value(Metric::TimePerOutputTokenMs));
    QVERIFY(*third.value(Metric::KvCacheSizeKB) < *second.value(Metric::KvCacheSizeKB)); // slot 0 erased
}

void TestLlamaServer::throughputOverTheLoad()
{
    // The default-configuration server under load, scraped once a second through twelve captures: the
    // server's throughput counts every token once, when it is generated, not when its request finishes.
    LlamaSession session;
    const LlamaCapacity none;
    double generated = 0;
    QList<double> perSecond;
    QList<bool> requestSpeed;
    for (int i = 1; i <= 12; ++i) {
        const QByteArray n = QByteArray::number(i).rightJustified(2, '0');
        const LlamaScrape s =
            kvuScrape("during_slots_" + n + ".json", "during_metrics_" + n + ".txt", "1530892723");
        QVERIFY(!session.restarted(s));
        const auto sample = session.sample(QStringLiteral("p"), i * 1000, s, none, 1024);
        if (i == 1) {
            QVERIFY(!sample.value(Metric::TokensPerSecond));
            continue;
        }
        perSecond << *sample.value(Metric::TokensPerSecond);
        generated += *sample.value(Metric::TokensPerSecond);
        requestSpeed << sample.value(Metric::DecodeTokensPerSecond).has_value();
    }
    // Everything predicted over the twelve captures, less what the first one had already decoded.
    QCOMPARE(generated, double((3256 - 256) - (102 + 102 + 101 + 101)));
    QCOMPARE(perSecond.first(), double(4 * 137)); // four slots, 137 tokens each in that second
    QCOMPARE(perSecond.last(), 0.0);              // idle at the end
    // Per-request speed only in the two intervals where requests finished (captures 5 and 8).
    QCOMPARE(requestSpeed,
             (QList<bool>{false, false, false, true, false, false, true, false, false, false, false}));
}

void TestLlamaServer::unifiedNeedsAnAnswer()
{
    // Started without -np: 4 slots of 4096 sharing one cache of 4096 cells (the server's own log says
    // "llama_kv_cache: size = 4.00 MiB (4096 cells, 2 layers, 4/1 seqs)").
    const auto slots = parseLlamaSlots(kvuCapture("slots_after_load.json")).value();
    const qint64 bpt = 1024; // 2 layers × 2 KV heads × 64 × (K + V) × f16
    // Nothing described, nothing answered: the HTTP API cannot tell, so capacity stays unknown.
    const LlamaCapacity unknown = llamaCapacity(slots, KvLayout::Unknown, std::nullopt, bpt);
    QCOMPARE(unknown.layout, KvLayout::Unknown);
    QVERIFY(!unknown.tokens && !unknown.bytes);
    QCOMPARE(unknown.notices.size(), 1);
    QCOMPARE(unknown.notices.first().code, QString::fromLatin1(notice::kKvLayoutUnknown));
    QCOMPARE(unknown.notices.first().args.value(QLatin1String("slotContext")).toInteger(), 4096);
    LlamaSession session;
    const auto sample = session.sample(QStringLiteral("p"), 0, {slots, {}, {}, {}}, unknown, bpt);
    QCOMPARE(*sample.value(Metric::KvCacheSizeKB), double(3043)); // in use is known either way
    QVERIFY(!sample.value(Metric::KvCacheCapacityKB));
    QVERIFY(!sample.value(Metric::KvCacheUsageRatio));

    // Answered "one shared cache": the pool is 4096 tokens, 4 MiB as the server allocated; 74 % used.
    const LlamaCapacity unified = llamaCapacity(slots, KvLayout::Unified, std::nullopt, bpt);
    QCOMPARE(unified.layout, KvLayout::Unified);
    QCOMPARE(*unified.tokens, 4096);
    QCOMPARE(*unified.bytes, 4 * 1024 * 1024);
    QVERIFY(unified.notices.isEmpty());
    const auto shared = LlamaSession().sample(QStringLiteral("p"), 0, {slots, {}, {}, {}}, unified, bpt);
    QCOMPARE(*shared.value(Metric::KvCacheCapacityKB), 4096.0);
    QCOMPARE(*shared.value(Metric::KvCacheUsageRatio), 3043.0 / 4096.0);

    // A runtime that says so (-c 4096 -np 4 --kv-unified) settles it without asking.
    const DescribedLlama asStarted{
        4, 4096, true, 4 * 1024 * 1024, bpt, QStringLiteral("-c 4096 -np 4 --kv-unified")};
    const LlamaCapacity described = llamaCapacity(slots, KvLayout::Unknown, asStarted, bpt);
    QCOMPARE(described.layout, KvLayout::Unified);
    QCOMPARE(*described.bytes, 4 * 1024 * 1024);
    QVERIFY(described.notices.isEmpty());

    // A runtime of separate caches (-c 4096 -np 4 → slots of 1024) contradicts what the server reports.
    const DescribedLlama perSlot{4, 1024, false, 4 * 1024 * 1024, bpt, QStringLiteral("-c 4096 -np 4")};
    const LlamaCapacity wrong = llamaCapacity(slots, KvLayout::Unknown, perSlot, bpt);
    QStringList codes;
    for (const Notice &n : wrong.notices)
        codes << n.code;
    QCOMPARE(codes, (QStringList{QString::fromLatin1(notice::kRuntimeMismatch),
                                 QString::fromLatin1(notice::kKvLayoutUnknown)}));
    QVERIFY(noticeText(wrong.notices.first()).contains(QStringLiteral("-c 4096 -np 4")));
    QVERIFY(!wrong.tokens); // the evidence is shown, not guessed past
    // A slot holding more than a slot of that runtime could is named too.
    QList<LlamaSlot> fuller = slots;
    fuller[3].cachedTokens = 1500;
    const LlamaCapacity over = llamaCapacity(fuller, KvLayout::Unknown, perSlot, bpt);
    QCOMPARE(over.notices.at(1).code, QString::fromLatin1(notice::kSlotOverRuntime));
    QCOMPARE(over.notices.at(1).args.value(QLatin1String("tokens")).toInteger(), 1500);
    QCOMPARE(over.notices.at(1).args.value(QLatin1String("limit")).toInteger(), 1024);
}

void TestLlamaServer::separateCachesProvenByTokens()
{
    // -c 4096 -np 4: 3043 tokens in slots of 1024 — more than one shared cache of 1024 could hold.
    const auto slots = parseLlamaSlots(capture("slots_after_load.json")).value();
    const LlamaCapacity c = llamaCapacity(slots, KvLayout::Unknown, std::nullopt, 0);
    QCOMPARE(c.layout, KvLayout::PerSlot);
    QCOMPARE(*c.tokens, 4096);
    QVERIFY(!c.bytes); // no model, no bytes
    QVERIFY(c.notices.isEmpty());
    // Said to be unified, the evidence wins and says so.
    const LlamaCapacity said = llamaCapacity(slots, KvLayout::Unified, std::nullopt, 0);
    QCOMPARE(said.layout, KvLayout::PerSlot);
    QCOMPARE(said.notices.first().code, QString::fromLatin1(notice::kNotUnified));
    // Without the model: usage is known, sizes are left out, never 0.
    const auto sample = LlamaSession().sample(QStringLiteral("p"), 0, {slots, {}, {}, {}}, c, 0);
    QCOMPARE(*sample.value(Metric::KvCacheUsageRatio), 3043.0 / 4096.0);
    QVERIFY(!sample.value(Metric::KvCacheSizeKB));
    QVERIFY(!sample.value(Metric::KvCacheCapacityKB));
    QVERIFY(!sample.value(Metric::MemoryUsageGB));
    // One slot: its context is the whole cache.
    const LlamaCapacity one = llamaCapacity({slots.first()}, KvLayout::Unknown, std::nullopt, 0);
    QCOMPARE(*one.tokens, 1024);
}

void TestLlamaServer::restartSeenByItsHeader()
{
    // The server restarted during the backoff and its counters grew past the old totals: only the
    // Process-Start-Time-Unix header (and not the counters or task ids) tells.
    LlamaSession session;
    const LlamaCapacity none;
    session.sample(QStringLiteral("p"), 0,
                   kvuScrape("slots_after_single.json", "metrics_after_single.txt", "111"), none, 1024);
    const LlamaScrape later = kvuScrape("slots_after_load.json", "metrics_after_load.txt", "222");
    QVERIFY(session.restarted(later));
    const auto sample = session.sample(QStringLiteral("p"), 60'000, later, none, 1024);
    // Everything the new process counted, not the difference to the old one's totals.
    QCOMPARE(*sample.value(Metric::TokensProcessed), double(1595 + 3256));
    QCOMPARE(*sample.value(Metric::PrefixCacheHitRate), 7.0 / (1595.0 + 7.0));
    QVERIFY(!sample.value(Metric::TokensPerSecond)); // the server was down for part of the interval
    // The same header again: no restart.
    QVERIFY(!session.restarted(kvuScrape("slots_after_erase.json", "metrics_after_erase.txt", "222")));
}

void TestLlamaServer::restartSeenByItsSlots()
{
    // Without /metrics: slots that had served tasks are new again.
    LlamaSession session;
    const LlamaCapacity none;
    LlamaScrape before;
    before.slots = parseLlamaSlots(kvuCapture("slots_after_load.json")).value();
    session.sample(QStringLiteral("p"), 0, before, none, 1024);
    LlamaScrape fresh;
    fresh.slots = parseLlamaSlots(kvuCapture("slots_before.json")).value();
    QVERIFY(session.restarted(fresh));
    // Newer task ids are no restart; older ones are.
    LlamaSession again;
    LlamaScrape single;
    single.slots = parseLlamaSlots(kvuCapture("slots_after_single.json")).value();
    again.sample(QStringLiteral("p"), 0, single, none, 1024);
    QVERIFY(!again.restarted(before));
    again.sample(QStringLiteral("p"), 1000, before, none, 1024);
    LlamaScrape older = single;
    older.slots[0].taskId = 10;
    older.slots[1].taskId = 11;
    QVERIFY(again.restarted(older));
}

void TestLlamaServer::propsChanges()
{
    const LlamaProps before = parseLlamaProps(capture("props.json")).value();
    const LlamaProps after = parseLlamaProps(kvuCapture("props.json")).value();
    QCOMPARE(llamaPropsChanges(before, before), QStringList());
    QCOMPARE(llamaPropsChanges(before, after),
             (QStringList{QStringLiteral("context per slot 1024 → 4096"),
                          QStringLiteral("model models/tiny.gguf → ./tiny.gguf")}));
}

void TestLlamaServer::withoutMetrics()
{
    LlamaSession session;
    const LlamaCapacity none;
    LlamaScrape s;
    s.slots = parseLlamaSlots(capture("during_slots_06.json")).value();
    const auto first = session.sample(QStringLiteral("p"), 0, s, none, 2048);
    QCOMPARE(*first.value(Metric::RequestsRunning), 4.0);
    QVERIFY(!first.value(Metric::TokensProcessed));
    QCOMPARE(*first.value(Metric::KvCacheSizeKB), double(1023 * 2));
    // While no task finished, the tasks' progress is the generation.
    LlamaScrape next = s;
    for (LlamaSlot &slot : next.slots)
        slot.decodedTokens += slot.processing ? 10 : 0;
    const auto second = session.sample(QStringLiteral("p"), 1000, next, none, 2048);
    QVERIFY(!second.value(Metric::TokensProcessed)); // prompt tokens are only in /metrics
    int processing = 0;
    for (const LlamaSlot &slot : s.slots)
        processing += slot.processing ? 1 : 0;
    QCOMPARE(*second.value(Metric::TokensPerSecond), double(10 * processing));
}

void TestLlamaServer::perSlotView()
{
    QHash<int, qint64> idleSince;
    const auto busy = parseLlamaSlots(capture("during_slots_06.json")).value();
    const QJsonObject view =
        QJsonDocument::fromJson(slotsJson(busy, 1000, idleSince, KvLayout::PerSlot)).object();
    QCOMPARE(view.value(QLatin1String("kvLayout")).toString(), QStringLiteral("per_slot"));
    QJsonArray slots = view.value(QLatin1String("slots")).toArray();
    QCOMPARE(slots.size(), 4);
    QCOMPARE(slots.at(2).toObject().value(QLatin1String("tokens")).toInt(), 274);
    QVERIFY(slots.at(2).toObject().value(QLatin1String("processing")).toBool());
    QVERIFY(!slots.at(2).toObject().contains(QLatin1String("idleSeconds")));
    const auto idle = parseLlamaSlots(capture("slots_after_load.json")).value();
    slotsJson(idle, 5000, idleSince, KvLayout::PerSlot);
    slots = QJsonDocument::fromJson(slotsJson(idle, 12000, idleSince, KvLayout::PerSlot))
                .object()
                .value(QLatin1String("slots"))
                .toArray();
    QCOMPARE(slots.at(0).toObject().value(QLatin1String("idleSeconds")).toDouble(), 7.0); // idle since 5 s
    QCOMPARE(slots.at(3).toObject().value(QLatin1String("tokens")).toInt(), 742);
}

QTEST_GUILESS_MAIN(TestLlamaServer)
#include "tst_llamaserver.moc"
