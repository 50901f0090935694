// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/metricwriter.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/storage/database.h"
#include "core/storage/repository.h"
#include "core/storage/sampleinserter.h"
#include "core/storage/settings.h"
#include "core/storage/syncstore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <sqlite3.h>
#ifdef Q_OS_LINUX
#include <pthread.h>
#endif
#include <array>
#include <chrono>
#include <map>
#include <tuple>

namespace cachewise::storage {
namespace {

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 86'400'000;
constexpr qint64 kRetentionIntervalMs = 10 * kMinuteMs;
constexpr std::size_t kMaxSamplesPerTransaction = 50'000;

struct Aggregate
{
    qint64 count = 0;
    double minimum = 0;
    double maximum = 0;
    double sum = 0;

    void merge(const Aggregate &other)
    {
        if (other.count == 0)
            return;
        if (count == 0) {
            *this = other;
            return;
        }
        count += other.count;
        sum += other.sum;
        minimum = std::min(minimum, other.minimum);
        maximum = std::max(maximum, other.maximum);
    }

    void add(double v)
    {
        if (count == 0) {
            minimum = maximum = v;
        } else {
            minimum = std::min(minimum, v);
            maximum = std::max(maximum, v);
        }
        sum += v;
        ++count;
    }
};

// One bucket of one project at one resolution holds every metric's aggregate, so a sample costs
// two map look-ups, not one per metric and resolution.
using RollupKey = std::tuple<qint64, qint64, qint64>; // project key, resolution, bucket start
// One aggregate per metric, and after them the bucket's sample count (kSampleCountRollup).
using Rollups = std::map<RollupKey, std::array<Aggregate, kMetricCount + 1>>;

void mergeInto(Rollups &into, const Rollups &from)
{
    for (const auto &[key, aggregates] : from) {
        auto &target = into[key];
        for (std::size_t m = 0; m < aggregates.size(); ++m)
            target[m].merge(aggregates[m]);
    }
}

qint64 floorTo(qint64 value, qint64 step)
{
    return value - ((value % step) + step) % step;
}

// Runs a prepared statement that returns no rows; false with SQLite's words in *error.
bool runOnce(sqlite3 *db, sqlite3_stmt *stmt, QString *error = nullptr)
{
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return true;
    if (error)
        *error = QString::fromUtf8(sqlite3_errmsg(db));
    return false;
}

// The writer's transaction over statements prepared once: BEGIN and COMMIT are not parsed again for every
// commit. Rolled back unless committed, as Transaction is.
class BatchTransaction
{
public:
    BatchTransaction(sqlite3 *db, sqlite3_stmt *begin, sqlite3_stmt *commit, sqlite3_stmt *rollback)
        : m_db(db), m_commit(commit), m_rollback(rollback)
    {
        m_active = runOnce(m_db, begin, &m_error);
    }
    ~BatchTransaction()
    {
        QString error;
        if (m_active && !runOnce(m_db, m_rollback, &error))
            qCWarning(lcStorage) << "rollback failed:" << error;
    }
    BatchTransaction(const BatchTransaction &) = delete;
    BatchTransaction &operator=(const BatchTransaction &) = delete;

    bool begun() const { return m_active; }
    const QString &beginError() const { return m_error; }
    Result<void> commit()
    {
        QString error;
        if (!runOnce(m_db, m_commit, &error))
            return makeError(ErrorKind::Storage, QStringLiteral("commit failed: %1").arg(error));
        m_active = false;
        return {};
    }

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_commit;
    sqlite3_stmt *m_rollback;
    bool m_active = false;
    QString m_error;
};

} // namespace

// What the writer runs for every transaction, prepared once on its connection: parsing them again each time
// cost more than the inserts themselves.
struct MetricWriter::Prepared
{
    explicit Prepared(QSqlDatabase &connection)
        : db(handleOf(connection)), begin(db, "BEGIN IMMEDIATE"), commit(db, "COMMIT"),
          rollback(db, "ROLLBACK"), savepoint(db, "SAVEPOINT batch"), release(db, "RELEASE batch"),
          rollbackTo(db, "ROLLBACK TO batch"),
          keyValid(db, "SELECT revoked_at IS NULL FROM api_keys WHERE id = ?"),
          upsert(db,
                 "INSERT INTO rollups (project, resolution, metric, bucket_start, count, min, max, sum) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project, resolution, metric, bucket_start) DO "
                 "UPDATE SET count = count + excluded.count, min = min(min, excluded.min), "
                 "max = max(max, excluded.max), sum = sum + excluded.sum"),
          markBlock(db, kMarkRollupBlockSql), dataVersion(db, "PRAGMA data_version"), inserter(connection)
    {}

