// SPDX-License-Identifier: GPL-3.0-or-later
// Hosted sync end to end against the real Apache the test starts (mod_dav over HTTPS with a test CA): devices
// are data folders driven through cachewise-cli (the app password in the real keychain of a private D-Bus
// session), and through the Syncer itself where a fault must strike mid-transfer. Shown: the account refused
// in words (and nothing kept), a self-signed certificate pinned after its fingerprint is confirmed, two
// devices that edited the same project offline converging whichever syncs first (the loser in the action
// log), a third device joining later, metric history travelling as rollups while raw samples stay, API key
// secrets never leaving, the server stopped mid-upload and mid-download, a 507, a 401 after a password
// change, a half-written file, and an encrypted account (wrong passphrase, tampered file).
#include "core/common/clock.h"
#include "core/common/gzip.h"
#include "core/common/secretstore.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/sync/account.h"
#include "core/sync/changes.h"
#include "core/sync/syncer.h"
#include "core/sync/webdav.h"
#include "tests/support/cli.h"
#include "tests/support/teststack.h"
#include "tests/support/webdavpeer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace cachewise;
using test::runCli;

namespace {

const QString kAlicePass = QStringLiteral("alice-pass");

// One device: a data folder of its own.
struct Device
{
    QTemporaryDir dir;
    QString path() const { return dir.path(); }
    QString database() const { return dir.path() + QStringLiteral("/cachewise.sqlite"); }
};

QString stateOf(const QString &databasePath);

} // namespace

class TestSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    // A test that failed with the server stopped leaves it stopped: the next one starts it.
    void init()
    {
        if (!m_peer.running())
            QVERIFY2(m_peer.start(), qPrintable(m_peer.error()));
        QVERIFY(m_peer.setQuotaFull(false) && m_peer.setSlowDownloads(false));
    }
    void accountRefusedInWords();
    void selfSignedPinnedAfterConfirmation();
    void twoDevicesConvergeInEitherOrder();
    void serverStoppedMidUploadAndMidDownload();
    void fullAccountAndChangedPassword();
    void halfWrittenFileWaits();
    void encryptedAccount();
    void changeThatDoesNotFitIsReported();
    void deviceJoinsAfterSnapshot();
    void secretGoneFromKeychain();
    void snapshotWrittenWhenDue();

private:
    test::CliResult cli(const Device &d, const QStringList &args, const QByteArray &input = {})
    {
        return runCli(d.path(), args, input);
    }
    // `sync account set` for alice with the test CA.
    QStringList setArgs(const QString &folder) const
    {
        return {QStringLiteral("sync"),
                QStringLiteral("account"),
                QStringLiteral("set"),
                QStringLiteral("--url"),
                m_peer.url(QStringLiteral("alice")),
                QStringLiteral("--user"),
                QStringLiteral("alice"),
                QStringLiteral("--password-stdin"),
                QStringLiteral("--folder"),
                folder,
                QStringLiteral("--ca-file"),
                m_peer.caFile()};
    }
    // Joins the account; exit code 0 expected.
    bool join(const Device &d, const QString &folder, const QByteArray &extraInput = {},
              const QStringList &extra = {})
    {
        QStringList args = setArgs(folder);
        args << extra;
        const auto r = cli(d, args, kAlicePass.toUtf8() + "\n" + extraInput);
        if (r.exitCode != 0)
            qWarning().noquote() << "account set:" << r.err;
        return r.exitCode == 0;
    }
    QJsonObject syncNow(const Device &d)
    {
        const auto r = cli(d, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("now")});
        if (r.exitCode != 0)
            qWarning().noquote() << "sync now:" << r.err;
        return r.exitCode == 0 ? r.json() : QJsonObject();
    }
    QString createProject(const Device &d, const QString &name)
    {
        const auto r = cli(d, {QStringLiteral("--json"), QStringLiteral("project"), QStringLiteral("create"),
                               QStringLiteral("--name"), name});
        return r.json().value(QLatin1String("id")).toString();
    }
    QString deviceOf(const Device &d)
    {
        return cli(d, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")})
            .json()
            .value(QLatin1String("device"))
            .toString();
    }
    bool rename(const Device &d, const QString &id, const QString &name)
    {
        return cli(d,
                   {QStringLiteral("project"), QStringLiteral("update"), id, QStringLiteral("--name"), name})
                   .exitCode == 0;
    }
    sync::WebDavAccount account(const QString &folder)
    {
        sync::WebDavAccount a;
        a.folder = QUrl(m_peer.url(QStringLiteral("alice")) + folder + QLatin1Char('/'));
        a.user = QStringLiteral("alice");
        a.password = kAlicePass;
        a.trustedCas = QSslCertificate::fromPath(m_peer.caFile());
        return a;
    }

    test::WebDavPeer m_peer;
    SystemClock m_clock;
};

