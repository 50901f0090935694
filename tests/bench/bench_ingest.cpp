// SPDX-License-Identifier: GPL-3.0-or-later
// Ingest throughput with durable replies, against a plain prepared-statement SQLite insert of the
// same rows (same file layout, WAL, synchronous=FULL, one commit per request) as the ceiling.
// Prints numbers; never fails on them.
#include "core/services/engine.h"
#include "core/storage/database.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/samplecodec.h"
#include "core/storage/settings.h"
#include "tests/support/httpclient.h"
#include "tests/support/teststack.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <sqlite3.h>
#include <thread>

using namespace cachewise;
using namespace cachewise::test;

namespace {

struct Run
{
    int batch;
    int requests;
};

double pushRate(TestStack &stack, const CreatedProject &project, const Run &run, int clients)
{
    QByteArray body = "[";
    for (int i = 0; i < run.batch; ++i)
        body += (i ? "," : "") + sampleJson(project.id, i);
    body += "]";
    std::atomic<int> failures{0};
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
            for (int r = c; r < run.requests; r += clients) {
                if (client.postJson("/api/metrics", body, project.apiKey, 60000).status != 200)
                    ++failures;
            }
        });
    }
    for (auto &t : threads)
        t.join();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (failures > 0)
        std::fprintf(stderr, "warning: %d requests failed\n", failures.load());
    return double(run.batch) * run.requests / seconds;
}

double ceilingRate(const Run &run)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ceiling.sqlite"));
    {
        storage::Connection schema; // the same tables and indexes the app uses
        if (!schema.open(path))
            return 0;
        (void)storage::exec(schema.db(),
                            QStringLiteral("INSERT INTO projects VALUES ('p', 'p', '', '', 0, 0)"));
        (void)storage::exec(schema.db(),
                            QStringLiteral("INSERT INTO project_keys (key, project_id) VALUES (1, 'p')"));
    }
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", nullptr,
                 nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    // The row the app stores for the benchmark's sample, its values already encoded.
    storage::SampleValues values;
    values[model::metricIndex(model::Metric::TokensProcessed)] = 1250;
    values[model::metricIndex(model::Metric::KvCacheSizeKB)] = 480000;
    values[model::metricIndex(model::Metric::MemoryUsageGB)] = 2.7;
    values[model::metricIndex(model::Metric::InferenceTimeMs)] = 550;
    QByteArray encoded;
    storage::encodeSampleValues(values, encoded);
    sqlite3_prepare_v2(db, "INSERT INTO samples (project, ts, seq, vals) VALUES (1, ?, ?, ?)", -1, &insert,
                       nullptr);
    QElapsedTimer timer;
    timer.start();
    qint64 ts = 1'705'312'800'000;
    for (int r = 0; r < run.requests; ++r) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (int i = 0; i < run.batch; ++i) {
            sqlite3_bind_int64(insert, 1, ts++);
            sqlite3_bind_int64(insert, 2, 0);
            sqlite3_bind_blob(insert, 3, encoded.constData(), int(encoded.size()), SQLITE_STATIC);
            sqlite3_step(insert);
            sqlite3_reset(insert);
        }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return double(run.batch) * run.requests / seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int clients = 4;
    const Run runs[] = {{1, 2000}, {100, 200}, {1000, 40}};
    std::printf(
        "CacheWise ingest benchmark: POST /api/metrics over loopback, %d keep-alive clients, replies after "
        "commit (WAL, synchronous=FULL)\n\n",
        clients);
    std::printf("%-10s %-10s %16s %16s %8s\n", "batch", "requests", "ingest samples/s", "sqlite samples/s",
                "ratio");
    for (const Run &run : runs) {
        TestStack stack;
        if (!stack.start()) {
            std::fprintf(stderr, "cannot start the listener\n");
            return 1;
        }
        // Through the writer, as the app's settings page writes; the engine tells the listener at once.
        const auto set = [&stack](const QString &key, const QString &value) {
            return storage::writeThrough(stack.writer().writes(), [&](storage::Repository &w) {
                return w.settings().set(key, value);
            });
        };
        if (!set(storage::setting::RateLimitPerSecond, QStringLiteral("0")) ||
            !set(storage::setting::MaxBodyBytes, QStringLiteral("67108864"))) {
            std::fprintf(stderr, "cannot change the listener's settings\n");
            return 1;
        }
        stack.writer().requestRetention(); // run it now, not during the measurement
        const CreatedProject project = stack.createProject(QStringLiteral("bench"));
        QElapsedTimer waiting;
        waiting.start();
        while (stack.engine().listenerSettings().maxBodyBytes != 67108864 && waiting.elapsed() < 10'000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        const double ingest = pushRate(stack, project, run, clients);
        const double ceiling = ceilingRate(run);
        std::printf("%-10d %-10d %16.0f %16.0f %7.2fx\n", run.batch, run.requests, ingest, ceiling,
                    ceiling > 0 ? ingest / ceiling : 0.0);
        std::fflush(stdout);
    }
    std::printf(
        "\nratio = ingest / plain SQLite insert of the same rows with one commit per request; above 1 "
        "means group commit merged concurrent requests into fewer transactions.\n");
    return 0;
}
