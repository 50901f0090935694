// SPDX-License-Identifier: GPL-3.0-or-later
// Sync's store on a database file: the outbox's triggers (what marks a record, what does not: the scraper's
// state, a key's last use, sync's own applying), what a record carries and never carries (secrets, paths,
// process state), local changes numbered once, every malformed record from another device refused with
// nothing changed, another device's rollups read beside this one's, a user's answer to advice kept when the
// advice is made again, and one action-log entry per lost version.
#include "core/common/clock.h"
#include "core/storage/database.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/sync/syncer.h"
#include "tests/support/teststack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using namespace cachewise::storage;
using test::scalar;

namespace {

constexpr qint64 kT0 = 1'705'312'800'000; // 2024-01-15T10:00:00Z, on an hour boundary

qint64 outboxCount(Repository &r, const QString &kind)
{
    return scalar(r.database(),
                  QStringLiteral("SELECT count(*) FROM sync_outbox WHERE kind = '%1'").arg(kind));
}

} // namespace

class TestSyncStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void whatChangesIsMarkedForSync();
    void recordsCarryNoSecretOrPath();
    void localChangesNumberedOnce();
    void malformedRecordsChangeNothing();
    void otherDevicesRollupsAreRead();
    void answeredAdviceKeepsItsAnswer();
    void oneLogEntryPerLostVersion();

private:
    void clearOutbox() { QVERIFY(exec(m_repo->database(), QStringLiteral("DELETE FROM sync_outbox"))); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock{kT0};
    std::unique_ptr<Repository> m_repo;
    QString m_project;
};

void TestSyncStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("sync.sqlite"));
    m_repo = std::make_unique<Repository>(m_clock);
    QVERIFY(m_repo->open(m_path));
    m_project = m_repo->projects().create(QStringLiteral("llama"), {}, {}).value().id;
    QVERIFY(m_repo->keys().create(m_project, QStringLiteral("first")));
}

