// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sync/changes.h"

#include <QJsonDocument>

#include <algorithm>
#include <utility>

namespace cachewise::sync {
namespace {

const QString kFormat = QStringLiteral("cachewise-changes");

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
    QByteArray out = QJsonDocument(QJsonObject{{QStringLiteral("format"), kFormat},
                                               {QStringLiteral("version"), 1},
                                               {QStringLiteral("device"), device},
                                               {QStringLiteral("first"), double(first)},
                                               {QStringLiteral("last"), double(last)}})
                         .toJson(QJsonDocument::Compact);
    out += '\n';
    for (const Change &c : changes) {
        out += QJsonDocument(toJson(c)).toJson(QJsonDocument::Compact);
        out += '\n';
    }
    return out;
}

Result<QList<Change>> decodeChangeFile(const QByteArray &bytes, const QString &device)
{
    QList<QByteArray> lines = bytes.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    const auto bad = [](int line, const QString &why) {
        return makeError(ErrorKind::BadInput, QStringLiteral("Change file line %1: %2.").arg(line).arg(why),
                         QStringLiteral("file"));
    };
    if (lines.isEmpty())
        return bad(1, QStringLiteral("empty"));
    const QJsonObject header = QJsonDocument::fromJson(lines.constFirst()).object();
    if (header.value(QLatin1String("format")).toString() != kFormat)
        return bad(1, QStringLiteral("not a CacheWise change file"));
    if (header.value(QLatin1String("version")).toInt() != 1)
        return bad(1, QStringLiteral("version %1 is not one this CacheWise reads")
                          .arg(header.value(QLatin1String("version")).toInt()));
    if (header.value(QLatin1String("device")).toString() != device)
        return bad(1, QStringLiteral("written by device %1, found under %2")
                          .arg(header.value(QLatin1String("device")).toString(), device));
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
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(lines.at(i), &error);
        if (!doc.isObject())
            return bad(i + 1, QStringLiteral("not a JSON object"));
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
            return bad(i + 1, QStringLiteral("a change needs a kind and an id"));
        if (c.device != device)
            return bad(i + 1, QStringLiteral("a change of device %1 in %2's file").arg(c.device, device));
        if (c.sequence != first + i - 1)
            return bad(i + 1,
                       QStringLiteral("sequence %1 where %2 belongs").arg(c.sequence).arg(first + i - 1));
        if (c.clock < 1 || c.atMs < 0)
            return bad(i + 1, QStringLiteral("a change needs a positive clock and a time"));
        if (c.deleted && o.contains(QLatin1String("data")))
            return bad(i + 1, QStringLiteral("a deletion carries no data"));
        if (!c.deleted) {
            if (!o.value(QLatin1String("data")).isObject())
                return bad(i + 1, QStringLiteral("an edit carries its data as an object"));
            c.data = o.value(QLatin1String("data")).toObject();
        }
        changes << c;
    }
    return changes;
}

QString changeFileName(const QString &device, qint64 first)
{
    return QStringLiteral("changes/%1/%2").arg(device).arg(first, 12, 10, QLatin1Char('0'));
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