namespace {

// What a device holds of the synced records, as text: equal on two devices means they converged.
QString stateOf(const QString &databasePath)
{
    const QString name = QStringLiteral("state-") + databasePath;
    QString out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(databasePath);
        if (!db.open())
            return QStringLiteral("cannot open ") + databasePath;
        QSqlQuery q(db);
        for (const char *sql :
             {"SELECT id, name, model_name FROM projects ORDER BY id",
              "SELECT project_id, engine, context, parallel, cache_type_k FROM project_runtime ORDER BY "
              "project_id",
              "SELECT id, project_id, base_url, enabled FROM project_sources ORDER BY id",
              "SELECT project_id, rule, status FROM recommendations ORDER BY project_id, rule",
              // The conflicts each device logged are its own view (not synced): left out.
              "SELECT id, action_type, status FROM automated_actions WHERE action_type <> 'sync_conflict' "
              "ORDER BY id",
              "SELECT kind, record_id, device, sequence, clock, deleted FROM sync_records ORDER BY kind, "
              "record_id",
              "SELECT k.project_id, r.resolution, r.metric, r.bucket_start, r.count, r.sum FROM (SELECT "
              "project, "
              "resolution, metric, bucket_start, sum(count) AS count, total(sum) AS sum FROM all_rollups "
              "GROUP BY "
              "1, 2, 3, 4) r JOIN project_keys k ON k.key = r.project ORDER BY 1, 2, 3, 4"}) {
            if (!q.exec(QString::fromLatin1(sql)))
                return QStringLiteral("query failed: ") + QString::fromLatin1(sql);
            while (q.next()) {
                QStringList row;
                for (int i = 0; i < q.record().count(); ++i)
                    row << q.value(i).toString();
                out += row.join(QLatin1Char('|')) + QLatin1Char('\n');
            }
            out += QStringLiteral("--\n");
        }
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

qint64 count(const QString &databasePath, const QString &sql)
{
    const QString name = QStringLiteral("count-") + databasePath;
    qint64 value = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(databasePath);
        if (db.open())
            value = test::scalar(db, sql);
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

// Every byte of every file under the account's folder on the server's disk, compressed files inflated, for
// looking for what must not be there.
QByteArray everythingUnder(const QString &folder)
{
    QByteArray all;
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        auto inflated = bytes.startsWith("\x1f\x8b") ? gunzip(bytes, 1 << 28) : Result<QByteArray>(bytes);
        all += inflated ? *inflated : bytes;
    }
    return all;
}

// Minute samples for `hours` hours, through the real writer (rollups and the outbox's triggers as in the
// app).
bool pushHours(const QString &databasePath, const QString &projectId, qint64 startMs, int hours)
{
    SystemClock clock;
    storage::MetricWriter writer(databasePath, clock);
    if (!writer.start())
        return false;
    QList<model::MetricSample> samples;
    for (int i = 0; i < hours * 60; ++i) {
        model::MetricSample s;
        s.projectId = projectId;
        s.timestampMs = startMs + qint64(i) * 60'000;
        s.setValue(model::Metric::TokensProcessed, 1000 + i);
        s.setValue(model::Metric::KvCacheSizeKB, 2048 + (i % 97));
        s.setValue(model::Metric::MemoryUsageGB, 6.5 + (i % 13) / 10.0);
        s.setValue(model::Metric::InferenceTimeMs, 200 + (i % 31));
        samples << s;
    }
    return test::writeAndWait(writer, samples).ok();
}

} // namespace

void TestSync::initTestCase()
{
    QVERIFY2(!test::cliBinary().isEmpty(), "CACHEWISE_CLI names the command-line tool");
    QVERIFY2(m_peer.start(), qPrintable(m_peer.error()));
}

void TestSync::accountRefusedInWords()
{
    Device d;
    const QString alice = m_peer.url(QStringLiteral("alice"));
    const auto set = [&](const QString &url, const QString &password, const QStringList &extra = {}) {
        QStringList args{QStringLiteral("sync"),
                         QStringLiteral("account"),
                         QStringLiteral("set"),
                         QStringLiteral("--url"),
                         url,
                         QStringLiteral("--user"),
                         QStringLiteral("alice"),
                         QStringLiteral("--password-stdin")};
        return cli(d, args << extra, password.toUtf8() + "\n");
    };
    const QStringList ca{QStringLiteral("--ca-file"), m_peer.caFile()};
    const auto notKept = [&] {
        const auto status =
            cli(d, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")});
        return status.exitCode == 0 && !status.json().value(QLatin1String("configured")).toBool();
    };
    struct Case
    {
        QString url;
        QString password;
        QStringList extra;
        int exitCode;
        QString words;
    };
    const QList<Case> cases{
        {QStringLiteral("http://127.0.0.1:%1/alice/").arg(m_peer.port()), kAlicePass, ca, 2,
         QStringLiteral("https://")},
        {alice, QStringLiteral("wrong"), ca, 1, QStringLiteral("HTTP 401")},
        {m_peer.url(QStringLiteral("bob")), kAlicePass, ca, 1, QStringLiteral("HTTP 403")},
        {m_peer.url(QStringLiteral("nobody")), kAlicePass, ca, 1, QStringLiteral("HTTP 404")},
        {m_peer.plainUrl(), kAlicePass, ca, 1, QStringLiteral("does not speak WebDAV")},
        {QStringLiteral("https://cachewise-test.invalid/dav/"), kAlicePass, ca, 1, QStringLiteral("(DNS)")},
        {alice, kAlicePass, {}, 1, QStringLiteral("is not trusted")},
        {alice,
         kAlicePass,
         {QStringLiteral("--ca-file"), QStringLiteral("/nonexistent.pem")},
         2,
         QStringLiteral("Cannot read the CA file")},
        {alice, kAlicePass, QStringList(ca) << QStringLiteral("--folder") << QStringLiteral("../bob"), 2,
         QStringLiteral("must be a path under")},
    };
    for (const Case &c : cases) {
        const auto r = set(c.url, c.password, c.extra);
        QVERIFY2(r.exitCode == c.exitCode && r.err.contains(c.words.toUtf8()),
                 qPrintable(c.url + QStringLiteral(": ") + QString::fromUtf8(r.err)));
        QVERIFY2(notKept(), qPrintable(c.url));
    }
    // Nothing of the refused attempts reached the keychain or the database; a good one then works, and the
    // status says so without the password anywhere.
    QCOMPARE(set(alice, kAlicePass, ca).exitCode, 0);
    const auto status = cli(d, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")});
    QCOMPARE(status.json().value(QLatin1String("configured")).toBool(), true);
    QVERIFY(!status.out.contains(kAlicePass.toUtf8()));
    QVERIFY(!everythingUnder(d.path()).contains(kAlicePass.toUtf8()));
    QCOMPARE(cli(d, {QStringLiteral("sync"), QStringLiteral("account"), QStringLiteral("test")}).exitCode, 0);
    // Another account while this one is set: refused until it is forgotten.
    QCOMPARE(set(alice, kAlicePass, QStringList(ca) << QStringLiteral("--folder") << QStringLiteral("Other"))
                 .exitCode,
             1);
    QCOMPARE(cli(d, {QStringLiteral("sync"), QStringLiteral("forget")}).exitCode, 0);
    QVERIFY(notKept());
    const auto test = cli(d, {QStringLiteral("sync"), QStringLiteral("account"), QStringLiteral("test")});
    QVERIFY(test.exitCode == 1 && test.err.contains("No hosted account"));
}

void TestSync::selfSignedPinnedAfterConfirmation()
{
    Device d;
    const QStringList base{
        QStringLiteral("sync"),  QStringLiteral("account"),           QStringLiteral("set"),
        QStringLiteral("--url"), m_peer.url(QStringLiteral("alice")), QStringLiteral("--user"),
        QStringLiteral("alice"), QStringLiteral("--password-stdin"),  QStringLiteral("--folder"),
        QStringLiteral("Pinned")};
    const auto refused = cli(d, base, kAlicePass.toUtf8() + "\n");
    QCOMPARE(refused.exitCode, 1);
    // The message names the certificate's fingerprint; the user checks it and confirms it.
    const QString err = QString::fromUtf8(refused.err);
    const qsizetype at = err.indexOf(QLatin1String("fingerprint is "));
    QVERIFY2(at > 0, qPrintable(err));
    const QString fingerprint = err.mid(at + 15, 95);
    QVERIFY(sync::parseFingerprint(fingerprint));
    const auto wrongPin =
        cli(d, QStringList(base) << QStringLiteral("--trust-fingerprint") << QString(64, QLatin1Char('a')),
            kAlicePass.toUtf8() + "\n");
    QCOMPARE(wrongPin.exitCode, 1);
    const auto pinned = cli(d,
                            QStringList(base) << QStringLiteral("--json")
                                              << QStringLiteral("--trust-fingerprint") << fingerprint,
                            kAlicePass.toUtf8() + "\n");
    QVERIFY2(pinned.exitCode == 0, pinned.err.constData());
    QCOMPARE(pinned.json().value(QLatin1String("pinnedSha256")).toString(), fingerprint);
    QVERIFY(!syncNow(d).isEmpty());
}

void TestSync::twoDevicesConvergeInEitherOrder()
{
    Device a, b, c;
    const QString folder = QStringLiteral("Team");
    QVERIFY(join(a, folder));
    QVERIFY(join(b, folder));
    const QString shared = createProject(a, QStringLiteral("llama-8b laptop"));
    const QString other = createProject(b, QStringLiteral("qwen desktop"));
    QVERIFY(!shared.isEmpty() && !other.isEmpty());
    // A key made on the laptop: its metadata travels, its secret and hash never do.
    const auto key =
        cli(a, {QStringLiteral("--json"), QStringLiteral("key"), QStringLiteral("create"),
                QStringLiteral("--project"), shared, QStringLiteral("--name"), QStringLiteral("laptop")});
    const QString secret = key.json().value(QLatin1String("apiKey")).toString();
    QVERIFY(!secret.isEmpty());
    // An hour and a half of metrics measured on the laptop.
    const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() / 3'600'000 - 5) * 3'600'000;
    QVERIFY(pushHours(a.database(), shared, t0, 2));

    QVERIFY(!syncNow(a).isEmpty());
    QVERIFY(!syncNow(b).isEmpty());
    QVERIFY(!syncNow(a).isEmpty());
    QCOMPARE(stateOf(a.database()), stateOf(b.database()));
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM projects")), 2);
    // Raw samples stay where they were measured; the desktop reads the laptop's history from its rollups.
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM samples")), 0);
    const auto statsA =
        cli(a, {QStringLiteral("--json"), QStringLiteral("stats"), QStringLiteral("--project"), shared});
    const auto statsB =
        cli(b, {QStringLiteral("--json"), QStringLiteral("stats"), QStringLiteral("--project"), shared});
    QCOMPARE(statsB.json().value(QLatin1String("sampleCount")).toDouble(), 120.0);
    QCOMPARE(statsB.json().value(QLatin1String("metrics")), statsA.json().value(QLatin1String("metrics")));
    // Both of the laptop's keys for it (the one made with the project, and "laptop") are known by metadata;
    // none can be used on the desktop.
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM sync_records WHERE kind = 'apiKey' AND "
                                                "json_extract(data, '$.project_id') = '%1'")
                                     .arg(shared)),
             2);
    QCOMPARE(count(b.database(),
                   QStringLiteral("SELECT count(*) FROM api_keys WHERE project_id = '%1'").arg(shared)),
             0);
    const QByteArray onServer =
        everythingUnder(m_peer.folder(QStringLiteral("alice")) + QLatin1Char('/') + folder);
    QVERIFY(onServer.contains("llama-8b laptop")); // the search sees the records (the files are inflated)
    QVERIFY(!onServer.contains(secret.toUtf8()));
    QVERIFY(!onServer.contains(storage::KeyStore::hashSecret(secret).toHex()));
    QVERIFY(!onServer.contains("key_hash"));

    // Both edit the same project offline, then sync in one order; then another edit each, in the other order.
    const auto rename = [&](const Device &d, const QString &id, const QString &name) {
        return cli(d,
                   {QStringLiteral("project"), QStringLiteral("update"), id, QStringLiteral("--name"), name})
                   .exitCode == 0;
    };
    const auto runtime = [&](const Device &d, const QString &id, const QString &context) {
        return cli(d, {QStringLiteral("project"), QStringLiteral("runtime"), id, QStringLiteral("--model"),
                       QStringLiteral("llama-3.1-8b"), QStringLiteral("--context"), context})
                   .exitCode == 0;
    };
    QVERIFY(rename(a, shared, QStringLiteral("llama on the laptop")));
    QVERIFY(rename(b, shared, QStringLiteral("llama on the desktop")));
    QVERIFY(runtime(b, shared, QStringLiteral("16384")));
    QVERIFY(!syncNow(b).isEmpty());
    QVERIFY(!syncNow(a).isEmpty());
    QVERIFY(!syncNow(b).isEmpty());
    QCOMPARE(stateOf(a.database()), stateOf(b.database()));
    QVERIFY(runtime(a, other, QStringLiteral("8192")));
    QVERIFY(runtime(b, other, QStringLiteral("32768")));
    QVERIFY(cli(b, {QStringLiteral("project"), QStringLiteral("delete"), shared}).exitCode == 0);
    QVERIFY(rename(a, other, QStringLiteral("qwen, renamed on the laptop")));
    QVERIFY(!syncNow(a).isEmpty());
    QVERIFY(!syncNow(b).isEmpty());
    QVERIFY(!syncNow(a).isEmpty());
    const QString converged = stateOf(a.database());
    QCOMPARE(stateOf(b.database()), converged);
    // Losing versions are in the action log of their project.
    const qint64 lostA = count(a.database(), QStringLiteral("SELECT count(*) FROM automated_actions WHERE "
                                                            "action_type = 'sync_conflict'"));
    QVERIFY2(lostA >= 1, qPrintable(QString::number(lostA)));

    // A third device joins later and gets everything.
    QVERIFY(join(c, folder));
    const QJsonObject first = syncNow(c);
    QVERIFY(!first.isEmpty());
    QCOMPARE(stateOf(c.database()), converged);
    // Again: nothing new, only listings; nothing applied twice.
    const QJsonObject again = syncNow(c);
    QCOMPARE(again.value(QLatin1String("filesReceived")).toDouble(), 0.0);
    QCOMPARE(again.value(QLatin1String("filesSent")).toDouble(), 0.0);
    QCOMPARE(again.value(QLatin1String("changesApplied")).toDouble(), 0.0);

    // The figures: every change made on a device is on every device (nothing lost), none applied twice.
    const qint64 made =
        count(a.database(), QStringLiteral("SELECT value FROM sync_state WHERE key = 'sequence'")) +
        count(b.database(), QStringLiteral("SELECT value FROM sync_state WHERE key = 'sequence'"));
    qint64 lost = 0;
    for (const Device *from : {&a, &b}) {
        const QString device = QString::fromUtf8(
            cli(*from, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")})
                .json()
                .value(QLatin1String("device"))
                .toString()
                .toUtf8());
        const qint64 sent =
            count(from->database(), QStringLiteral("SELECT value FROM sync_state WHERE key = 'sequence'"));
        for (const Device *to : {&a, &b, &c}) {
            if (to == from)
                continue;
            const qint64 merged =
                count(to->database(),
                      QStringLiteral("SELECT applied_to FROM sync_devices WHERE device = '%1'").arg(device));
            lost += sent - merged;
        }
    }
    const qint64 twice = qint64(again.value(QLatin1String("duplicates")).toDouble());
    qInfo().noquote() << QStringLiteral(
                             "sync figures: changes made %1, merged on every device %2, lost %3, "
                             "applied twice %4, conflicts logged %5, third device received %6 files")
                             .arg(made)
                             .arg(made - lost)
                             .arg(lost)
                             .arg(twice)
                             .arg(lostA)
                             .arg(first.value(QLatin1String("filesReceived")).toDouble());
    QCOMPARE(lost, 0);
    QCOMPARE(twice, 0);
}

