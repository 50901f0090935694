// SPDX-License-Identifier: GPL-3.0-or-later
// Change files and the merge rule: devices editing the same records offline converge whatever order they
// read each other in, a file read twice changes nothing, a gap waits, the losing version is kept for the
// log, and every malformed change file is refused with its line.
#include "core/sync/changes.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace cachewise;
using sync::Change;

namespace {

// A device as the merge sees it: its state and the changes it made.
struct Device
{
    explicit Device(QString id_) : id(std::move(id_)) {}
    QString id;
    sync::MergeState state;
    QList<Change> made;

    Change edit(const QString &kind, const QString &recordId, const QJsonObject &data, bool deleted = false)
    {
        const Change c = sync::localChange(state, id, qint64(made.size()) + 1, kind, recordId, data, deleted,
                                           1'700'000'000'000 + made.size());
        made << c;
        sync::mergeChanges(state, {c});
        return c;
    }
};

QHash<QString, Change> recordsAfter(QList<Change> changes, quint32 seed)
{
    std::shuffle(changes.begin(), changes.end(), QRandomGenerator(seed));
    sync::MergeState state;
    // Arriving in pieces, in any order, some twice.
    for (qsizetype i = 0; i < changes.size(); i += 3)
        sync::mergeChanges(state, changes.mid(i, 3));
    sync::mergeChanges(state, changes.mid(0, changes.size() / 2));
    return state.records;
}

} // namespace

class TestSyncChanges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offlineEditsConverge();
    void readingTwiceChangesNothing();
    void aGapWaits();
    void tombstonesAreChanges();
    void changeFilesRoundTrip();
    void malformedChangeFilesRefused();
    void snapshotMergesAsItsFilesDid();
    void snapshotPartsRoundTripAndRefuseDamage();
};

void TestSyncChanges::offlineEditsConverge()
{
    Device laptop(QStringLiteral("a1-laptop"));
    Device desktop(QStringLiteral("b2-desktop"));
    const QString project = QStringLiteral("3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e");
    // Both start from the same project, then edit it offline.
    laptop.edit(QStringLiteral("project"), project, {{QStringLiteral("name"), QStringLiteral("Local")}});
    sync::mergeChanges(desktop.state, laptop.made);
    laptop.edit(QStringLiteral("project"), project,
                {{QStringLiteral("name"), QStringLiteral("Laptop name")}});
    desktop.edit(QStringLiteral("project"), project,
                 {{QStringLiteral("name"), QStringLiteral("Desktop name")}});
    desktop.edit(QStringLiteral("automation"), project, {{QStringLiteral("maxCachePercent"), 85}});
    laptop.edit(QStringLiteral("source"), QStringLiteral("s1"),
                {{QStringLiteral("url"), QStringLiteral("http://127.0.0.1:8080")}});

    // Each reads the other: same records on both, in either order.
    const sync::MergeOutcome onLaptop = sync::mergeChanges(laptop.state, desktop.made);
    const sync::MergeOutcome onDesktop = sync::mergeChanges(desktop.state, laptop.made);
    QCOMPARE(laptop.state.records, desktop.state.records);
    QCOMPARE(laptop.state.records.size(), 3);
    // Equal clocks (one edit each since they parted): the greater device id wins, everywhere.
    const Change name = laptop.state.records.value(QStringLiteral("project/") + project);
    QCOMPARE(name.data.value(QLatin1String("name")).toString(), QStringLiteral("Desktop name"));
    // The losing version is kept for the action log on the device where it lost.
    QCOMPARE(onLaptop.lost.size(), 1);
    QCOMPARE(onLaptop.lost.constFirst().data.value(QLatin1String("name")).toString(),
             QStringLiteral("Laptop name"));
    QCOMPARE(onDesktop.lost.size(), 1);
    QCOMPARE(onDesktop.lost.constFirst().data.value(QLatin1String("name")).toString(),
             QStringLiteral("Laptop name"));

    // A later edit, made after seeing the other's, wins over it whatever the device ids.
    laptop.edit(QStringLiteral("project"), project, {{QStringLiteral("name"), QStringLiteral("Agreed")}});
    sync::mergeChanges(desktop.state, laptop.made);
    QCOMPARE(desktop.state.records.value(QStringLiteral("project/") + project)
                 .data.value(QLatin1String("name"))
                 .toString(),
             QStringLiteral("Agreed"));

    // A third device joining later, reading everything in any order, any number of times, ends the same.
    const QList<Change> all = laptop.made + desktop.made;
    for (quint32 seed = 1; seed <= 20; ++seed)
        QCOMPARE(recordsAfter(all, seed), desktop.state.records);
}

