// SPDX-License-Identifier: GPL-3.0-or-later
// Every recommendation rule fires on a synthetic series that calls for it and stays quiet on one that
// does not; the score's parts; the whole analysis over a real SQLite file.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/analysis/recommender.h"
#include "core/common/clock.h"
#include "core/services/projectanalysis.h"
#include "core/services/runtimes.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>

using namespace cachewise;
using namespace cachewise::analysis;
using model::Metric;

namespace {

constexpr qint64 kT0 = 1'789'999'980'000; // 2026-09 in ms, on a minute boundary

// `minutes` per-minute rollups of one metric whose value at minute i is f(i).
void fill(MetricRollups &r, Metric m, int minutes, const std::function<double(int)> &f)
{
    QList<storage::RollupPoint> list;
    for (int i = 0; i < minutes; ++i) {
        const double v = f(i);
        list << storage::RollupPoint{kT0 + i * 60'000LL, 6, v, v, v};
    }
    r[model::metricIndex(m)] = list;
}

// A steady, healthy two-hour series of a llama.cpp project: a quarter of its cache in use, nobody
// waiting, flat latency, memory mostly weights.
MetricRollups healthy(double kvKB, double capacityKB)
{
    MetricRollups r;
    fill(r, Metric::TokensProcessed, 120, [](int) { return 900; });
    fill(r, Metric::KvCacheSizeKB, 120,
         [=](int i) { return kvKB * (0.6 + 0.4 * std::sin(i / 10.0) * std::sin(i / 10.0)); });
    fill(r, Metric::KvCacheCapacityKB, 120, [=](int) { return capacityKB; });
    fill(r, Metric::InferenceTimeMs, 120, [](int) { return 300; });
    fill(r, Metric::MemoryUsageGB, 120, [](int) { return 20; });
    fill(r, Metric::RequestsWaiting, 120, [](int) { return 0; });
    fill(r, Metric::RequestsRunning, 120, [](int) { return 2; });
    return r;
}

AnalysisInput input(const char *preset, Engine engine, qint64 context, int parallel, CacheType type,
                    const MetricRollups &rollups)
{
    AnalysisInput in;
    in.model = *findPreset(QString::fromLatin1(preset));
    in.config.engine = engine;
    in.config.context = context;
    in.config.parallel = parallel;
    in.config.typeK = in.config.typeV = type;
    in.observed = observe(rollups);
    return in;
}

std::optional<Finding> find(const QList<Finding> &list, const char *rule)
{
    for (const Finding &f : list) {
        if (f.rule == QLatin1String(rule))
            return f;
    }
    return std::nullopt;
}

QStringList rules(const QList<Finding> &list)
{
    QStringList out;
    for (const Finding &f : list)
        out << f.rule;
    return out;
}

} // namespace

class TestRecommender : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void observationsFromRollups();
    void quantizationFires();
    void quantizationPerEngine_data();
    void quantizationPerEngine();
    void quantizationQuiet();
    void fourBitGuardrails();
    void rightSizeContext();
    void moreSlots();
    void contextLimit();
    void slidingWindow();
    void prefixCaching();
    void vllmPreemption();
    void cpuOffload();
    void textsCarryNumbers();
    void score();
    void analysisOverSqlite();
    void markAppliedAndUndo();
};

void TestRecommender::observationsFromRollups()
{
    MetricRollups r = healthy(100'000, 400'000);
    fill(r, Metric::InferenceTimeMs, 120, [](int i) { return i < 30 ? 200 : (i >= 90 ? 300 : 250); });
    fill(r, Metric::RequestsWaiting, 120, [](int i) { return i % 4 == 0 ? 2 : 0; });
    const Observations o = observe(r);
    QCOMPARE(o.minutes, 120.0);
    QCOMPARE(o.samples, 720);
    QVERIFY(*o.peakKvBytes <= 100'000.0 * 1024 && *o.peakKvBytes > 99'000.0 * 1024);
    QVERIFY(*o.meanUsage > 0.15 && *o.meanUsage < 0.25);
    QCOMPARE(*o.waitingShare, 0.25);
    QCOMPARE(*o.latencyEarlyMs, 200.0);
    QCOMPARE(*o.latencyLateMs, 300.0);
    QCOMPARE(*o.latencyTrend(), 0.5);
    QVERIFY(!o.prefixHitRate.has_value());
    QVERIFY(!observe(MetricRollups{}).peakKvBytes.has_value());
}

