// SPDX-License-Identifier: GPL-3.0-or-later
// The model library over real GGUF headers in a folder tree: whole files, a split model counted once, a
// split model with a part missing, a cut and a fake file listed with their reasons, other files ignored,
// and a rescan that reads no header when nothing changed.
#include "core/common/clock.h"
#include "core/servers/modellibrary.h"
#include "core/services/modellibrary.h"
#include "core/storage/repository.h"
#include "tests/support/ggufwriter.h"
#include "tests/support/replayserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using namespace cachewise::servers;

namespace {

bool copyTo(const QString &dataFile, const QString &to, qint64 bytes = -1)
{
    QFile from(test::testDataPath(dataFile));
    QFile out(to);
    if (!from.open(QIODevice::ReadOnly) || !QDir().mkpath(QFileInfo(to).absolutePath()) ||
        !out.open(QIODevice::WriteOnly))
        return false;
    const QByteArray all = from.readAll();
    return out.write(bytes < 0 ? all : all.left(bytes)) ==
           (bytes < 0 ? all.size() : std::min(bytes, all.size()));
}

const ModelFile *byName(const ModelScan &scan, const QString &fileName)
{
    for (const ModelFile &m : scan.models) {
        if (QFileInfo(m.path).fileName() == fileName)
            return &m;
    }
    return nullptr;
}

} // namespace

class TestModelLibrary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void findsAndReadsModels();
    void rescanReadsOnlyWhatChanged();
    void ollamaStoreThroughManifests();
    void storedScanIsTheNextScansCache();
    void listJsonSaysWhatTheHeaderSays();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    const QString llama = QStringLiteral("gguf/ggml-vocab-llama-spm.gguf");
    const QString phi = QStringLiteral("gguf/ggml-vocab-phi-3.gguf");
};

void TestModelLibrary::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString d = m_dir->path();
    // An LM Studio-like tree: publisher/repository/file.
    QVERIFY(copyTo(llama, d + QStringLiteral("/meta/llama-2-7b/llama-2-7b.Q4_K_M.gguf")));
    QVERIFY(copyTo(phi, d + QStringLiteral("/microsoft/phi-3/Phi-3-mini.gguf")));
    // A model split in two (the header is in the first part), and one whose second part is missing.
    QVERIFY(copyTo(llama, d + QStringLiteral("/big/big-model-00001-of-00002.gguf")));
    QVERIFY(copyTo(phi, d + QStringLiteral("/big/big-model-00002-of-00002.gguf"), 4096));
    QVERIFY(copyTo(llama, d + QStringLiteral("/big/lonely-00001-of-00002.gguf")));
    // A download cut short, a text file named .gguf, and what is not a model at all.
    QVERIFY(copyTo(llama, d + QStringLiteral("/cut.gguf"), 100));
    QFile fake(d + QStringLiteral("/fake.gguf"));
    QVERIFY(fake.open(QIODevice::WriteOnly) && fake.write("this is not a model\n") > 0);
    fake.close();
    QFile notes(d + QStringLiteral("/meta/README.md"));
    QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("# notes\n") > 0);
}

