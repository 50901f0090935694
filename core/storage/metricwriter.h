// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/histogram.h"
#include "core/common/result.h"
#include "core/storage/changes.h"
#include "core/storage/types.h"
#include "core/storage/writes.h"

#include <QList>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

class Repository;

struct WriteOutcome
{
    int accepted = 0;
    // None on success; NotFound (a sample's project is unknown), Conflict (its API key was revoked), Storage,
    // or Unavailable (shutting down).
    std::optional<ErrorKind> errorKind;
    QString error;
    bool ok() const { return !errorKind.has_value(); }
};

// The only writer of metric samples. Owns one thread with its own connection; every batch queued
// while a transaction runs goes into the next one (group commit). One bad batch never fails another:
// when a row cannot be written, the transaction is written again with a savepoint per batch. A batch's
// callback runs on the writer thread after its transaction is durable on disk (WAL, synchronous=FULL), or
// with the error. submit() and stop() are thread-safe. The writer also maintains the rollups and applies
// retention.
class MetricWriter
{
public:
    using Callback = std::function<void(const WriteOutcome &)>;
    using CommitObserver = std::function<void(const QList<MetricSample> &)>;

    MetricWriter(QString databasePath, const Clock &clock);
    ~MetricWriter();
    MetricWriter(const MetricWriter &) = delete;
    MetricWriter &operator=(const MetricWriter &) = delete;

    // Opens the connection on the writer thread; fails if the database cannot be opened.
    Result<void> start();
    // Refuses new batches, commits what is queued, joins the thread. Idempotent.
    void stop();

    // With keyId (the API key the samples came with), the batch is refused (Conflict) when that key has
    // been revoked or deleted by the time its transaction runs: what a revoked key sends is never committed
    // after the revocation, whatever the caller remembered of the key.
    void submit(QList<MetricSample> samples, Callback done, QString keyId = {});

    // Called on the writer thread with every committed sample; set before start().
    void setCommitObserver(CommitObserver observer) { m_observer = std::move(observer); }
    // Called on the writer thread, within kChangeCheckMs, after another connection committed: SQLite's own
    // change counter (PRAGMA data_version) of the writer's connection moved. The writer's own commits, and
    // so every write() of this process, do not count: what moves it is another process (the CLI). Set
    // before start().
    void setChangeObserver(std::function<void()> observer) { m_changeObserver = std::move(observer); }
    static constexpr int kChangeCheckMs = 250;

    quint64 committedSamples() const { return m_committedSamples.load(); }
    // Samples waiting for the next transaction.
    quint64 queuedSamples() const { return m_queuedSamples.load(); }
    // Time from a transaction's start to its durable commit.
    const LatencyHistogram &commitLatency() const { return m_commitLatency; }
    quint64 transactions() const { return m_transactions.load(); }

    // Remembers when an API key was last used; written with the next transaction, so the listener
    // never waits for the database's write lock.
    void recordKeyUse(const QString &keyId, qint64 atMs);

    // Records what a scrape learnt of a source, before the samples queued with or after it (automation
    // judging those samples sees the server as this scrape found it). On the writer's own connection, so
    // the per-scrape bookkeeping is not a change anyone else must hear of; the latest per source wins.
    void recordSourceState(SourceStateUpdate update);

    // Runs retention on the next loop (normally every ten minutes).
    void requestRetention();

    // Every other write of this process goes through here: `write` runs on the writer's connection, in
    // order with the sample batches, and this returns its result (at once when called on the writer
    // thread, as automation judging a batch does). Unavailable when the writer is not running. What it
    // changed, as the stores note it, reaches the write observer after it committed.
    Result<void> write(const Write &write);
    // write() as a Writes (for code that writes through either the writer or a repository of its own).
    Writes writes()
    {
        return [this](const Write &w) {
            return write(w);
        };
    }
    // Called on the writer thread with what this process's writes changed. Set before start().
    void setWriteObserver(std::function<void(const Changes &)> observer)
    {
        m_writeObserver = std::move(observer);
    }

private:
    struct Job
    {
        QList<MetricSample> samples;
        Callback done;
        QString keyId;
    };
    struct WriteJob
    {
        const Write *write;
        std::promise<Result<void>> *done;
    };

    void run(std::promise<Result<void>> *opened);
    void writeJobs(std::deque<Job> &jobs);
    // False when a row failed without savepoints (isolate false): nothing is committed or answered then.
    bool writeJobsOnce(std::deque<Job> &jobs, bool isolate);
    void applyRetention(class Connection &connection);
    void writeKeyUses(std::map<QString, qint64> uses, class Connection &connection);
    void writeSourceStates(std::map<QString, SourceStateUpdate> updates, class Connection &connection);
    // Runs a write on the writer thread and tells the observer what it changed.
    Result<void> runWrite(const Write &write);
    // The connection's data_version; nullopt when it cannot be read.
    std::optional<qint64> dataVersion();
    struct Prepared;

    const QString m_path;
    const Clock &m_clock;
    CommitObserver m_observer;
    std::function<void()> m_changeObserver;
    std::function<void(const Changes &)> m_writeObserver;
    // The stores over the writer's connection; touched only on the writer thread.
    Repository *m_repository = nullptr;
    class Connection *m_connection = nullptr;
    Prepared *m_prepared = nullptr;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    std::deque<WriteJob> m_writes;
    bool m_stopping = false;
    bool m_running = false;
    bool m_retentionRequested = false;
    std::map<QString, qint64> m_keyUses;
    std::map<QString, SourceStateUpdate> m_sourceStates;
    std::thread m_thread;

    std::atomic<quint64> m_committedSamples{0};
    std::atomic<quint64> m_transactions{0};
    std::atomic<quint64> m_queuedSamples{0};
    LatencyHistogram m_commitLatency;
};

} // namespace cachewise::storage