void TestSyncStore::whatChangesIsMarkedForSync()
{
    // Made here: the project and its key are marked.
    QCOMPARE(outboxCount(*m_repo, QStringLiteral("project")), 1);
    auto key = m_repo->keys().create(m_project, QStringLiteral("laptop"));
    QVERIFY(key);
    QCOMPARE(outboxCount(*m_repo, QStringLiteral("apiKey")), 2);
    clearOutbox();
    // What changes all the time and does not sync marks nothing: a key's last use, a source's scraped state.
    QVERIFY(exec(m_repo->database(),
                 QStringLiteral("UPDATE api_keys SET last_used_at = 5 WHERE id = '%1'").arg(key->key.id)));
    model::Source source;
    source.projectId = m_project;
    source.engine = model::Engine::LlamaCpp;
    source.baseUrl = QStringLiteral("http://127.0.0.1:8080");
    auto added = m_repo->sources().add(source);
    QVERIFY(added);
    QCOMPARE(outboxCount(*m_repo, QStringLiteral("source")), 1);
    clearOutbox();
    QVERIFY(exec(m_repo->database(),
                 QStringLiteral("UPDATE project_sources SET state = 'up', last_scrape_at = 9 WHERE id = '%1'")
                     .arg(added->id)));
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count(*) FROM sync_outbox")), 0);
    // A user's change marks it; a deletion too.
    QVERIFY(m_repo->sources().setEnabled(added->id, false).value());
    QCOMPARE(outboxCount(*m_repo, QStringLiteral("source")), 1);
    clearOutbox();
    QVERIFY(m_repo->sources().remove(added->id).value());
    QCOMPARE(outboxCount(*m_repo, QStringLiteral("source")), 1);
    clearOutbox();
    // What sync applies from another device is not a local change.
    SyncStore &store = m_repo->sync();
    QVERIFY(store.setApplying(true));
    SyncRecord other{QStringLiteral("project"),
                     QStringLiteral("6f1c1a52-8f0e-4d6e-9e55-1c2b3a4d5e6f"),
                     QStringLiteral("00000000000000aa"),
                     1,
                     1,
                     kT0,
                     false,
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("from elsewhere")},
                                 {QStringLiteral("model_name"), QString()},
                                 {QStringLiteral("model_architecture"), QString()},
                                 {QStringLiteral("created_at"), double(kT0)},
                                 {QStringLiteral("updated_at"), double(kT0)}}};
    QVERIFY(store.applyRecord(other));
    QVERIFY(store.setApplying(false));
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count(*) FROM sync_outbox")), 0);
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count(*) FROM projects")), 2);
    // Samples mark their rollup blocks: an hour of minutes and a day of hours.
    {
        MetricWriter writer(m_path, m_clock);
        QVERIFY(writer.start());
        model::MetricSample s;
        s.projectId = m_project;
        s.timestampMs = kT0 + 90 * 60'000; // 11:30
        s.setValue(model::Metric::TokensProcessed, 10);
        s.setValue(model::Metric::KvCacheSizeKB, 10);
        s.setValue(model::Metric::MemoryUsageGB, 1);
        s.setValue(model::Metric::InferenceTimeMs, 10);
        QVERIFY(test::writeAndWait(writer, {s}).ok());
    }
    auto entries = store.outbox(10).value();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).kind, QStringLiteral("rollup"));
    QCOMPARE(entries.at(0).id, QStringLiteral("%1/60000/%2").arg(m_project).arg(kT0 + 3'600'000));
    QCOMPARE(entries.at(1).id, QStringLiteral("%1/3600000/%2").arg(m_project).arg(kT0 - kT0 % 86'400'000));
    // Clearing samples up to a time inside a bucket rebuilds that bucket from what is left, and its block is
    // sent again: at 11:29:30 the hour 11:00 keeps the 11:30 sample; the minute 11:29 keeps nothing.
    QVERIFY(exec(m_repo->database(), QStringLiteral("DELETE FROM sync_rollup_outbox")));
    QVERIFY(m_repo->samples().clear(m_project, kT0 + 90 * 60'000 - 30'000).ok());
    QCOMPARE(store.outbox(10).value(), QList<SyncOutboxEntry>{entries.at(1)});
}

void TestSyncStore::recordsCarryNoSecretOrPath()
{
    SyncStore &store = m_repo->sync();
    QVERIFY(exec(
        m_repo->database(),
        QStringLiteral("INSERT INTO project_automation (project_id, updated_at, webhook_url, webhook_secret) "
                       "VALUES ('%1', 1, 'https://hooks.example/x', 'hush')")
            .arg(m_project)));
    const QJsonObject automation = store.readRecord(QStringLiteral("automation"), m_project).value().value();
    QCOMPARE(automation.value(QLatin1String("webhook_url")).toString(),
             QStringLiteral("https://hooks.example/x"));
    QVERIFY(!QJsonDocument(automation).toJson().contains("hush"));
    const QString keyId = m_repo->keys().list(m_project).value().constFirst().id;
    const QJsonObject key = store.readRecord(QStringLiteral("apiKey"), keyId).value().value();
    QVERIFY(!key.contains(QLatin1String("key_hash")) && key.contains(QLatin1String("prefix")));
    QVERIFY(
        exec(m_repo->database(),
             QStringLiteral(
                 "INSERT INTO server_profiles (id, project_id, executable, model_path, context, parallel, "
                 "unified, cache_type_k, cache_type_v, flash_attention, port, created_at, updated_at, "
                 "state, pid) VALUES ('0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10', '%1', "
                 "'/home/ada/llama.cpp/build/bin/llama-server', '/home/ada/models/llama.gguf', 4096, 1, "
                 "0, 'f16', 'f16', 'auto', 8081, 1, 1, 'ready', 4242)")
                 .arg(m_project)));
    const QJsonObject server =
        store.readRecord(QStringLiteral("server"), QStringLiteral("0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10"))
            .value()
            .value();
    const QByteArray text = QJsonDocument(server).toJson();
    QVERIFY(!text.contains("/home/ada") && !text.contains("4242") && !text.contains("ready"));
    QCOMPARE(server.value(QLatin1String("port")).toDouble(), 8081.0);
    // Unknown kinds and ids no record has: refused as bad input.
    QCOMPARE(store.readRecord(QStringLiteral("settings"), QStringLiteral("x")).error().kind,
             ErrorKind::BadInput);
    QCOMPARE(store.readRecord(QStringLiteral("rollup"), QStringLiteral("x/60000/0")).error().kind,
             ErrorKind::BadInput);
    QVERIFY(
        !store.readRecord(QStringLiteral("project"), QStringLiteral("6f1c1a52-8f0e-4d6e-9e55-1c2b3a4d5e6f"))
             .value()
             .has_value());
}

