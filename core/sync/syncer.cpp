// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sync/syncer.h"

#include "core/common/clock.h"
#include "core/common/gzip.h"
#include "core/storage/repository.h"
#include "core/sync/changes.h"
#include "core/sync/crypto.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace cachewise::sync {
namespace {

const QString kRollup = QStringLiteral("rollup");
const QString kSequence = QStringLiteral("sequence");
const QString kClock = QStringLiteral("clock");
const QString kRemoteReady = QStringLiteral("remote.ready");
// A change file of kChangesPerFile rollup blocks is a few MB; anything this large is not one.
constexpr qsizetype kLargestFile = 256 * 1024 * 1024;

Change toChange(const storage::SyncRecord &r)
{
    return Change{r.kind, r.id, r.device, r.sequence, r.clock, r.atMs, r.deleted, r.data};
}

storage::SyncRecord toRecord(const Change &c)
{
    return storage::SyncRecord{c.kind, c.id, c.device, c.sequence, c.clock, c.atMs, c.deleted, c.data};
}

Result<qint64> stateNumber(storage::SyncStore &store, const QString &key)
{
    auto value = store.state(key);
    if (!value)
        return value.error();
    return value->value_or(QStringLiteral("0")).toLongLong();
}

bool isDeviceId(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{16}$"));
    return pattern.match(name).hasMatch();
}

bool isFileName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9]{12}$"));
    return pattern.match(name).hasMatch();
}

Error withContext(const Error &e, const QString &context)
{
    return Error{e.kind, context + e.message, e.field};
}

} // namespace

QJsonObject SyncRound::toJson() const
{
    return QJsonObject{
        {QStringLiteral("changesMade"), double(changesMade)},
        {QStringLiteral("filesSent"), double(filesSent)},
        {QStringLiteral("bytesSent"), double(bytesSent)},
        {QStringLiteral("filesReceived"), double(filesReceived)},
        {QStringLiteral("bytesReceived"), double(bytesReceived)},
        {QStringLiteral("changesApplied"), double(changesApplied)},
        {QStringLiteral("versionsLost"), double(versionsLost)},
        {QStringLiteral("duplicates"), double(duplicates)},
        {QStringLiteral("notApplied"), double(notApplied)},
        {QStringLiteral("problems"), QJsonArray::fromStringList(problems)},
        {QStringLiteral("startedAt"), double(startedAtMs)},
        {QStringLiteral("finishedAt"), double(finishedAtMs)},
    };
}

Result<qint64> numberLocalChanges(storage::Repository &repository, const Clock &clock, int perFile)
{
    storage::SyncStore &store = repository.sync();
    auto device = store.deviceId();
    if (!device)
        return device.error();
    auto sequence = stateNumber(store, kSequence);
    if (!sequence)
        return sequence.error();
    auto lamport = stateNumber(store, kClock);
    if (!lamport)
        return lamport.error();
    MergeState state;
    state.clock = *lamport;
    qint64 next = *sequence;
    qint64 made = 0;
    for (;;) {
        auto entries = store.outbox(perFile);
        if (!entries)
            return entries.error();
        if (entries->isEmpty())
            break;
        QList<Change> changes;
        for (const storage::SyncOutboxEntry &e : std::as_const(*entries)) {
            auto row = store.readRecord(e.kind, e.id);
            if (!row) {
                if (row.error().kind == ErrorKind::BadInput)
                    continue; // an id no record can have: nothing to send
                return row.error();
            }
            bool deleted = false;
            if (e.kind == kRollup) {
                if (!*row)
                    continue; // retention removed the block here; other devices keep their copy
            } else {
                auto known = store.record(e.kind, e.id);
                if (!known)
                    return known.error();
                if (!*row) {
                    if (!*known || (*known)->deleted)
                        continue; // made and removed before it was ever sent
                    deleted = true;
                } else if (*known && !(*known)->deleted &&
                           storage::SyncStore::sameForSync(e.kind, **row, (*known)->data)) {
                    continue; // a write that changed nothing that syncs
                }
            }
            const Change c = localChange(state, *device, ++next, e.kind, e.id, row->value_or(QJsonObject()),
                                         deleted, clock.nowMs());
            if (e.kind != kRollup) {
                if (auto r = store.saveRecord(toRecord(c)); !r)
                    return r.error();
            }
            changes << c;
        }
        if (!changes.isEmpty()) {
            storage::SyncOutgoingFile file{changes.constFirst().sequence, changes.constLast().sequence,
                                           encodeChangeFile(*device, changes)};
            if (auto r = store.addOutgoing(file); !r)
                return r.error();
        }
        if (auto r = store.removeFromOutbox(*entries); !r)
            return r.error();
        made += changes.size();
        if (entries->size() < perFile)
            break;
    }
    if (made > 0) {
        if (auto r = store.setState(kSequence, QString::number(next)); !r)
            return r.error();
        if (auto r = store.setState(kClock, QString::number(state.clock)); !r)
            return r.error();
    }
    return made;
}

