// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/writes.h"
#include "core/sync/webdav.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace cachewise {
class Clock;
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
    qint64 changesApplied = 0; // other devices' changes that won and are now here
    qint64 versionsLost = 0;   // versions that lost the merge (logged in their project's action log)
    qint64 duplicates = 0;     // changes merged before: changed nothing
    qint64 notApplied = 0;     // won, but do not fit this device's tables (said in problems)
    QStringList problems;      // files or changes that could not be used, in words; the rest still synced
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

    // `key` empty: the account is not encrypted.
    Syncer(storage::Writes writes, WebDavAccount account, QByteArray key, const Clock &clock);

    void setProgress(std::function<void(const SyncProgress &)> progress) { m_progress = std::move(progress); }
    // Largest number of changes in one file (a file is read whole).
    void setChangesPerFile(int changes) { m_changesPerFile = changes; }

    // The round's figures, or why it stopped (the account unreachable, refused, full): what it sent or merged
    // before stopping stays done, and the next round goes on from there. Problems with single files or
    // changes do not stop a round; they are listed in its figures.
    Result<SyncRound> run();

private:
    Result<qint64> prepare();
    Result<void> send(SyncRound &round);
    Result<void> receive(SyncRound &round);
    void report(SyncProgress::Phase phase, const QString &file, qint64 done, qint64 total);

    storage::Writes m_writes;
    WebDavAccount m_account;
    QByteArray m_key;
    const Clock &m_clock;
    std::function<void(const SyncProgress &)> m_progress;
    int m_changesPerFile = kChangesPerFile;
    QString m_device;
};

// The local changes in the outbox numbered into change files (at most `perFile` changes each), in the
// caller's transaction; returns how many changes were made. Every merge runs it first, so a local edit not
// yet sent meets another device's version as a change of its own and the merge rule decides between them.
Result<qint64> numberLocalChanges(storage::Repository &repository, const Clock &clock, int perFile);

} // namespace cachewise::sync
