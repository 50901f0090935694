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
#include <QSet>

#include <algorithm>

namespace cachewise::sync {
namespace {

const QString kRollup = QStringLiteral("rollup");
const QString kSequence = QStringLiteral("sequence");
const QString kClock = QStringLiteral("clock");
const QString kRemoteReady = QStringLiteral("remote.ready");
// The sequence the last snapshot covers, the changes it held (or what one would hold, last counted), the
// change files sent since, and a snapshot whose covered files are still to be removed.
const QString kSnapshotCovers = QStringLiteral("snapshot.covers");
const QString kSnapshotSize = QStringLiteral("snapshot.size");
const QString kSnapshotFiles = QStringLiteral("snapshot.files");
const QString kSnapshotTidy = QStringLiteral("snapshot.tidy");
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

const QString kSnapshotPrefix = QStringLiteral("snapshot-");

bool isSnapshotName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^snapshot-[0-9]{12}$"));
    return pattern.match(name).hasMatch();
}

// How many parts a snapshot has, when its listing shows all of them (parts 1 to N of N), else 0: one
// still being written, or whose writer stopped halfway, is not one to use.
int wholeSnapshotParts(const QList<DavEntry> &listing)
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{6})-of-([0-9]{6})$"));
    QHash<int, QSet<int>> byCount;
    for (const DavEntry &e : listing) {
        const auto m = pattern.match(e.name);
        if (!e.folder && m.hasMatch())
            byCount[m.captured(2).toInt()].insert(m.captured(1).toInt());
    }
    for (auto it = byCount.cbegin(); it != byCount.cend(); ++it) {
        bool whole = it.key() > 0;
        for (int part = 1; whole && part <= it.key(); ++part)
            whole = it->contains(part);
        if (whole)
            return it.key();
    }
    return 0;
}

// A file that cannot be used holds back its device's later changes, in words for the round's problems.
QString unusable(const QString &name, const Error &why, const QString &device)
{
    return QStringLiteral("%1 cannot be used (%2); device %3's later changes wait for it.")
        .arg(name, why.message, device);
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
        {QStringLiteral("snapshotChanges"), double(snapshotChanges)},
        {QStringLiteral("filesRemoved"), double(filesRemoved)},
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
        const QByteArray body = pack(name, file.body);
        client.setProgress(
            [&](qint64 done, qint64 total) { report(SyncProgress::Phase::Sending, name, done, total); });
        report(SyncProgress::Phase::Sending, name, 0, body.size());
        if (auto r = client.put(name, body); !r)
            return r;
        // Only now is it the account's; cut before this line, the same file goes again next time.
        if (auto r = storage::writeThrough(
                m_writes,
                [&](storage::Repository &repository) -> Result<void> {
                    storage::SyncStore &store = repository.sync();
                    auto sent = stateNumber(store, kSnapshotFiles);
                    if (!sent)
                        return sent.error();
                    if (auto saved = store.setState(kSnapshotFiles, QString::number(*sent + 1)); !saved)
                        return saved;
                    return store.removeOutgoing(file.first);
                });
            !r)
            return r;
        ++round.filesSent;
        round.bytesSent += body.size();
    }
    return {};
}

QByteArray Syncer::pack(const QString &name, const QByteArray &plain) const
{
    // Compressed first (rollups are long runs of similar numbers: a tenth of the size), then sealed.
    const QByteArray packed = gzip(plain);
    return m_key.isEmpty() ? packed : seal(m_key, packed, name.toUtf8());
}

Result<QByteArray> Syncer::unpack(const QString &name, const QByteArray &bytes) const
{
    Result<QByteArray> plain = bytes;
    if (!m_key.isEmpty())
        plain = open(m_key, bytes, name.toUtf8());
    else if (looksSealed(bytes))
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("it is encrypted: set the account's sync passphrase"),
                         QStringLiteral("passphrase"));
    if (plain && plain->startsWith("\x1f\x8b"))
        plain = gunzip(*plain, kLargestFile);
    return plain;
}