    // Empty when every statement is ready.
    QString error() const
    {
        if (!db)
            return QStringLiteral("not an SQLite connection");
        for (const Statement *s : {&begin, &commit, &rollback, &savepoint, &release, &rollbackTo, &keyValid,
                                   &upsert, &markBlock, &dataVersion}) {
            if (!s->get())
                return QStringLiteral("cannot prepare the writer's statements");
        }
        return inserter.prepareError();
    }

    sqlite3 *db;
    Statement begin;
    Statement commit;
    Statement rollback;
    Statement savepoint;
    Statement release;
    Statement rollbackTo;
    Statement keyValid;
    Statement upsert;
    Statement markBlock;
    Statement dataVersion;
    SampleInserter inserter;
};

MetricWriter::MetricWriter(QString databasePath, const Clock &clock)
    : m_path(std::move(databasePath)), m_clock(clock)
{}

MetricWriter::~MetricWriter()
{
    stop();
}

Result<void> MetricWriter::start()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_running)
            return makeError(ErrorKind::Storage, QStringLiteral("writer already running"));
        m_stopping = false;
        m_running = true;
    }
    std::promise<Result<void>> opened;
    auto future = opened.get_future();
    m_thread = std::thread([this, &opened] {
#ifdef Q_OS_LINUX
        pthread_setname_np(pthread_self(), "cachewise-write"); // seen in top -H and perf
#endif
        run(&opened);
    });
    Result<void> result = future.get();
    if (!result) {
        m_thread.join();
        std::lock_guard lock(m_mutex);
        m_running = false;
    }
    return result;
}

void MetricWriter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_running)
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    std::lock_guard lock(m_mutex);
    m_running = false;
}

void MetricWriter::submit(QList<MetricSample> samples, Callback done, QString keyId)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_running && !m_stopping) {
            m_queuedSamples.fetch_add(quint64(samples.size()));
            m_queue.push_back(Job{std::move(samples), std::move(done), std::move(keyId)});
            m_wake.notify_one();
            return;
        }
    }
    if (done)
        done(WriteOutcome{0, ErrorKind::Unavailable, QStringLiteral("storage is shutting down")});
}

void MetricWriter::recordKeyUse(const QString &keyId, qint64 atMs)
{
    {
        std::lock_guard lock(m_mutex);
        qint64 &last = m_keyUses[keyId];
        last = std::max(last, atMs);
    }
    m_wake.notify_one();
}

void MetricWriter::writeKeyUses(std::map<QString, qint64> uses, Connection &connection)
{
    Transaction tx(connection.db());
    if (!tx.begun())
        return;
    QSqlQuery q(connection.db());
    q.prepare(
        QStringLiteral("UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?"));
    for (const auto &[id, at] : uses) {
        q.bindValue(0, at);
        q.bindValue(1, id);
        if (!q.exec())
            qCWarning(lcStorage) << "cannot record key use:" << q.lastError().text();
    }
    q.finish();
    if (auto r = tx.commit(); !r)
        qCWarning(lcStorage) << "cannot record key use:" << r.errorMessage();
}

void MetricWriter::recordSourceState(SourceStateUpdate update)
{
    {
        std::lock_guard lock(m_mutex);
        const QString id = update.sourceId;
        m_sourceStates.insert_or_assign(id, std::move(update));
    }
    m_wake.notify_one();
}

