// SPDX-License-Identifier: GPL-3.0-or-later
// vLLM and SGLang /metrics onto samples, on the documented fixtures and on a second scrape whose
// counters moved; old and new metric names.
#include "core/sources/promengines.h"
#include "tests/support/replayserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cachewise::sources;
using cachewise::model::Metric;

namespace {

QByteArray fixture(const char *name)
{
    return cachewise::test::testData(QStringLiteral("prometheus/") + QLatin1String(name));
}

Exposition parse(const QByteArray &text)
{
    auto parsed = parsePrometheusText(text);
    if (!parsed)
        qFatal("%s", qPrintable(parsed.errorMessage()));
    return *parsed;
}

} // namespace

class TestPromEngines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vllm();
    void vllmLegacyNames();
    void sglang();
};

void TestPromEngines::vllm()
{
    const QByteArray first = fixture("vllm-fixture.txt");
    QByteArray second = first;
    second.replace("152340.0", "162340.0").replace("98112.0", "104112.0"); // 10000 queried, 6000 hit
    second.replace("54228.0", "55228.0").replace("27453.0", "27953.0");    // 1000 prompt, 500 generated
    second
        .replace("_count{engine=\"0\",model_name=\"Qwen/Qwen3-8B\"} 133.0",
                 "_count{engine=\"0\",model_name=\"Qwen/Qwen3-8B\"} 143.0")
        .replace("_sum{engine=\"0\",model_name=\"Qwen/Qwen3-8B\"} 9.87",
                 "_sum{engine=\"0\",model_name=\"Qwen/Qwen3-8B\"} 10.87");
    PromSession session;
    const qint64 bpt = 147456; // Qwen3 8B at bf16
    const auto a = vllmSample(QStringLiteral("p"), 0, parse(first), bpt, session);
    QCOMPARE(*a.value(Metric::KvCacheUsageRatio), 0.2735);
    QCOMPARE(*a.value(Metric::KvCacheCapacityKB), std::round(285440.0 * bpt / 1024));
    QCOMPARE(*a.value(Metric::KvCacheSizeKB), std::round(0.2735 * 285440.0 * bpt / 1024));
    QCOMPARE(*a.value(Metric::RequestsRunning), 3.0);
    QCOMPARE(*a.value(Metric::RequestsWaiting), 1.0);
    QCOMPARE(*a.value(Metric::Preemptions), 0.0);
    QVERIFY(!a.value(Metric::TokensProcessed)); // no interval yet: not measured, not 0
    QVERIFY(!a.value(Metric::TokensPerSecond));
    QVERIFY(!a.value(Metric::PrefixCacheHitRate));
    const auto b = vllmSample(QStringLiteral("p"), 2000, parse(second), bpt, session);
    QCOMPARE(*b.value(Metric::PrefixCacheHitRate), 0.6);
    QCOMPARE(*b.value(Metric::TokensProcessed), 1500.0);
    QCOMPARE(*b.value(Metric::TokensPerSecond), 500.0 / 2.0); // generated over 2 s of wall time
    QCOMPARE(*b.value(Metric::TimeToFirstTokenMs), 100.0);
    // The same counters again: nothing finished, so no latency is re-stored; 0 tokens is measured.
    const auto c = vllmSample(QStringLiteral("p"), 4000, parse(second), bpt, session);
    QCOMPARE(*c.value(Metric::TokensProcessed), 0.0);
    QCOMPARE(*c.value(Metric::TokensPerSecond), 0.0);
    QVERIFY(!c.value(Metric::TimeToFirstTokenMs));
    QVERIFY(!c.value(Metric::InferenceTimeMs));
    // A restarted vLLM (another process_start_time_seconds) counts from zero: its whole counter is new.
    QByteArray restarted = "process_start_time_seconds 1.7e+09\n" + first;
    vllmSample(QStringLiteral("p"), 6000, parse(restarted), bpt, session);
    restarted = "process_start_time_seconds 1.8e+09\n" + second;
    const auto d = vllmSample(QStringLiteral("p"), 8000, parse(restarted), bpt, session);
    QCOMPARE(*d.value(Metric::TokensProcessed), 55228.0 + 27953.0);
    QVERIFY(!d.value(Metric::TokensPerSecond)); // down for part of the interval
    // Percentiles from the buckets: the first scrape over everything observed (0 ≤ 1 ms, 120 ≤ 100 ms,
    // 133 in all), linear inside a bucket as PromQL does; p95 falls in +Inf, so its lower bound.
    const QJsonObject ttft = QJsonDocument::fromJson(a.processedData)
                                 .object()
                                 .value(QLatin1String("latencySeconds"))
                                 .toObject()
                                 .value(QLatin1String("ttft"))
                                 .toObject();
    QCOMPARE(ttft.value(QLatin1String("p50")).toDouble(), 0.001 + (0.1 - 0.001) * (66.5 / 120.0));
    QCOMPARE(ttft.value(QLatin1String("p95")).toDouble(), 0.1);
}