void TestSyncChanges::readingTwiceChangesNothing()
{
    Device a(QStringLiteral("a"));
    a.edit(QStringLiteral("project"), QStringLiteral("p"), {{QStringLiteral("name"), QStringLiteral("x")}});
    a.edit(QStringLiteral("project"), QStringLiteral("p"), {{QStringLiteral("name"), QStringLiteral("y")}});
    sync::MergeState b;
    const sync::MergeOutcome first = sync::mergeChanges(b, a.made);
    QCOMPARE(first.applied.size(), 2);
    const auto before = b.records;
    const sync::MergeOutcome again = sync::mergeChanges(b, a.made);
    QCOMPARE(again.duplicates, 2);
    QVERIFY(again.applied.isEmpty() && again.lost.isEmpty());
    QCOMPARE(b.records, before);
    QCOMPARE(b.appliedTo.value(QStringLiteral("a")), 2);
}

void TestSyncChanges::aGapWaits()
{
    Device a(QStringLiteral("a"));
    for (int i = 0; i < 4; ++i)
        a.edit(QStringLiteral("action"), QStringLiteral("act%1").arg(i), {{QStringLiteral("n"), i}});
    sync::MergeState b;
    // Changes 3 and 4 arrive before 1 and 2 (their file was read first): they wait, nothing is skipped.
    sync::MergeOutcome out = sync::mergeChanges(b, a.made.mid(2));
    QVERIFY(out.applied.isEmpty());
    QCOMPARE(out.waiting.size(), 2);
    QCOMPARE(b.records.size(), 0);
    QCOMPARE(b.appliedTo.value(QStringLiteral("a")), 0);
    out = sync::mergeChanges(b, a.made.mid(0, 2));
    QCOMPARE(out.applied.size(), 4);
    QVERIFY(out.waiting.isEmpty() && b.pending.isEmpty());
    QCOMPARE(b.appliedTo.value(QStringLiteral("a")), 4);
}

void TestSyncChanges::tombstonesAreChanges()
{
    Device a(QStringLiteral("a"));
    Device b(QStringLiteral("b"));
    a.edit(QStringLiteral("project"), QStringLiteral("p"), {{QStringLiteral("name"), QStringLiteral("x")}});
    sync::mergeChanges(b.state, a.made);
    const Change gone = a.edit(QStringLiteral("project"), QStringLiteral("p"), {}, true);
    QVERIFY(gone.deleted && gone.data.isEmpty());
    sync::mergeChanges(b.state, a.made);
    QVERIFY(b.state.records.value(QStringLiteral("project/p")).deleted);
    // An edit made after seeing the deletion brings the record back, on both.
    b.edit(QStringLiteral("project"), QStringLiteral("p"),
           {{QStringLiteral("name"), QStringLiteral("back")}});
    sync::mergeChanges(a.state, b.made);
    QVERIFY(!a.state.records.value(QStringLiteral("project/p")).deleted);
    QCOMPARE(a.state.records, b.state.records);
}

void TestSyncChanges::changeFilesRoundTrip()
{
    Device a(QStringLiteral("5b0e3c1a"));
    a.edit(QStringLiteral("project"), QStringLiteral("p"),
           {{QStringLiteral("name"), QStringLiteral("Türkçe ad")}});
    a.edit(QStringLiteral("project"), QStringLiteral("p"), {}, true);
    a.edit(QStringLiteral("rollup"), QStringLiteral("p/kv/60000/1700000000000"),
           {{QStringLiteral("mean"), 12.5}});
    const QByteArray file = sync::encodeChangeFile(a.id, a.made);
    auto decoded = sync::decodeChangeFile(file, a.id);
    QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.errorMessage()));
    QCOMPARE(decoded.value(), a.made);
    // A later file continues the sequence; its name says only the device and where it starts.
    QCOMPARE(sync::changeFileName(a.id, 4), QStringLiteral("changes/5b0e3c1a/000000000004"));
    QVERIFY(sync::decodeChangeFile(sync::encodeChangeFile(a.id, a.made.mid(1)), a.id));
}