void MetricWriter::writeSourceStates(std::map<QString, SourceStateUpdate> updates, Connection &connection)
{
    Transaction tx(connection.db());
    if (!tx.begun())
        return;
    for (const auto &[id, update] : updates) {
        if (auto r = writeSourceState(connection.db(), update); !r)
            qCWarning(lcStorage) << r.errorMessage();
    }
    if (auto r = tx.commit(); !r)
        qCWarning(lcStorage) << "cannot record source states:" << r.errorMessage();
}

void MetricWriter::requestRetention()
{
    {
        std::lock_guard lock(m_mutex);
        m_retentionRequested = true;
    }
    m_wake.notify_one();
}

Result<void> MetricWriter::write(const Write &write)
{
    if (std::this_thread::get_id() == m_thread.get_id())
        return runWrite(write);
    std::promise<Result<void>> done;
    auto result = done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (!m_running || m_stopping)
            return makeError(ErrorKind::Unavailable, QStringLiteral("storage is shutting down"));
        m_writes.push_back(WriteJob{&write, &done});
    }
    m_wake.notify_one();
    return result.get();
}

Result<void> MetricWriter::runWrite(const Write &write)
{
    Result<void> result = write(*m_repository);
    Changes changes = m_connection->takeChanges();
    if (!changes.isEmpty() && m_writeObserver)
        m_writeObserver(changes);
    return result;
}

void MetricWriter::run(std::promise<Result<void>> *opened)
{
    Connection connection;
    if (auto r = connection.open(m_path); !r) {
        opened->set_value(r);
        return;
    }
    connection.keepChanges(true);
    Repository repository(connection, m_clock);
    Prepared prepared(connection.db());
    if (const QString error = prepared.error(); !error.isEmpty()) {
        opened->set_value(makeError(ErrorKind::Storage, error));
        return;
    }
    m_repository = &repository;
    m_connection = &connection;
    m_prepared = &prepared;
    opened->set_value(Result<void>{});
    opened = nullptr; // the promise lives on start()'s stack

    qint64 nextRetention = m_clock.nowMs() + 5'000;
    qint64 seenVersion = m_changeObserver ? dataVersion().value_or(-1) : -1;
    constexpr auto kVersionCheckGap = std::chrono::milliseconds(kChangeCheckMs / 5);
    auto nextVersionCheck = std::chrono::steady_clock::now();
    // A turn that skipped the check was at most a gap after the last one; waking a gap early keeps the next
    // check within kChangeCheckMs of any commit.
    const auto wakeAfter = m_changeObserver ? std::chrono::milliseconds(kChangeCheckMs) - kVersionCheckGap
                                            : std::chrono::milliseconds(5000);
    for (;;) {
        std::deque<Job> jobs;
        std::deque<WriteJob> writes;
        std::map<QString, qint64> keyUses;
        std::map<QString, SourceStateUpdate> sourceStates;
        bool retention = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, wakeAfter, [this] {
                return m_stopping || !m_queue.empty() || !m_writes.empty() || m_retentionRequested ||
                       !m_keyUses.empty() || !m_sourceStates.empty();
            });
            std::size_t taken = 0;
            while (!m_queue.empty() && (taken == 0 || taken + std::size_t(m_queue.front().samples.size()) <=
                                                          kMaxSamplesPerTransaction)) {
                taken += std::size_t(m_queue.front().samples.size());
                m_queuedSamples.fetch_sub(quint64(m_queue.front().samples.size()));
                jobs.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            retention = m_retentionRequested;
            m_retentionRequested = false;
            keyUses.swap(m_keyUses);
            sourceStates.swap(m_sourceStates);
            writes.swap(m_writes);
            if (jobs.empty() && writes.empty() && keyUses.empty() && sourceStates.empty() && m_stopping)
                break;
        }
        // Before the samples: a project created, then pushed to, exists when its samples are written.
        for (WriteJob &w : writes)
            w.done->set_value(runWrite(*w.write));
        if (!sourceStates.empty())
            writeSourceStates(std::move(sourceStates), connection);
        if (!jobs.empty())
            writeJobs(jobs);
        if (!keyUses.empty())
            writeKeyUses(std::move(keyUses), connection);
        if (retention || m_clock.nowMs() >= nextRetention) {
            applyRetention(connection);
            nextRetention = m_clock.nowMs() + kRetentionIntervalMs;
        }
        // Under load the loop turns thousands of times a second; the version is read a few times a second,
        // well within kChangeCheckMs.
        if (m_changeObserver && std::chrono::steady_clock::now() >= nextVersionCheck) {
            nextVersionCheck = std::chrono::steady_clock::now() + kVersionCheckGap;
            const auto version = dataVersion();
            if (version && *version != seenVersion) {
                seenVersion = *version;
                qCDebug(lcStorage) << "another process committed (data_version" << *version << ")";
                m_changeObserver();
            }
        }
    }
    m_repository = nullptr;
    m_connection = nullptr;
    m_prepared = nullptr;
}

