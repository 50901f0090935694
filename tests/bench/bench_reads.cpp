// SPDX-License-Identifier: GPL-3.0-or-later
// Reads over 30 days of one project at 1 Hz (2,592,000 samples written through the real writer, so the
// rollups are the app's own), each next to its peer measured in the same run on the same file:
//   stats       — SampleStore::stats (rollups and index seeks) vs the full scan it used to be
//   30-day chart — SampleStore::series at 1920 points (hourly rollups) vs reading the raw rows
//   KPIs        — SampleStore::summary of a range and the range before it (the dashboard's figures and
//                 their trend: hour and minute rollups, raw samples at the edges) vs adding up the raw rows
//   disk        — bytes per sample of the database vs a plain WITHOUT ROWID row store of the same values
//   conversion  — moving the same history from the layout before the compact store vs writing that file
// Prints numbers; never fails on them. Run: build/<preset>/tests/bench/bench_reads [samples]
#include "core/common/clock.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/samplecodec.h"
#include "core/storage/sampleconversion.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <future>
#include <sqlite3.h>
#include <vector>

using namespace cachewise;

namespace {

// The history begins ten minutes after the raw-retention cut (30 days before now), so retention keeps it all.
qint64 kStartMs = 0;

double medianMs(int runs, const std::function<void()> &work)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

model::MetricSample sampleAt(const QString &projectId, qint64 i)
{
    model::MetricSample s;
    s.projectId = projectId;
    s.timestampMs = kStartMs + i * 1000;
    s.setValue(model::Metric::TokensProcessed, double(800 + i % 400));
    s.setValue(model::Metric::KvCacheSizeKB, double(400'000 + (i * 37) % 80'000));
    s.setValue(model::Metric::MemoryUsageGB, 5.25 + double(i % 10) / 100.0);
    s.setValue(model::Metric::InferenceTimeMs, double(450 + i % 100));
    s.setValue(model::Metric::KvCacheUsageRatio, double(i % 1000) / 1000.0);
    return s;
}

qint64 fileBytes(const QString &path)
{
    qint64 total = 0;
    for (const char *suffix : {"", "-wal", "-shm"})
        total += QFileInfo(path + QLatin1String(suffix)).size();
    return total;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 samples = argc > 1 ? QByteArray(argv[1]).toLongLong() : 2'592'000;
    kStartMs = QDateTime::currentMSecsSinceEpoch() - 30LL * 86'400'000 + 600'000;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.sqlite"));
    SystemClock clock;
    storage::Repository repo(clock);
    if (!repo.open(path)) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(path));
        return 1;
    }
    const QString projectId = repo.projects().create(QStringLiteral("Bench"), QString(), QString())->id;

    // Written through the writer in batches, as a busy push client would.
    storage::MetricWriter writer(path, clock);
    if (!writer.start())
        return 1;
    QElapsedTimer fill;
    fill.start();
    constexpr qint64 kBatch = 20'000;
    for (qint64 first = 0; first < samples; first += kBatch) {
        QList<model::MetricSample> batch;
        for (qint64 i = first; i < std::min(samples, first + kBatch); ++i)
            batch << sampleAt(projectId, i);
        std::promise<bool> done;
        writer.submit(std::move(batch), [&done](const storage::WriteOutcome &o) { done.set_value(o.ok()); });
        if (!done.get_future().get()) {
            std::fprintf(stderr, "write failed\n");
            return 1;
        }
    }
    writer.stop();
    const double fillSeconds = double(fill.elapsed()) / 1000.0;
    {
        QSqlQuery q(repo.database());
        q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    std::printf("machine: %d cores; %lld samples (%.1f days at 1 Hz) written in %.1f s (%.0f samples/s)\n\n",
                QThread::idealThreadCount(), samples, double(samples) / 86400.0, fillSeconds,
                double(samples) / fillSeconds);

    // stats
    qint64 rawCount = 0;
    const double statsMs = medianMs(5, [&] { rawCount = repo.samples().stats(projectId)->rawSampleCount; });
    const double scanMs = medianMs(3, [&] {
        QSqlQuery q(repo.database());
        q.prepare(QStringLiteral("SELECT count(*), min(ts), max(ts) FROM samples WHERE project = (SELECT key "
                                 "FROM project_keys WHERE project_id = ?)"));
        q.addBindValue(projectId);
        q.exec();
        q.next();
    });
    std::printf("%-34s %10.2f ms   (peer: full scan count(*) %10.2f ms; %lld raw rows)\n",
                "stats (whole history)", statsMs, scanMs, rawCount);

    // 30-day chart
    qsizetype points = 0;
    const qint64 to = kStartMs + samples * 1000;
    const double chartMs = medianMs(5, [&] {
        points =
            repo.samples().series(projectId, model::Metric::KvCacheSizeKB, kStartMs, to, 1920)->points.size();
    });
    const double rawReadMs = medianMs(1, [&] {
        QSqlQuery q(repo.database());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT ts, vals FROM samples WHERE project = (SELECT key FROM project_keys "
                                 "WHERE project_id = ?) AND ts >= ? AND ts < ?"));
        q.addBindValue(projectId);
        q.addBindValue(kStartMs);
        q.addBindValue(to);
        q.exec();
        storage::SampleValues values;
        while (q.next()) {
            const QByteArray vals = q.value(1).toByteArray();
            storage::decodeSampleValues(vals.constData(), vals.size(), values);
        }
    });
    std::printf("%-34s %10.2f ms   (peer: reading the raw rows %10.2f ms; %lld points drawn)\n",
                "chart of it all, 1920 points", chartMs, rawReadMs, qint64(points));

    // KPIs with their trend: a range and the one before it, edges off the minute, as the dashboard asks.
    const auto rawSum = [&](qint64 from, qint64 until) {
        QSqlQuery q(repo.database());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT vals FROM samples WHERE project = (SELECT key FROM project_keys "
                                 "WHERE project_id = ?) AND ts >= ? AND ts < ?"));
        q.addBindValue(projectId);
        q.addBindValue(from);
        q.addBindValue(until);
        q.exec();
        storage::SampleValues values;
        double sum = 0;
        while (q.next()) {
            const QByteArray vals = q.value(0).toByteArray();
            storage::decodeSampleValues(vals.constData(), vals.size(), values);
            sum += values[0].value_or(0);
        }
        return sum;
    };
    for (const auto &[label, length] : {std::pair{"KPIs + trend, last hour", qint64(3'600'000)},
                                        std::pair{"KPIs + trend, last 24 hours", qint64(86'400'000)},
                                        std::pair{"KPIs + trend, last 14 days", qint64(14 * 86'400'000LL)}}) {
        const qint64 until = to - 17'321; // "now": not on a minute
        if (2 * length > until - kStartMs)
            continue;
        double ourSum = 0;
        double peerSum = 0;
        const double kpiMs = medianMs(5, [&] {
            const auto current = repo.samples().summary(projectId, until - length, until);
            const auto previous = repo.samples().summary(projectId, until - 2 * length, until - length);
            ourSum = current && previous ? current.value()[0].sum + previous.value()[0].sum : -1;
        });
        const double peerMs = medianMs(
            1, [&] { peerSum = rawSum(until - length, until) + rawSum(until - 2 * length, until - length); });
        std::printf("%-34s %10.2f ms   (peer: adding up the raw rows %10.2f ms; same totals: %s)\n", label,
                    kpiMs, peerMs, ourSum == peerSum ? "yes" : "NO");
    }

    // bytes per sample
    const qint64 ours = fileBytes(path);
    const QString plainPath = dir.filePath(QStringLiteral("plain.sqlite"));
    sqlite3 *db = nullptr;
    sqlite3_open(QFile::encodeName(plainPath).constData(), &db);
    sqlite3_exec(
        db,
        "PRAGMA journal_mode=WAL; CREATE TABLE s (project INTEGER, ts INTEGER, tokens INTEGER, kv INTEGER, "
        "mem REAL, ms INTEGER, ratio REAL, PRIMARY KEY (project, ts)) WITHOUT ROWID; BEGIN",
        nullptr, nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO s VALUES (1, ?, ?, ?, ?, ?, ?)", -1, &insert, nullptr);
    for (qint64 i = 0; i < samples; ++i) {
        const model::MetricSample s = sampleAt(projectId, i);
        sqlite3_bind_int64(insert, 1, s.timestampMs);
        sqlite3_bind_int64(insert, 2, qint64(*s.value(model::Metric::TokensProcessed)));
        sqlite3_bind_int64(insert, 3, qint64(*s.value(model::Metric::KvCacheSizeKB)));
        sqlite3_bind_double(insert, 4, *s.value(model::Metric::MemoryUsageGB));
        sqlite3_bind_int64(insert, 5, qint64(*s.value(model::Metric::InferenceTimeMs)));
        sqlite3_bind_double(insert, 6, *s.value(model::Metric::KvCacheUsageRatio));
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const qint64 plain = fileBytes(plainPath);
    std::printf("%-34s %10.1f B    (peer: integer-keyed WITHOUT ROWID rows %6.1f B)\n",
                "disk per sample (with rollups)", double(ours) / double(samples),
                double(plain) / double(samples));

    // Converting the same history from the layout before the compact store (schema 9), as opening such a
    // file does; the peer is writing that old file.
    const QString oldPath = dir.filePath(QStringLiteral("old.sqlite"));
    QElapsedTimer oldFill;
    oldFill.start();
    {
        storage::Connection old;
        if (!old.open(oldPath, 9))
            return 1;
        QSqlQuery q(old.db());
        q.exec(QStringLiteral("INSERT INTO projects VALUES ('%1', 'Bench', '', '', 0, 0)").arg(projectId));
        old.db().transaction();
        q.prepare(
            QStringLiteral("INSERT INTO metric_samples (project_id, ts, tokens_processed, kv_cache_size_kb, "
                           "memory_usage_gb, inference_time_ms, kv_cache_usage_ratio) VALUES (?, ?, ?, ?, ?, "
                           "?, ?)"));
        for (qint64 i = 0; i < samples; ++i) {
            const model::MetricSample s = sampleAt(projectId, i);
            q.bindValue(0, projectId);
            q.bindValue(1, s.timestampMs);
            q.bindValue(2, *s.value(model::Metric::TokensProcessed));
            q.bindValue(3, *s.value(model::Metric::KvCacheSizeKB));
            q.bindValue(4, *s.value(model::Metric::MemoryUsageGB));
            q.bindValue(5, *s.value(model::Metric::InferenceTimeMs));
            q.bindValue(6, *s.value(model::Metric::KvCacheUsageRatio));
            q.exec();
        }
        old.db().commit();
    }
    const double oldFillSeconds = double(oldFill.elapsed()) / 1000.0;
    const qint64 oldBytes = fileBytes(oldPath);
    QElapsedTimer conversion;
    conversion.start();
    auto converted = storage::convertSamples(oldPath);
    const double conversionSeconds = double(conversion.elapsed()) / 1000.0;
    if (!converted) {
        std::fprintf(stderr, "conversion failed: %s\n", qPrintable(converted.errorMessage()));
        return 1;
    }
    std::printf("%-34s %10.1f s    (peer: writing the old layout %.1f s; %lld samples moved)\n",
                "convert from schema 9", conversionSeconds, oldFillSeconds, converted.value());
    std::printf("%-34s %10.1f B    (the old layout: %.1f B)\n", "  the converted file, per sample",
                double(fileBytes(oldPath)) / double(samples), double(oldBytes) / double(samples));
    return 0;
}
