// SPDX-License-Identifier: GPL-3.0-or-later
// The model's name tables: every name parses back to its value, unknown names are refused, and every
// value survives a round trip through the database (whose CHECK constraints spell the same names).
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/model/enums.h"
#include "core/storage/repository.h"

#include <QMetaEnum>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;

namespace {

template <typename E> QList<E> everyValue()
{
    const QMetaEnum meta = QMetaEnum::fromType<E>();
    QList<E> out;
    for (int i = 0; i < meta.keyCount(); ++i)
        out << E(meta.value(i));
    return out;
}

} // namespace

class TestModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void everyNameParsesBack();
    void namesAreTheStoredOnes();
    void unknownNamesAreRefused();
    void aliasesAndSpellings();
    void everyValueSurvivesTheDatabase();
    void cacheTypesPerEngine();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;
};

void TestModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock.setNowMs(1'705'312'800'000);
}

void TestModel::everyNameParsesBack()
{
    for (const model::Engine e : everyValue<model::Engine>())
        QCOMPARE(model::parseEngine(model::name(e)), e);
    for (const model::SourceState s : everyValue<model::SourceState>())
        QCOMPARE(model::parseSourceState(model::name(s)), s);
    for (const model::KvLayout l : everyValue<model::KvLayout>())
        QCOMPARE(model::parseKvLayout(model::name(l)), l);
    for (const model::ActionStatus s : everyValue<model::ActionStatus>())
        QCOMPARE(model::parseActionStatus(model::name(s)), s);
    for (const model::RecommendationStatus s : everyValue<model::RecommendationStatus>())
        QCOMPARE(model::parseRecommendationStatus(model::name(s)), s);
    for (const model::CacheType t : everyValue<model::CacheType>())
        QCOMPARE(model::parseCacheType(model::name(t)), t);
    QCOMPARE(model::cacheTypes().size(), everyValue<model::CacheType>().size());
}

void TestModel::namesAreTheStoredOnes()
{
    // Scripts and the database depend on these spellings: they never change.
    QStringList engines;
    for (const model::Engine e : everyValue<model::Engine>())
        engines << model::name(e);
    QStringList statuses;
    for (const model::ActionStatus s : everyValue<model::ActionStatus>())
        statuses << model::name(s);
    QCOMPARE(engines,
             (QStringList{QStringLiteral("llama.cpp"), QStringLiteral("ollama"), QStringLiteral("vllm"),
                          QStringLiteral("sglang"), QStringLiteral("generic")}));
    QCOMPARE(statuses,
             (QStringList{QStringLiteral("success"), QStringLiteral("failed"), QStringLiteral("error"),
                          QStringLiteral("skipped"), QStringLiteral("dry_run"), QStringLiteral("pending"),
                          QStringLiteral("alert")}));
    QCOMPARE(model::name(model::KvLayout::PerSlot), QStringLiteral("per_slot"));
    QCOMPARE(model::name(model::SourceState::Unknown), QStringLiteral("unknown"));
    QCOMPARE(model::name(model::RecommendationStatus::Dismissed), QStringLiteral("dismissed"));
    QCOMPARE(model::name(model::CacheType::IQ4_NL), QStringLiteral("iq4_nl"));
}

void TestModel::unknownNamesAreRefused()
{
    QVERIFY(!model::parseEngine(u"tgi"));
    QVERIFY(!model::parseEngine(u""));
    QVERIFY(!model::parseSourceState(u"sideways"));
    QVERIFY(!model::parseKvLayout(u"per-slot")); // the CLI's spelling is translated there, not here
    QVERIFY(!model::parseActionStatus(u"done"));
    QVERIFY(!model::parseRecommendationStatus(u"accepted"));
    QVERIFY(!model::parseCacheType(u"q3_k"));
    QVERIFY(!model::parseCacheType(u"auto")); // resolved against the model by whoever reads it
}

void TestModel::aliasesAndSpellings()
{
    QCOMPARE(model::parseEngine(u" LLAMA.CPP "), model::Engine::LlamaCpp);
    QCOMPARE(model::parseEngine(u"llama-server"), model::Engine::LlamaCpp);
    QCOMPARE(model::parseEngine(u"llamacpp"), model::Engine::LlamaCpp);
    QCOMPARE(model::parseEngine(u"other"), model::Engine::Generic);
    QCOMPARE(model::parseCacheType(u"float16"), model::CacheType::F16);
    QCOMPARE(model::parseCacheType(u"half"), model::CacheType::F16);
    QCOMPARE(model::parseCacheType(u"bfloat16"), model::CacheType::BF16);
    QCOMPARE(model::parseCacheType(u"fp8_e5m2"), model::CacheType::Fp8);
    QCOMPARE(model::parseCacheType(u"Q8_0"), model::CacheType::Q8_0);
}

