// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/database.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// One version of one synced record, as the sync part keeps it (the last one merged of each record).
struct SyncRecord
{
    QString kind;
    QString id;
    QString device;
    qint64 sequence = 0;
    qint64 clock = 0;
    qint64 atMs = 0;
    bool deleted = false;
    QJsonObject data;
};

// A record changed here since it was last sent; kind "rollup" names a block of one project's rollups
// ("PROJECT/RESOLUTION/BLOCK_START": an hour of minutes or a day of hours).
struct SyncOutboxEntry
{
    QString kind;
    QString id;
    bool operator==(const SyncOutboxEntry &) const = default;
};

// A change file numbered and kept here until the account has it.
struct SyncOutgoingFile
{
    qint64 first = 0;
    qint64 last = 0;
    QByteArray body; // the plain change file; sealed when sent
};

// How far this device has merged another's changes, and what stopped it last.
struct SyncDevice
{
    QString device;
    qint64 appliedTo = 0;
    QString problem;
};

// The block of rollups a bucket belongs to for sync: an hour of minutes, a day of hours.
qint64 rollupBlockStart(qint64 resolution, qint64 bucketStart);
// Marks a block of one project's rollups (project key, resolution, block start) as changed here. Whatever
// writes rollups runs it (the writer once per block and transaction, the rebuild after a clear): a trigger
// on every upserted rollup row cost a sixth of the writer's time (schema 13 dropped those two triggers).
inline constexpr const char *kMarkRollupBlockSql =
    "INSERT OR IGNORE INTO sync_rollup_outbox (project, resolution, block_start) VALUES (?, ?, ?)";

// Where sync keeps its state, its outbox and what it merged. Triggers in the schema (version 12) put every
// change to a synced table into the outbox, whichever process makes it, unless sync itself is applying
// another device's change (setApplying); rollups are marked by what writes them (kMarkRollupBlockSql).
class SyncStore
{
public:
    SyncStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock) {}

    // The kinds of record that sync, in the order a device sends them (a project before what belongs to it).
    static const QStringList &kinds();
    // Minute rollups travel in hours, hour rollups in days.
    static qint64 rollupBlockMs(qint64 resolutionMs);

    // Sync's small state: this device's id, its counters, the account's settings, the last result.
    Result<std::optional<QString>> state(const QString &key);
    Result<void> setState(const QString &key, const QString &value);
    Result<void> removeState(const QString &key);
    // This device's id, made on first use: 16 hexadecimal digits from a secure random source.
    Result<QString> deviceId();

    // Records first (in kinds() order), then rollup blocks.
    Result<QList<SyncOutboxEntry>> outbox(int limit);
    Result<qint64> outboxSize();
    Result<void> removeFromOutbox(const QList<SyncOutboxEntry> &entries);
    // Every record and rollup block held here, for a device that starts syncing with history.
    Result<void> enqueueEverything();

    // A record's fields as they sync (never a secret, a path or a process's state); nullopt when it is not
    // here (a deletion). BadInput for an unknown kind or a malformed id.
    Result<std::optional<QJsonObject>> readRecord(const QString &kind, const QString &id);
    // Whether `a` and `b` are one version as far as sync is concerned (a recommendation: its status).
    static bool sameForSync(const QString &kind, const QJsonObject &a, const QJsonObject &b);

    // The last merged version of records (not rollups: those are kept in synced_rollups).
    Result<std::optional<SyncRecord>> record(const QString &kind, const QString &id);
    Result<void> saveRecord(const SyncRecord &record);
    Result<qint64> recordCount();
    // The records whose last merged version is `device`'s (tombstones too), in kinds() order.
    Result<QList<SyncRecord>> recordsOf(const QString &device);
    // Every block of this device's own rollups, as rollup ids.
    Result<QStringList> rollupBlocks();

    // Another device's winning version into the tables (in the caller's transaction, with setApplying).
    // BadInput when its fields do not fit (the table's checks say which).
    Result<void> applyRecord(const SyncRecord &record);
    // The losing version of a record, into its project's action log (one entry however often it is seen).
    Result<void> logLoser(const SyncRecord &kept, const SyncRecord &lost);
    Result<void> setApplying(bool applying);

    Result<void> addOutgoing(const SyncOutgoingFile &file);
    Result<QList<SyncOutgoingFile>> outgoing();
    // How many files wait to be sent, and the changes in them (without reading their bodies).
    Result<std::pair<qint64, qint64>> outgoingCounts();
    Result<void> removeOutgoing(qint64 first);

    Result<QList<SyncDevice>> devices();
    Result<void> saveDevice(const SyncDevice &device);

    // Forgets the account's state (devices merged, records, pending, outgoing, this device's id and counters)
    // and queues everything again: joining an account afterwards, even the same one, this is a new device
    // that sends its whole history (reusing the id would renumber files others already merged). Other
    // devices' rollups stay.
    Result<void> forgetAccount();

private:
    Result<void> applyRecordInTransaction(const SyncRecord &record);

    Connection &m_connection;
    const Clock &m_clock;
};

// Schema version 12: sync's tables, the outbox's triggers and the rollups seen by readers (own and synced).
QStringList syncSchema();
// Schema version 13: the rollup triggers of version 12 dropped (their writers mark blocks themselves).
QStringList rollupMarkSchema();

} // namespace cachewise::storage