std::optional<qint64> MetricWriter::dataVersion()
{
    sqlite3_stmt *stmt = m_prepared->dataVersion.get();
    std::optional<qint64> version;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    return version;
}

void MetricWriter::writeJobs(std::deque<Job> &jobs)
{
    // First without a savepoint per request: a row that cannot be written is rare (the disk, not the input:
    // keys and projects are checked before a request's first row), and then the whole transaction is rolled
    // back and written again with one savepoint per request, so that only that request fails.
    if (!writeJobsOnce(jobs, false)) {
        m_prepared->inserter.forgetAll();
        writeJobsOnce(jobs, true);
    }
}

bool MetricWriter::writeJobsOnce(std::deque<Job> &jobs, bool isolate)
{
    QElapsedTimer elapsed;
    elapsed.start();
    std::vector<WriteOutcome> outcomes(jobs.size());
    QList<MetricSample> committed;
    Rollups rollups;

    auto failAll = [&](const QString &message) {
        qCWarning(lcStorage) << "write failed:" << message;
        for (std::size_t i = 0; i < jobs.size(); ++i)
            if (jobs[i].done)
                jobs[i].done(WriteOutcome{0, ErrorKind::Storage, message});
        return true; // answered: not to be tried again
    };

    Prepared &prepared = *m_prepared;
    sqlite3 *handle = prepared.db;
    BatchTransaction tx(handle, prepared.begin.get(), prepared.commit.get(), prepared.rollback.get());
    if (!tx.begun())
        return failAll(tx.beginError());

    SampleInserter &inserter = prepared.inserter;
    inserter.startTransaction();

    // Each key once per transaction: valid when it exists and is not revoked, as of this transaction.
    QHash<QString, bool> keyValid;
    for (std::size_t j = 0; j < jobs.size(); ++j) {
        const Job &job = jobs[j];
        WriteOutcome &outcome = outcomes[j];
        if (!job.keyId.isEmpty()) {
            auto known = keyValid.constFind(job.keyId);
            if (known == keyValid.constEnd()) {
                sqlite3_stmt *check = prepared.keyValid.get();
                const QByteArray id = job.keyId.toUtf8();
                sqlite3_bind_text(check, 1, id.constData(), int(id.size()), SQLITE_STATIC);
                const int rc = sqlite3_step(check);
                const bool valid = rc == SQLITE_ROW && sqlite3_column_int(check, 0) == 1;
                sqlite3_reset(check);
                sqlite3_clear_bindings(check);
                if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                    outcome = WriteOutcome{0, ErrorKind::Storage, QString::fromUtf8(sqlite3_errmsg(handle))};
                    continue;
                }
                known = keyValid.insert(job.keyId, valid);
            }
            if (!known.value()) {
                outcome =
                    WriteOutcome{0, ErrorKind::Conflict, QStringLiteral("this API key has been revoked")};
                continue;
            }
        }
        // Each project of the request once (nearly always one: compared with the one before, not hashed).
        const QString *previous = nullptr;
        for (const MetricSample &s : job.samples) {
            const QString &id = s.projectId;
            if (previous && *previous == id)
                continue;
            previous = &id;
            auto key = inserter.projectKey(id, true);
            if (!key) {
                outcome = WriteOutcome{0, ErrorKind::Storage, key.errorMessage()};
                break;
            }
            if (!key.value()) {
                outcome =
                    WriteOutcome{0, ErrorKind::NotFound, QStringLiteral("project %1 does not exist").arg(id)};
                break;
            }
        }
        if (!outcome.ok())
            continue;
        QString error;
        if (isolate && !runOnce(handle, prepared.savepoint.get(), &error)) {
            outcome = WriteOutcome{0, ErrorKind::Storage, error};
            continue;
        }
        // Without savepoints a failed row fails the whole transaction, so the request's aggregates go
        // straight into the transaction's; with them, only into the transaction's once the request is in.
        Rollups jobRollups;
        Rollups &into = isolate ? jobRollups : rollups;
        std::optional<Error> failure;
        for (const MetricSample &s : job.samples) {
            if (auto r = inserter.insert(s); !r) {
                failure = r.error();
                break;
            }
            const qint64 key = inserter.currentKey();
            auto &minute = into[RollupKey{key, kMinuteMs, floorTo(s.timestampMs, kMinuteMs)}];
            auto &hour = into[RollupKey{key, kHourMs, floorTo(s.timestampMs, kHourMs)}];
            minute[kMetricCount].add(1);
            hour[kMetricCount].add(1);
            for (std::size_t index = 0; index < kMetricCount; ++index) {
                if (const std::optional<double> v = s.values[index]) {
                    minute[index].add(*v);
                    hour[index].add(*v);
                }
            }
        }
        if (failure && !isolate) {
            qCDebug(lcStorage) << "a row could not be written; writing the batch again request by request:"
                               << failure->message;
            return false; // the transaction rolls back
        }
        if (failure) {
            runOnce(handle, prepared.rollbackTo.get());
            runOnce(handle, prepared.release.get());
            // What the inserter remembered of this batch's rows is gone with them.
            inserter.startTransaction();
            outcome = WriteOutcome{
                0, failure->kind == ErrorKind::NotFound ? ErrorKind::NotFound : ErrorKind::Storage,
                failure->message};
            continue;
        }
        if (isolate && !runOnce(handle, prepared.release.get(), &error))
            return failAll(error);
        outcome.accepted = int(job.samples.size());
        if (isolate)
            mergeInto(rollups, jobRollups);
    }

    sqlite3_stmt *upsert = prepared.upsert.get();
    sqlite3_stmt *markBlock = prepared.markBlock.get();
    std::tuple<qint64, qint64, qint64> lastBlock{-1, -1, -1};
    for (const auto &[key, aggregates] : rollups) {
        // Sync sends the blocks these buckets fall in (the map is ordered, so a block's buckets are
        // together).
        const auto [project, resolution, bucket] = key;
        const std::tuple<qint64, qint64, qint64> block{project, resolution,
                                                       rollupBlockStart(resolution, bucket)};
        if (block != lastBlock) {
            lastBlock = block;
            sqlite3_bind_int64(markBlock, 1, project);
            sqlite3_bind_int64(markBlock, 2, resolution);
            sqlite3_bind_int64(markBlock, 3, std::get<2>(block));
            QString error;
            if (!runOnce(handle, markBlock, &error))
                return failAll(error);
        }
        for (std::size_t m = 0; m <= kMetricCount; ++m) {
            const Aggregate &agg = aggregates[m];
            if (agg.count == 0)
                continue;
            sqlite3_bind_int64(upsert, 1, std::get<0>(key));
            sqlite3_bind_int64(upsert, 2, std::get<1>(key));
            sqlite3_bind_int(upsert, 3, m == kMetricCount ? kSampleCountRollup : static_cast<int>(m));
            sqlite3_bind_int64(upsert, 4, std::get<2>(key));
            sqlite3_bind_int64(upsert, 5, agg.count);
            sqlite3_bind_double(upsert, 6, agg.minimum);
            sqlite3_bind_double(upsert, 7, agg.maximum);
            sqlite3_bind_double(upsert, 8, agg.sum);
            QString error;
            if (!runOnce(handle, upsert, &error))
                return failAll(error);
        }
    }
    if (auto r = tx.commit(); !r)
        return failAll(r.errorMessage());
    m_commitLatency.observe(double(elapsed.nsecsElapsed()) / 1e9);

    m_transactions.fetch_add(1);
    quint64 samples = 0;
    for (std::size_t j = 0; j < jobs.size(); ++j)
        samples += outcomes[j].ok() ? quint64(outcomes[j].accepted) : 0;
    if (m_observer) {
        committed.reserve(qsizetype(samples)); // grown once, not once a request
        for (std::size_t j = 0; j < jobs.size(); ++j)
            if (outcomes[j].ok())
                committed += jobs[j].samples;
    }
    m_committedSamples.fetch_add(samples);
    // Observers first: whoever got an answer may look at the UI and expect the sample there.
    if (m_observer && !committed.isEmpty())
        m_observer(committed);
    for (std::size_t j = 0; j < jobs.size(); ++j)
        if (jobs[j].done)
            jobs[j].done(outcomes[j]);
    return true;
}