void TestSyncChanges::malformedChangeFilesRefused()
{
    Device a(QStringLiteral("dev"));
    a.edit(QStringLiteral("project"), QStringLiteral("p"), {{QStringLiteral("name"), QStringLiteral("x")}});
    a.edit(QStringLiteral("project"), QStringLiteral("q"), {{QStringLiteral("name"), QStringLiteral("y")}});
    const QByteArray good = sync::encodeChangeFile(a.id, a.made);
    QList<QByteArray> lines = good.split('\n');
    lines.removeLast();
    const auto with = [&](int line, const QByteArray &text) -> QByteArray {
        QList<QByteArray> changed = lines;
        changed[line] = text;
        return changed.join('\n') + '\n';
    };
    const auto changeLine = [&](int line, const QString &key, const QJsonValue &value) -> QByteArray {
        QJsonObject o = QJsonDocument::fromJson(lines.at(line)).object();
        if (value.isUndefined())
            o.remove(key);
        else
            o.insert(key, value);
        return with(line, QJsonDocument(o).toJson(QJsonDocument::Compact));
    };
    const struct
    {
        QByteArray bytes;
        const char *says;
    } cases[] = {
        {QByteArray(), "line 1: empty"},
        {QByteArrayLiteral("hello\n"), "not a CacheWise change file"},
        {changeLine(0, QStringLiteral("version"), 2), "version 2"},
        {changeLine(0, QStringLiteral("device"), QStringLiteral("other")), "written by device other"},
        {changeLine(0, QStringLiteral("last"), 3), "holds 2"},
        {changeLine(0, QStringLiteral("first"), 0), "announces"},
        {with(1, QByteArrayLiteral("{not json")), "line 2: not a JSON object"},
        {changeLine(2, QStringLiteral("sequence"), 5), "line 3: sequence 5 where 2 belongs"},
        {changeLine(1, QStringLiteral("device"), QStringLiteral("other")), "a change of device other"},
        {changeLine(1, QStringLiteral("kind"), QJsonValue(QJsonValue::Undefined)), "kind and an id"},
        {changeLine(1, QStringLiteral("clock"), 0), "positive clock"},
        {changeLine(1, QStringLiteral("clock"), 1.5), "positive clock"},
        {changeLine(1, QStringLiteral("deleted"), true), "a deletion carries no data"},
        {changeLine(1, QStringLiteral("data"), QStringLiteral("x")), "data as an object"},
        {good.left(good.size() - 20), "line 3"},
    };
    for (const auto &c : cases) {
        const auto r = sync::decodeChangeFile(c.bytes, a.id);
        QVERIFY2(!r, c.says);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY2(r.errorMessage().contains(QString::fromUtf8(c.says)), qPrintable(r.errorMessage()));
    }
}

void TestSyncChanges::snapshotMergesAsItsFilesDid()
{
    Device a(QStringLiteral("a"));
    Device b(QStringLiteral("b"));
    const QString p = QStringLiteral("p");
    a.edit(QStringLiteral("project"), p, {{QStringLiteral("name"), QStringLiteral("one")}});
    a.edit(QStringLiteral("project"), QStringLiteral("q"), {{QStringLiteral("name"), QStringLiteral("q")}});
    sync::mergeChanges(b.state, a.made);
    a.edit(QStringLiteral("project"), p, {{QStringLiteral("name"), QStringLiteral("two")}});
    b.edit(QStringLiteral("project"), p,
           {{QStringLiteral("name"), QStringLiteral("b's")}}); // offline, beside
    a.edit(QStringLiteral("project"), QStringLiteral("q"), {}, true);
    a.edit(QStringLiteral("action"), QStringLiteral("act"), {{QStringLiteral("n"), 1}});
    // A's snapshot: its last version of each record (tombstones too), as of its last change.
    sync::SnapshotPart snapshot{qint64(a.made.size()), 1, 1, {}};
    for (const Change &c : std::as_const(a.state.records)) {
        if (c.device == a.id)
            snapshot.changes << c;
    }
    QCOMPARE(snapshot.changes.size(), 3); // "one" and "q" were replaced by later versions

    // A device that never saw A's files, one that saw the first two, and one that saw them all: the snapshot
    // leaves each where all of A's files would have.
    for (const qint64 seen : {qint64(0), qint64(2), qint64(a.made.size())}) {
        sync::MergeState byFiles;
        sync::mergeChanges(byFiles, b.made);
        sync::MergeState bySnapshot = byFiles;
        sync::mergeChanges(byFiles, a.made);
        sync::mergeChanges(bySnapshot, a.made.mid(0, seen));
        const sync::MergeOutcome out = sync::mergeSnapshotPart(bySnapshot, snapshot);
        QCOMPARE(bySnapshot.records, byFiles.records);
        QCOMPARE(bySnapshot.clock, byFiles.clock);
        QCOMPARE(out.duplicates, seen == qint64(a.made.size()) ? 3 : 0);
        // The same part again (a round cut after it): nothing changes (a version that lost, loses again).
        const auto before = bySnapshot.records;
        const sync::MergeOutcome again = sync::mergeSnapshotPart(bySnapshot, snapshot);
        QVERIFY(again.applied.isEmpty());
        QCOMPARE(again.duplicates + again.lost.size(), 3);
        QCOMPARE(bySnapshot.records, before);
    }
    // A's "two" and B's offline edit have the same clock: B's wins (the greater id), and A's version in the
    // snapshot is the one that lost, as it was from A's file.
    QCOMPARE(b.state.records.size(), 2);
    sync::MergeState fromSnapshot = b.state;
    const sync::MergeOutcome out = sync::mergeSnapshotPart(fromSnapshot, snapshot);
    QCOMPARE(
        fromSnapshot.records.value(QStringLiteral("project/p")).data.value(QLatin1String("name")).toString(),
        QStringLiteral("b's"));
    // Lost: A's "two", and A's own first version of q, replaced by its deletion (not a conflict: the caller
    // logs only versions that lost to another device's).
    QCOMPARE(out.lost.size(), 2);
    for (const Change &lost : out.lost) {
        const Change &kept = fromSnapshot.records.value(lost.kind + QLatin1Char('/') + lost.id);
        if (lost.id == QLatin1String("p"))
            QCOMPARE(lost.data.value(QLatin1String("name")).toString(), QStringLiteral("two"));
        else
            QVERIFY(lost.id == QLatin1String("q") && kept.device == lost.device && kept.deleted);
    }
}