Result<Syncer::Fetched> Syncer::fetch(WebDavClient &client, const QString &name, SyncRound &round)
{
    client.setProgress(
        [&](qint64 done, qint64 total) { report(SyncProgress::Phase::Receiving, name, done, total); });
    report(SyncProgress::Phase::Receiving, name, 0, 0);
    auto bytes = client.get(name);
    if (!bytes) {
        if (bytes.error().kind == ErrorKind::NotFound)
            return Fetched{true, QByteArray()};
        return bytes.error();
    }
    ++round.filesReceived;
    round.bytesReceived += bytes->size();
    return Fetched{false, unpack(name, *bytes)};
}

Result<qint64> Syncer::merge(const QString &device, qint64 applied, const QList<Change> &changes,
                             const std::function<MergeOutcome(MergeState &)> &rule,
                             const std::function<qint64(const MergeState &)> &appliedAfter, SyncRound &round)
{
    return storage::writeThrough(m_writes, [&](storage::Repository &repository) -> Result<qint64> {
        storage::SyncStore &store = repository.sync();
        storage::Transaction tx(repository.database());
        if (!tx.begun())
            return makeError(ErrorKind::Storage, tx.beginError());
        auto made = numberLocalChanges(repository, m_clock, m_changesPerFile);
        if (!made)
            return made.error();
        round.changesMade += *made;
        // Read again inside the transaction: another process (the CLI beside the app) may have merged these
        // changes since the listing; then every one counts as a duplicate.
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
        for (const Change &c : changes) {
            if (c.kind == kRollup)
                continue; // each device's own: never in conflict
            auto current = store.record(c.kind, c.id);
            if (!current)
                return current.error();
            if (*current)
                state.records.insert(c.kind + QLatin1Char('/') + c.id, toChange(**current));
        }
        const MergeOutcome outcome = rule(state);
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
            if (kept.device == lost.device)
                continue; // its own device's later version replaced it: no conflict
            if (auto r = store.logLoser(toRecord(kept), toRecord(lost)); !r)
                return r.error();
            ++round.versionsLost;
        }
        round.duplicates += outcome.duplicates;
        if (auto r = store.setApplying(false); !r)
            return r.error();
        const qint64 after = appliedAfter(state);
        if (auto r = store.saveDevice({device, after, QString()}); !r)
            return r.error();
        if (auto r = store.setState(kClock, QString::number(state.clock)); !r)
            return r.error();
        if (auto r = tx.commit(); !r)
            return r.error();
        return after;
    });
}

Result<Syncer::Step> Syncer::receiveFile(WebDavClient &client, const QString &device, qint64 first,
                                         qint64 applied, SyncRound &round)
{
    const QString name = changeFileName(device, first);
    auto fetched = fetch(client, name, round);
    if (!fetched)
        return fetched.error();
    if (fetched->gone)
        return Step{applied, {}, true};
    const Result<QByteArray> &plain = fetched->plain;
    Result<QList<Change>> changes =
        plain ? decodeChangeFile(*plain, device) : Result<QList<Change>>(plain.error());
    if (changes && (changes->isEmpty() || changes->constFirst().sequence != first))
        changes = makeError(ErrorKind::BadInput, QStringLiteral("it does not start at its name's sequence"),
                            QStringLiteral("file"));
    if (!changes) {
        // A damaged, cut or tampered file: nothing of it is used; this device's later files wait for it (its
        // writer sends it again if it never finished), the other devices' still sync.
        return Step{applied, unusable(name, changes.error(), device), false};
    }
    report(SyncProgress::Phase::Applying, name, 0, changes->size());
    auto merged = merge(
        device, applied, *changes, [&](MergeState &state) { return mergeChanges(state, *changes); },
        [&](const MergeState &state) { return state.appliedTo.value(device); }, round);
    if (!merged)
        return withContext(merged.error(), QStringLiteral("Merging %1: ").arg(name));
    return Step{*merged, {}, false};
}

