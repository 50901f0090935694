// SPDX-License-Identifier: GPL-3.0-or-later
// The KV memory model against hand-computed values, llama-server's own numbers, real GGUF headers and
// Hugging Face configs.
#include "core/analysis/gguf.h"
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "tests/support/replayserver.h"

#include <QFile>
#include <QTest>

using namespace cachewise::analysis;

namespace {

ModelArch preset(const char *id)
{
    auto m = findPreset(QString::fromLatin1(id));
    if (!m)
        qFatal("missing preset %s", id);
    return *m;
}

KvConfig llama(qint64 context, int parallel = 1, CacheType type = CacheType::F16)
{
    KvConfig c;
    c.engine = Engine::LlamaCpp;
    c.context = context;
    c.parallel = parallel;
    c.typeK = type;
    c.typeV = type;
    return c;
}

} // namespace

class TestKvModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void elementSizes();
    void doneWhenExample();
    void presets_data();
    void presets();
    void presetsCiteSources();
    void llamaServerLines_data();
    void llamaServerLines();
    void parseLine();
    void printedLikeC_data();
    void printedLikeC();
    void slotsRoundUp();
    void slidingWindowFull();
    void ollamaAndPaged();
    void concurrency();
    void quantizedRowsMustDivide();
    void badConfigs_data();
    void badConfigs();
    void llamaArgs();
    void ggufReference();
    void hfConfigs_data();
    void hfConfigs();
    void hfConfigRefusals_data();
    void hfConfigRefusals();
    void jsonRoundTrip();
};

void TestKvModel::elementSizes()
{
    // Bytes per 32 elements: f32 128, f16/bf16 64, fp8 32, q8_0 34, q5_1 24, q5_0 22, q4_1 20,
    // q4_0/iq4_nl 18.
    const QList<QPair<CacheType, qint64>> expected{
        {CacheType::F32, 128}, {CacheType::F16, 64},    {CacheType::BF16, 64}, {CacheType::Fp8, 32},
        {CacheType::Q8_0, 34}, {CacheType::Q5_1, 24},   {CacheType::Q5_0, 22}, {CacheType::Q4_1, 20},
        {CacheType::Q4_0, 18}, {CacheType::IQ4_NL, 18},
    };
    for (const auto &[type, bytes] : expected) {
        auto r = rowBytes(type, 32);
        QVERIFY(r.ok());
        QCOMPARE(*r, bytes);
        QCOMPARE(parseCacheType(cachewise::model::name(type)), type);
    }
    QCOMPARE(parseCacheType(QStringLiteral("fp8_e4m3")), CacheType::Fp8);
    QCOMPARE(parseCacheType(QStringLiteral("bfloat16")), CacheType::BF16);
    QVERIFY(!parseCacheType(QStringLiteral("q3_k")).has_value());
}

void TestKvModel::doneWhenExample()
{
    // cachewise-cli kv --model llama-3.1-8b --context 8192 --cache-type f16: 131072 B/token, 1 GiB.
    auto e = estimateKv(preset("llama-3.1-8b"), llama(8192));
    QVERIFY2(e.ok(), qPrintable(e.ok() ? QString() : e.errorMessage()));
    QCOMPARE(e->bytesPerToken, qint64(131072));
    QCOMPARE(e->totalBytes, qint64(1) << 30);
    QCOMPARE(e->layers.size(), 32);
    QCOMPARE(e->layers[0].kBytes, qint64(8192) * 8 * 128 * 2);
}