void TestSync::serverStoppedMidUploadAndMidDownload()
{
    Device a, b;
    const QString folder = QStringLiteral("Cut");
    QVERIFY(join(a, folder));
    QVERIFY(join(b, folder));
    const QString project = createProject(a, QStringLiteral("long history"));
    const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() / 86'400'000 - 4) * 86'400'000;
    QVERIFY(pushHours(a.database(), project, t0, 72));

    storage::Repository repoA(m_clock);
    QVERIFY(repoA.open(a.database()));
    sync::Syncer syncerA(storage::writesOn(repoA), account(folder), {}, m_clock);
    qint64 cutAt = -1;
    qint64 whole = 0;
    syncerA.setProgress([&](const sync::SyncProgress &p) {
        if (p.phase == sync::SyncProgress::Phase::Sending && cutAt < 0 && p.done > 0 && p.done < p.total) {
            cutAt = p.done;
            whole = p.total;
            QVERIFY(m_peer.stop());
        }
    });
    const auto cut = syncerA.run();
    QVERIFY2(cutAt > 0, "the upload was under way when the server stopped");
    QVERIFY(!cut);
    QCOMPARE(cut.error().field, QStringLiteral("connection"));
    QCOMPARE(repoA.sync().outgoing()->size(), 1); // kept, to be sent again
    QVERIFY(m_peer.start());
    syncerA.setProgress({});
    const auto resent = syncerA.run();
    QVERIFY2(resent, qPrintable(resent ? QString() : resent.errorMessage()));
    QCOMPARE(resent->filesSent, 1);
    QCOMPARE(repoA.sync().outgoing()->size(), 0);

    storage::Repository repoB(m_clock);
    QVERIFY(repoB.open(b.database()));
    sync::Syncer syncerB(storage::writesOn(repoB), account(folder), {}, m_clock);
    bool stopped = false;
    syncerB.setProgress([&](const sync::SyncProgress &p) {
        if (p.phase == sync::SyncProgress::Phase::Receiving && !stopped && p.done > 0 && p.done < p.total) {
            stopped = true;
            QVERIFY(m_peer.stop());
        }
    });
    QVERIFY(m_peer.setSlowDownloads(true));
    const auto cutDown = syncerB.run();
    QVERIFY(m_peer.setSlowDownloads(false));
    QVERIFY(stopped && !cutDown);
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM synced_rollups")), 0);
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM projects")), 0);
    QVERIFY(m_peer.start());
    syncerB.setProgress({});
    const auto received = syncerB.run();
    QVERIFY2(received, qPrintable(received ? QString() : received.errorMessage()));
    QCOMPARE(received->duplicates, 0);
    QCOMPARE(stateOf(b.database()), stateOf(a.database()));
    qInfo().noquote() << QStringLiteral(
                             "upload cut at %1 of %2 bytes, sent whole on the next round; the download "
                             "cut, then %3 changes applied once")
                             .arg(cutAt)
                             .arg(whole)
                             .arg(received->changesApplied);
}