Syncer::Syncer(storage::Writes writes, WebDavAccount account, QByteArray key, const Clock &clock)
    : m_writes(std::move(writes)), m_account(std::move(account)), m_key(std::move(key)), m_clock(clock)
{}

void Syncer::report(SyncProgress::Phase phase, const QString &file, qint64 done, qint64 total)
{
    if (m_progress)
        m_progress(SyncProgress{phase, file, done, total});
}

Result<qint64> Syncer::prepare()
{
    report(SyncProgress::Phase::Preparing, {}, 0, 0);
    return storage::writeThrough(m_writes, [&](storage::Repository &repository) -> Result<qint64> {
        auto device = repository.sync().deviceId();
        if (!device)
            return device.error();
        m_device = *device;
        storage::Transaction tx(repository.database());
        if (!tx.begun())
            return makeError(ErrorKind::Storage, tx.beginError());
        auto made = numberLocalChanges(repository, m_clock, m_changesPerFile);
        if (!made)
            return made.error();
        if (auto r = tx.commit(); !r)
            return r.error();
        return *made;
    });
}

Result<void> Syncer::send(SyncRound &round)
{
    auto files = storage::writeThrough(
        m_writes, [](storage::Repository &repository) { return repository.sync().outgoing(); });
    if (!files)
        return files.error();
    if (files->isEmpty())
        return {};
    WebDavClient client(m_account);
    const QString folder = m_account.folder.toString();
    auto ready = storage::writeThrough(
        m_writes, [](storage::Repository &repository) { return repository.sync().state(kRemoteReady); });
    if (!ready)
        return ready.error();
    if (ready->value_or(QString()) != folder) {
        for (const QString &path :
             {QStringLiteral("changes"), QString(QStringLiteral("changes/") + m_device)}) {
            if (auto r = client.makeFolder(path); !r)
                return r.error();
        }
        if (auto r = storage::writeThrough(m_writes,
                                           [&](storage::Repository &repository) {
                                               return repository.sync().setState(kRemoteReady, folder);
                                           });
            !r)
            return r;
    }
    for (const storage::SyncOutgoingFile &file : std::as_const(*files)) {
        const QString name = changeFileName(m_device, file.first);
        // Compressed first (rollups are long runs of similar numbers: a tenth of the size), then sealed.
        const QByteArray packed = gzip(file.body);
        const QByteArray body = m_key.isEmpty() ? packed : seal(m_key, packed, name.toUtf8());
        client.setProgress(
            [&](qint64 done, qint64 total) { report(SyncProgress::Phase::Sending, name, done, total); });
        report(SyncProgress::Phase::Sending, name, 0, body.size());
        if (auto r = client.put(name, body); !r)
            return r;
        // Only now is it the account's; cut before this line, the same file goes again next time.
        if (auto r = storage::writeThrough(m_writes,
                                           [&](storage::Repository &repository) {
                                               return repository.sync().removeOutgoing(file.first);
                                           });
            !r)
            return r;
        ++round.filesSent;
        round.bytesSent += body.size();
    }
    return {};
}

