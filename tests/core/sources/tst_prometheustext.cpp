// SPDX-License-Identifier: GPL-3.0-or-later
// The Prometheus text parser on real expositions (node-exporter, Prometheus, llama-server, vLLM and
// SGLang), on every case promtool was asked about, and on broken and mangled input.
#include "core/sources/prometheustext.h"
#include "tests/support/replayserver.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace cachewise::sources;

namespace {

QByteArray readData(const QString &relative)
{
    QFile f(cachewise::test::testDataPath(relative));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(relative));
    return f.readAll();
}

} // namespace

class TestPrometheusText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void promtoolCases_data();
    void promtoolCases();
    void nodeExporter();
    void histogramsAndSummaries();
    void llamaServer();
    void vllmAndSglang();
    void valuesAndEscapes();
    void refusals_data();
    void refusals();
    void neverCrashesOnTruncationOrNoise();
    void quantiles();
};

void TestPrometheusText::promtoolCases_data()
{
    // Each case: the lines promtool got and its exit code (1: parse error; 0 and 3: parsed, 3 = lint).
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    const QList<QByteArray> lines = readData(QStringLiteral("prometheus/promtool-cases.txt")).split('\n');
    QString title;
    QByteArray text;
    int cases = 0;
    for (const QByteArray &line : lines) {
        if (line.startsWith("=== ")) {
            title = QString::fromUtf8(line.mid(4));
            text.clear();
        } else if (line.startsWith("    | ")) {
            text += line.mid(6) + '\n';
        } else if (line.startsWith("    rc=")) {
            // The CRLF case was captured with real carriage returns; the file keeps them visible as text.
            QByteArray input = text;
            if (title.startsWith(QLatin1String("CRLF")))
                input.replace('\n', "\r\n");
            if (title.startsWith(QLatin1String("no final newline")))
                input.chop(1);
            QTest::newRow(qPrintable(title)) << input << (line.mid(7).toInt() != 1);
            ++cases;
        }
    }
    QVERIFY(cases >= 25);
}

void TestPrometheusText::promtoolCases()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    auto parsed = parsePrometheusText(text);
    QVERIFY2(parsed.ok() == valid, parsed.ok() ? "accepted" : qPrintable(parsed.errorMessage()));
    if (!valid)
        QVERIFY(parsed.errorMessage().startsWith(QLatin1String("line ")));
}

void TestPrometheusText::nodeExporter()
{
    auto parsed =
        parsePrometheusText(readData(QStringLiteral("prometheus/node-exporter-metrics-head150.txt")));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(*parsed->value(QStringLiteral("node_boot_time_seconds")), 1.795320741e+09);
    QCOMPARE(*parsed->value(QStringLiteral("node_cpu_seconds_total"),
                            {{QStringLiteral("cpu"), QStringLiteral("0")},
                             {QStringLiteral("mode"), QStringLiteral("idle")}}),
             363.61);
    const PromFamily *cpu = parsed->family(QStringLiteral("node_cpu_seconds_total"));
    QVERIFY(cpu);
    QCOMPARE(cpu->type, MetricType::Counter);
    QCOMPARE(cpu->help, QStringLiteral("Seconds the CPUs spent in each mode."));
    // Empty label values are values.
    const auto disks = parsed->samples(QStringLiteral("node_disk_info"));
    QVERIFY(!disks.isEmpty());
    QCOMPARE(disks.first()->label(QStringLiteral("model")), QString(QLatin1String("")));
    QVERIFY(!disks.first()->label(QStringLiteral("model")).isNull());
    QVERIFY(disks.first()->label(QStringLiteral("nope")).isNull());
}

void TestPrometheusText::histogramsAndSummaries()
{
    auto parsed = parsePrometheusText(
        readData(QStringLiteral("prometheus/prometheus-histograms-summaries-excerpt.txt")));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    const PromFamily *gc = parsed->family(QStringLiteral("go_gc_duration_seconds"));
    QVERIFY(gc);
    QCOMPARE(gc->type, MetricType::Summary);
    QCOMPARE(gc->samples.size(), 7); // five quantiles, _sum and _count in one family
    QCOMPARE(*parsed->value(QStringLiteral("go_gc_duration_seconds_count")), 53.0);
    QVERIFY(std::isnan(*parsed->value(QStringLiteral("prometheus_engine_query_duration_seconds"),
                                      {{QStringLiteral("slice"), QStringLiteral("result_sort")},
                                       {QStringLiteral("quantile"), QStringLiteral("0.5")}})));
    const PromFamily *http = parsed->family(QStringLiteral("prometheus_http_request_duration_seconds"));
    QVERIFY(http);
    QCOMPARE(http->type, MetricType::Histogram);
    const auto buckets = parsed->samples(QStringLiteral("prometheus_http_request_duration_seconds_bucket"),
                                         {{QStringLiteral("handler"), QStringLiteral("/-/healthy")}});
    QCOMPARE(buckets.size(), 10);
    QCOMPARE(buckets.last()->label(QStringLiteral("le")), QStringLiteral("+Inf"));
}