void TestSync::fullAccountAndChangedPassword()
{
    Device a;
    QVERIFY(join(a, QStringLiteral("Quota")));
    QVERIFY(!syncNow(a).isEmpty());
    createProject(a, QStringLiteral("made while the account is full"));
    QVERIFY(m_peer.setQuotaFull(true));
    const auto full = cli(a, {QStringLiteral("sync"), QStringLiteral("now")});
    QVERIFY(m_peer.setQuotaFull(false));
    QVERIFY2(full.exitCode == 1 && full.err.contains("The storage is full") && full.err.contains("HTTP 507"),
             full.err.constData());
    auto status = cli(a, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")}).json();
    QCOMPARE(status.value(QLatin1String("unsentFiles")).toDouble(), 1.0); // waits; nothing lost
    QVERIFY(status.value(QLatin1String("lastRound"))
                .toObject()
                .value(QLatin1String("error"))
                .toString()
                .contains(QLatin1String("507")));
    QCOMPARE(syncNow(a).value(QLatin1String("filesSent")).toDouble(), 1.0);

    // The password changed on the server: refused in words, nothing changes, until the account is set again.
    QVERIFY(m_peer.setPassword(QStringLiteral("alice"), QStringLiteral("alice-new")));
    createProject(a, QStringLiteral("made after the password changed"));
    const auto refused = cli(a, {QStringLiteral("sync"), QStringLiteral("now")});
    const auto tested = cli(a, {QStringLiteral("sync"), QStringLiteral("account"), QStringLiteral("test")});
    QVERIFY(m_peer.setPassword(QStringLiteral("alice"), kAlicePass));
    QVERIFY2(refused.exitCode == 1 && refused.err.contains("HTTP 401"), refused.err.constData());
    QVERIFY2(tested.exitCode == 1 && tested.err.contains("HTTP 401"), tested.err.constData());
    QCOMPARE(cli(a, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")})
                 .json()
                 .value(QLatin1String("unsentFiles"))
                 .toDouble(),
             1.0);
    QCOMPARE(syncNow(a).value(QLatin1String("filesSent")).toDouble(), 1.0);
}

void TestSync::halfWrittenFileWaits()
{
    Device a, b, c;
    const QString folder = QStringLiteral("Half");
    QVERIFY(join(a, folder));
    QVERIFY(join(b, folder));
    QVERIFY(join(c, folder));
    createProject(a, QStringLiteral("from the killed client"));
    createProject(c, QStringLiteral("from the third device"));
    QVERIFY(!syncNow(c).isEmpty());

    // A numbers its change into a file and is killed halfway through sending it: half the file is on the
    // server, and A still holds the file as unsent.
    storage::Repository repoA(m_clock);
    QVERIFY(repoA.open(a.database()));
    {
        storage::Transaction tx(repoA.database());
        QVERIFY(sync::numberLocalChanges(repoA, m_clock, 500).value() > 0);
        QVERIFY(tx.commit());
    }
    const auto unsent = repoA.sync().outgoing().value();
    QCOMPARE(unsent.size(), 1);
    const QString device = repoA.sync().deviceId().value();
    sync::WebDavClient client(account(folder));
    QVERIFY(client.makeFolder(QStringLiteral("changes")));
    QVERIFY(client.makeFolder(QStringLiteral("changes/") + device));
    const QString name = sync::changeFileName(device, unsent.constFirst().first);
    QVERIFY(client.put(name, unsent.constFirst().body.left(unsent.constFirst().body.size() / 2)));

    const QJsonObject meanwhile = syncNow(b);
    QCOMPARE(meanwhile.value(QLatin1String("changesApplied")).toDouble() > 0, true); // the third device's
    const QString problems =
        QString::fromUtf8(QJsonDocument(meanwhile.value(QLatin1String("problems")).toArray()).toJson());
    QVERIFY2(problems.contains(name + QStringLiteral(" cannot be used")), qPrintable(problems));
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM projects")), 1);
    const auto status = cli(b, {QStringLiteral("sync"), QStringLiteral("status")});
    QVERIFY2(status.out.contains("cannot be used"), status.out.constData());

    // A comes back and sends the whole file again; B then has both.
    QCOMPARE(syncNow(a).value(QLatin1String("filesSent")).toDouble(), 1.0);
    const QJsonObject after = syncNow(b);
    QVERIFY(after.value(QLatin1String("problems")).toArray().isEmpty());
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM projects")), 2);
}

void TestSync::encryptedAccount()
{
    Device a, b, c;
    const QString folder = QStringLiteral("Sealed");
    const QStringList stdinPassphrase{QStringLiteral("--passphrase-stdin")};
    QVERIFY(join(a, folder, "correct horse battery staple\n", stdinPassphrase));
    const auto keyFile =
        QFile(m_peer.folder(QStringLiteral("alice")) + QStringLiteral("/Sealed/account-key.json"));
    QVERIFY(keyFile.exists());
    // A wrong passphrase is said to be one, not taken for damage; none at all is refused too.
    const QStringList base = setArgs(folder);
    const auto wrong = cli(b, QStringList(base) << stdinPassphrase, kAlicePass.toUtf8() + "\nTr0ub4dor&3\n");
    QVERIFY2(wrong.exitCode == 1 && wrong.err.contains("Wrong passphrase"), wrong.err.constData());
    const auto none = cli(b, base, kAlicePass.toUtf8() + "\n");
    QVERIFY2(none.exitCode == 1 && none.err.contains("encrypted: give its sync passphrase"),
             none.err.constData());
    QVERIFY(join(b, folder, "correct horse battery staple\n", stdinPassphrase));

    createProject(a, QStringLiteral("secret project alpha"));
    createProject(b, QStringLiteral("secret project beta"));
    QVERIFY(!syncNow(a).isEmpty());
    QVERIFY(!syncNow(b).isEmpty());
    QVERIFY(!syncNow(a).isEmpty());
    QCOMPARE(stateOf(a.database()), stateOf(b.database()));
    const QString onDisk = m_peer.folder(QStringLiteral("alice")) + QLatin1Char('/') + folder;
    const QByteArray all = everythingUnder(onDisk);
    QVERIFY(!all.contains("secret project") && !all.contains("cachewise-changes"));

    // A file of A's changed on the server: refused and reported; B's still reach the new device.
    QString aFile;
    QDirIterator it(onDisk + QStringLiteral("/changes"), QDir::Files, QDirIterator::Subdirectories);
    const QString aDevice =
        cli(a, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")})
            .json()
            .value(QLatin1String("device"))
            .toString();
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(aDevice))
            aFile = path;
    }
    QVERIFY(!aFile.isEmpty());
    {
        QFile f(aFile);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x20);
        QVERIFY(f.seek(0));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    QVERIFY(join(c, folder, "correct horse battery staple\n", stdinPassphrase));
    const QJsonObject joined = syncNow(c);
    const QString problems =
        QString::fromUtf8(QJsonDocument(joined.value(QLatin1String("problems")).toArray()).toJson());
    QVERIFY2(problems.contains(QStringLiteral("cannot be used")), qPrintable(problems));
    QCOMPARE(count(c.database(),
                   QStringLiteral("SELECT count(*) FROM projects WHERE name = 'secret project beta'")),
             1);
    QCOMPARE(count(c.database(),
                   QStringLiteral("SELECT count(*) FROM projects WHERE name = 'secret project alpha'")),
             0);

    // A's snapshot, sealed like its files, replaces the tampered one: the new device then has A's project
    // too.
    const auto compacted = cli(a, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("now"),
                                   QStringLiteral("--snapshot")});
    QVERIFY(compacted.json().value(QLatin1String("snapshotChanges")).toDouble() > 0);
    QVERIFY(!QFile::exists(aFile));
    const QByteArray sealed = everythingUnder(onDisk);
    QVERIFY(!sealed.contains("secret project") && !sealed.contains("cachewise-snapshot"));
    const QJsonObject mended = syncNow(c);
    QVERIFY2(mended.value(QLatin1String("problems")).toArray().isEmpty(),
             QJsonDocument(mended).toJson().constData());
    QCOMPARE(stateOf(c.database()), stateOf(a.database()));
}