Result<void> Syncer::receive(SyncRound &round)
{
    WebDavClient client(m_account);
    auto folders = client.list(QStringLiteral("changes"));
    if (!folders) {
        if (folders.error().kind == ErrorKind::NotFound)
            return {}; // no device has sent anything yet
        return folders.error();
    }
    auto known = storage::writeThrough(
        m_writes, [](storage::Repository &repository) { return repository.sync().devices(); });
    if (!known)
        return known.error();
    QHash<QString, qint64> appliedTo;
    for (const storage::SyncDevice &d : std::as_const(*known))
        appliedTo.insert(d.device, d.appliedTo);
    for (const DavEntry &folder : std::as_const(*folders)) {
        if (!folder.folder || folder.name == m_device || !isDeviceId(folder.name))
            continue;
        const QString device = folder.name;
        auto listed = client.list(QString(QStringLiteral("changes/") + device));
        if (!listed)
            return listed.error();
        QList<qint64> firsts;
        for (const DavEntry &e : std::as_const(*listed)) {
            if (!e.folder && isFileName(e.name))
                firsts << e.name.toLongLong();
        }
        std::sort(firsts.begin(), firsts.end());
        qint64 applied = appliedTo.value(device);
        QString problem;
        for (const qint64 first : std::as_const(firsts)) {
            if (first <= applied)
                continue; // merged before: a file holds first..last whole, and is merged whole
            const QString name = changeFileName(device, first);
            if (first != applied + 1) {
                problem =
                    QStringLiteral("Changes %1 to %2 of device %3 are not in the account yet; its later "
                                   "files wait for them.")
                        .arg(applied + 1)
                        .arg(first - 1)
                        .arg(device);
                break;
            }
            client.setProgress([&](qint64 done, qint64 total) {
                report(SyncProgress::Phase::Receiving, name, done, total);
            });
            report(SyncProgress::Phase::Receiving, name, 0, 0);
            auto bytes = client.get(name);
            if (!bytes)
                return bytes.error();
            ++round.filesReceived;
            round.bytesReceived += bytes->size();
            Result<QByteArray> plain = *bytes;
            if (!m_key.isEmpty())
                plain = open(m_key, *bytes, name.toUtf8());
            else if (looksSealed(*bytes))
                plain = makeError(ErrorKind::BadInput,
                                  QStringLiteral("it is encrypted: set the account's sync passphrase"),
                                  QStringLiteral("passphrase"));
            if (plain && plain->startsWith("\x1f\x8b"))
                plain = gunzip(*plain, kLargestFile);
            Result<QList<Change>> changes =
                plain ? decodeChangeFile(*plain, device) : Result<QList<Change>>(plain.error());
            if (changes && (changes->isEmpty() || changes->constFirst().sequence != first))
                changes =
                    makeError(ErrorKind::BadInput, QStringLiteral("it does not start at its name's sequence"),
                              QStringLiteral("file"));
            if (!changes) {
                // A damaged, cut or tampered file: nothing of it is used; this device's later files wait for
                // it (its writer sends it again if it never finished), the other devices' still sync.
                problem = QStringLiteral("%1 cannot be used (%2); device %3's later changes wait for it.")
                              .arg(name, changes.error().message, device);
                break;
            }
            report(SyncProgress::Phase::Applying, name, 0, changes->size());
            auto merged =
                storage::writeThrough(m_writes, [&](storage::Repository &repository) -> Result<qint64> {
                    storage::SyncStore &store = repository.sync();
                    storage::Transaction tx(repository.database());
                    if (!tx.begun())
                        return makeError(ErrorKind::Storage, tx.beginError());
                    auto made = numberLocalChanges(repository, m_clock, m_changesPerFile);
                    if (!made)
                        return made.error();
                    round.changesMade += *made;
                    // Read again inside the transaction: another process (the CLI beside the app) may have
                    // merged this file since the listing; then every change in it counts as a duplicate.
                    auto devicesNow = store.devices();
                    if (!devicesNow)
                        return devicesNow.error();
                    MergeState state;
                    state.appliedTo.insert(device, applied);
                    for (const storage::SyncDevice &d : std::as_const(*devicesNow)) {
                        if (d.device == device)
                            state.appliedTo.insert(device, std::max(applied, d.appliedTo));
                    }
                    auto lamport = stateNumber(store, kClock);
                    if (!lamport)
                        return lamport.error();
                    state.clock = *lamport;
                    for (const Change &c : std::as_const(*changes)) {
                        if (c.kind == kRollup)
                            continue; // each device's own: never in conflict
                        auto current = store.record(c.kind, c.id);
                        if (!current)
                            return current.error();
                        if (*current)
                            state.records.insert(c.kind + QLatin1Char('/') + c.id, toChange(**current));
                    }
                    const MergeOutcome outcome = mergeChanges(state, *changes);
                    if (auto r = store.setApplying(true); !r)
                        return r.error();
                    for (const Change &c : outcome.applied) {
                        const storage::SyncRecord record = toRecord(c);
                        if (c.kind != kRollup) {
                            if (auto r = store.saveRecord(record); !r)
                                return r.error();
                        }
                        if (auto r = store.applyRecord(record); !r) {
                            if (r.error().kind != ErrorKind::BadInput)
                                return r.error();
                            ++round.notApplied;
                            round.problems << QStringLiteral("A change from device %1 does not fit here: %2")
                                                  .arg(device, r.error().message);
                            continue;
                        }
                        ++round.changesApplied;
                    }
                    for (const Change &lost : outcome.lost) {
                        const Change &kept = state.records.value(lost.kind + QLatin1Char('/') + lost.id);
                        if (auto r = store.logLoser(toRecord(kept), toRecord(lost)); !r)
                            return r.error();
                        ++round.versionsLost;
                    }
                    round.duplicates += outcome.duplicates;
                    if (auto r = store.setApplying(false); !r)
                        return r.error();
                    if (auto r = store.saveDevice({device, state.appliedTo.value(device), QString()}); !r)
                        return r.error();
                    if (auto r = store.setState(kClock, QString::number(state.clock)); !r)
                        return r.error();
                    if (auto r = tx.commit(); !r)
                        return r.error();
                    return state.appliedTo.value(device);
                });
            if (!merged)
                return withContext(merged.error(), QStringLiteral("Merging %1: ").arg(name));
            applied = *merged;
        }
        if (!problem.isEmpty())
            round.problems << problem;
        if (auto r =
                storage::writeThrough(m_writes,
                                      [&](storage::Repository &repository) {
                                          return repository.sync().saveDevice({device, applied, problem});
                                      });
            !r)
            return r;
    }
    return {};
}

Result<SyncRound> Syncer::run()
{
    SyncRound round;
    round.startedAtMs = m_clock.nowMs();
    const auto finish = [&](const Result<void> &outcome) -> Result<SyncRound> {
        round.finishedAtMs = m_clock.nowMs();
        QJsonObject last = round.toJson();
        if (!outcome) {
            last.insert(QStringLiteral("error"), outcome.error().message);
            last.insert(QStringLiteral("errorField"), outcome.error().field);
        }
        // What the header and `sync status` show; a failure to note it does not undo the round.
        (void)storage::writeThrough(m_writes, [&](storage::Repository &repository) {
            return repository.sync().setState(
                QStringLiteral("last.round"),
                QString::fromUtf8(QJsonDocument(last).toJson(QJsonDocument::Compact)));
        });
        if (!outcome)
            return outcome.error();
        return round;
    };
    auto made = prepare();
    if (!made)
        return finish(made.error());
    round.changesMade += *made;
    if (auto r = send(round); !r)
        return finish(r);
    if (auto r = receive(round); !r)
        return finish(r);
    // Merging numbers local edits made meanwhile: they go now rather than next round.
    if (auto r = send(round); !r)
        return finish(r);
    return finish({});
}

} // namespace cachewise::sync