void TestKvModel::presets_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<qint64>("context");
    QTest::addColumn<qint64>("bytesPerToken");
    QTest::addColumn<qint64>("totalBytes");
    // Hand-computed: 2 (K, V) × layers × KV heads × head size × 2 bytes (f16), llama.cpp, one slot.
    const auto row = [](const char *id, qint64 context, qint64 perToken, qint64 total) {
        QTest::newRow(id) << QString::fromLatin1(id) << context << perToken << total;
    };
    row("llama-3.1-8b", 4096, 2 * 32 * 8 * 128 * 2, 131072LL * 4096);
    row("llama-3.1-70b", 4096, 2 * 80 * 8 * 128 * 2, 327680LL * 4096);
    row("llama-2-7b", 4096, 2 * 32 * 32 * 128 * 2, 524288LL * 4096);
    row("mistral-7b", 4096, 2 * 32 * 8 * 128 * 2, 131072LL * 4096);
    row("qwen2.5-0.5b", 4096, 2 * 24 * 2 * 64 * 2, 12288LL * 4096);
    row("qwen2.5-7b", 4096, 2 * 28 * 4 * 128 * 2, 57344LL * 4096);
    row("qwen2.5-72b", 4096, 2 * 80 * 8 * 128 * 2, 327680LL * 4096);
    row("qwen3-8b", 4096, 2 * 36 * 8 * 128 * 2, 147456LL * 4096);
    row("phi-3-mini", 4096, 2 * 32 * 32 * 96 * 2, 393216LL * 4096);
    // MLA: 61 layers × (512 + 64) × 2 bytes, no separate V.
    row("deepseek-v3", 4096, 61 * 576 * 2, 70272LL * 4096);
    // Gemma 2: 21 full layers hold 8192 cells; 21 window layers pad(min(8192, 4096 + 512), 256) = 4608.
    row("gemma-2-9b", 8192, 42 * 2 * 8 * 256 * 2, 21LL * 8192 * 8192 + 21LL * 4608 * 8192);
    // Gemma 3: 10 global layers × 32768 cells, 52 local layers × pad(1024 + 512, 256) = 1536.
    row("gemma-3-27b", 32768, 62 * 2 * 16 * 128 * 2, 10LL * 32768 * 8192 + 52LL * 1536 * 8192);
    // gpt-oss: 12 full × 4096 cells, 12 window × pad(128 + 512, 256) = 768, 2048 bytes per layer-token.
    row("gpt-oss-20b", 4096, 24 * 2 * 8 * 64 * 2, 12LL * 4096 * 2048 + 12LL * 768 * 2048);
    // Jamba: 4 attention layers cache tokens; 28 Mamba layers keep (3 × 8192 + 16 × 8192) × 4 bytes.
    row("jamba-v0.1", 4096, 4 * 2 * 8 * 128 * 2, 4LL * 4096 * 4096 + 28LL * 622592);
}

void TestKvModel::presets()
{
    QFETCH(QString, id);
    QFETCH(qint64, context);
    QFETCH(qint64, bytesPerToken);
    QFETCH(qint64, totalBytes);
    auto e = estimateKv(preset(id.toLatin1().constData()), llama(context));
    QVERIFY(e.ok());
    QCOMPARE(e->bytesPerToken, bytesPerToken);
    QCOMPARE(e->totalBytes, totalBytes);
    qint64 sum = 0;
    for (const LayerAllocation &a : e->layers)
        sum += a.kBytes + a.vBytes + a.stateBytes;
    QCOMPARE(sum, totalBytes);
}

void TestKvModel::presetsCiteSources()
{
    QVERIFY(modelPresets().size() >= 12);
    QSet<QString> ids;
    for (const ModelArch &m : modelPresets()) {
        QVERIFY2(m.source.startsWith(QLatin1String("https://huggingface.co/")), qPrintable(m.id));
        QVERIFY(m.source.endsWith(QLatin1String("config.json")));
        QVERIFY(m.parametersBillions > 0);
        QVERIFY(!ids.contains(m.id));
        ids.insert(m.id);
    }
    QVERIFY(findPreset(QStringLiteral("LLAMA-3.1-8B")).has_value());
    QVERIFY(findPreset(QStringLiteral("Gemma 3 27B")).has_value());
    QVERIFY(!findPreset(QStringLiteral("gpt-5")).has_value());
}