void TestSync::changeThatDoesNotFitIsReported()
{
    // A device (another version, or a bug) sent a change this device's tables refuse: that change is reported
    // and counted, the others in the same file apply; folders and files that are not CacheWise's are left
    // alone.
    const QString folder = QStringLiteral("Unfit");
    const QString device = QStringLiteral("00000000000000ff");
    const QString project = QStringLiteral("6f1c1a52-8f0e-4d6e-9e55-1c2b3a4d5e6f");
    sync::WebDavClient client(account(folder));
    sync::WebDavAccount root = account(folder);
    root.folder = QUrl(m_peer.url(QStringLiteral("alice")));
    QVERIFY(sync::WebDavClient(root).makeFolder(folder));
    for (const QString &path : QStringList{QStringLiteral("changes"), QStringLiteral("changes/") + device,
                                           QStringLiteral("changes/not-a-device")})
        QVERIFY(client.makeFolder(path));
    const qint64 at = QDateTime::currentMSecsSinceEpoch();
    QJsonObject runtime{{QStringLiteral("engine"), QStringLiteral("llama.cpp")},
                        {QStringLiteral("model_id"), QString()},
                        {QStringLiteral("model_json"), QStringLiteral("{}")},
                        {QStringLiteral("context"), -5},
                        {QStringLiteral("parallel"), 1},
                        {QStringLiteral("unified"), 0},
                        {QStringLiteral("swa_full"), 0},
                        {QStringLiteral("cache_type_k"), QStringLiteral("f16")},
                        {QStringLiteral("cache_type_v"), QStringLiteral("f16")},
                        {QStringLiteral("flash_attention"), 1},
                        {QStringLiteral("prefix_caching"), 1},
                        {QStringLiteral("gpu_memory_gb"), 0},
                        {QStringLiteral("updated_at"), double(at)}};
    const QList<sync::Change> changes{
        {QStringLiteral("project"), project, device, 1, 1, at, false,
         QJsonObject{{QStringLiteral("name"), QStringLiteral("from a newer version")},
                     {QStringLiteral("model_name"), QString()},
                     {QStringLiteral("model_architecture"), QString()},
                     {QStringLiteral("created_at"), double(at)},
                     {QStringLiteral("updated_at"), double(at)}}},
        {QStringLiteral("runtime"), project, device, 2, 2, at, false, runtime},
        {QStringLiteral("source"), QStringLiteral("3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e"), device, 3, 3, at,
         false,
         QJsonObject{{QStringLiteral("project_id"), project},
                     {QStringLiteral("engine"), QStringLiteral("llama.cpp")},
                     {QStringLiteral("base_url"), QStringLiteral("http://127.0.0.1:8080")},
                     {QStringLiteral("interval_ms"), 2000},
                     {QStringLiteral("enabled"), 1},
                     {QStringLiteral("created_at"), double(at)}}},
    };
    QVERIFY(client.put(sync::changeFileName(device, 1), sync::encodeChangeFile(device, changes)));
    QVERIFY(
        client.put(QStringLiteral("changes/") + device + QStringLiteral("/notes.txt"), "not a change file"));
    Device b;
    QVERIFY(join(b, folder));
    const QJsonObject round = syncNow(b);
    QCOMPARE(round.value(QLatin1String("changesApplied")).toDouble(), 2.0);
    QCOMPARE(round.value(QLatin1String("notApplied")).toDouble(), 1.0);
    const QString problems =
        QString::fromUtf8(QJsonDocument(round.value(QLatin1String("problems")).toArray()).toJson());
    QVERIFY2(problems.contains(QStringLiteral("does not fit")) &&
                 problems.contains(QStringLiteral("context")),
             qPrintable(problems));
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM projects")), 1);
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM project_sources")), 1);
    QCOMPARE(count(b.database(), QStringLiteral("SELECT count(*) FROM project_runtime")), 0);
    // Merged through change 3 all the same: the file is not read again.
    QCOMPARE(syncNow(b).value(QLatin1String("filesReceived")).toDouble(), 0.0);
}