void TestSyncStore::localChangesNumberedOnce()
{
    const auto number = [&] {
        Transaction tx(m_repo->database());
        auto made = sync::numberLocalChanges(*m_repo, m_clock, 500);
        if (!tx.commit())
            return qint64(-1);
        return made ? *made : qint64(-1);
    };
    QCOMPARE(number(), 2); // the project and its key
    QCOMPARE(number(), 0);
    // A write that changes nothing that syncs: marked, but no change is made.
    QVERIFY(exec(m_repo->database(), QStringLiteral("UPDATE projects SET name = name")));
    QCOMPARE(outboxCount(*m_repo, QStringLiteral("project")), 1);
    QCOMPARE(number(), 0);
    model::Project p = m_repo->projects().get(m_project).value().value();
    p.name = QStringLiteral("llama renamed");
    m_clock.advanceMs(1000);
    QVERIFY(m_repo->projects().update(p));
    QVERIFY(m_repo->projects().remove(m_project).value());
    // Renamed, then deleted before a round: one tombstone (for the project; its key goes with it).
    QCOMPARE(number(), 2);
    const auto files = m_repo->sync().outgoing().value();
    QCOMPARE(files.size(), 2);
    QCOMPARE(files.at(1).first, 3);
    QCOMPARE(files.at(1).last, 4);
    QVERIFY(files.at(1).body.contains("\"deleted\":true"));
    QCOMPARE(m_repo->sync().state(QStringLiteral("sequence")).value().value(), QStringLiteral("4"));
}