void TestRecommender::quantizationFires()
{
    // Llama 3.1 8B at f16, -c 16384 -np 4 (2 GiB), the cache 95 % full at times and requests waiting.
    MetricRollups r = healthy(1'900'000, 2'097'152);
    fill(r, Metric::RequestsWaiting, 120, [](int i) { return i % 3 == 0 ? 1 : 0; });
    const AnalysisInput in = input("llama-3.1-8b", Engine::LlamaCpp, 16384, 4, CacheType::F16, r);
    const QList<Finding> found = recommend(in);
    const std::optional<Finding> q = find(found, "kv_quantization");
    QVERIFY2(q, qPrintable(rules(found).join(QLatin1Char(','))));
    QCOMPARE(*q->memorySavingPercent, 46.9); // 1 - 34/64
    QCOMPARE(q->params.value(QLatin1String("savingBytes")).toDouble(),
             double((qint64(2) << 30) - (qint64(2) << 30) * 34 / 64));
    QVERIFY(q->params.value(QLatin1String("extraSequences")).toDouble() > 0);
    QCOMPARE(q->apply.first(), QStringLiteral("-fa on -ctk q8_0 -ctv q8_0"));
    QVERIFY(q->source.contains(QLatin1String("llama.cpp/pull/7412")));
    QVERIFY(!q->speedPercent.has_value());
    // Under pressure the 4-bit variant is offered too, with its own risk.
    const std::optional<Finding> q4 = find(found, "kv_quantization_4bit");
    QVERIFY(q4);
    QCOMPARE(*q4->memorySavingPercent, 71.9); // 1 - 18/64
}

void TestRecommender::quantizationPerEngine_data()
{
    QTest::addColumn<int>("engine");
    QTest::addColumn<QString>("flag");
    QTest::addColumn<double>("saving");
    QTest::newRow("ollama") << int(Engine::Ollama) << QStringLiteral("OLLAMA_KV_CACHE_TYPE=q8_0") << 46.9;
    QTest::newRow("vllm") << int(Engine::Vllm) << QStringLiteral("--kv-cache-dtype fp8") << 50.0;
    QTest::newRow("sglang") << int(Engine::Sglang) << QStringLiteral("--kv-cache-dtype fp8_e4m3") << 50.0;
}

void TestRecommender::quantizationPerEngine()
{
    QFETCH(int, engine);
    QFETCH(QString, flag);
    QFETCH(double, saving);
    MetricRollups r = healthy(1'000'000, 1'048'576);
    const AnalysisInput in = input("qwen2.5-7b", Engine(engine), 8192, 2, CacheType::F16, r);
    const std::optional<Finding> q = find(recommend(in), "kv_quantization");
    QVERIFY(q);
    QVERIFY(q->apply.contains(flag));
    if (Engine(engine) == Engine::Ollama)
        QVERIFY(q->apply.contains(QStringLiteral("OLLAMA_FLASH_ATTENTION=1")));
    QCOMPARE(*q->memorySavingPercent, saving);
    // FP8 never claims a speed gain.
    const RecommendationText text = renderRecommendationUntranslated(findingDetails(*q));
    if (Engine(engine) == Engine::Vllm || Engine(engine) == Engine::Sglang)
        QVERIFY(text.speed.startsWith(QLatin1String("No speed gain is claimed")));
    if (Engine(engine) != Engine::Ollama)
        QVERIFY(!find(recommend(in), "kv_quantization_4bit")); // only llama.cpp-family engines
}

void TestRecommender::quantizationQuiet()
{
    // Already q8_0: quiet.
    MetricRollups busy = healthy(1'900'000, 2'097'152);
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 4, CacheType::Q8_0, busy)),
                  "kv_quantization"));
    // A tiny cache (0.5B model, 2k context) beside 20 GB of memory and no pressure: not worth the risk.
    MetricRollups idle = healthy(2'000, 24'576);
    fill(idle, Metric::KvCacheCapacityKB, 120, [](int) { return 1'000'000; });
    QVERIFY(!find(recommend(input("qwen2.5-0.5b", Engine::LlamaCpp, 2048, 1, CacheType::F16, idle)),
                  "kv_quantization"));
}

void TestRecommender::fourBitGuardrails()
{
    MetricRollups r = healthy(1'900'000, 2'000'000);
    fill(r, Metric::RequestsWaiting, 120, [](int) { return 3; });
    // gpt-oss has attention sinks: 8-bit only.
    const QList<Finding> oss = recommend(input("gpt-oss-20b", Engine::LlamaCpp, 32768, 1, CacheType::F16, r));
    QVERIFY(find(oss, "kv_quantization"));
    QVERIFY(!find(oss, "kv_quantization_4bit"));
    // Models under one billion parameters: 8-bit only.
    const QList<Finding> small =
        recommend(input("qwen2.5-0.5b", Engine::LlamaCpp, 32768, 1, CacheType::F16, r));
    QVERIFY(find(small, "kv_quantization"));
    QVERIFY(!find(small, "kv_quantization_4bit"));
    // A large model without sinks under the same pressure does get it.
    QVERIFY(find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 1, CacheType::F16, r)),
                 "kv_quantization_4bit"));
    // A queue alone is not memory pressure: a cache a quarter full gets 8-bit advice only.
    MetricRollups queued = healthy(500'000, 2'000'000);
    fill(queued, Metric::RequestsWaiting, 120, [](int) { return 3; });
    const QList<Finding> q =
        recommend(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 1, CacheType::F16, queued));
    QVERIFY(find(q, "kv_quantization"));
    QVERIFY(!find(q, "kv_quantization_4bit"));
}

