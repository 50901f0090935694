// SPDX-License-Identifier: GPL-3.0-or-later
// Without libFuzzer (gcc builds, CI): feeds the fuzz target every file given, each cut at every length
// up to 4 KiB, and a fixed-seed series of mutations of each. Exit 0 means nothing crashed.
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

void feed(const QByteArray &bytes)
{
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
}

} // namespace

int main(int argc, char **argv)
{
    QList<QByteArray> corpus;
    for (int i = 1; i < argc; ++i) {
        const QString path = QString::fromLocal8Bit(argv[i]);
        QStringList files;
        if (QFileInfo(path).isDir()) {
            QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                files << it.next();
        } else {
            files << path;
        }
        for (const QString &file : files) {
            QFile f(file);
            if (f.open(QIODevice::ReadOnly) && f.size() <= 1024 * 1024)
                corpus << f.readAll();
        }
    }
    if (corpus.isEmpty()) {
        std::fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    QRandomGenerator rng(20261122);
    qint64 runs = 0;
    for (const QByteArray &input : corpus) {
        for (qsizetype n = 0; n <= std::min<qsizetype>(input.size(), 4096); ++n, ++runs)
            feed(input.left(n));
        for (int round = 0; round < 500; ++round, ++runs) {
            QByteArray mutated = input;
            const int edits = 1 + int(rng.bounded(16));
            for (int e = 0; e < edits && !mutated.isEmpty(); ++e) {
                const qsizetype at = rng.bounded(int(mutated.size()));
                switch (rng.bounded(3)) {
                case 0: mutated[at] = char(rng.bounded(256)); break;
                case 1: mutated.remove(at, rng.bounded(8) + 1); break;
                default: mutated.insert(at, mutated.mid(rng.bounded(int(mutated.size())), 16)); break;
                }
            }
            feed(mutated);
        }
    }
    std::printf("%lld inputs, no crash\n", static_cast<long long>(runs));
    return 0;
}