void TestPromEngines::vllmLegacyNames()
{
    const QByteArray legacy = "# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage.\n"
                              "# TYPE vllm:gpu_cache_usage_perc gauge\n"
                              "vllm:gpu_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.5\n"
                              "vllm:gpu_cache_usage_perc{engine=\"1\",model_name=\"m\"} 0.7\n"
                              "vllm:cache_config_info{block_size=\"16\",num_gpu_blocks=\"1000\"} 1.0\n";
    PromSession session;
    const auto s = vllmSample(QStringLiteral("p"), 0, parse(legacy), 1024, session);
    QCOMPARE(*s.value(Metric::KvCacheUsageRatio), 0.6); // mean over the two engines
    QCOMPARE(*s.value(Metric::KvCacheCapacityKB), 16000.0);
    // Without an architecture the ratio stays and the bytes are left out (never 0 beside a ratio).
    const auto unknown = vllmSample(QStringLiteral("p"), 0, parse(legacy), 0, session);
    QCOMPARE(*unknown.value(Metric::KvCacheUsageRatio), 0.6);
    QVERIFY(!unknown.value(Metric::KvCacheSizeKB));
    QVERIFY(!unknown.value(Metric::KvCacheCapacityKB));
    QVERIFY(!unknown.value(Metric::MemoryUsageGB));
}

void TestPromEngines::sglang()
{
    PromSession session;
    const auto s =
        sglangSample(QStringLiteral("p"), 0, parse(fixture("sglang-fixture.txt")), 131072, session);
    QCOMPARE(*s.value(Metric::KvCacheUsageRatio), 0.28);
    QCOMPARE(*s.value(Metric::PrefixCacheHitRate), 0.007507552643049313);
    QVERIFY(!s.value(Metric::KvCacheCapacityKB)); // the old fixture has no pool size
    const QByteArray newer =
        "sglang:token_usage{engine_type=\"unified\",model_name=\"m\",tp_rank=\"0\"} 0.5\n"
        "sglang:max_total_num_tokens{engine_type=\"unified\",model_name=\"m\",tp_rank=\"0\"} 200000\n"
        "sglang:num_running_reqs{model_name=\"m\",tp_rank=\"0\"} 7\n"
        "sglang:num_queue_reqs{model_name=\"m\",tp_rank=\"0\"} 2\n";
    const auto n = sglangSample(QStringLiteral("p"), 0, parse(newer), 1024, session);
    QCOMPARE(*n.value(Metric::KvCacheCapacityKB), 200000.0);
    QCOMPARE(*n.value(Metric::KvCacheSizeKB), 100000.0);
    QCOMPARE(*n.value(Metric::RequestsRunning), 7.0);
    QCOMPARE(*n.value(Metric::RequestsWaiting), 2.0);
}

QTEST_GUILESS_MAIN(TestPromEngines)
#include "tst_promengines.moc"
