// SPDX-License-Identifier: GPL-3.0-or-later
// The model library over real GGUF headers in a folder tree: whole files, a split model counted once, a
// split model with a part missing, a cut and a fake file listed with their reasons, other files ignored,
// and a rescan that reads no header when nothing changed.
#include "core/servers/modellibrary.h"
#include "tests/support/replayserver.h"

#include <QDir>
#include <QFile>
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

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "tst_modellibrary.moc"