void TestModelLibrary::findsAndReadsModels()
{
    const ModelScan scan = scanModels({m_dir->path()});
    QCOMPARE(scan.models.size(), 6);
    QCOMPARE(scan.headersRead, 6);

    const ModelFile *whole = byName(scan, QStringLiteral("llama-2-7b.Q4_K_M.gguf"));
    QVERIFY(whole);
    QVERIFY2(whole->model, qPrintable(whole->problem));
    QCOMPARE(whole->model->family, QStringLiteral("llama"));
    QCOMPARE(whole->model->layerCount(), 32);
    QCOMPARE(whole->model->trainingContext, 4096);
    QCOMPARE(whole->kvBytesPerToken.value_or(-1), 2 * 32 * 32 * 128 * 2); // K and V, 32 layers, 32 × 128, f16
    QCOMPARE(whole->parts.size(), 1);
    QCOMPARE(whole->sizeBytes, QFileInfo(whole->path).size());

    const ModelFile *phi3 = byName(scan, QStringLiteral("Phi-3-mini.gguf"));
    QVERIFY(phi3 && phi3->model);
    QCOMPARE(phi3->model->family, QStringLiteral("phi3"));

    const ModelFile *split = byName(scan, QStringLiteral("big-model-00001-of-00002.gguf"));
    QVERIFY(split);
    QVERIFY2(split->model, qPrintable(split->problem));
    QCOMPARE(split->parts.size(), 2);
    QVERIFY(split->parts.last().endsWith(QStringLiteral("big-model-00002-of-00002.gguf")));
    QCOMPARE(split->sizeBytes, QFileInfo(split->parts.first()).size() + 4096);
    QVERIFY(!byName(scan, QStringLiteral("big-model-00002-of-00002.gguf"))); // counted once
    QCOMPARE(split->name, QStringLiteral("big-model.gguf"));
    QCOMPARE(whole->name, QStringLiteral("llama-2-7b.Q4_K_M.gguf"));

    const ModelFile *lonely = byName(scan, QStringLiteral("lonely-00001-of-00002.gguf"));
    QVERIFY(lonely && !lonely->model);
    QCOMPARE(lonely->problem, QStringLiteral("part 2 of 2 is missing"));

    for (const QString &bad : {QStringLiteral("cut.gguf"), QStringLiteral("fake.gguf")}) {
        const ModelFile *m = byName(scan, bad);
        QVERIFY2(m && !m->model && !m->problem.isEmpty(), qPrintable(bad));
        QVERIFY(!m->kvBytesPerToken);
    }
}

void TestModelLibrary::rescanReadsOnlyWhatChanged()
{
    const ModelScan first = scanModels({m_dir->path()});
    QHash<QString, ModelFile> known;
    for (const ModelFile &m : first.models)
        known.insert(m.path, m);
    const ModelScan again = scanModels({m_dir->path()}, known);
    QCOMPARE(again.models.size(), first.models.size());
    QCOMPARE(again.headersRead, 0); // nothing changed: no file opened
    // One file rewritten (a new download under the same name): only it is read again.
    const QString changed = m_dir->path() + QStringLiteral("/microsoft/phi-3/Phi-3-mini.gguf");
    QVERIFY(copyTo(llama, changed));
    QFile touch(changed);
    QVERIFY(touch.open(QIODevice::ReadWrite));
    QVERIFY(touch.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
    touch.close();
    const ModelScan third = scanModels({m_dir->path()}, known);
    QCOMPARE(third.headersRead, 1);
    QCOMPARE(byName(third, QStringLiteral("Phi-3-mini.gguf"))->model->family, QStringLiteral("llama"));
    // A folder that does not exist finds nothing and breaks nothing.
    QCOMPARE(scanModels({m_dir->path() + QStringLiteral("/nowhere")}).models.size(), 0);
}

namespace {

QByteArray manifest(const QByteArray &modelDigest,
                    const QByteArray &modelMediaType = "application/vnd.ollama.image.model")
{
    // As Ollama writes them (see shared/reference/llm-servers.md and Ollama's manifest package).
    return R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
           R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:)" +
           QByteArray(64, 'c') + R"(","size":487},"layers":[{"mediaType":")" + modelMediaType +
           R"(","digest":")" + modelDigest +
           R"(","size":4683074048},)"
           R"({"mediaType":"application/vnd.ollama.image.template","digest":"sha256:)" +
           QByteArray(64, 'd') + R"(","size":1615}]})";
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