void TestKvModel::llamaServerLines_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("line");
    QFile file(cachewise::test::testDataPath(QStringLiteral("llama-server/kv-cache-lines.txt")));
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    int n = 0;
    while (!file.atEnd()) {
        const QString text = QString::fromUtf8(file.readLine()).chopped(1);
        if (text.startsWith(QLatin1Char('#')) || text.isEmpty())
            continue;
        const qsizetype bar = text.indexOf(QLatin1String(" | "));
        QTest::addRow("line %d", ++n) << text.left(bar).split(QLatin1Char(' ')) << text.mid(bar + 3);
    }
    QVERIFY(n >= 5);
}

void TestKvModel::llamaServerLines()
{
    QFETCH(QStringList, args);
    QFETCH(QString, line);
    // The architecture read from the real GGUF header, the flags as llama-server got them.
    auto model =
        modelFromGgufFile(cachewise::test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf")));
    QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.errorMessage()));
    auto config = kvConfigFromLlamaArgs(args);
    QVERIFY(config.ok());
    auto e = estimateKv(*model, *config);
    QVERIFY(e.ok());
    const QStringList lines = formatLlamaKvLines(*e, *config);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.first(), line); // byte for byte

    const auto parsed = parseLlamaKvLine(line);
    QVERIFY(parsed.has_value());
    QCOMPARE(qint64(std::llround(parsed->totalMiB * 1024 * 1024)), e->totalBytes);
    QCOMPARE(parsed->cells * parsed->streams, e->cells);
}

void TestKvModel::printedLikeC_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("line");
    // The random-weight model of the reference captures: 2 layers, 2 KV heads of size 64. The first line
    // is what that llama-server printed at -c 4096 without -np (4 slots, one unified cache); the others
    // are exact binary ties, which C's %.2f rounds to even: 2.125 → 2.12, 10.625 → 10.62, 4.375 → 4.38.
    QTest::newRow("unified capture")
        << QStringList{QStringLiteral("-c"), QStringLiteral("4096"), QStringLiteral("-np"),
                       QStringLiteral("4"), QStringLiteral("--kv-unified")}
        << QStringLiteral(
               "llama_kv_cache: size =    4.00 MiB (  4096 cells,   2 layers,  4/1 seqs), K (f16):    "
               "2.00 MiB, V (f16):    2.00 MiB");
    QTest::newRow("2.125 MiB")
        << QStringList{QStringLiteral("-c"), QStringLiteral("4352")}
        << QStringLiteral(
               "llama_kv_cache: size =    4.25 MiB (  4352 cells,   2 layers,  1/1 seqs), K (f16):    "
               "2.12 MiB, V (f16):    2.12 MiB");
    QTest::newRow("10.625 MiB")
        << QStringList{QStringLiteral("-c"), QStringLiteral("21760")}
        << QStringLiteral(
               "llama_kv_cache: size =   21.25 MiB ( 21760 cells,   2 layers,  1/1 seqs), K (f16):   "
               "10.62 MiB, V (f16):   10.62 MiB");
    QTest::newRow("4.375 MiB")
        << QStringList{QStringLiteral("-c"), QStringLiteral("8960")}
        << QStringLiteral(
               "llama_kv_cache: size =    8.75 MiB (  8960 cells,   2 layers,  1/1 seqs), K (f16):    "
               "4.38 MiB, V (f16):    4.38 MiB");
}

void TestKvModel::printedLikeC()
{
    QFETCH(QStringList, args);
    QFETCH(QString, line);
    ModelArch tiny;
    tiny.id = QStringLiteral("tiny");
    for (int i = 0; i < 2; ++i)
        tiny.layers << LayerSpec{LayerKind::Full, 2, 64, 64, 0, 0, 0};
    auto config = kvConfigFromLlamaArgs(args);
    QVERIFY(config.ok());
    auto e = estimateKv(tiny, *config);
    QVERIFY(e.ok());
    QCOMPARE(formatLlamaKvLines(*e, *config), QStringList{line});
}