void TestSyncStore::malformedRecordsChangeNothing()
{
    SyncStore &store = m_repo->sync();
    const QString before =
        QString::number(scalar(m_repo->database(), QStringLiteral("SELECT total_changes()")));
    const QString device = QStringLiteral("00000000000000aa");
    const QString block = QStringLiteral("%1/60000/%2").arg(m_project).arg(kT0);
    const auto metrics = [](const QJsonArray &values) {
        return QJsonObject{{QStringLiteral("metrics"), QJsonObject{{QStringLiteral("0"), values}}}};
    };
    // First a good block, so a bad one is seen not to touch it.
    QVERIFY(store.applyRecord({QStringLiteral("rollup"), block, device, 1, 1, kT0, false,
                               metrics(QJsonArray{0, 2, 1.0, 3.0, 4.0})}));
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count(*) FROM synced_rollups")), 1);
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
                        {QStringLiteral("updated_at"), double(kT0)}};
    QJsonObject noName{{QStringLiteral("model_name"), QString()}};
    const QList<SyncRecord> bad{
        {QStringLiteral("settings"), QStringLiteral("x"), device, 2, 2, kT0, false, {}},
        {QStringLiteral("runtime"), m_project, device, 2, 2, kT0, false,
         runtime}, // context -5: the check says no
        {QStringLiteral("project"), m_project, device, 2, 2, kT0, false, noName}, // fields missing
        {QStringLiteral("rollup"), QStringLiteral("not/a/block"), device, 2, 2, kT0, false, {}},
        {QStringLiteral("rollup"),
         QStringLiteral("%1/60000/%2").arg(m_project).arg(kT0 + 1),
         device,
         2,
         2,
         kT0,
         false,
         {}},
        // A valid bucket, then one past the block's end: the whole block stays as it was.
        {QStringLiteral("rollup"), block, device, 2, 2, kT0, false,
         metrics(QJsonArray{0, 5, 1.0, 9.0, 20.0, 60, 1, 1.0, 1.0, 1.0})},
        {QStringLiteral("rollup"), block, device, 2, 2, kT0, false, metrics(QJsonArray{0, 0, 1.0, 1.0, 1.0})},
        {QStringLiteral("rollup"), block, device, 2, 2, kT0, false, metrics(QJsonArray{0, 1, 2.0, 1.0, 1.0})},
        {QStringLiteral("rollup"), block, device, 2, 2, kT0, false, metrics(QJsonArray{0, 1, 1.0})},
        {QStringLiteral("recommendation"), QStringLiteral("no-project-rule"), device, 2, 2, kT0, false, {}},
    };
    for (const SyncRecord &r : bad) {
        const auto applied = store.applyRecord(r);
        QVERIFY2(!applied, qPrintable(r.kind + QLatin1Char(' ') + r.id));
        QCOMPARE(applied.error().kind, ErrorKind::BadInput);
    }
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count(*) FROM project_runtime")), 0);
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count(*) FROM synced_rollups")), 1);
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count FROM synced_rollups")), 2);
    QCOMPARE(m_repo->projects().get(m_project).value()->name, QStringLiteral("llama"));
    Q_UNUSED(before);
}