void TestModelLibrary::ollamaStoreThroughManifests()
{
    QTemporaryDir store;
    const QString s = store.path();
    const QString hexA(64, QLatin1Char('a'));
    const QString hexB(64, QLatin1Char('b'));
    const QString hexGone(64, QLatin1Char('e'));
    const auto path = [&s](const char *relative, const QString &hex = {}) -> QString {
        return s + QLatin1Char('/') + QLatin1String(relative) + hex;
    };
    const auto digest = [](const QString &hex) -> QByteArray {
        return QByteArray("sha256:") + hex.toLatin1();
    };
    // Two tags of one blob, another model from Hugging Face, one manifest without its blob, one that is not
    // JSON, one with safetensors layers only.
    QVERIFY(test::GgufWriter::llama("Tiny Llama", 22, 32, 4, 64, 2048).writeTo(path("blobs/sha256-", hexA)));
    QVERIFY(copyTo(phi, path("blobs/sha256-", hexB)));
    QVERIFY(writeFile(path("manifests/registry.ollama.ai/library/tinyllama/latest"), manifest(digest(hexA))));
    QVERIFY(writeFile(path("manifests/registry.ollama.ai/library/tinyllama/1.1b"), manifest(digest(hexA))));
    QVERIFY(writeFile(path("manifests/hf.co/microsoft/phi-3-gguf/Q4_K_M"), manifest(digest(hexB))));
    QVERIFY(writeFile(path("manifests/registry.ollama.ai/library/gone/latest"), manifest(digest(hexGone))));
    QVERIFY(writeFile(path("manifests/registry.ollama.ai/library/broken/latest"), "{\"layers\": ["));
    QVERIFY(
        writeFile(path("manifests/registry.ollama.ai/library/st/latest"),
                  manifest(digest(QString(64, QLatin1Char('f'))), "application/vnd.ollama.image.tensor")));

    const ModelScan scan = scanOllamaStore(s);
    QCOMPARE(scan.models.size(), 5);
    QCOMPARE(scan.headersRead, 2);
    QHash<QString, ModelFile> byModelName;
    for (const ModelFile &m : scan.models)
        byModelName.insert(m.name, m);
    const ModelFile tiny = byModelName.value(QStringLiteral("tinyllama:1.1b, tinyllama:latest"));
    QVERIFY2(tiny.model, qPrintable(tiny.problem));
    QCOMPARE(tiny.path, QFileInfo(path("blobs/sha256-", hexA)).absoluteFilePath());
    QCOMPARE(tiny.model->layerCount(), 22);
    QCOMPARE(tiny.kvBytesPerToken.value_or(-1), 2 * 22 * 4 * 64 * 2);
    QCOMPARE(tiny.fileType.value_or(-1), 15);
    QVERIFY(byModelName.value(QStringLiteral("hf.co/microsoft/phi-3-gguf:Q4_K_M")).model);
    QCOMPARE(byModelName.value(QStringLiteral("gone:latest")).problem,
             QStringLiteral("its model blob sha256-%1 is missing").arg(hexGone));
    QCOMPARE(byModelName.value(QStringLiteral("broken:latest")).problem,
             QStringLiteral("the manifest is not a JSON object"));
    QCOMPARE(byModelName.value(QStringLiteral("st:latest")).problem,
             QStringLiteral("the manifest has no GGUF model layer"));

    QHash<QString, ModelFile> known;
    for (const ModelFile &m : scan.models)
        known.insert(m.path, m);
    QCOMPARE(scanOllamaStore(s, known).headersRead, 0);
    QCOMPARE(scanOllamaStore(s + QStringLiteral("/nowhere")).models.size(), 0);
}

