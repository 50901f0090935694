// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/writes.h"
#include "core/sync/changes.h"
#include "core/sync/webdav.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {
class Repository;
}

namespace cachewise::sync {

// What one round of sync did, in figures.
struct SyncRound
{
    qint64 changesMade = 0; // local changes numbered into change files this round
    qint64 filesSent = 0;
    qint64 bytesSent = 0;
    qint64 filesReceived = 0;
    qint64 bytesReceived = 0;
    qint64 changesApplied = 0;  // other devices' changes that won and are now here
    qint64 versionsLost = 0;    // versions that lost the merge (logged in their project's action log)
    qint64 duplicates = 0;      // changes merged before: changed nothing
    qint64 notApplied = 0;      // won, but do not fit this device's tables (said in problems)
    qint64 snapshotChanges = 0; // changes in the snapshot this device wrote this round (0: it wrote none)
    qint64 filesRemoved = 0;    // this device's change files and older snapshots a new snapshot replaced
    QStringList problems;       // files or changes that could not be used, in words; the rest still synced
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;

    QJsonObject toJson() const;
};

// Where a round stands, for a progress bar: the phase and the bytes of the file in flight.
struct SyncProgress
{
    enum class Phase
    {
        Preparing,
        Sending,
        Receiving,
        Applying,
    };
    Phase phase = Phase::Preparing;
    QString file;
    qint64 done = 0;
    qint64 total = 0;
};

// One device's sync with the account (DESIGN "Hosted account"): it numbers the outbox's changes into change
// files kept here until the account has them, sends them under its own device folder only, then reads every
// other device's new files in sequence and merges them (sync/changes.h), each file in one transaction that
// also records how far that device is merged, so a file is never applied twice and a round cut anywhere
// leaves nothing half done. Blocking: run it on a thread of its own.
class Syncer
{
public:
    static constexpr int kChangesPerFile = 500;
    // A snapshot is due when the changes sent since the last one are at least this many and twice what a
    // snapshot would hold (so a device joining later reads at most a third of superseded versions), or when
    // this many change files went since (a listing stays short).
    static constexpr qint64 kSnapshotMinChanges = 2000;
    static constexpr qint64 kSnapshotAfterFiles = 1000;
    enum class Snapshot
    {
        WhenDue,
        Now, // after this round's changes are sent, whatever the figures
        Never,
    };

    // `key` empty: the account is not encrypted.
    Syncer(storage::Writes writes, WebDavAccount account, QByteArray key, const Clock &clock);

    void setProgress(std::function<void(const SyncProgress &)> progress) { m_progress = std::move(progress); }
    // Largest number of changes in one file (a file is read whole).
    void setChangesPerFile(int changes) { m_changesPerFile = changes; }
    void setSnapshot(Snapshot when) { m_snapshot = when; }
    void setSnapshotMinChanges(qint64 changes) { m_snapshotMinChanges = changes; }
    // Where a snapshot is read from, in a read transaction of its own so that writes go on meanwhile (the
    // app's sync thread has a connection of its own); without one, through `writes`.
    void setReader(storage::Repository *reader) { m_reader = reader; }

    // The round's figures, or why it stopped (the account unreachable, refused, full): what it sent or merged
    // before stopping stays done, and the next round goes on from there. Problems with single files or
    // changes do not stop a round; they are listed in its figures.
    Result<SyncRound> run();

private:
    Result<qint64> prepare();
    Result<void> send(SyncRound &round);
    Result<void> receive(SyncRound &round);
    Result<void> compact(SyncRound &round);

    // One step of merging a device: how far it is merged now, what stopped it, or that the file or snapshot
    // went away meanwhile (its writer replaced it: the next listing shows what took its place).
    struct Step
    {
        qint64 appliedTo = 0;
        QString problem;
        bool gone = false;
    };
    Result<Step> receiveFile(WebDavClient &client, const QString &device, qint64 first, qint64 applied,
                             SyncRound &round);
    Result<Step> receiveSnapshot(WebDavClient &client, const QString &device, qint64 covers, qint64 applied,
                                 SyncRound &round);
    // Merges `changes` of `device` in one transaction; returns how far that device is merged afterwards.
    Result<qint64> merge(const QString &device, qint64 applied, const QList<Change> &changes,
                         const std::function<MergeOutcome(MergeState &)> &rule,
                         const std::function<qint64(const MergeState &)> &appliedAfter, SyncRound &round);
    // A file of another device's, opened: `gone` when its writer removed it since the listing; `plain` the
    // bytes, or why they cannot be used (damaged, tampered, another passphrase). An error: the account
    // failed.
    struct Fetched
    {
        bool gone = false;
        Result<QByteArray> plain = QByteArray();
    };
    Result<Fetched> fetch(WebDavClient &client, const QString &name, SyncRound &round);
    QByteArray pack(const QString &name, const QByteArray &plain) const;
    Result<QByteArray> unpack(const QString &name, const QByteArray &bytes) const;
    void report(SyncProgress::Phase phase, const QString &file, qint64 done, qint64 total);

    storage::Writes m_writes;
    WebDavAccount m_account;
    QByteArray m_key;
    const Clock &m_clock;
    std::function<void(const SyncProgress &)> m_progress;
    int m_changesPerFile = kChangesPerFile;
    Snapshot m_snapshot = Snapshot::WhenDue;
    qint64 m_snapshotMinChanges = kSnapshotMinChanges;
    storage::Repository *m_reader = nullptr;
    QString m_device;
};

// The local changes in the outbox numbered into change files (at most `perFile` changes each), in the
// caller's transaction; returns how many changes were made. Every merge runs it first, so a local edit not
// yet sent meets another device's version as a change of its own and the merge rule decides between them.
Result<qint64> numberLocalChanges(storage::Repository &repository, const Clock &clock, int perFile);

} // namespace cachewise::sync