void TestKvModel::parseLine()
{
    const auto p = parseLlamaKvLine(QStringLiteral(
        "llama_kv_cache: size = 1360.00 MiB (   512 cells,  32 layers, 10/10 seqs), K (q8_0):  680.00 MiB, V "
        "(q8_0):  680.00 MiB"));
    QVERIFY(p.has_value());
    QCOMPARE(p->cells, 512);
    QCOMPARE(p->layers, 32);
    QCOMPARE(p->sequences, 10);
    QCOMPARE(p->streams, 10);
    QCOMPARE(p->typeK, QStringLiteral("q8_0"));
    QCOMPARE(p->vMiB, 680.0);
    QVERIFY(
        !parseLlamaKvLine(QStringLiteral("llama_kv_cache: CUDA0 KV buffer size = 2048.00 MiB")).has_value());
    QVERIFY(!parseLlamaKvLine(QString()).has_value());
}

void TestKvModel::slotsRoundUp()
{
    // -c 4096 -np 3: 4096 / 3 = 1365 → 1536 cells per slot, 4608 in all.
    auto e = estimateKv(preset("llama-3.1-8b"), llama(4096, 3));
    QVERIFY(e.ok());
    QCOMPARE(e->contextPerSequence, 1536);
    QCOMPARE(e->streams, 3);
    QCOMPARE(e->cells, 4608);
    QCOMPARE(e->totalBytes, 4608LL * 131072);
    // -c 1000 is padded to 1024 first.
    auto small = estimateKv(preset("llama-3.1-8b"), llama(1000));
    QVERIFY(small.ok());
    QCOMPARE(small->cells, 1024);
    // Unified: one pool of n_ctx cells, any slot may use all of it.
    KvConfig unified = llama(4096, 3);
    unified.unified = true;
    auto u = estimateKv(preset("llama-3.1-8b"), unified);
    QVERIFY(u.ok());
    QCOMPARE(u->cells, 4096);
    QCOMPARE(u->contextPerSequence, 4096);
}

void TestKvModel::slidingWindowFull()
{
    const ModelArch gemma = preset("gemma-3-27b");
    KvConfig c = llama(32768);
    auto windowed = estimateKv(gemma, c);
    c.swaFull = true;
    auto full = estimateKv(gemma, c);
    QVERIFY(windowed.ok() && full.ok());
    QCOMPARE(full->totalBytes, 62LL * 32768 * 8192);
    QVERIFY(windowed->totalBytes < full->totalBytes / 4);
    // Two lines, as llama-server prints them for an iSWA model: base then window cache.
    const QStringList lines = formatLlamaKvLines(*windowed, llama(32768));
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].contains(QLatin1String(" 32768 cells,  10 layers")));
    QVERIFY(lines[1].contains(QLatin1String("  1536 cells,  52 layers")));
    // Unified with 4 slots: the window is kept for each sequence, 1024 × 4 + 512 = 4608 cells.
    KvConfig unified = llama(32768, 4);
    unified.unified = true;
    auto u = estimateKv(gemma, unified);
    QVERIFY(u.ok());
    QCOMPARE(u->layers[0].cells, 4608);
}

void TestKvModel::ollamaAndPaged()
{
    const ModelArch m = preset("llama-3.1-8b");
    // Ollama num_ctx 8192, OLLAMA_NUM_PARALLEL 2: its llama-server child gets -c 16384 -np 2.
    KvConfig o = llama(8192, 2);
    o.engine = Engine::Ollama;
    auto ollama = estimateKv(m, o);
    QVERIFY(ollama.ok());
    QCOMPARE(ollama->contextPerSequence, 8192);
    QCOMPARE(ollama->totalBytes, 16384LL * 131072);
    // vLLM: every sequence rounded up to whole 16-token blocks.
    KvConfig v = llama(1000, 4);
    v.engine = Engine::Vllm;
    v.blockSize = 16;
    auto vllm = estimateKv(m, v);
    QVERIFY(vllm.ok());
    QCOMPARE(vllm->contextPerSequence, 1008);
    QCOMPARE(vllm->totalBytes, 4LL * 1008 * 131072);
    QVERIFY(formatLlamaKvLines(*vllm, v).isEmpty());
    // fp8 halves it.
    v.typeK = v.typeV = CacheType::Fp8;
    auto fp8 = estimateKv(m, v);
    QVERIFY(fp8.ok());
    QCOMPARE(fp8->totalBytes * 2, vllm->totalBytes);
}

