// SPDX-License-Identifier: GPL-3.0-or-later
// Fills a data folder with history for the window benchmark (bench_window.py): PROJECTS projects with
// SAMPLES samples in all, spread evenly over the last DAYS days up to now (inside raw retention, so
// nothing is deleted when the app starts), written through the real writer so the rollups are the app's.
//   bench_fill DATA_DIR [SAMPLES=5000000] [PROJECTS=4] [DAYS=29]
#include "core/common/clock.h"
#include "core/common/paths.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include <cstdio>
#include <future>

using namespace cachewise;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_fill DATA_DIR [SAMPLES] [PROJECTS] [DAYS]\n");
        return 2;
    }
    const QString dataDir = QString::fromLocal8Bit(argv[1]);
    const qint64 samples = argc > 2 ? QByteArray(argv[2]).toLongLong() : 5'000'000;
    const int projects = argc > 3 ? QByteArray(argv[3]).toInt() : 4;
    const qint64 days = argc > 4 ? QByteArray(argv[4]).toLongLong() : 29;
    if (samples < 0 || projects <= 0 || days <= 0 || days >= 30) {
        std::fprintf(stderr,
                     "bench_fill: SAMPLES must not be negative, PROJECTS positive, DAYS from 1 to 29\n");
        return 2;
    }
    const Result<QString> dir = paths::ensureDataDir(dataDir);
    if (!dir) {
        std::fprintf(stderr, "bench_fill: %s\n", qPrintable(dir.errorMessage()));
        return 1;
    }
    const QString path = paths::databaseFile(dir.value());
    SystemClock clock;
    storage::Repository repo(clock);
    if (!repo.open(path)) {
        std::fprintf(stderr, "bench_fill: cannot open %s\n", qPrintable(path));
        return 1;
    }
    QStringList ids;
    for (int p = 0; p < projects; ++p)
        ids << repo.projects().create(QStringLiteral("Server %1").arg(p + 1), QString(), QString())->id;

    const qint64 nowMs = clock.nowMs();
    const qint64 spanMs = days * 86'400'000;
    const qint64 perProject = samples / projects;
    const double stepMs = double(spanMs) / double(std::max<qint64>(perProject, 1));
    storage::MetricWriter writer(path, clock);
    if (!writer.start())
        return 1;
    QElapsedTimer took;
    took.start();
    constexpr qint64 kBatch = 20'000;
    for (qint64 first = 0; first < perProject; first += kBatch) {
        QList<model::MetricSample> batch;
        for (qint64 i = first; i < std::min(perProject, first + kBatch); ++i) {
            for (int p = 0; p < projects; ++p) {
                model::MetricSample s;
                s.projectId = ids[p];
                s.timestampMs = nowMs - spanMs + qint64(double(i) * stepMs) + p;
                s.setValue(model::Metric::TokensProcessed, double(800 + (i + p * 97) % 400));
                s.setValue(model::Metric::KvCacheSizeKB, double(400'000 + ((i + p) * 37) % 80'000));
                s.setValue(model::Metric::MemoryUsageGB, 5.25 + double(i % 10) / 100.0);
                s.setValue(model::Metric::InferenceTimeMs, double(450 + i % 100));
                s.setValue(model::Metric::KvCacheUsageRatio, double(i % 1000) / 1000.0);
                batch << s;
            }
        }
        std::promise<bool> done;
        writer.submit(std::move(batch), [&done](const storage::WriteOutcome &o) { done.set_value(o.ok()); });
        if (!done.get_future().get()) {
            std::fprintf(stderr, "bench_fill: a write failed\n");
            return 1;
        }
    }
    writer.stop();
    std::printf("bench_fill: %lld samples of %d projects over %lld days written in %.1f s\n",
                perProject * projects, projects, days, double(took.elapsed()) / 1000.0);
    return 0;
}
