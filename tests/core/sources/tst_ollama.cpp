// SPDX-License-Identifier: GPL-3.0-or-later
// The Ollama connector on Ollama's documented /api/ps and /api/show replies.
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "core/sources/ollama.h"
#include "tests/support/replayserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cachewise;
using namespace cachewise::sources;
using model::Metric;

namespace {

QByteArray fixture(const char *name)
{
    return cachewise::test::testData(QStringLiteral("ollama/") + QLatin1String(name));
}

} // namespace

class TestOllama : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ps();
    void show();
    void sample();
    void refusals();
};

void TestOllama::ps()
{
    auto models = parseOllamaPs(fixture("ps.json"));
    QVERIFY(models.ok());
    QCOMPARE(models->size(), 1);
    QCOMPARE(models->first().name, QStringLiteral("qwen3:8b"));
    QCOMPARE(models->first().sizeBytes, 9613193216);
    QCOMPARE(models->first().contextLength, 32768);
    // Servers before July 2025 have no context_length.
    auto old = parseOllamaPs(R"({"models":[{"name":"llama3","size":5}]})");
    QVERIFY(old.ok());
    QCOMPARE(old->first().contextLength, 0);
    QVERIFY(parseOllamaPs(R"({"models":[]})")->isEmpty());
}

void TestOllama::show()
{
    auto arch = analysis::modelFromOllamaShow(fixture("show.json"));
    QVERIFY2(arch.ok(), qPrintable(arch.ok() ? QString() : arch.errorMessage()));
    QCOMPARE(arch->layerCount(), 32);
    QCOMPARE(arch->layers.first().kvHeads, 8);
    QCOMPARE(arch->layers.first().headDimK, 128); // 4096 / 32
    QCOMPARE(arch->parametersBillions, 8.030261248);
}

void TestOllama::sample()
{
    const OllamaModel model = parseOllamaPs(fixture("ps.json"))->first();
    const analysis::ModelArch arch = analysis::modelFromOllamaShow(fixture("show.json")).value();
    const auto loaded = [&](int parallel, analysis::CacheType type) {
        return OllamaLoaded{model,
                            analysis::ollamaKvBytes(arch, model.contextLength, parallel, type).value()};
    };
    // num_ctx 32768, one parallel request, f16: 32768 cells × 131072 bytes = 4 GiB allocated.
    const auto s = ollamaSample(QStringLiteral("p"), 0, {loaded(1, analysis::CacheType::F16)});
    QCOMPARE(*s.value(Metric::KvCacheSizeKB), double(4LL * 1024 * 1024));
    QCOMPARE(*s.value(Metric::MemoryUsageGB), 9.613193216);
    // OLLAMA_NUM_PARALLEL 2 and q8_0: -c 65536 -np 2, 34/64 of the bytes.
    const auto q = ollamaSample(QStringLiteral("p"), 0, {loaded(2, analysis::CacheType::Q8_0)});
    QCOMPARE(*q.value(Metric::KvCacheSizeKB), double(65536LL * 69632 / 1024));
    const QJsonArray models =
        QJsonDocument::fromJson(q.processedData).object().value(QLatin1String("models")).toArray();
    QCOMPARE(models.first().toObject().value(QLatin1String("name")).toString(), QStringLiteral("qwen3:8b"));
    // Without an architecture the memory is still known, the KV is not.
    const auto bare = ollamaSample(QStringLiteral("p"), 0, {OllamaLoaded{model, std::nullopt}});
    QVERIFY(!bare.value(Metric::KvCacheSizeKB));
    QVERIFY(!bare.value(Metric::KvCacheCapacityKB));
    QCOMPARE(*bare.value(Metric::MemoryUsageGB), 9.613193216);
}

void TestOllama::refusals()
{
    QVERIFY(!parseOllamaPs("Ollama is running").ok());
    QVERIFY(!parseOllamaPs(R"({"models":[{"size":1}]})").ok());
    QVERIFY(!analysis::modelFromOllamaShow(R"({"details":{}})").ok());
    // Remote models have only an architecture and a context: refused with the reason.
    auto remote = analysis::modelFromOllamaShow(
        R"({"model_info":{"general.architecture":"qwen3","qwen3.context_length":40960}})");
    QVERIFY(!remote.ok());
    QVERIFY(remote.errorMessage().contains(QStringLiteral("block_count")));
}

QTEST_GUILESS_MAIN(TestOllama)
#include "tst_ollama.moc"