void TestRecommender::rightSizeContext()
{
    // -c 32768, one slot, but the cache never held more than ~3000 tokens (375 MiB of 4 GiB).
    MetricRollups r = healthy(384'000, 4'194'304);
    const QList<Finding> found =
        recommend(input("llama-3.1-8b", Engine::LlamaCpp, 32768, 1, CacheType::F16, r));
    const std::optional<Finding> f = find(found, "right_size_context");
    QVERIFY(f);
    // 384000 KiB / 128 KiB = 3000 tokens; +25 % = 3750 → 3840 cells.
    QCOMPARE(f->params.value(QLatin1String("peakTokens")).toInt(), 3000);
    QCOMPARE(f->params.value(QLatin1String("newContextPerSequence")).toInt(), 3840);
    QCOMPARE(f->apply.first(), QStringLiteral("-c 3840"));
    QCOMPARE(*f->memorySavingPercent, std::round(1000.0 * (32768 - 3840) / 32768) / 10);
    // Four non-unified slots: -c is the per-slot size times four.
    const std::optional<Finding> four =
        find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 65536, 4, CacheType::F16, r)),
             "right_size_context");
    QVERIFY(four);
    QCOMPARE(four->apply.first(), QStringLiteral("-c 15360"));
    // Ollama: num_ctx per sequence.
    const std::optional<Finding> ollama = find(
        recommend(input("llama-3.1-8b", Engine::Ollama, 32768, 1, CacheType::F16, r)), "right_size_context");
    QVERIFY(ollama);
    QVERIFY(ollama->apply.contains(QStringLiteral("PARAMETER num_ctx 3840")));
    // Quiet when the peak is close to the allocation, or for paged engines, or without KV data.
    MetricRollups full = healthy(3'900'000, 4'194'304);
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 32768, 1, CacheType::F16, full)),
                  "right_size_context"));
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::Vllm, 32768, 1, CacheType::F16, r)),
                  "right_size_context"));
    MetricRollups none = r;
    none[model::metricIndex(Metric::KvCacheSizeKB)].clear();
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 32768, 1, CacheType::F16, none)),
                  "right_size_context"));
}

void TestRecommender::moreSlots()
{
    MetricRollups r = healthy(300'000, 2'097'152);
    fill(r, Metric::RequestsWaiting, 120, [](int i) { return i % 2 ? 2 : 0; });
    const std::optional<Finding> f =
        find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 2, CacheType::Q8_0, r)), "more_slots");
    QVERIFY(f);
    QCOMPARE(f->params.value(QLatin1String("newParallel")).toInt(), 4);
    QVERIFY(f->apply.first().startsWith(QLatin1String("-np 4 -c 16384")));
    const std::optional<Finding> v =
        find(recommend(input("llama-3.1-8b", Engine::Vllm, 8192, 16, CacheType::Fp8, r)), "more_slots");
    QVERIFY(v);
    QCOMPARE(v->apply.first(), QStringLiteral("--max-num-seqs 32"));
    // Quiet when nobody waits, or when the cache is already busy.
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 2, CacheType::Q8_0,
                                  healthy(300'000, 2'097'152))),
                  "more_slots"));
    MetricRollups preempting = r;
    fill(preempting, Metric::Preemptions, 120, [](int i) { return i / 30; });
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::Vllm, 8192, 16, CacheType::Fp8, preempting)),
                  "more_slots"));
    MetricRollups busy = r;
    fill(busy, Metric::KvCacheSizeKB, 120, [](int) { return 1'800'000; });
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 2, CacheType::Q8_0, busy)),
                  "more_slots"));
}

void TestRecommender::contextLimit()
{
    MetricRollups r = healthy(500'000, 524'288);
    fill(r, Metric::KvCacheUsageRatio, 120, [](int i) { return std::min(1.0, 0.3 + i / 100.0); });
    fill(r, Metric::InferenceTimeMs, 120, [](int i) { return 200 + 3 * i; });
    const std::optional<Finding> f = find(
        recommend(input("llama-3.1-8b", Engine::LlamaCpp, 4096, 1, CacheType::Q8_0, r)), "context_limit");
    QVERIFY(f);
    QCOMPARE(f->apply.first(), QStringLiteral("--context-shift --keep 256"));
    QVERIFY(find(recommend(input("llama-3.1-8b", Engine::Vllm, 4096, 1, CacheType::Q8_0, r)), "context_limit")
                ->apply.first()
                .startsWith(QLatin1String("client:")));
    fill(r, Metric::KvCacheUsageRatio, 120, [](int) { return 0.6; });
    QVERIFY(!find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 4096, 1, CacheType::Q8_0, r)),
                  "context_limit"));
}