void TestSyncStore::otherDevicesRollupsAreRead()
{
    // This device measured the 10:00 minute; another device 10:00 and 10:01.
    {
        MetricWriter writer(m_path, m_clock);
        QVERIFY(writer.start());
        model::MetricSample s;
        s.projectId = m_project;
        s.timestampMs = kT0 + 5'000;
        s.setValue(model::Metric::TokensProcessed, 100);
        s.setValue(model::Metric::KvCacheSizeKB, 10);
        s.setValue(model::Metric::MemoryUsageGB, 1);
        s.setValue(model::Metric::InferenceTimeMs, 10);
        QVERIFY(test::writeAndWait(writer, {s}).ok());
    }
    const int tokens = static_cast<int>(model::Metric::TokensProcessed);
    QVERIFY(m_repo->sync().applyRecord(
        {QStringLiteral("rollup"), QStringLiteral("%1/60000/%2").arg(m_project).arg(kT0),
         QStringLiteral("00000000000000aa"), 1, 1, kT0, false,
         QJsonObject{{QStringLiteral("metrics"),
                      QJsonObject{{QString::number(tokens),
                                   QJsonArray{0, 2, 50.0, 300.0, 350.0, 1, 1, 7.0, 7.0, 7.0}}}}}}));
    auto points =
        m_repo->samples().rollups(m_project, model::Metric::TokensProcessed, 60'000, kT0, kT0 + 3'600'000);
    QVERIFY(points);
    QCOMPARE(points->size(), 2);
    QCOMPARE(points->at(0).count, 3); // both devices' samples of 10:00
    QCOMPARE(points->at(0).minimum, 50.0);
    QCOMPARE(points->at(0).maximum, 300.0);
    QCOMPARE(points->at(1).bucketStartMs, kT0 + 60'000);
    // The same block sent again (a newer version of it) replaces that device's buckets, never adds to them.
    QVERIFY(m_repo->sync().applyRecord(
        {QStringLiteral("rollup"), QStringLiteral("%1/60000/%2").arg(m_project).arg(kT0),
         QStringLiteral("00000000000000aa"), 2, 2, kT0, false,
         QJsonObject{{QStringLiteral("metrics"),
                      QJsonObject{{QString::number(tokens), QJsonArray{0, 2, 50.0, 300.0, 350.0}}}}}}));
    points =
        m_repo->samples().rollups(m_project, model::Metric::TokensProcessed, 60'000, kT0, kT0 + 3'600'000);
    QCOMPARE(points->size(), 1);
    QCOMPARE(points->at(0).count, 3);
    // A project whose samples were all measured elsewhere: a short range draws the synced minutes.
    auto other = m_repo->projects().create(QStringLiteral("measured elsewhere"), {}, {});
    QVERIFY(other);
    QVERIFY(m_repo->sync().applyRecord(
        {QStringLiteral("rollup"), QStringLiteral("%1/60000/%2").arg(other->id).arg(kT0),
         QStringLiteral("00000000000000aa"), 3, 3, kT0, false,
         QJsonObject{{QStringLiteral("metrics"),
                      QJsonObject{{QString::number(tokens),
                                   QJsonArray{0, 2, 50.0, 300.0, 350.0, 1, 1, 7.0, 7.0, 7.0}}}}}}));
    auto series =
        m_repo->samples().series(other->id, model::Metric::TokensProcessed, kT0, kT0 + 3'600'000, 500);
    QVERIFY(series);
    QCOMPARE(series->resolutionMs, 60'000);
    QCOMPARE(series->points.size(), 2);
    QCOMPARE(series->points.at(0).value, 175.0);
    // Where raw samples are here, a short range still draws them.
    QCOMPARE(m_repo->samples()
                 .series(m_project, model::Metric::TokensProcessed, kT0, kT0 + 3'600'000, 500)
                 ->resolutionMs,
             0);
}

void TestSyncStore::answeredAdviceKeepsItsAnswer()
{
    // Another device's user dismissed the advice of rule "cache-type" before this device made it.
    QVERIFY(m_repo->sync().saveRecord(
        {QStringLiteral("recommendation"), m_project + QStringLiteral("/cache-type"),
         QStringLiteral("00000000000000aa"), 3, 7, kT0, false,
         QJsonObject{{QStringLiteral("status"), QStringLiteral("dismissed")}}}));
    model::Recommendation r;
    r.rule = QStringLiteral("cache-type");
    r.title = QStringLiteral("Store the KV cache as q8_0");
    QVERIFY(m_repo->recommendations().replace(m_project, {r}));
    QCOMPARE(m_repo->recommendations().list(m_project).value().constFirst().status,
             model::RecommendationStatus::Dismissed);
    // Nothing to send: the answer here is the one merged.
    Transaction tx(m_repo->database());
    auto made = sync::numberLocalChanges(*m_repo, m_clock, 500);
    QVERIFY(tx.commit());
    QCOMPARE(scalar(m_repo->database(), QStringLiteral("SELECT count(*) FROM sync_records WHERE kind = "
                                                       "'recommendation' AND device = '00000000000000aa'")),
             1);
    QCOMPARE(made.value(), 2); // the project and its key only
}

void TestSyncStore::oneLogEntryPerLostVersion()
{
    SyncStore &store = m_repo->sync();
    const SyncRecord kept{QStringLiteral("project"),
                          m_project,
                          QStringLiteral("00000000000000bb"),
                          4,
                          9,
                          kT0,
                          false,
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("kept")}}};
    const SyncRecord lost{QStringLiteral("project"),
                          m_project,
                          QStringLiteral("00000000000000aa"),
                          2,
                          9,
                          kT0,
                          false,
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("lost")}}};
    QVERIFY(store.logLoser(kept, lost));
    QVERIFY(store.logLoser(kept, lost));
    QCOMPARE(
        scalar(m_repo->database(),
               QStringLiteral("SELECT count(*) FROM automated_actions WHERE action_type = 'sync_conflict'")),
        1);
    const auto entries = m_repo->actions().list(m_project, 10).value();
    QVERIFY(entries.constFirst().details.contains(QLatin1String("\"lost\"")));
}

QTEST_GUILESS_MAIN(TestSyncStore)
#include "tst_syncstore.moc"
