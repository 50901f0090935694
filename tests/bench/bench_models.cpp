// SPDX-License-Identifier: GPL-3.0-or-later
// The model library over a folder of COUNT models (copies of the real Llama 2 GGUF header file from
// tests/data, in an LM Studio-like tree, a tenth of them split in two): the first scan (every header
// read), a rescan with nothing changed (no header read), and the peer in the same run: walking the same
// tree and reading each file's size and time, which any rescan must do; then the same through the database
// (what `models scan` does: the last scan read back, the new one stored), first and again. Prints numbers;
// never fails.
//   bench_models [COUNT=300]
#include "core/common/clock.h"
#include "core/servers/modellibrary.h"
#include "core/services/modellibrary.h"
#include "core/storage/repository.h"
#include "tests/support/replayserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace cachewise;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 300;
    QFile source(test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf")));
    if (count <= 0 || !source.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "bench_models: COUNT must be positive and %s readable\n",
                     qPrintable(source.fileName()));
        return 2;
    }
    const QByteArray header = source.readAll();
    QTemporaryDir dir;
    for (int i = 0; i < count; ++i) {
        const QString folder = dir.filePath(QStringLiteral("publisher%1/model%2").arg(i % 10).arg(i));
        QDir().mkpath(folder);
        const QStringList names = i % 10 == 0 ? QStringList{QStringLiteral("m-00001-of-00002.gguf"),
                                                            QStringLiteral("m-00002-of-00002.gguf")}
                                              : QStringList{QStringLiteral("model.Q4_K_M.gguf")};
        for (const QString &name : names) {
            QFile out(folder + QLatin1Char('/') + name);
            if (!out.open(QIODevice::WriteOnly) || out.write(header) != header.size())
                return 1;
        }
    }

    QElapsedTimer t;
    t.start();
    const servers::ModelScan first = servers::scanModels({dir.path()});
    const double firstMs = double(t.nsecsElapsed()) / 1e6;
    QHash<QString, servers::ModelFile> known;
    int readable = 0;
    for (const servers::ModelFile &m : first.models) {
        known.insert(m.path, m);
        readable += m.model ? 1 : 0;
    }
    t.restart();
    const servers::ModelScan again = servers::scanModels({dir.path()}, known);
    const double againMs = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    qint64 files = 0;
    qint64 bytes = 0;
    QDirIterator walk(dir.path(), {QStringLiteral("*.gguf")}, QDir::Files, QDirIterator::Subdirectories);
    while (walk.hasNext()) {
        const QFileInfo info(walk.next());
        bytes += info.size() + info.lastModified().toMSecsSinceEpoch() % 2;
        ++files;
    }
    const double walkMs = double(t.nsecsElapsed()) / 1e6;

    // Through a database file, as the CLI and the app scan.
    SystemClock clock;
    storage::Repository repository(clock);
    if (!repository.open(dir.filePath(QStringLiteral("cachewise.sqlite"))))
        return 1;
    t.restart();
    const auto storedFirst = services::scanLibrary(repository, clock, {{dir.path()}, {}});
    const double storedFirstMs = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    const auto storedAgain = services::scanLibrary(repository, clock, {{dir.path()}, {}});
    const double storedAgainMs = double(t.nsecsElapsed()) / 1e6;
    if (!storedFirst || !storedAgain)
        return 1;

    std::printf("%d models in %lld files (a tenth split in two), %d read\n", int(first.models.size()), files,
                readable);
    std::printf("%-40s %9.1f ms  (%d headers read)\n", "first scan", firstMs, first.headersRead);
    std::printf("%-40s %9.1f ms  (%d headers read)\n", "rescan, nothing changed", againMs, again.headersRead);
    std::printf("%-40s %9.1f ms  (peer: what any rescan must do)\n",
                "walking the tree, size and time of each", walkMs);
    std::printf("%-40s %9.1f ms  (%d headers read)\n", "models scan (database), first", storedFirstMs,
                storedFirst->headersRead);
    std::printf("%-40s %9.1f ms  (%d headers read)\n", "models scan (database), nothing changed",
                storedAgainMs, storedAgain->headersRead);
    return bytes < 0 ? 1 : 0;
}
