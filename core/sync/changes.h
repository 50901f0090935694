// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace cachewise::sync {

// One change to one synced record, as the device that made it writes it (DESIGN "Hosted account"): records
// carry a stable id, the writing device and its per-device sequence (1, 2, 3… without gaps); a deletion is a
// tombstone, a change like any other.
struct Change
{
    QString kind;   // project, source, runtime, automation, recommendation, action, server, apiKey, rollup
    QString id;     // the record's stable id
    QString device; // the device that wrote it
    qint64 sequence = 0; // that device's count of changes, from 1
    qint64 clock = 0;    // Lamport clock: one more than the highest the device had seen when it wrote
    qint64 atMs = 0;     // wall time, for people (never used to order)
    bool deleted = false;
    QJsonObject data; // the record's fields; empty for a tombstone
    bool operator==(const Change &) const = default;
};

// The merge rule, the same on every device whatever the order files arrive in: of two changes to one
// record, the one with the higher clock wins; equal clocks, the one from the greater device id (compared as
// text). A tombstone wins or loses like an edit: an edit made after seeing the deletion brings it back.
bool wins(const Change &a, const Change &b);

// A change file holds one device's changes first..last, in order, as JSON Lines after a header line:
// {"format":"cachewise-changes","version":1,"device":D,"first":F,"last":L}.
QByteArray encodeChangeFile(const QString &device, const QList<Change> &changes);
// BadInput (with the line) for anything else: another format or version, a change of another device than
// the header's (or than `device`), sequences that are not first..last without gaps, a change without kind,
// id or a positive clock, a tombstone with data.
Result<QList<Change>> decodeChangeFile(const QByteArray &bytes, const QString &device);

// A snapshot holds, as of one of its device's sequences ("covers"), that device's last version of every
// record it wrote that is still the one it knows to win, and every rollup block it holds: what a device
// joining later needs of it, instead of its change files up to there (the device deletes those once the
// snapshot is whole). It is written in parts of at most a change file's size, each
// {"format":"cachewise-snapshot","version":1,"device":D,"covers":S,"part":P,"parts":N} then JSON Lines of
// changes with sequences up to S, in no particular order of sequence.
struct SnapshotPart
{
    qint64 covers = 0;
    int part = 0; // from 1
    int parts = 0;
    QList<Change> changes;
};
QByteArray encodeSnapshotPart(const QString &device, const SnapshotPart &part);
// BadInput (with the line) as for a change file, or when a change's sequence is above what the part covers.
Result<SnapshotPart> decodeSnapshotPart(const QByteArray &bytes, const QString &device);

// Where a device's change file starting at `first` lives in the account: the name says only the device
// and the sequence ("changes/DEVICE/000000000042").
QString changeFileName(const QString &device, qint64 first);
// A snapshot's folder ("changes/DEVICE/snapshot-000000000042/") and its parts in it ("000001-of-000003"):
// whether a snapshot is whole shows in its listing.
QString snapshotFolderName(const QString &device, qint64 covers);
QString snapshotPartName(const QString &device, qint64 covers, int part, int parts);

// What a device knows: the winning change of every record, how far it has applied each device's changes,
// and its clock.
struct MergeState
{
    QHash<QString, Change> records;   // by kind + '/' + id
    QHash<QString, qint64> appliedTo; // by device: every sequence up to this one is merged
    QList<Change> pending;            // past a gap: merged once the missing changes arrive
    qint64 clock = 0;
};

struct MergeOutcome
{
    QList<Change> applied; // now the winning version of their record
    QList<Change> lost;    // versions that lost (a newer one arrived, or this one came in late): for the log
    int duplicates = 0;    // changes merged before (a file read twice): they change nothing
    QList<Change> waiting; // past a gap in their device's sequence: kept in the state's pending list
};

// Merges changes read from the account (or made here) into `state`. Deterministic: whatever order the same
// changes arrive in, the records end the same.
MergeOutcome mergeChanges(MergeState &state, QList<Change> incoming);

// Merges one part of another device's snapshot. Changes at or below what `state` has merged of that
// device, or merged from this snapshot before (a part read again after a round was cut), are duplicates
// (one that lost then loses again: its log entry is made once); the others meet the records' current
// versions by the merge rule. How far the device is merged moves to
// the snapshot's sequence only when the caller has merged every part.
MergeOutcome mergeSnapshotPart(MergeState &state, const SnapshotPart &part);

// A change made on this device: the next sequence and a clock above everything seen.
Change localChange(MergeState &state, const QString &device, qint64 sequence, const QString &kind,
                   const QString &id, const QJsonObject &data, bool deleted, qint64 nowMs);

} // namespace cachewise::sync