void TestKvModel::concurrency()
{
    const ModelArch m = preset("llama-3.1-8b");
    // 4 GiB of KV at 2048 tokens per sequence: 2048 × 128 KiB = 256 MiB each → 16 sequences.
    auto n = maxConcurrentSequences(m, llama(8192), 2048, qint64(4) << 30);
    QVERIFY(n.ok());
    QCOMPARE(*n, 16);
    auto q = maxConcurrentSequences(m, llama(8192, 1, CacheType::Q8_0), 2048, qint64(4) << 30);
    QVERIFY(q.ok());
    QCOMPARE(*q, qint64(4) * 1024 * 1024 * 1024 /
                     (2048LL * 2 * 32 * 8 * 136 / 1)); // 1024 elements = 32 blocks × 34
    // Sliding-window layers stop growing at their window.
    auto g1 = sequenceBytes(preset("gpt-oss-20b"), llama(8192), 128);
    auto g2 = sequenceBytes(preset("gpt-oss-20b"), llama(8192), 4096);
    QVERIFY(g1.ok() && g2.ok());
    QCOMPARE(*g2, 12LL * 4096 * 2048 + 12LL * 128 * 2048);
    QCOMPARE(*g1, 24LL * 128 * 2048);
    QVERIFY(!sequenceBytes(m, llama(8192), 0).ok());
    QVERIFY(!maxConcurrentSequences(m, llama(8192), 10, -1).ok());
}

void TestKvModel::quantizedRowsMustDivide()
{
    ModelArch m;
    m.layers = {LayerSpec{LayerKind::Full, 1, 80, 80, 0, 0, 0}};
    auto f16 = estimateKv(m, llama(256));
    QVERIFY(f16.ok());
    auto q8 = estimateKv(m, llama(256, 1, CacheType::Q8_0));
    QVERIFY(!q8.ok());
    QCOMPARE(q8.error().field, QStringLiteral("cache_type"));
}

void TestKvModel::badConfigs_data()
{
    QTest::addColumn<qint64>("context");
    QTest::addColumn<int>("parallel");
    QTest::addColumn<QString>("code");
    QTest::newRow("zero context") << qint64(0) << 1 << QStringLiteral("context");
    QTest::newRow("negative context") << qint64(-5) << 1 << QStringLiteral("context");
    QTest::newRow("huge context") << (qint64(1) << 40) << 1 << QStringLiteral("context");
    QTest::newRow("zero slots") << qint64(4096) << 0 << QStringLiteral("parallel");
    QTest::newRow("too many slots") << qint64(4096) << 5000 << QStringLiteral("parallel");
}

void TestKvModel::badConfigs()
{
    QFETCH(qint64, context);
    QFETCH(int, parallel);
    QFETCH(QString, code);
    auto e = estimateKv(preset("llama-3.1-8b"), llama(context, parallel));
    QVERIFY(!e.ok());
    QCOMPARE(e.error().field, code);
    QVERIFY(!e.errorMessage().isEmpty());
    QVERIFY(!estimateKv(ModelArch{}, llama(4096)).ok());
}