void TestModel::cacheTypesPerEngine()
{
    using model::CacheType;
    using model::Engine;
    // llama.cpp's -ctk/-ctv list (no fp8); vLLM and SGLang one --kv-cache-dtype (f16/auto, bf16, fp8);
    // Ollama's OLLAMA_KV_CACHE_TYPE (f16, q8_0, q4_0); a pushing client may report any.
    QVERIFY(!model::acceptsCacheType(Engine::LlamaCpp, CacheType::Fp8));
    QCOMPARE(model::cacheTypesFor(Engine::LlamaCpp).size(), 9);
    QCOMPARE(model::cacheTypesFor(Engine::Vllm),
             (QList<CacheType>{CacheType::F16, CacheType::BF16, CacheType::Fp8}));
    QCOMPARE(model::cacheTypesFor(Engine::Sglang), model::cacheTypesFor(Engine::Vllm));
    QCOMPARE(model::cacheTypesFor(Engine::Ollama),
             (QList<CacheType>{CacheType::F16, CacheType::Q8_0, CacheType::Q4_0}));
    QCOMPARE(model::cacheTypesFor(Engine::Generic).size(), model::cacheTypes().size());
    QVERIFY(!model::oneKvCacheType(Engine::LlamaCpp));
    QVERIFY(model::oneKvCacheType(Engine::Vllm) && model::oneKvCacheType(Engine::Sglang) &&
            model::oneKvCacheType(Engine::Ollama));
    // Each engine's own spelling, and it reads back (SGLang's "auto" is resolved by the caller).
    QCOMPARE(model::engineCacheTypeName(Engine::Vllm, CacheType::F16), QStringLiteral("float16"));
    QCOMPARE(model::engineCacheTypeName(Engine::Vllm, CacheType::BF16), QStringLiteral("bfloat16"));
    QCOMPARE(model::engineCacheTypeName(Engine::Vllm, CacheType::Fp8), QStringLiteral("fp8"));
    QCOMPARE(model::engineCacheTypeName(Engine::Sglang, CacheType::Fp8), QStringLiteral("fp8_e4m3"));
    QCOMPARE(model::engineCacheTypeName(Engine::Sglang, CacheType::F16), QStringLiteral("auto"));
    QCOMPARE(model::engineCacheTypeName(Engine::Ollama, CacheType::Q8_0), QStringLiteral("q8_0"));
    for (const Engine engine : {Engine::LlamaCpp, Engine::Vllm, Engine::Ollama}) {
        for (const CacheType type : model::cacheTypesFor(engine))
            QCOMPARE(model::parseCacheType(model::engineCacheTypeName(engine, type)), type);
    }
}

void TestModel::everyValueSurvivesTheDatabase()
{
    storage::Repository repo(m_clock);
    QVERIFY(repo.open(m_dir->filePath(QStringLiteral("model.sqlite"))));
    const auto project = repo.projects().create(QStringLiteral("Names"), QString(), QString());
    QVERIFY(project);

    const auto preset = analysis::findPreset(QStringLiteral("llama-3.1-8b"));
    QVERIFY(preset);
    for (const model::Engine e : everyValue<model::Engine>()) {
        for (const model::CacheType t : everyValue<model::CacheType>()) {
            model::ProjectRuntime runtime = analysis::runtimeFrom(*preset, analysis::KvConfig{});
            runtime.engine = e;
            runtime.cacheTypeK = t;
            runtime.cacheTypeV = t;
            const auto saved = repo.runtimes().set(project->id, runtime);
            QVERIFY2(saved, qPrintable(saved ? QString() : saved.errorMessage()));
            const auto read = repo.runtimes().get(project->id);
            QVERIFY(read && read->has_value());
            QCOMPARE((*read)->engine, e);
            QCOMPARE((*read)->cacheTypeK, t);
            QCOMPARE((*read)->cacheTypeV, t);
        }
    }

    int port = 8000;
    for (const model::Engine e : everyValue<model::Engine>()) {
        model::Source source;
        source.projectId = project->id;
        source.engine = e;
        source.baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(++port);
        const auto added = repo.sources().add(source);
        if (e == model::Engine::Generic) {
            QVERIFY(!added); // nothing to scrape
            QCOMPARE(added.error().field, QStringLiteral("engine"));
            continue;
        }
        QVERIFY2(added, qPrintable(added ? QString() : added.errorMessage()));
        for (const model::SourceState s : everyValue<model::SourceState>()) {
            QVERIFY(repo.sources().recordState(
                {added->id, s, QString(), m_clock.nowMs(), std::nullopt, "[]", std::nullopt}));
            for (const model::Source &read : repo.sources().list(project->id).value()) {
                if (read.id == added->id) {
                    QCOMPARE(read.engine, e);
                    QCOMPARE(read.state, s);
                }
            }
        }
        for (const model::KvLayout l : everyValue<model::KvLayout>()) {
            QVERIFY(repo.sources().setKvLayout(added->id, l).value());
            for (const model::Source &read : repo.sources().list(project->id).value()) {
                if (read.id == added->id)
                    QCOMPARE(read.kvLayout, l);
            }
        }
    }

    for (const model::ActionStatus s : everyValue<model::ActionStatus>()) {
        model::ActionLogEntry entry;
        entry.projectId = project->id;
        entry.actionType = QStringLiteral("evict_lru");
        entry.status = s;
        const auto added = repo.actions().add(entry);
        QVERIFY(added);
        QCOMPARE(repo.actions().get(added->id).value()->status, s);
    }

    model::Recommendation advice;
    advice.rule = QStringLiteral("kv_quantization");
    advice.title = QStringLiteral("Quantize the cache");
    const auto stored = repo.recommendations().replace(project->id, {advice});
    QVERIFY(stored && stored->size() == 1);
    QCOMPARE(stored->first().status, model::RecommendationStatus::Pending);
    for (const model::RecommendationStatus s : everyValue<model::RecommendationStatus>()) {
        QVERIFY(repo.recommendations().setStatus(stored->first().id, s).value());
        QCOMPARE(repo.recommendations().list(project->id).value().first().status, s);
    }
}

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
