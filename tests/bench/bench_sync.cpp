// SPDX-License-Identifier: GPL-3.0-or-later
// Hosted sync at scale (issue 16): one device holding P projects with D days of minute rollups (and their
// hour rollups; four measured fields and the sample count, as a push-API project stores them) syncs to the
// real Apache, then a fresh device syncs everything down; then both sync again with nothing changed, which
// must move no file body, only listings; then the first device writes its snapshot (replacing its change
// files) and a third fresh device joins from it. Printed next to the peer measured in the same run: the same
// bytes PUT and GET as one file through the same client (what the wire and Apache cost alone). Usage:
// bench_sync [projects=50] [days=90] [encrypted=0]
#include "core/common/clock.h"
#include "core/storage/database.h"
#include "core/storage/repository.h"
#include "core/sync/crypto.h"
#include "core/sync/syncer.h"
#include "core/sync/webdav.h"
#include "tests/support/webdavpeer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstdio>

using namespace cachewise;

namespace {

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int projects = args.size() > 1 ? args.at(1).toInt() : 50;
    const int days = args.size() > 2 ? args.at(2).toInt() : 90;
    const bool encrypted = args.size() > 3 && args.at(3) == QLatin1String("1");
    test::WebDavPeer peer;
    if (!peer.start()) {
        say(QStringLiteral("cannot start Apache: ") + peer.error());
        return 1;
    }
    SystemClock clock;
    QTemporaryDir dirA;
    QTemporaryDir dirB;
    QTemporaryDir dirC;
    storage::Repository a(clock);
    storage::Repository b(clock);
    storage::Repository c(clock);
    if (!a.open(dirA.filePath(QStringLiteral("a.sqlite"))) ||
        !b.open(dirB.filePath(QStringLiteral("b.sqlite"))) ||
        !c.open(dirC.filePath(QStringLiteral("c.sqlite")))) {
        say(QStringLiteral("cannot open the databases"));
        return 1;
    }