void TestKvModel::llamaArgs()
{
    auto c = kvConfigFromLlamaArgs(
        QStringList{QStringLiteral("--ctx-size"), QStringLiteral("8192"), QStringLiteral("--parallel"),
                    QStringLiteral("4"), QStringLiteral("-ctk"), QStringLiteral("q8_0"),
                    QStringLiteral("--cache-type-v"), QStringLiteral("q4_0"), QStringLiteral("-kvu"),
                    QStringLiteral("--swa-full"), QStringLiteral("--port"), QStringLiteral("8080")});
    QVERIFY(c.ok());
    QCOMPARE(c->context, 8192);
    QCOMPARE(c->parallel, 4);
    QCOMPARE(c->typeK, CacheType::Q8_0);
    QCOMPARE(c->typeV, CacheType::Q4_0);
    QVERIFY(c->unified);
    QVERIFY(c->swaFull);
    QVERIFY(!kvConfigFromLlamaArgs({QStringLiteral("-c")}).ok());
    QVERIFY(!kvConfigFromLlamaArgs({QStringLiteral("-c"), QStringLiteral("many")}).ok());
    QVERIFY(!kvConfigFromLlamaArgs({QStringLiteral("-np"), QStringLiteral("0")}).ok());
    QVERIFY(!kvConfigFromLlamaArgs({QStringLiteral("-ctk"), QStringLiteral("fp8")}).ok());
}

void TestKvModel::ggufReference()
{
    auto llama2 =
        modelFromGgufFile(cachewise::test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf")));
    QVERIFY(llama2.ok());
    QCOMPARE(llama2->layerCount(), 32);
    QCOMPARE(llama2->layers[0].kvHeads, 32);
    QCOMPARE(llama2->layers[0].headDimK, 128);
    QCOMPARE(llama2->trainingContext, 4096);
    auto e = estimateKv(*llama2, llama(4096));
    QVERIFY(e.ok());
    QCOMPARE(e->bytesPerToken, 524288);
    QCOMPARE(e->totalBytes, qint64(2) << 30);

    auto phi3 =
        modelFromGgufFile(cachewise::test::testDataPath(QStringLiteral("gguf/ggml-vocab-phi-3.gguf")));
    QVERIFY(phi3.ok());
    auto p = estimateKv(*phi3, llama(4096));
    QVERIFY(p.ok());
    QCOMPARE(p->bytesPerToken, 2 * 32 * 32 * 96 * 2); // the same as the phi-3-mini preset
    QCOMPARE(p->bytesPerToken, estimateKv(preset("phi-3-mini"), llama(4096))->bytesPerToken);

    // A header without hyper-parameters is refused with a message.
    GgufHeader empty;
    empty.values.insert(QStringLiteral("general.architecture"), QStringLiteral("llama"));
    auto bad = modelFromGguf(empty);
    QVERIFY(!bad.ok());
    QVERIFY(bad.errorMessage().contains(QLatin1String("block_count")));
    QVERIFY(!modelFromGguf(GgufHeader{}).ok());
    QVERIFY(!modelFromGgufFile(QStringLiteral("/nonexistent/model.gguf")).ok());
}

void TestKvModel::hfConfigs_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("presetId");
    QTest::addColumn<qint64>("context");
    QTest::newRow("llama 3.1 8b") << QStringLiteral("llama-3.1-8b.json") << QStringLiteral("llama-3.1-8b")
                                  << qint64(8192);
    QTest::newRow("gemma 3 (text_config)")
        << QStringLiteral("gemma-3-27b-it.json") << QStringLiteral("gemma-3-27b") << qint64(32768);
    QTest::newRow("deepseek v3 (MLA)")
        << QStringLiteral("deepseek-v3.json") << QStringLiteral("deepseek-v3") << qint64(4096);
    QTest::newRow("gpt-oss (layer_types)")
        << QStringLiteral("gpt-oss-20b.json") << QStringLiteral("gpt-oss-20b") << qint64(8192);
    QTest::newRow("jamba (hybrid)") << QStringLiteral("jamba-v0.1.json") << QStringLiteral("jamba-v0.1")
                                    << qint64(4096);
    QTest::newRow("phi-3 (window off)")
        << QStringLiteral("phi-3-mini-4k-instruct.json") << QStringLiteral("phi-3-mini") << qint64(4096);
}

