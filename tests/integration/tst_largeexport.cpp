// SPDX-License-Identifier: GPL-3.0-or-later
// A one-million-sample CSV export through the CLI stays within a bounded memory: the rows are streamed
// page by page to the file, never gathered. The bound is the CLI process's peak resident set, read from
// the kernel when the process is reaped (getrusage of children), far below the file's size.
#include "core/common/clock.h"
#include "core/storage/repository.h"
#include "tests/support/cli.h"
#include "tests/support/teststack.h"

#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace cachewise;

class TestLargeExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void millionSamplesInBoundedMemory();
};

void TestLargeExport::millionSamplesInBoundedMemory()
{
    constexpr int kRows = 1'000'000;
    QTemporaryDir dir;
    SystemClock clock;
    {
        storage::Repository repository(clock);
        QVERIFY(repository.open(dir.filePath(QStringLiteral("cachewise.sqlite"))));
        auto project = repository.projects().create(QStringLiteral("Big"), QString(), QString());
        QVERIFY(project);
        // Written straight into the store (the export reads raw samples only): seconds, not minutes.
        const qint64 start = 1'767'225'600'000;
        QString error;
        QVERIFY2(test::insertSamples(
                     repository, kRows,
                     [&](qint64 i) {
                         model::MetricSample s;
                         s.projectId = project->id;
                         s.timestampMs = start + i * 1000;
                         s.setValue(model::Metric::TokensProcessed, double(1000 + i % 500));
                         s.setValue(model::Metric::KvCacheSizeKB, double(524288 + i % 4096));
                         s.setValue(model::Metric::MemoryUsageGB, 8.25 + double(i % 100) / 1000.0);
                         s.setValue(model::Metric::InferenceTimeMs, double(100 + i % 50));
                         s.setValue(model::Metric::KvCacheUsageRatio, double(i % 1000) / 1000.0);
                         return s;
                     },
                     &error),
                 qPrintable(error));
    }
    const QString csv = dir.filePath(QStringLiteral("big.csv"));
    const test::CliResult r =
        test::runCli(dir.path(),
                     {QStringLiteral("export"), QStringLiteral("--all"), QStringLiteral("--format"),
                      QStringLiteral("csv"), QStringLiteral("--out"), csv},
                     {}, QProcessEnvironment::systemEnvironment(), 600'000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.startsWith("1000000 rows written"));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const qint64 size = file.size();
    qint64 lines = 0;
    while (!file.atEnd())
        lines += file.read(1 << 20).count('\n');
    QCOMPARE(lines, qint64(kRows) + 1);
    rusage usage{};
    QCOMPARE(getrusage(RUSAGE_CHILDREN, &usage), 0);
    const qint64 peakBytes = qint64(usage.ru_maxrss) * 1024;
    qInfo("CSV of %lld bytes written with a peak resident set of %lld MiB", size, peakBytes >> 20);
    QVERIFY(size > 90LL * 1024 * 1024);
    QVERIFY2(peakBytes < 64LL * 1024 * 1024,
             qPrintable(QString::number(peakBytes >> 20) + QStringLiteral(" MiB")));
}

QTEST_GUILESS_MAIN(TestLargeExport)
#include "tst_largeexport.moc"