void TestSync::deviceJoinsAfterSnapshot()
{
    Device a, b, c, d;
    const QString folder = QStringLiteral("Compact");
    QVERIFY(join(a, folder));
    QVERIFY(join(b, folder));
    const QString project = createProject(a, QStringLiteral("first name"));
    const QString other = createProject(b, QStringLiteral("made on the desktop"));
    QVERIFY(!project.isEmpty() && !other.isEmpty());
    const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() / 3'600'000 - 5) * 3'600'000;
    QVERIFY(pushHours(a.database(), project, t0, 2));
    QVERIFY(!syncNow(a).isEmpty());
    QVERIFY(!syncNow(b).isEmpty()); // B has merged A's first file only
    // Two more versions of the project's name, each sent in a file of its own: the snapshot holds the last.
    QVERIFY(rename(a, project, QStringLiteral("second name")));
    QVERIFY(!syncNow(a).isEmpty());
    QVERIFY(rename(a, project, QStringLiteral("third name")));
    QVERIFY(!syncNow(a).isEmpty());
    const QString aDevice = deviceOf(a);
    const QString own = m_peer.folder(QStringLiteral("alice")) + QLatin1Char('/') + folder +
                        QStringLiteral("/changes/") + aDevice;
    const qint64 filesBefore = QDir(own).entryList(QDir::Files).size();
    const qint64 bytesBefore = everythingUnder(own).size();
    QCOMPARE(filesBefore, 3);

    const auto compacted = cli(a, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("now"),
                                   QStringLiteral("--snapshot")});
    QCOMPARE(compacted.exitCode, 0);
    const qint64 covers =
        count(a.database(), QStringLiteral("SELECT value FROM sync_state WHERE key = 'sequence'"));
    const qint64 snapshotChanges =
        qint64(compacted.json().value(QLatin1String("snapshotChanges")).toDouble());
    QVERIFY2(snapshotChanges > 0 && snapshotChanges < covers, qPrintable(QString::number(snapshotChanges)));
    QCOMPARE(compacted.json().value(QLatin1String("filesRemoved")).toDouble(), 3.0);
    // In the account A's folder now holds its snapshot alone, with no version the snapshot replaced.
    QCOMPARE(QDir(own).entryList(QDir::Files), QStringList());
    QCOMPARE(QDir(own).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("snapshot-%1").arg(covers, 12, 10, QLatin1Char('0'))});
    const QByteArray snapshot = everythingUnder(own);
    QVERIFY(snapshot.contains("\"third name\"") && snapshot.contains("cachewise-snapshot"));
    QVERIFY(!snapshot.contains("\"first name\"") && !snapshot.contains("\"second name\""));
    QVERIFY(!snapshot.contains(other.toUtf8())); // the desktop's project is the desktop's to send

    // B, whose next file of A's is gone, catches up from the snapshot; C, joining now, gets everything from
    // it.
    const QJsonObject caughtUp = syncNow(b);
    QVERIFY2(caughtUp.value(QLatin1String("problems")).toArray().isEmpty(),
             QJsonDocument(caughtUp).toJson().constData());
    QCOMPARE(stateOf(b.database()), stateOf(a.database()));
    QVERIFY(join(c, folder));
    const QJsonObject joined = syncNow(c);
    QVERIFY(joined.value(QLatin1String("problems")).toArray().isEmpty());
    QCOMPARE(stateOf(c.database()), stateOf(a.database()));
    QCOMPARE(joined.value(QLatin1String("versionsLost")).toDouble(), 0.0);
    QCOMPARE(count(c.database(), QStringLiteral("SELECT count(*) FROM projects WHERE name = 'third name'")),
             1);
    QCOMPARE(count(c.database(), QStringLiteral("SELECT count(*) FROM synced_rollups")),
             count(a.database(), QStringLiteral("SELECT count(*) FROM rollups")));

    // A's next change goes in a change file after the snapshot, and reaches everyone.
    QVERIFY(rename(a, project, QStringLiteral("fourth name")));
    QCOMPARE(syncNow(a).value(QLatin1String("filesSent")).toDouble(), 1.0);
    QVERIFY(!syncNow(b).isEmpty());
    QVERIFY(!syncNow(c).isEmpty());
    QVERIFY(!syncNow(a).isEmpty());
    const QString converged = stateOf(a.database());
    QCOMPARE(stateOf(b.database()), converged);
    QCOMPARE(stateOf(c.database()), converged);

    // A snapshot whose writer stopped after the first of its two parts is not used: D joins from the whole
    // one.
    const qint64 later = covers + 40;
    sync::SnapshotPart part{later, 1, 2, {}};
    part.changes << sync::Change{QStringLiteral("project"),
                                 project,
                                 aDevice,
                                 later,
                                 999,
                                 1,
                                 false,
                                 QJsonObject{{QStringLiteral("name"), QStringLiteral("never whole")}}};
    sync::WebDavClient client(account(folder));
    QVERIFY(client.makeFolder(sync::snapshotFolderName(aDevice, later)));
    QVERIFY(
        client.put(sync::snapshotPartName(aDevice, later, 1, 2), sync::encodeSnapshotPart(aDevice, part)));
    QVERIFY(join(d, folder));
    const QJsonObject dJoined = syncNow(d);
    QVERIFY(dJoined.value(QLatin1String("problems")).toArray().isEmpty());
    QCOMPARE(stateOf(d.database()), converged);
    const QJsonObject again = syncNow(d);
    QCOMPARE(again.value(QLatin1String("filesReceived")).toDouble(), 0.0); // listings only
    QCOMPARE(again.value(QLatin1String("changesApplied")).toDouble(), 0.0);

    // The figures: every change of A's and B's merged on every other device, none applied twice.
    qint64 made = 0, lost = 0;
    for (const Device *from : {&a, &b}) {
        const QString device = deviceOf(*from);
        const qint64 sent =
            count(from->database(), QStringLiteral("SELECT value FROM sync_state WHERE key = 'sequence'"));
        made += sent;
        for (const Device *to : {&a, &b, &c, &d}) {
            if (to != from)
                lost += sent - count(to->database(),
                                     QStringLiteral("SELECT applied_to FROM sync_devices WHERE device = '%1'")
                                         .arg(device));
        }
    }
    const qint64 twice = qint64(again.value(QLatin1String("duplicates")).toDouble()) +
                         qint64(dJoined.value(QLatin1String("duplicates")).toDouble());
    qInfo().noquote() << QStringLiteral(
                             "snapshot: %1 change files (%2 bytes) replaced by a snapshot of %3 changes "
                             "(%4 bytes); the device joining after it received %5 files (%6 bytes); changes "
                             "made %7, lost %8, applied twice %9")
                             .arg(filesBefore)
                             .arg(bytesBefore)
                             .arg(snapshotChanges)
                             .arg(snapshot.size())
                             .arg(joined.value(QLatin1String("filesReceived")).toDouble())
                             .arg(joined.value(QLatin1String("bytesReceived")).toDouble())
                             .arg(made)
                             .arg(lost)
                             .arg(twice);
    QCOMPARE(lost, 0);
    QCOMPARE(twice, 0);
}