Result<Syncer::Step> Syncer::receiveSnapshot(WebDavClient &client, const QString &device, qint64 covers,
                                             qint64 applied, SyncRound &round)
{
    const QString folder = snapshotFolderName(device, covers);
    auto listed = client.list(folder);
    if (!listed) {
        if (listed.error().kind == ErrorKind::NotFound)
            return Step{applied, {}, true};
        return listed.error();
    }
    const int parts = wholeSnapshotParts(*listed);
    if (parts == 0)
        return Step{applied, {}, true};
    for (int part = 1; part <= parts; ++part) {
        const QString name = snapshotPartName(device, covers, part, parts);
        auto fetched = fetch(client, name, round);
        if (!fetched)
            return fetched.error();
        if (fetched->gone)
            return Step{applied, {}, true};
        const Result<QByteArray> &plain = fetched->plain;
        Result<SnapshotPart> read =
            plain ? decodeSnapshotPart(*plain, device) : Result<SnapshotPart>(plain.error());
        if (read && (read->covers != covers || read->part != part || read->parts != parts))
            read = makeError(ErrorKind::BadInput, QStringLiteral("it is not the part its name says"),
                             QStringLiteral("file"));
        if (!read)
            return Step{applied, unusable(name, read.error(), device), false};
        report(SyncProgress::Phase::Applying, name, 0, read->changes.size());
        const bool last = part == parts;
        auto merged = merge(
            device, applied, read->changes,
            [&](MergeState &state) { return mergeSnapshotPart(state, *read); },
            [&](const MergeState &state) {
                return last ? std::max(covers, state.appliedTo.value(device)) : state.appliedTo.value(device);
            },
            round);
        if (!merged)
            return withContext(merged.error(), QStringLiteral("Merging %1: ").arg(name));
        applied = *merged;
    }
    return Step{applied, {}, false};
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
        QSet<qint64> files;
        qint64 lastFile = 0;
        QList<qint64> snapshots;
        for (const DavEntry &e : std::as_const(*listed)) {
            if (!e.folder && isFileName(e.name)) {
                files.insert(e.name.toLongLong());
                lastFile = std::max(lastFile, e.name.toLongLong());
            } else if (e.folder && isSnapshotName(e.name)) {
                snapshots << e.name.mid(kSnapshotPrefix.size()).toLongLong();
            }
        }
        std::sort(snapshots.begin(), snapshots.end(), std::greater<>());
        qint64 applied = appliedTo.value(device);
        QString problem;
        for (;;) {
            // The next change file when it is there (a file holds first..last whole and is merged whole);
            // else the newest whole snapshot past what is merged, which replaced the files up to it.
            Result<Step> step = Step{applied, {}, true};
            if (files.contains(applied + 1))
                step = receiveFile(client, device, applied + 1, applied, round);
            if (!step)
                return step.error();
            // No next file, or one that cannot be used: a snapshot past it replaces it.
            for (const qint64 covers : std::as_const(snapshots)) {
                if (covers <= applied || (!step->gone && step->problem.isEmpty()))
                    break;
                auto fromSnapshot = receiveSnapshot(client, device, covers, applied, round);
                if (!fromSnapshot)
                    return fromSnapshot.error();
                if (!fromSnapshot->gone && (fromSnapshot->problem.isEmpty() || step->gone))
                    step = fromSnapshot;
            }
            problem = step->problem;
            if (step->gone) {
                if (lastFile > applied && !files.contains(applied + 1))
                    problem =
                        QStringLiteral("Changes from %1 of device %2 are not in the account yet; its later "
                                       "files wait for them.")
                            .arg(applied + 1)
                            .arg(device);
                break;
            }
            applied = step->appliedTo;
            if (!problem.isEmpty())
                break;
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

Result<void> Syncer::compact(SyncRound &round)
{
    if (m_snapshot == Snapshot::Never)
        return {};
    struct Figures
    {
        qint64 sequence = 0, covers = 0, size = 0, files = 0, tidy = 0;
    };
    auto figures = storage::writeThrough(m_writes, [](storage::Repository &repository) -> Result<Figures> {
        storage::SyncStore &store = repository.sync();
        Figures f;
        for (auto [key, out] : {std::pair{&kSequence, &f.sequence}, std::pair{&kSnapshotCovers, &f.covers},
                                std::pair{&kSnapshotSize, &f.size}, std::pair{&kSnapshotFiles, &f.files},
                                std::pair{&kSnapshotTidy, &f.tidy}}) {
            auto value = stateNumber(store, *key);
            if (!value)
                return value.error();
            *out = *value;
        }
        return f;
    });
    if (!figures)
        return figures.error();
    WebDavClient client(m_account);
    // Removes what a snapshot replaced: this device's change files it covers, and older snapshots.
    const auto tidy = [&](qint64 covers) -> Result<void> {
        const QString own = QString(QStringLiteral("changes/") + m_device);
        auto listed = client.list(own);
        if (!listed)
            return listed.error();
        for (const DavEntry &e : std::as_const(*listed)) {
            const bool coveredFile = !e.folder && isFileName(e.name) && e.name.toLongLong() <= covers;
            const bool olderSnapshot = e.folder && isSnapshotName(e.name) &&
                                       e.name.mid(kSnapshotPrefix.size()).toLongLong() < covers;
            if (!coveredFile && !olderSnapshot)
                continue;
            if (auto r = client.remove(own + QLatin1Char('/') + e.name +
                                       (e.folder ? QStringLiteral("/") : QString()));
                !r)
                return r;
            ++round.filesRemoved;
        }
        return storage::writeThrough(m_writes, [](storage::Repository &repository) {
            return repository.sync().removeState(kSnapshotTidy);
        });
    };
    if (figures->tidy > 0) {
        // A round cut short after its snapshot was whole: finish removing what it replaced.
        if (auto r = tidy(figures->tidy); !r)
            return r;
    }
    const qint64 since = figures->sequence - figures->covers;
    if (since <= 0)
        return {};
    const auto readThrough = [&](auto &&read) {
        return m_reader ? read(*m_reader) : storage::writeThrough(m_writes, read);
    };
    if (m_snapshot == Snapshot::WhenDue && figures->files < kSnapshotAfterFiles) {
        if (since < m_snapshotMinChanges || since < 2 * figures->size)
            return {};
        if (figures->covers == 0 && figures->size == 0) {
            // Never counted: what would a snapshot hold now? Counted once; later rounds compare with this.
            auto size = readThrough([&](storage::Repository &repository) -> Result<qint64> {
                auto records = repository.sync().recordsOf(m_device);
                if (!records)
                    return records.error();
                auto blocks = repository.sync().rollupBlocks();
                if (!blocks)
                    return blocks.error();
                return qint64(records->size() + blocks->size());
            });
            if (!size)
                return size.error();
            if (auto r = storage::writeThrough(m_writes,
                                               [&](storage::Repository &repository) {
                                                   return repository.sync().setState(kSnapshotSize,
                                                                                     QString::number(*size));
                                               });
                !r)
                return r;
            if (since < 2 * *size)
                return {};
        }
    }
    // The snapshot read in one read transaction (writes go on beside it), kept packed until it is sent.
    struct Built
    {
        qint64 covers = 0;
        qint64 changes = 0;
        QList<QByteArray> parts;
    };
    report(SyncProgress::Phase::Preparing, {}, 0, 0);
    auto built = readThrough([&](storage::Repository &repository) -> Result<Built> {
        storage::SyncStore &store = repository.sync();
        storage::Transaction tx(repository.database(), false);
        if (!tx.begun())
            return makeError(ErrorKind::Storage, tx.beginError());
        auto unsent = store.outgoing();
        if (!unsent)
            return unsent.error();
        if (!unsent->isEmpty())
            return Built{}; // another process numbered changes meanwhile: after they are sent
        auto covers = stateNumber(store, kSequence);
        if (!covers)
            return covers.error();
        auto lamport = stateNumber(store, kClock);
        if (!lamport)
            return lamport.error();
        auto records = store.recordsOf(m_device);
        if (!records)
            return records.error();
        auto blocks = store.rollupBlocks();
        if (!blocks)
            return blocks.error();
        Built out;
        out.covers = *covers;
        const qint64 total = records->size() + blocks->size();
        const int parts = int(std::max<qint64>(1, (total + m_changesPerFile - 1) / m_changesPerFile));
        SnapshotPart part{out.covers, 1, parts, {}};
        const auto flush = [&] {
            const QString name = snapshotPartName(m_device, out.covers, part.part, parts);
            out.parts << pack(name, encodeSnapshotPart(m_device, part));
            out.changes += part.changes.size();
            part.changes.clear();
            ++part.part;
        };
        for (const storage::SyncRecord &r : std::as_const(*records)) {
            part.changes << toChange(r);
            if (part.changes.size() == m_changesPerFile)
                flush();
        }
        const qint64 now = m_clock.nowMs();
        for (const QString &id : std::as_const(*blocks)) {
            auto data = store.readRecord(kRollup, id);
            if (!data)
                return data.error();
            if (*data) {
                // Each device's own rollups are never in conflict: the sequence the snapshot covers will do.
                part.changes << Change{kRollup, id,    m_device, out.covers, std::max<qint64>(1, *lamport),
                                       now,     false, **data};
            }
            if (part.changes.size() == m_changesPerFile)
                flush();
        }
        while (part.part <= parts)
            flush();
        return out;
    });
    if (!built)
        return built.error();
    if (built->parts.isEmpty())
        return {};
    // What a round cut short left of a snapshot of the same sequence goes first.
    const QString folder = snapshotFolderName(m_device, built->covers);
    if (auto r = client.remove(folder); !r)
        return r;
    if (auto r = client.makeFolder(folder); !r)
        return r.error();
    for (int i = 0; i < built->parts.size(); ++i) {
        const QString name = snapshotPartName(m_device, built->covers, i + 1, int(built->parts.size()));
        const QByteArray &body = built->parts.at(i);
        client.setProgress(
            [&](qint64 done, qint64 total) { report(SyncProgress::Phase::Sending, name, done, total); });
        report(SyncProgress::Phase::Sending, name, 0, body.size());
        if (auto r = client.put(name, body); !r)
            return r;
        ++round.filesSent;
        round.bytesSent += body.size();
    }
    round.snapshotChanges = built->changes;
    // Whole in the account: from here on it replaces the files it covers.
    if (auto r = storage::writeThrough(
            m_writes,
            [&](storage::Repository &repository) -> Result<void> {
                storage::SyncStore &store = repository.sync();
                storage::Transaction tx(repository.database());
                if (!tx.begun())
                    return makeError(ErrorKind::Storage, tx.beginError());
                for (const auto &[key, value] :
                     {std::pair{&kSnapshotCovers, built->covers}, std::pair{&kSnapshotSize, built->changes},
                      std::pair{&kSnapshotFiles, qint64(0)}, std::pair{&kSnapshotTidy, built->covers}}) {
                    if (auto saved = store.setState(*key, QString::number(value)); !saved)
                        return saved;
                }
                return tx.commit();
            });
        !r)
        return r;
    return tidy(built->covers);
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
    if (auto r = compact(round); !r)
        return finish(r);
    return finish({});
}

} // namespace cachewise::sync