void TestModelLibrary::storedScanIsTheNextScansCache()
{
    // The scan kept in a database file on disk: the next scan (another process: a new repository) reads only
    // what changed; a file gone is forgotten; another folder's models stay.
    QTemporaryDir data;
    const QString db = data.filePath(QStringLiteral("cachewise.sqlite"));
    SystemClock clock;
    QTemporaryDir other;
    QVERIFY(copyTo(phi, other.path() + QStringLiteral("/phi.gguf")));
    // A folder whose name begins like the first one's is not under it (removed at the end).
    const QString more = m_dir->path() + QStringLiteral("-more");
    const auto removeMore = qScopeGuard([&more] { QDir(more).removeRecursively(); });
    QVERIFY(copyTo(phi, more + QStringLiteral("/phi.gguf")));
    {
        storage::Repository repo(clock);
        QVERIFY(repo.open(db));
        auto first = services::scanLibrary(repo, clock, {{m_dir->path()}, {}});
        QVERIFY(first);
        QCOMPARE(first->headersRead, 6);
        QVERIFY(services::scanLibrary(repo, clock, {{other.path(), more}, {}}));
    }
    QVERIFY(QFile::remove(m_dir->path() + QStringLiteral("/cut.gguf")));
    storage::Repository repo(clock);
    QVERIFY(repo.open(db));
    auto again = services::scanLibrary(repo, clock, {{m_dir->path(), QStringLiteral("/no/such/folder")}, {}});
    QVERIFY(again);
    QCOMPARE(again->headersRead, 0);
    QCOMPARE(again->models.size(), 5);
    QCOMPARE(again->missing, QStringList{QStringLiteral("/no/such/folder")});
    auto stored = services::storedModels(repo);
    QVERIFY(stored);
    QCOMPARE(stored->size(), 7); // five here, one in the other folder, one in "-more"
    bool otherKept = false;
    for (const ModelFile &m : stored.value()) {
        QVERIFY(!m.path.endsWith(QStringLiteral("/cut.gguf")));
        otherKept = otherKept || m.path.startsWith(other.path());
        if (m.name == QStringLiteral("llama-2-7b.Q4_K_M.gguf")) {
            QVERIFY(m.model); // the architecture came back from the database whole
            QCOMPARE(m.model->layerCount(), 32);
            QCOMPARE(m.kvBytesPerToken.value_or(-1), 524288);
        }
        if (m.name == QStringLiteral("lonely.gguf"))
            QCOMPARE(m.problem, QStringLiteral("part 2 of 2 is missing"));
    }
    QVERIFY(otherKept);
}

void TestModelLibrary::listJsonSaysWhatTheHeaderSays()
{
    const QString file = m_dir->path() + QStringLiteral("/gen/odd-heads.gguf");
    QVERIFY(test::GgufWriter::llama("Odd Heads", 4, 8, 2, 80, 8192).writeTo(file));
    const ModelScan scan = scanModels({m_dir->path() + QStringLiteral("/gen")});
    QCOMPARE(scan.models.size(), 1);
    analysis::KvConfig at;
    at.context = 8192;
    at.parallel = 2;
    at.typeK = at.typeV = model::CacheType::Q8_0;
    const QJsonObject o = modelFileJson(scan.models.first(), &at);
    QCOMPARE(o.value(QLatin1String("architecture")).toString(), QStringLiteral("llama"));
    QCOMPARE(o.value(QLatin1String("quantization")).toString(), QStringLiteral("Q4_K_M"));
    QCOMPARE(o.value(QLatin1String("trainedContext")).toInt(), 8192);
    QCOMPARE(o.value(QLatin1String("layers")).toInt(), 4);
    QCOMPARE(o.value(QLatin1String("kvHeads")).toInt(), 2);
    QCOMPARE(o.value(QLatin1String("headSize")).toInt(), 80);
    QCOMPARE(o.value(QLatin1String("kvBytesPerToken")).toInt(), 2 * 4 * 2 * 80 * 2);
    // A q8_0 row of 2 heads × 80 = 160 elements is 5 blocks of 34 bytes: 170 bytes per layer for K, the same
    // for V.
    QCOMPARE(o.value(QLatin1String("kv")).toObject().value(QLatin1String("totalBytes")).toInteger(),
             qint64(8192) * 4 * 2 * 170);
}

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "tst_modellibrary.moc"