void TestSync::secretGoneFromKeychain()
{
    // The keychain lost the app password (another tool cleared it): said in words with its field, nothing
    // changes, and setting the account again mends it.
    Device a;
    const QString folder = QStringLiteral("Lost");
    QVERIFY(join(a, folder));
    createProject(a, QStringLiteral("waits for its password"));
    QVERIFY(secrets::removeNow(sync::passwordSecretName(deviceOf(a))));
    const auto refused = cli(a, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("now")});
    QCOMPARE(refused.exitCode, 1);
    QCOMPARE(refused.json().value(QLatin1String("field")).toString(), QStringLiteral("password"));
    QVERIFY2(refused.json()
                 .value(QLatin1String("error"))
                 .toString()
                 .contains(QLatin1String("not in the keychain")),
             refused.out.constData());
    const auto status =
        cli(a, {QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("status")}).json();
    QCOMPARE(status.value(QLatin1String("unsentFiles")).toDouble(), 0.0);
    QVERIFY(status.value(QLatin1String("outbox")).toDouble() > 0); // the project waits, nothing lost
    QVERIFY(status.value(QLatin1String("configured")).toBool());
    QVERIFY(join(a, folder));
    QVERIFY(syncNow(a).value(QLatin1String("filesSent")).toDouble() >= 1.0);
}