void TestPrometheusText::llamaServer()
{
    for (const char *file : {"metrics_before.txt", "during_metrics_06.txt", "metrics_after_load.txt",
                             "metrics_after_single.txt", "metrics_after_erase.txt"}) {
        auto parsed =
            parsePrometheusText(readData(QStringLiteral("llama-server/f16-np4/") + QLatin1String(file)));
        QVERIFY2(parsed.ok(), file);
        // Colons are part of names.
        QVERIFY(parsed->family(QStringLiteral("llamacpp:prompt_tokens_total")));
    }
    auto during = parsePrometheusText(readData(QStringLiteral("llama-server/f16-np4/during_metrics_06.txt")));
    QCOMPARE(*during->value(QStringLiteral("llamacpp:requests_processing")), 4.0);
    QCOMPARE(*during->value(QStringLiteral("llamacpp:requests_deferred")), 2.0);
    QCOMPARE(*during->value(QStringLiteral("llamacpp:prompt_seconds_total")), 1.05753);
    QCOMPARE(during->family(QStringLiteral("llamacpp:n_busy_slots_per_decode"))->type, MetricType::Gauge);
}

void TestPrometheusText::vllmAndSglang()
{
    auto vllm = parsePrometheusText(readData(QStringLiteral("prometheus/vllm-fixture.txt")));
    QVERIFY2(vllm.ok(), qPrintable(vllm.ok() ? QString() : vllm.errorMessage()));
    QCOMPARE(*vllm->value(QStringLiteral("vllm:kv_cache_usage_perc")), 0.2735);
    QCOMPARE(*vllm->value(QStringLiteral("vllm:prefix_cache_queries_created")), 1.7563e+09);
    QCOMPARE(*vllm->sum(QStringLiteral("vllm:request_success_total")), 133.0);
    QCOMPARE(vllm->family(QStringLiteral("vllm:prefix_cache_queries_created"))->type, MetricType::Gauge);
    const auto info = vllm->samples(QStringLiteral("vllm:cache_config_info"));
    QCOMPARE(info.size(), 1);
    QCOMPARE(info.first()->label(QStringLiteral("kv_cache_size_tokens")), QStringLiteral("285440"));
    QCOMPARE(vllm->family(QStringLiteral("vllm:time_to_first_token_seconds"))->samples.size(), 5);

    auto sglang = parsePrometheusText(readData(QStringLiteral("prometheus/sglang-fixture.txt")));
    QVERIFY(sglang.ok());
    QCOMPARE(*sglang->value(QStringLiteral("sglang:prompt_tokens_total")), 8.128902e+06);
    QCOMPARE(
        *sglang->value(QStringLiteral("sglang:token_usage"),
                       {{QStringLiteral("model_name"), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct")}}),
        0.28);
    QVERIFY(!sglang->value(QStringLiteral("sglang:token_usage"),
                           {{QStringLiteral("model_name"), QStringLiteral("x")}}));
}

void TestPrometheusText::valuesAndEscapes()
{
    auto parsed = parsePrometheusText(
        QByteArrayLiteral("# HELP a_x A \\\\ back\\nslash.\n"
                          "# TYPE a_x gauge\n"
                          "a_x{p=\"C:\\\\x\",m=\"say \\\"hi\\\"\\nbye\",} 3.21457e+06 1700000000000\n"
                          "  b_y\t-Inf\n"
                          "c_z{} +inf\n"
                          "d 1e-3\n"
                          "# EOF\n"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    const PromFamily *a = parsed->family(QStringLiteral("a_x"));
    QCOMPARE(a->help, QStringLiteral("A \\ back\nslash."));
    QCOMPARE(a->samples.first().label(QStringLiteral("p")), QStringLiteral("C:\\x"));
    QCOMPARE(a->samples.first().label(QStringLiteral("m")), QStringLiteral("say \"hi\"\nbye"));
    QCOMPARE(a->samples.first().value, 3214570.0);
    QCOMPARE(*a->samples.first().timestampMs, 1700000000000);
    QVERIFY(std::isinf(*parsed->value(QStringLiteral("b_y"))) && *parsed->value(QStringLiteral("b_y")) < 0);
    QVERIFY(std::isinf(*parsed->value(QStringLiteral("c_z"))));
    QCOMPARE(*parsed->value(QStringLiteral("d")), 0.001);
    QCOMPARE(parsed->family(QStringLiteral("d"))->type, MetricType::Untyped);
    QVERIFY(parsePrometheusText(QByteArray())->families.isEmpty());
    QVERIFY(parsePrometheusText("\n\n# just a comment\n")->families.isEmpty());
}

void TestPrometheusText::refusals_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("value missing") << QByteArray("a_x\n") << QStringLiteral("line 1:");
    QTest::newRow("garbage value") << QByteArray("a_x 12abc\n") << QStringLiteral("expected float");
    QTest::newRow("hex value") << QByteArray("a_x 0x10\n") << QStringLiteral("expected float");
    QTest::newRow("bad timestamp") << QByteArray("a_x 1 soon\n") << QStringLiteral("timestamp");
    QTest::newRow("too many fields") << QByteArray("a_x 1 2 3\n") << QStringLiteral("unexpected text");
    QTest::newRow("unterminated label") << QByteArray("a_x{a=\"1} 2\n") << QStringLiteral("unterminated");
    QTest::newRow("label without value") << QByteArray("a_x{a} 2\n") << QStringLiteral("expected '='");
    QTest::newRow("label name with dash")
        << QByteArray("a_x{a-b=\"1\"} 2\n") << QStringLiteral("expected '='");
    QTest::newRow("label separator") << QByteArray("a_x{a=\"1\" b=\"2\"} 2\n")
                                     << QStringLiteral("',' or '}'");
    QTest::newRow("no blank before value") << QByteArray("a_x{a=\"1\"}2\n") << QStringLiteral("blank");
    QTest::newRow("binary") << QByteArray("\x01\x02\x03 1\n", 7) << QStringLiteral("invalid metric name");
    QTest::newRow("bucket without le")
        << QByteArray("# TYPE h histogram\nh_bucket 1\n") << QStringLiteral("\"le\"");
    QTest::newRow("summary without quantile")
        << QByteArray("# TYPE s summary\ns 1\n") << QStringLiteral("quantile");
    QTest::newRow("error on a later line") << QByteArray("a 1\nb 2\nc three\n") << QStringLiteral("line 3:");
}

void TestPrometheusText::refusals()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, reason);
    auto parsed = parsePrometheusText(text);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.errorMessage().contains(reason), qPrintable(parsed.errorMessage()));
}

void TestPrometheusText::neverCrashesOnTruncationOrNoise()
{
    // Every prefix of a real scrape, and thousands of mangled copies: each parses or is refused.
    const QByteArray real =
        readData(QStringLiteral("prometheus/prometheus-histograms-summaries-excerpt.txt"));
    int accepted = 0;
    for (qsizetype n = 0; n <= real.size(); ++n)
        accepted += parsePrometheusText(real.left(n)).ok() ? 1 : 0;
    QVERIFY(accepted > 0);
    QRandomGenerator rng(20261122);
    const QByteArray alphabet = QByteArrayLiteral("{}\",=\\ \t\n#abcHELPTYPE_:.e+-0123456789NaInf\r\x00\xff");
    for (int round = 0; round < 3000; ++round) {
        QByteArray mangled = real.left(qsizetype(rng.bounded(int(real.size()) + 1)));
        const int edits = 1 + int(rng.bounded(8));
        for (int e = 0; e < edits && !mangled.isEmpty(); ++e) {
            const qsizetype at = rng.bounded(int(mangled.size()));
            mangled[at] = alphabet[rng.bounded(int(alphabet.size()))];
        }
        auto parsed = parsePrometheusText(mangled);
        if (!parsed.ok())
            QVERIFY(parsed.errorMessage().startsWith(QLatin1String("line ")));
    }
}

void TestPrometheusText::quantiles()
{
    const double inf = std::numeric_limits<double>::infinity();
    // 10 observations: 5 ≤ 0.1, 9 ≤ 0.5, all ≤ +Inf.
    const QList<QPair<double, double>> buckets{{0.1, 5}, {0.5, 9}, {inf, 10}};
    QCOMPARE(*histogramQuantile(0.5, buckets), 0.1);
    QCOMPARE(*histogramQuantile(0.7, buckets), 0.1 + 0.4 * (7.0 - 5.0) / 4.0);
    QCOMPARE(*histogramQuantile(0.99, buckets), 0.5); // in the +Inf bucket: its lower bound
    QCOMPARE(*histogramQuantile(0.25, buckets), 0.1 * 2.5 / 5.0);
    QVERIFY(!histogramQuantile(0.5, {{0.1, 5}}).has_value());           // no +Inf bucket
    QVERIFY(!histogramQuantile(0.5, {{0.1, 0}, {inf, 0}}).has_value()); // no observations
    QVERIFY(!histogramQuantile(1.5, buckets).has_value());
}

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheustext.moc"