    // The history: written straight into the rollups (the outbox's triggers mark every block as the app's
    // writer would).
    QElapsedTimer fill;
    fill.start();
    const qint64 dayMs = 86'400'000;
    const qint64 start = (QDateTime::currentMSecsSinceEpoch() / dayMs - days) * dayMs;
    {
        storage::Transaction tx(a.database());
        for (int p = 0; p < projects; ++p) {
            auto project =
                a.projects().create(QStringLiteral("project %1").arg(p), QStringLiteral("llama-3.1-8b"), {});
            if (!project) {
                say(project.errorMessage());
                return 1;
            }
            QSqlQuery q(a.database());
            q.prepare(QStringLiteral("INSERT INTO project_keys (project_id) VALUES (?)"));
            q.addBindValue(project->id);
            if (!q.exec())
                return 1;
        }
        // Metrics 0..3 (the brief's four) and 1000 (the sample count, kSampleCountRollup), one sample a
        // second.
        for (const auto &[resolution, buckets] : {std::pair{qint64(60'000), qint64(days) * 1440},
                                                  std::pair{qint64(3'600'000), qint64(days) * 24}}) {
            QSqlQuery q(a.database());
            const QString sql =
                QStringLiteral(
                    "WITH RECURSIVE t(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM t WHERE i < %1), "
                    "m(metric) AS (VALUES (0), (1), (2), (3), (1000)) "
                    "INSERT INTO rollups SELECT k.key, %2, m.metric, %3 + t.i * %2, %4, "
                    "10 + (t.i % 7), 20 + (t.i % 13), %4 * (15 + (t.i % 5)) FROM project_keys k, t, m")
                    .arg(buckets - 1)
                    .arg(resolution)
                    .arg(start)
                    .arg(resolution / 1000);
            if (!q.exec(sql)) {
                say(QStringLiteral("fill failed"));
                return 1;
            }
        }
        if (!tx.commit())
            return 1;
    }
    const qint64 rows = scalar(a.database(), QStringLiteral("SELECT count(*) FROM rollups"));
    say(QStringLiteral("history: %1 projects, %2 days, %3 rollup rows (%4 minute), filled in %5 s")
            .arg(projects)
            .arg(days)
            .arg(rows)
            .arg(
                scalar(a.database(), QStringLiteral("SELECT count(*) FROM rollups WHERE resolution = 60000")))
            .arg(fill.elapsed() / 1000.0, 0, 'f', 1));

    sync::WebDavAccount account;
    account.folder = QUrl(peer.url(QStringLiteral("alice")));
    account.user = QStringLiteral("alice");
    account.password = QStringLiteral("alice-pass");
    account.trustedCas = QSslCertificate::fromPath(peer.caFile());
    QByteArray key;
    if (encrypted)
        key = sync::deriveKey(QStringLiteral("bench passphrase"), QByteArray(16, 'x')).value();

    const auto round = [&](storage::Repository &repository, const char *what,
                           sync::Syncer::Snapshot snapshot =
                               sync::Syncer::Snapshot::WhenDue) -> std::optional<sync::SyncRound> {
        sync::Syncer syncer(storage::writesOn(repository), account, key, clock);
        syncer.setSnapshot(snapshot);
        QElapsedTimer t;
        t.start();
        auto r = syncer.run();
        if (!r) {
            say(QStringLiteral("%1 failed: %2").arg(QLatin1String(what), r.errorMessage()));
            return std::nullopt;
        }
        say(QStringLiteral("%1: %2 s; changes made %3; sent %4 files, %5 bytes; received %6 files, %7 bytes; "
                           "applied %8; snapshot of %9 changes, %10 files it replaced removed")
                .arg(QLatin1String(what))
                .arg(t.elapsed() / 1000.0, 0, 'f', 2)
                .arg(r->changesMade)
                .arg(r->filesSent)
                .arg(r->bytesSent)
                .arg(r->filesReceived)
                .arg(r->bytesReceived)
                .arg(r->changesApplied)
                .arg(r->snapshotChanges)
                .arg(r->filesRemoved));
        return *r;
    };
    const auto up = round(a, "first device sends everything");
    const auto down = round(b, "fresh device receives everything");
    const auto again = round(b, "fresh device again, nothing changed");
    const auto againA = round(a, "first device again, nothing changed");
    if (!up || !down || !again || !againA)
        return 1;
    const qint64 received = scalar(b.database(), QStringLiteral("SELECT count(*) FROM synced_rollups"));
    say(QStringLiteral("fresh device holds %1 of %2 rollup rows; second rounds moved %3 file bodies")
            .arg(received)
            .arg(rows)
            .arg(again->filesSent + again->filesReceived + againA->filesSent + againA->filesReceived));
    const auto snapshot = round(a, "first device writes its snapshot", sync::Syncer::Snapshot::Now);
    const auto late = round(c, "a device joining after the snapshot receives everything");
    if (!snapshot || !late)
        return 1;
    const qint64 receivedLate = scalar(c.database(), QStringLiteral("SELECT count(*) FROM synced_rollups"));
    say(QStringLiteral("the late device holds %1 of %2 rollup rows").arg(receivedLate).arg(rows));

    // The peer: the same bytes as one file, PUT then GET through the same client.
    sync::WebDavClient client(account);
    const QByteArray blob(int(std::min<qint64>(up->bytesSent, 1'800'000'000)), 'x');
    QElapsedTimer t;
    t.start();
    if (!client.put(QStringLiteral("peer-blob"), blob))
        return 1;
    const double putS = t.elapsed() / 1000.0;
    t.restart();
    if (!client.get(QStringLiteral("peer-blob")))
        return 1;
    say(QStringLiteral("peer, the same %1 bytes as one file: PUT %2 s, GET %3 s")
            .arg(blob.size())
            .arg(putS, 0, 'f', 2)
            .arg(t.elapsed() / 1000.0, 0, 'f', 2));
    return received == rows && receivedLate == rows ? 0 : 1;
}
