// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sync/changes.h"

#include <QJsonDocument>

#include <algorithm>
#include <utility>

namespace cachewise::sync {
namespace {

const QString kFormat = QStringLiteral("cachewise-changes");
const QString kSnapshotFormat = QStringLiteral("cachewise-snapshot");

QString recordKey(const Change &c)
{
    return c.kind + QLatin1Char('/') + c.id;
}

QJsonObject toJson(const Change &c)
{
    QJsonObject o{
        {QStringLiteral("kind"), c.kind},           {QStringLiteral("id"), c.id},
        {QStringLiteral("device"), c.device},       {QStringLiteral("sequence"), double(c.sequence)},
        {QStringLiteral("clock"), double(c.clock)}, {QStringLiteral("at"), double(c.atMs)}};
    if (c.deleted)
        o.insert(QStringLiteral("deleted"), true);
    else
        o.insert(QStringLiteral("data"), c.data);
    return o;
}

// A whole number that JSON carries exactly (below 2^53), or -1.
qint64 wholeNumber(const QJsonValue &v)
{
    if (!v.isDouble())
        return -1;
    const double d = v.toDouble();
    if (d < 0 || d > 9007199254740991.0 || d != double(qint64(d)))
        return -1;
    return qint64(d);
}

// One change line of a file written by `device`; the error says why not, in a phrase.
Result<Change> parseChange(const QByteArray &line, const QString &device)
{
    const auto bad = [](const QString &why) {
        return makeError(ErrorKind::BadInput, why);
    };
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject())
        return bad(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    Change c;
    c.kind = o.value(QLatin1String("kind")).toString();
    c.id = o.value(QLatin1String("id")).toString();
    c.device = o.value(QLatin1String("device")).toString();
    c.sequence = wholeNumber(o.value(QLatin1String("sequence")));
    c.clock = wholeNumber(o.value(QLatin1String("clock")));
    c.atMs = wholeNumber(o.value(QLatin1String("at")));
    c.deleted = o.value(QLatin1String("deleted")).toBool(false);
    if (c.kind.isEmpty() || c.id.isEmpty())
        return bad(QStringLiteral("a change needs a kind and an id"));
    if (c.device != device)
        return bad(QStringLiteral("a change of device %1 in %2's file").arg(c.device, device));
    if (c.sequence < 1)
        return bad(QStringLiteral("a change needs a positive sequence"));
    if (c.clock < 1 || c.atMs < 0)
        return bad(QStringLiteral("a change needs a positive clock and a time"));
    if (c.deleted && o.contains(QLatin1String("data")))
        return bad(QStringLiteral("a deletion carries no data"));
    if (!c.deleted) {
        if (!o.value(QLatin1String("data")).isObject())
            return bad(QStringLiteral("an edit carries its data as an object"));
        c.data = o.value(QLatin1String("data")).toObject();
    }
    return c;
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A header line, then one line per change.
QByteArray encodeLines(const QJsonObject &header, const QList<Change> &changes)
{
    QByteArray out = compact(header);
    out += '\n';
    for (const Change &c : changes) {
        out += compact(toJson(c));
        out += '\n';
    }
    return out;
}

Error badLine(const QString &what, int line, const QString &why)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("%1 line %2: %3.").arg(what).arg(line).arg(why),
                     QStringLiteral("file"));
}

// The lines of a file (`what`: "Change file", "Snapshot") whose header names `format`, version 1 and
// `device`; the header is the first.
Result<QList<QByteArray>> readLines(const QByteArray &bytes, const QString &device, const QString &format,
                                    const QString &what, QJsonObject *header)
{
    QList<QByteArray> lines = bytes.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return badLine(what, 1, QStringLiteral("empty"));
    *header = QJsonDocument::fromJson(lines.constFirst()).object();
    if (header->value(QLatin1String("format")).toString() != format)
        return badLine(what, 1, QStringLiteral("not a CacheWise %1").arg(what.toLower()));
    if (header->value(QLatin1String("version")).toInt() != 1)
        return badLine(what, 1,
                       QStringLiteral("version %1 is not one this CacheWise reads")
                           .arg(header->value(QLatin1String("version")).toInt()));
    if (header->value(QLatin1String("device")).toString() != device)
        return badLine(what, 1,
                       QStringLiteral("written by device %1, found under %2")
                           .arg(header->value(QLatin1String("device")).toString(), device));
    return lines;
}

} // namespace

bool wins(const Change &a, const Change &b)
{
    if (a.clock != b.clock)
        return a.clock > b.clock;
    return a.device > b.device;
}

QByteArray encodeChangeFile(const QString &device, const QList<Change> &changes)
{
    const qint64 first = changes.isEmpty() ? 0 : changes.constFirst().sequence;
    const qint64 last = changes.isEmpty() ? 0 : changes.constLast().sequence;
    return encodeLines(QJsonObject{{QStringLiteral("format"), kFormat},
                                   {QStringLiteral("version"), 1},
                                   {QStringLiteral("device"), device},
                                   {QStringLiteral("first"), double(first)},
                                   {QStringLiteral("last"), double(last)}},
                       changes);
}