void TestRecommender::slidingWindow()
{
    MetricRollups r = healthy(1'000'000, 8'000'000);
    AnalysisInput in = input("gemma-3-27b", Engine::LlamaCpp, 32768, 1, CacheType::Q8_0, r);
    in.config.swaFull = true;
    const std::optional<Finding> f = find(recommend(in), "sliding_window");
    QVERIFY(f);
    QCOMPARE(f->apply.first(), QStringLiteral("remove --swa-full"));
    QVERIFY(*f->memorySavingPercent > 60);
    QCOMPARE(f->params.value(QLatin1String("window")).toInt(), 1024);
    in.config.swaFull = false;
    QVERIFY(!find(recommend(in), "sliding_window"));
    AnalysisInput dense = input("llama-3.1-8b", Engine::LlamaCpp, 32768, 1, CacheType::Q8_0, r);
    dense.config.swaFull = true;
    QVERIFY(!find(recommend(dense), "sliding_window")); // no window layers: the flag changes nothing
}

void TestRecommender::prefixCaching()
{
    MetricRollups r = healthy(500'000, 1'000'000);
    fill(r, Metric::PrefixCacheHitRate, 120, [](int) { return 0.1; });
    AnalysisInput in = input("qwen2.5-7b", Engine::Vllm, 8192, 8, CacheType::Fp8, r);
    in.prefixCaching = false;
    const std::optional<Finding> f = find(recommend(in), "prefix_caching");
    QVERIFY(f);
    QCOMPARE(f->apply.first(), QStringLiteral("--enable-prefix-caching"));
    QCOMPARE(*f->speedPercent, 44.0); // (0.5 - 0.1) / 0.9
    const std::optional<Finding> llama =
        find(recommend(input("qwen2.5-7b", Engine::LlamaCpp, 8192, 2, CacheType::Q8_0, r)), "prefix_caching");
    QVERIFY(llama);
    QCOMPARE(llama->apply.first(), QStringLiteral("--cache-prompt --cache-reuse 256"));
    fill(r, Metric::PrefixCacheHitRate, 120, [](int) { return 0.6; });
    QVERIFY(
        !find(recommend(input("qwen2.5-7b", Engine::Vllm, 8192, 8, CacheType::Fp8, r)), "prefix_caching"));
    QVERIFY(!find(recommend(input("qwen2.5-7b", Engine::Vllm, 8192, 8, CacheType::Fp8, healthy(1, 2))),
                  "prefix_caching"));
}

void TestRecommender::vllmPreemption()
{
    MetricRollups r = healthy(900'000, 1'000'000);
    fill(r, Metric::Preemptions, 120, [](int i) { return 10 + i / 10; });
    fill(r, Metric::RequestsRunning, 120, [](int) { return 20; });
    const std::optional<Finding> f =
        find(recommend(input("qwen2.5-7b", Engine::Vllm, 8192, 32, CacheType::BF16, r)), "vllm_preemption");
    QVERIFY(f);
    QCOMPARE(f->params.value(QLatin1String("preemptions")).toInt(), 11);
    QVERIFY(f->apply.contains(QStringLiteral("--gpu-memory-utilization 0.95")));
    QVERIFY(f->apply.contains(QStringLiteral("--max-num-seqs 16")));
    QVERIFY(!find(recommend(input("qwen2.5-7b", Engine::LlamaCpp, 8192, 4, CacheType::BF16, r)),
                  "vllm_preemption"));
    fill(r, Metric::Preemptions, 120, [](int) { return 10; });
    QVERIFY(
        !find(recommend(input("qwen2.5-7b", Engine::Vllm, 8192, 32, CacheType::BF16, r)), "vllm_preemption"));
}

void TestRecommender::cpuOffload()
{
    MetricRollups r = healthy(900'000, 1'000'000);
    fill(r, Metric::MemoryUsageGB, 120, [](int i) { return i > 100 ? 23.5 : 20.0; });
    AnalysisInput in = input("llama-3.1-8b", Engine::LlamaCpp, 8192, 1, CacheType::Q8_0, r);
    in.gpuMemoryGB = 24;
    const std::optional<Finding> f = find(recommend(in), "cpu_offload");
    QVERIFY(f);
    QCOMPARE(f->apply.first(), QStringLiteral("-nkvo"));
    in.gpuMemoryGB = 48;
    QVERIFY(!find(recommend(in), "cpu_offload"));
    in.gpuMemoryGB = 0; // unknown GPU: only a full, quantized cache with a queue counts
    QVERIFY(!find(recommend(in), "cpu_offload"));
}

void TestRecommender::textsCarryNumbers()
{
    MetricRollups r = healthy(384'000, 4'194'304);
    const std::optional<Finding> f =
        find(recommend(input("llama-3.1-8b", Engine::LlamaCpp, 32768, 1, CacheType::F16, r)),
             "right_size_context");
    QVERIFY(f);
    const model::Recommendation record = recommendationRecord(*f, kT0);
    QVERIFY(record.title.contains(QLatin1String("3840")));
    QVERIFY(record.description.contains(QLatin1String("3000 tokens")));
    QVERIFY(record.description.contains(QLatin1String("GiB")));
    QVERIFY(record.description.contains(QLatin1String("Apply: -c 3840")));
    QVERIFY(record.description.contains(QLatin1String("Source: https://")));
    const QJsonObject details = QJsonDocument::fromJson(record.details).object();
    QCOMPARE(details.value(QLatin1String("rule")).toString(), QStringLiteral("right_size_context"));
    QCOMPARE(details.value(QLatin1String("apply")).toArray().first().toString(), QStringLiteral("-c 3840"));
}

void TestRecommender::score()
{
    // Healthy but f16 and a quarter-full cache: the parts explain why it is not 100.
    MetricRollups r = healthy(512'000, 2'097'152);
    OptimizationScore s =
        optimizationScore(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 1, CacheType::F16, r));
    QVERIFY(s.score.has_value());
    QCOMPARE(s.parts.size(), 4);
    QCOMPARE(s.parts[1].id, QStringLiteral("efficiency"));
    QCOMPARE(*s.parts[1].value, 34.0 / 64.0);
    QCOMPARE(*s.parts[2].value, 1.0); // flat latency
    QCOMPARE(*s.parts[3].value, 1.0); // nobody waits
    const double utilization = *s.parts[0].value;
    QCOMPARE(*s.score, std::round(100.0 * (30 * utilization + 30 * 34.0 / 64.0 + 20 + 20) / 100.0));
    // q8_0 is the best safe setting: full marks for efficiency, a higher score.
    OptimizationScore q =
        optimizationScore(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 1, CacheType::Q8_0, r));
    QCOMPARE(*q.parts[1].value, 1.0);
    QVERIFY(*q.score > *s.score);
    // Growing latency and a queue pull it down.
    fill(r, Metric::InferenceTimeMs, 120, [](int i) { return 200 + 2 * i; });
    fill(r, Metric::RequestsWaiting, 120, [](int i) { return i % 2; });
    OptimizationScore worse =
        optimizationScore(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 1, CacheType::Q8_0, r));
    QVERIFY(*worse.score < *q.score);
    QCOMPARE(*worse.parts[3].value, 0.0);
    // Only what is measured counts: no waiting metric, no queue part.
    MetricRollups partial = healthy(512'000, 2'097'152);
    partial[model::metricIndex(Metric::RequestsWaiting)].clear();
    OptimizationScore p =
        optimizationScore(input("llama-3.1-8b", Engine::LlamaCpp, 16384, 1, CacheType::Q8_0, partial));
    QVERIFY(!p.parts[3].value.has_value());
    QVERIFY(p.score.has_value());
}

// A project with 90 minutes of samples in the file at `path`: -c 32768 f16 would be described, the cache
// never above ~3000 tokens.
QString seedProject(storage::Repository &repo, const QString &path, const Clock &clock)
{
    auto project =
        repo.projects().create(QStringLiteral("Chat"), QStringLiteral("Llama"), QStringLiteral("Decoder"));
    if (!project)
        return {};
    storage::MetricWriter writer(path, clock);
    if (!writer.start())
        return {};
    QList<model::MetricSample> samples;
    for (int i = 0; i < 540; ++i) {
        model::MetricSample s;
        s.projectId = project->id;
        s.timestampMs = kT0 + 3'600'000 + i * 10'000LL;
        s.setValue(Metric::TokensProcessed, 500);
        s.setValue(Metric::KvCacheSizeKB, 100'000 + (i % 60) * 4'700);
        s.setValue(Metric::MemoryUsageGB, 20);
        s.setValue(Metric::InferenceTimeMs, 300);
        samples << s;
    }
    bool written = false;
    writer.submit(samples, [&](const storage::WriteOutcome &r) { written = r.ok(); });
    if (!QTest::qWaitFor([&] { return written; }))
        return {};
    return project->id;
}

// A database file with seedProject()'s project, three hours after kT0.
struct SeededDatabase
{
    QTemporaryDir dir;
    ManualClock clock{kT0 + 3 * 3'600'000};
    storage::Repository repo{clock};
    QString id;
    bool open()
    {
        const QString path = dir.filePath(QStringLiteral("cachewise.db"));
        if (!dir.isValid() || !repo.open(path))
            return false;
        id = seedProject(repo, path, clock);
        return !id.isEmpty();
    }
};

model::ProjectRuntime llamaF16Runtime()
{
    return runtimeFrom(
        *findPreset(QStringLiteral("llama-3.1-8b")),
        KvConfig{Engine::LlamaCpp, 32768, 1, false, false, 512, 16, CacheType::F16, CacheType::F16});
}

void TestRecommender::analysisOverSqlite()
{
    SeededDatabase db;
    QVERIFY(db.open());
    ManualClock &clock = db.clock;
    storage::Repository &repo = db.repo;
    const QString id = db.id;

    // Without a runtime description nothing can be computed, and nothing is stored.
    auto bare = services::analyseProject(repo, id, clock.nowMs(), storage::writesOn(repo));
    QVERIFY(bare);
    QVERIFY(!bare->configured);
    QVERIFY(bare->recommendations.isEmpty());

    QVERIFY(repo.runtimes().set(id, llamaF16Runtime()));
    // Not enough data yet under a two-hour minimum.
    QVERIFY(repo.settings().set(storage::setting::AnalysisMinDataMinutes, QStringLiteral("120")));
    auto early = services::analyseProject(repo, id, clock.nowMs(), storage::writesOn(repo));
    QVERIFY(early);
    QVERIFY(early->configured);
    QVERIFY(!early->enoughData());
    QVERIFY(early->recommendations.isEmpty());
    QVERIFY(early->score.score.has_value()); // the score needs no minimum

    QVERIFY(repo.settings().set(storage::setting::AnalysisMinDataMinutes, QStringLiteral("60")));
    auto analysed = services::analyseProject(repo, id, clock.nowMs(), storage::writesOn(repo));
    QVERIFY(analysed);
    QVERIFY(analysed->enoughData());
    QCOMPARE(analysed->minutesCollected, 90.0);
    QStringList stored;
    for (const auto &r : analysed->recommendations)
        stored << r.rule;
    QVERIFY2(stored.contains(QStringLiteral("right_size_context")),
             qPrintable(stored.join(QLatin1Char(','))));
    for (const auto &r : analysed->recommendations) {
        QCOMPARE(r.status, model::RecommendationStatus::Pending);
        QCOMPARE(r.generatedAtMs, clock.nowMs());
    }

    // The user dismisses one; regenerating keeps the decision and updates the numbers in place.
    QString dismissedId;
    for (const auto &r : analysed->recommendations) {
        if (r.rule == QLatin1String("right_size_context"))
            dismissedId = r.id;
    }
    QVERIFY(repo.recommendations().setStatus(dismissedId, model::RecommendationStatus::Dismissed).value());
    clock.advanceMs(600'000);
    auto again = services::analyseProject(repo, id, clock.nowMs(), storage::writesOn(repo));
    QVERIFY(again);
    bool found = false;
    for (const auto &r : again->recommendations) {
        if (r.rule == QLatin1String("right_size_context")) {
            found = true;
            QCOMPARE(r.id, dismissedId);
            QCOMPARE(r.status, model::RecommendationStatus::Dismissed);
            QCOMPARE(r.generatedAtMs, clock.nowMs());
        }
    }
    QVERIFY(found);

    // Once the runtime is right-sized the pending advice that no longer applies disappears.
    QVERIFY(repo.runtimes().set(id, runtimeFrom(*findPreset(QStringLiteral("llama-3.1-8b")),
                                                KvConfig{Engine::LlamaCpp, 4096, 1, false, false, 512, 16,
                                                         CacheType::Q8_0, CacheType::Q8_0})));
    auto after = services::analyseProject(repo, id, clock.nowMs(), storage::writesOn(repo));
    QVERIFY(after);
    for (const auto &r : after->recommendations)
        QVERIFY2(r.status != model::RecommendationStatus::Pending ||
                     r.rule != QLatin1String("kv_quantization"),
                 qPrintable(r.rule));

    // Bad runtimes are refused and change nothing.
    // (An unknown engine or cache type cannot reach storage: only the name tables make them.)
    model::ProjectRuntime bad = *repo.runtimes().get(id).value();
    bad.modelJson = "{}";
    QCOMPARE(services::saveRuntime(repo, id, bad).error().field, QStringLiteral("model"));
    // A cache type the engine does not have, or two types where it takes one: refused, naming the field.
    const model::ProjectRuntime original = *repo.runtimes().get(id).value();
    bad = original;
    QCOMPARE(bad.engine, model::Engine::LlamaCpp);
    bad.cacheTypeK = model::CacheType::Fp8;
    auto noFp8 = services::saveRuntime(repo, id, bad);
    QCOMPARE(noFp8.error().kind, ErrorKind::BadInput);
    QCOMPARE(noFp8.error().field, QStringLiteral("cacheTypeK"));
    QVERIFY2(noFp8.errorMessage().contains(QStringLiteral("has no fp8")), qPrintable(noFp8.errorMessage()));
    bad.engine = model::Engine::Vllm;
    bad.cacheTypeK = model::CacheType::Q8_0;
    QCOMPARE(services::saveRuntime(repo, id, bad).error().field, QStringLiteral("cacheTypeK"));
    bad.cacheTypeK = model::CacheType::Fp8;
    bad.cacheTypeV = model::CacheType::F16;
    auto twoTypes = services::saveRuntime(repo, id, bad);
    QCOMPARE(twoTypes.error().field, QStringLiteral("cacheTypeV"));
    QVERIFY2(twoTypes.errorMessage().contains(QStringLiteral("one KV cache type")),
             qPrintable(twoTypes.errorMessage()));
    QCOMPARE(repo.runtimes().get(id).value()->engine, model::Engine::LlamaCpp); // nothing stored
    bad.cacheTypeV = model::CacheType::Fp8;
    QVERIFY(services::saveRuntime(repo, id, bad)); // what vLLM takes
    QVERIFY(services::saveRuntime(repo, id, original));
    bad.modelJson = "[1]";
    QCOMPARE(repo.runtimes().set(id, bad).error().field,
             QStringLiteral("model")); // storage keeps JSON objects
    bad = *repo.runtimes().get(id).value();
    bad.parallel = 0;
    QCOMPARE(repo.runtimes().set(id, bad).error().field, QStringLiteral("parallel"));
    QCOMPARE(repo.runtimes().get(id).value()->context, 4096);
    QCOMPARE(
        repo.runtimes()
            .set(QStringLiteral("00000000-0000-4000-8000-000000000000"), *repo.runtimes().get(id).value())
            .error()
            .kind,
        ErrorKind::NotFound);
}

// Marking a recommendation applied changes the runtime as it says, keeps the change in the runtime's
// history and the action log, and can be undone; what cannot be done changes nothing.
void TestRecommender::markAppliedAndUndo()
{
    SeededDatabase db;
    QVERIFY(db.open());
    ManualClock &clock = db.clock;
    storage::Repository &repo = db.repo;
    const QString id = db.id;
    QVERIFY(repo.runtimes().set(id, llamaF16Runtime()));
    QVERIFY(repo.settings().set(storage::setting::AnalysisMinDataMinutes, QStringLiteral("60")));
    auto analysed = services::analyseProject(repo, id, clock.nowMs(), storage::writesOn(repo));
    QVERIFY(analysed);
    QHash<QString, model::Recommendation> byRule;
    for (const auto &r : analysed->recommendations)
        byRule.insert(r.rule, r);
    QVERIFY(byRule.contains(QStringLiteral("kv_quantization")));
    QVERIFY(byRule.contains(QStringLiteral("right_size_context")));
    const model::Recommendation quant = byRule.value(QStringLiteral("kv_quantization"));
    const QJsonObject quantDetails = QJsonDocument::fromJson(quant.details).object();
    QCOMPARE(quantDetails.value(QLatin1String("change")).toObject(),
             (QJsonObject{{QStringLiteral("cacheTypeK"), QStringLiteral("q8_0")},
                          {QStringLiteral("cacheTypeV"), QStringLiteral("q8_0")},
                          {QStringLiteral("flashAttention"), true}}));
    const auto historyBefore = repo.runtimes().changes(id, 0, clock.nowMs() + 1);
    QVERIFY(historyBefore);
    QCOMPARE(historyBefore->size(), 1); // the first description
    QVERIFY(!historyBefore->first().before);

    clock.advanceMs(60'000);
    auto applied = services::markRecommendationApplied(repo, quant.id);
    if (!applied)
        QFAIL(qPrintable(applied.errorMessage()));
    QCOMPARE(applied->recommendation.status, model::RecommendationStatus::Applied);
    QVERIFY(applied->change);
    QCOMPARE(applied->change->recommendationId, quant.id);
    QCOMPARE(applied->change->changedAtMs, clock.nowMs());
    QCOMPARE(applied->change->before->cacheTypeK, CacheType::F16);
    QCOMPARE(applied->change->after.cacheTypeK, CacheType::Q8_0);
    auto runtime = repo.runtimes().get(id).value();
    QCOMPARE(runtime->cacheTypeK, CacheType::Q8_0);
    QCOMPARE(runtime->cacheTypeV, CacheType::Q8_0);
    QCOMPARE(runtime->context, 32768); // nothing else
    QCOMPARE(repo.recommendations().get(quant.id).value()->status, model::RecommendationStatus::Applied);
    auto log = repo.actions().list(id, 10).value();
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.first().actionType, QStringLiteral("recommendation_applied"));
    QVERIFY2(log.first().details.contains(QStringLiteral("-ctk q8_0")), qPrintable(log.first().details));

    // Twice, or a recommendation that does not exist: refused, nothing more logged.
    QCOMPARE(services::markRecommendationApplied(repo, quant.id).error().kind, ErrorKind::Conflict);
    QCOMPARE(services::markRecommendationApplied(repo, QStringLiteral("00000000-0000-4000-8000-000000000000"))
                 .error()
                 .kind,
             ErrorKind::NotFound);
    QCOMPARE(services::undoRecommendation(repo, byRule.value(QStringLiteral("right_size_context")).id)
                 .error()
                 .kind,
             ErrorKind::Conflict); // pending: nothing to undo
    QCOMPARE(repo.actions().list(id, 10)->size(), 1);

    // Undo: the runtime as it was, the advice pending again, both changes in the history.
    clock.advanceMs(60'000);
    auto undone = services::undoRecommendation(repo, quant.id);
    if (!undone)
        QFAIL(qPrintable(undone.errorMessage()));
    QCOMPARE(undone->recommendation.status, model::RecommendationStatus::Pending);
    QCOMPARE(repo.runtimes().get(id).value()->cacheTypeK, CacheType::F16);
    QCOMPARE(repo.recommendations().get(quant.id).value()->status, model::RecommendationStatus::Pending);
    auto history = repo.runtimes().changes(id, 0, clock.nowMs() + 1).value();
    QCOMPARE(history.size(), 3);
    QCOMPARE(history[1].undoneAtMs, std::optional<qint64>(clock.nowMs()));
    QVERIFY(history[2].recommendationId.isEmpty());
    QCOMPARE(history[2].after.cacheTypeK, CacheType::F16);
    QCOMPARE(repo.actions().list(id, 10)->first().actionType, QStringLiteral("recommendation_undone"));
    QCOMPARE(services::undoRecommendation(repo, quant.id).error().kind, ErrorKind::Conflict);

    // Applied again, then the runtime edited by hand: undo would throw the edit away, so it is refused.
    QVERIFY(services::markRecommendationApplied(repo, quant.id));
    model::ProjectRuntime edited = *repo.runtimes().get(id).value();
    edited.context = 16384;
    QVERIFY(services::saveRuntime(repo, id, edited));
    auto refused = services::undoRecommendation(repo, quant.id);
    QCOMPARE(refused.error().kind, ErrorKind::Conflict);
    QCOMPARE(refused.error().field, QStringLiteral("runtime"));
    QCOMPARE(repo.runtimes().get(id).value()->context, 16384);
    QCOMPARE(repo.recommendations().get(quant.id).value()->status, model::RecommendationStatus::Applied);

    // A change the engine would refuse (fp8 on llama.cpp): nothing of it is kept, not even the status or
    // the log (the runtime store's own transaction is a savepoint inside the service's).
    model::Recommendation odd;
    odd.rule = QStringLiteral("odd_rule");
    odd.title = QStringLiteral("Odd");
    odd.details =
        QJsonDocument(QJsonObject{{QStringLiteral("rule"), QStringLiteral("odd_rule")},
                                  {QStringLiteral("change"),
                                   QJsonObject{{QStringLiteral("cacheTypeK"), QStringLiteral("fp8")}}}})
            .toJson(QJsonDocument::Compact);
    auto stored = repo.recommendations().replace(id, {odd});
    QVERIFY(stored);
    QString oddId;
    for (const auto &r : *stored) {
        if (r.rule == odd.rule)
            oddId = r.id;
    }
    const int logged = int(repo.actions().list(id, 50)->size());
    const int changes = int(repo.runtimes().changes(id, 0, clock.nowMs() + 1)->size());
    auto bad = services::markRecommendationApplied(repo, oddId);
    QCOMPARE(bad.error().kind, ErrorKind::BadInput);
    QCOMPARE(bad.error().field, QStringLiteral("cacheTypeK"));
    QCOMPARE(repo.recommendations().get(oddId).value()->status, model::RecommendationStatus::Pending);
    QCOMPARE(repo.runtimes().get(id).value()->cacheTypeK, CacheType::Q8_0);
    QCOMPARE(int(repo.actions().list(id, 50)->size()), logged);
    QCOMPARE(int(repo.runtimes().changes(id, 0, clock.nowMs() + 1)->size()), changes);

    // A change naming what a runtime does not have is no change at all.
    QVERIFY(!runtimeAfter(llamaF16Runtime(), QJsonObject{{QStringLiteral("change"),
                                                          QJsonObject{{QStringLiteral("threads"), 8}}}}));
    QVERIFY(!runtimeAfter(llamaF16Runtime(), QJsonObject{}));
}

QTEST_GUILESS_MAIN(TestRecommender)
#include "tst_recommender.moc"