void TestSyncChanges::snapshotPartsRoundTripAndRefuseDamage()
{
    Device a(QStringLiteral("5b0e3c1a"));
    a.edit(QStringLiteral("project"), QStringLiteral("p"),
           {{QStringLiteral("name"), QStringLiteral("Türkçe")}});
    a.edit(QStringLiteral("project"), QStringLiteral("q"), {}, true);
    const sync::SnapshotPart part{2, 1, 3, a.made};
    const QByteArray bytes = sync::encodeSnapshotPart(a.id, part);
    auto decoded = sync::decodeSnapshotPart(bytes, a.id);
    QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.errorMessage()));
    QCOMPARE(decoded->covers, 2);
    QCOMPARE(decoded->part, 1);
    QCOMPARE(decoded->parts, 3);
    QCOMPARE(decoded->changes, a.made);
    QCOMPARE(sync::snapshotPartName(a.id, 2, 1, 3),
             QStringLiteral("changes/5b0e3c1a/snapshot-000000000002/000001-of-000003"));

    QList<QByteArray> lines = bytes.split('\n');
    lines.removeLast();
    const auto changeLine = [&](int line, const QString &key, const QJsonValue &value) -> QByteArray {
        QList<QByteArray> changed = lines;
        QJsonObject o = QJsonDocument::fromJson(lines.at(line)).object();
        o.insert(key, value);
        changed[line] = QJsonDocument(o).toJson(QJsonDocument::Compact);
        return changed.join('\n') + '\n';
    };
    const struct
    {
        QByteArray bytes;
        const char *says;
    } cases[] = {
        {QByteArray(), "line 1: empty"},
        {sync::encodeChangeFile(a.id, a.made), "not a CacheWise snapshot"},
        {changeLine(0, QStringLiteral("version"), 2), "version 2"},
        {changeLine(0, QStringLiteral("device"), QStringLiteral("other")), "written by device other"},
        {changeLine(0, QStringLiteral("part"), 4), "part P of N"},
        {changeLine(0, QStringLiteral("covers"), 0), "part P of N"},
        {changeLine(2, QStringLiteral("sequence"), 3), "line 3: sequence 3 is past the 2 it covers"},
        {changeLine(1, QStringLiteral("sequence"), 0), "positive sequence"},
        {changeLine(1, QStringLiteral("device"), QStringLiteral("other")), "a change of device other"},
        {changeLine(2, QStringLiteral("data"), QJsonObject()), "a deletion carries no data"},
    };
    for (const auto &c : cases) {
        const auto r = sync::decodeSnapshotPart(c.bytes, a.id);
        QVERIFY2(!r, c.says);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY2(r.errorMessage().contains(QString::fromUtf8(c.says)), qPrintable(r.errorMessage()));
    }
}

QTEST_GUILESS_MAIN(TestSyncChanges)
#include "tst_syncchanges.moc"