Result<QList<Change>> decodeChangeFile(const QByteArray &bytes, const QString &device)
{
    const QString what = QStringLiteral("Change file");
    const auto bad = [&what](int line, const QString &why) {
        return badLine(what, line, why);
    };
    QJsonObject header;
    auto read = readLines(bytes, device, kFormat, what, &header);
    if (!read)
        return read.error();
    const QList<QByteArray> &lines = *read;
    const qint64 first = wholeNumber(header.value(QLatin1String("first")));
    const qint64 last = wholeNumber(header.value(QLatin1String("last")));
    if (first < 1 || last < first || last - first + 1 != lines.size() - 1)
        return bad(1, QStringLiteral("it announces changes %1 to %2 but holds %3")
                          .arg(first)
                          .arg(last)
                          .arg(lines.size() - 1));
    QList<Change> changes;
    changes.reserve(lines.size() - 1);
    for (int i = 1; i < lines.size(); ++i) {
        auto c = parseChange(lines.at(i), device);
        if (!c)
            return bad(i + 1, c.errorMessage());
        if (c->sequence != first + i - 1)
            return bad(i + 1,
                       QStringLiteral("sequence %1 where %2 belongs").arg(c->sequence).arg(first + i - 1));
        changes << *c;
    }
    return changes;
}

QString changeFileName(const QString &device, qint64 first)
{
    return QStringLiteral("changes/%1/%2").arg(device).arg(first, 12, 10, QLatin1Char('0'));
}

QString snapshotFolderName(const QString &device, qint64 covers)
{
    return QStringLiteral("changes/%1/snapshot-%2/").arg(device).arg(covers, 12, 10, QLatin1Char('0'));
}

QString snapshotPartName(const QString &device, qint64 covers, int part, int parts)
{
    return snapshotFolderName(device, covers) +
           QStringLiteral("%1-of-%2").arg(part, 6, 10, QLatin1Char('0')).arg(parts, 6, 10, QLatin1Char('0'));
}

QByteArray encodeSnapshotPart(const QString &device, const SnapshotPart &part)
{
    return encodeLines(QJsonObject{{QStringLiteral("format"), kSnapshotFormat},
                                   {QStringLiteral("version"), 1},
                                   {QStringLiteral("device"), device},
                                   {QStringLiteral("covers"), double(part.covers)},
                                   {QStringLiteral("part"), part.part},
                                   {QStringLiteral("parts"), part.parts}},
                       part.changes);
}

Result<SnapshotPart> decodeSnapshotPart(const QByteArray &bytes, const QString &device)
{
    const QString what = QStringLiteral("Snapshot");
    const auto bad = [&what](int line, const QString &why) {
        return badLine(what, line, why);
    };
    QJsonObject header;
    auto read = readLines(bytes, device, kSnapshotFormat, what, &header);
    if (!read)
        return read.error();
    const QList<QByteArray> &lines = *read;
    SnapshotPart part;
    part.covers = wholeNumber(header.value(QLatin1String("covers")));
    part.part = int(wholeNumber(header.value(QLatin1String("part"))));
    part.parts = int(wholeNumber(header.value(QLatin1String("parts"))));
    if (part.covers < 1 || part.part < 1 || part.parts < part.part || part.parts > 1'000'000)
        return bad(1, QStringLiteral("it must cover a sequence and be part P of N"));
    part.changes.reserve(lines.size() - 1);
    for (int i = 1; i < lines.size(); ++i) {
        auto c = parseChange(lines.at(i), device);
        if (!c)
            return bad(i + 1, c.errorMessage());
        if (c->sequence > part.covers)
            return bad(
                i + 1,
                QStringLiteral("sequence %1 is past the %2 it covers").arg(c->sequence).arg(part.covers));
        part.changes << *c;
    }
    return part;
}

MergeOutcome mergeChanges(MergeState &state, QList<Change> incoming)
{
    MergeOutcome out;
    incoming << std::exchange(state.pending, {});
    // Each device's changes in sequence order, so a gap is seen as one.
    std::sort(incoming.begin(), incoming.end(), [](const Change &a, const Change &b) {
        return a.device != b.device ? a.device < b.device : a.sequence < b.sequence;
    });
    for (const Change &c : std::as_const(incoming)) {
        qint64 &appliedTo = state.appliedTo[c.device];
        if (c.sequence <= appliedTo) {
            ++out.duplicates;
            continue;
        }
        if (c.sequence != appliedTo + 1) {
            out.waiting << c;
            continue;
        }
        appliedTo = c.sequence;
        state.clock = std::max(state.clock, c.clock);
        const QString key = recordKey(c);
        const auto current = state.records.constFind(key);
        if (current == state.records.constEnd()) {
            state.records.insert(key, c);
            out.applied << c;
        } else if (wins(c, *current)) {
            out.lost << *current;
            state.records.insert(key, c);
            out.applied << c;
        } else {
            out.lost << c;
        }
    }
    state.pending = out.waiting;
    return out;
}

MergeOutcome mergeSnapshotPart(MergeState &state, const SnapshotPart &part)
{
    MergeOutcome out;
    for (const Change &c : part.changes) {
        if (c.sequence <= state.appliedTo.value(c.device)) {
            ++out.duplicates;
            continue;
        }
        state.clock = std::max(state.clock, c.clock);
        const QString key = recordKey(c);
        const auto current = state.records.constFind(key);
        if (current == state.records.constEnd()) {
            state.records.insert(key, c);
            out.applied << c;
        } else if (current->device == c.device && current->sequence == c.sequence) {
            ++out.duplicates;
        } else if (wins(c, *current)) {
            out.lost << *current;
            state.records.insert(key, c);
            out.applied << c;
        } else {
            out.lost << c;
        }
    }
    return out;
}

Change localChange(MergeState &state, const QString &device, qint64 sequence, const QString &kind,
                   const QString &id, const QJsonObject &data, bool deleted, qint64 nowMs)
{
    Change c;
    c.kind = kind;
    c.id = id;
    c.device = device;
    c.sequence = sequence;
    c.clock = ++state.clock;
    c.atMs = nowMs;
    c.deleted = deleted;
    if (!deleted)
        c.data = data;
    return c;
}

} // namespace cachewise::sync