void MetricWriter::applyRetention(Connection &connection)
{
    QSqlDatabase &db = connection.db();
    auto days = [&](const QString &key) -> qint64 {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
        q.addBindValue(key);
        if (q.exec() && q.next()) {
            if (auto v = validateSetting(key, q.value(0).toString()))
                return v.value().toLongLong();
        }
        return findSetting(key)->defaultValue.toLongLong();
    };
    const qint64 now = m_clock.nowMs();
    const qint64 rawCutoff = now - days(setting::RetentionRawDays) * kDayMs;
    const qint64 minuteCutoff = now - days(setting::RetentionMinuteRollupDays) * kDayMs;

    QList<qint64> projects;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT key FROM project_keys")))
            return;
        while (q.next())
            projects << q.value(0).toLongLong();
    }
    qint64 removed = 0;
    for (const qint64 project : projects) {
        // Small transactions (about 5000 rows each), so pushes never wait long behind retention.
        for (;;) {
            QSqlQuery q(db);
            q.prepare(
                QStringLiteral("SELECT ts FROM samples WHERE project = ? AND ts < ? ORDER BY ts LIMIT 1 "
                               "OFFSET 4999"));
            q.addBindValue(project);
            q.addBindValue(rawCutoff);
            if (!q.exec()) {
                qCWarning(lcStorage) << "retention failed:" << q.lastError().text();
                return;
            }
            const bool more = q.next();
            const qint64 through = more ? q.value(0).toLongLong() : rawCutoff - 1;
            q.finish();
            q.prepare(QStringLiteral("DELETE FROM samples WHERE project = ? AND ts <= ?"));
            q.addBindValue(project);
            q.addBindValue(through);
            if (!q.exec()) {
                qCWarning(lcStorage) << "retention failed:" << q.lastError().text();
                return;
            }
            removed += q.numRowsAffected();
            if (!more)
                break;
        }
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("DELETE FROM rollups WHERE project = ? AND resolution = ? AND bucket_start < ?"));
        q.addBindValue(project);
        q.addBindValue(kMinuteMs);
        q.addBindValue(floorTo(minuteCutoff, kMinuteMs));
        if (!q.exec())
            qCWarning(lcStorage) << "rollup retention failed:" << q.lastError().text();
    }
    if (removed > 0)
        qCInfo(lcStorage) << "retention removed" << removed << "raw samples older than" << rawCutoff;
}

} // namespace cachewise::storage