void TestSync::snapshotWrittenWhenDue()
{
    // By itself a device writes a snapshot once the changes it sent since the last one are twice what a
    // snapshot holds (here with the least number of changes lowered from 2000 to 1).
    Device a, b;
    const QString folder = QStringLiteral("Due");
    QVERIFY(join(a, folder));
    const QString project = createProject(a, QStringLiteral("renamed often"));
    storage::Repository repo(m_clock);
    QVERIFY(repo.open(a.database()));
    sync::Syncer syncer(storage::writesOn(repo), account(folder), {}, m_clock);
    syncer.setSnapshotMinChanges(1);
    syncer.setReader(&repo);
    const auto first = syncer.run();
    QVERIFY2(first, qPrintable(first ? QString() : first.errorMessage()));
    QCOMPARE(first->snapshotChanges, 0); // everything sent once is no reason to send it again
    const qint64 size =
        repo.sync().state(QStringLiteral("snapshot.size")).value().value_or(QString()).toLongLong();
    const qint64 sent =
        repo.sync().state(QStringLiteral("sequence")).value().value_or(QString()).toLongLong();
    QVERIFY(size > 0);
    QCOMPARE(sent, size);
    int renames = 0;
    qint64 written = 0;
    while (written == 0 && renames < 3 * size) {
        QVERIFY(rename(a, project, QStringLiteral("name %1").arg(++renames)));
        const auto round = syncer.run();
        QVERIFY2(round, qPrintable(round ? QString() : round.errorMessage()));
        written = round->snapshotChanges;
        if (written)
            QCOMPARE(round->filesRemoved, qint64(renames) + 1);
    }
    QCOMPARE(renames, size); // the round that sent the 2 × size-th change
    QCOMPARE(written, size);
    QVERIFY(join(b, folder));
    QVERIFY(!syncNow(b).isEmpty());
    QCOMPARE(stateOf(b.database()), stateOf(a.database()));
}

QTEST_GUILESS_MAIN(TestSync)
#include "tst_sync.moc"