void TestKvModel::hfConfigs()
{
    QFETCH(QString, file);
    QFETCH(QString, presetId);
    QFETCH(qint64, context);
    auto m = modelFromHfConfigFile(cachewise::test::testDataPath(QStringLiteral("hf/") + file));
    QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.errorMessage()));
    auto fromConfig = estimateKv(*m, llama(context, 2));
    auto fromPreset = estimateKv(preset(presetId.toLatin1().constData()), llama(context, 2));
    QVERIFY(fromConfig.ok() && fromPreset.ok());
    QCOMPARE(fromConfig->bytesPerToken, fromPreset->bytesPerToken);
    QCOMPARE(fromConfig->totalBytes, fromPreset->totalBytes);
    if (presetId == QLatin1String("gpt-oss-20b"))
        QVERIFY(m->attentionSinks);
}

void TestKvModel::hfConfigRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");
    QTest::newRow("not json") << QByteArray("{num_hidden_layers: 3")
                              << QString(); // the document, not a field
    QTest::newRow("array") << QByteArray("[1,2]") << QString();
    QTest::newRow("no layers") << QByteArray(R"({"num_attention_heads": 8, "hidden_size": 512})")
                               << QStringLiteral("num_hidden_layers");
    QTest::newRow("layers as text") << QByteArray(R"({"num_hidden_layers": "32"})")
                                    << QStringLiteral("num_hidden_layers");
    QTest::newRow("fractional heads")
        << QByteArray(R"({"num_hidden_layers": 2, "num_attention_heads": 2.5, "hidden_size": 64})")
        << QStringLiteral("num_attention_heads");
    QTest::newRow("negative kv heads")
        << QByteArray(
               R"({"num_hidden_layers": 2, "num_attention_heads": 8, "num_key_value_heads": -1, "hidden_size": 512})")
        << QStringLiteral("num_key_value_heads");
    QTest::newRow("no head size") << QByteArray(R"({"num_hidden_layers": 2, "num_attention_heads": 8})")
                                  << QStringLiteral("head_dim");
    QTest::newRow("layer_types short")
        << QByteArray(
               R"({"num_hidden_layers": 2, "num_attention_heads": 8, "hidden_size": 512, "sliding_window": 64, "layer_types": ["full_attention"]})")
        << QStringLiteral("layer_types");
    QTest::newRow("unknown layer type")
        << QByteArray(
               R"({"num_hidden_layers": 1, "num_attention_heads": 8, "hidden_size": 512, "layer_types": ["linear_attention"]})")
        << QStringLiteral("layer_types");
    QTest::newRow("sliding without window")
        << QByteArray(
               R"({"num_hidden_layers": 1, "num_attention_heads": 8, "hidden_size": 512, "layer_types": ["sliding_attention"]})")
        << QStringLiteral("sliding_window");
    QTest::newRow("MLA without rope") << QByteArray(R"({"num_hidden_layers": 2, "kv_lora_rank": 512})")
                                      << QStringLiteral("qk_rope_head_dim");
}

void TestKvModel::hfConfigRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    auto m = modelFromHfConfig(json);
    QVERIFY(!m.ok());
    QCOMPARE(m.error().field, code);
    QVERIFY(!m.errorMessage().isEmpty());
}

void TestKvModel::jsonRoundTrip()
{
    for (const ModelArch &m : modelPresets()) {
        auto back = modelFromJson(modelToJson(m));
        QVERIFY(back.ok());
        QCOMPARE(back->id, m.id);
        QCOMPARE(back->attentionSinks, m.attentionSinks);
        QCOMPARE(estimateKv(*back, llama(8192, 2))->totalBytes, estimateKv(m, llama(8192, 2))->totalBytes);
    }
    QVERIFY(!modelFromJson("{}").ok());
    QVERIFY(!modelFromJson(R"({"layers":[{"kind":"weird"}]})").ok());
}

QTEST_GUILESS_MAIN(TestKvModel)
#include "tst_kvmodel.moc"
