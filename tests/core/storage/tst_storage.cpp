// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/clock.h"
#include "core/model/actiondetails.h"
#include "core/storage/database.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/sampleinserter.h"
#include "core/storage/settings.h"
#include "tests/support/teststack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <future>
#include <mutex>

using namespace cachewise;
using namespace cachewise::storage;
using test::scalar;
using test::writeAndWait;

namespace {

constexpr qint64 kT0 = 1'705'312'800'000; // 2024-01-15T10:00:00Z, on an hour boundary

MetricSample makeSample(const QString &project, qint64 ts, double tokens, double kv = 1000, double mem = 1.5,
                        double ms = 100)
{
    MetricSample s;
    s.projectId = project;
    s.timestampMs = ts;
    s.setValue(Metric::TokensProcessed, tokens);
    s.setValue(Metric::KvCacheSizeKB, kv);
    s.setValue(Metric::MemoryUsageGB, mem);
    s.setValue(Metric::InferenceTimeMs, ms);
    return s;
}

} // namespace

class TestStorage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void freshDatabaseIsCurrentAndWal();
    void migratesEveryEarlierVersion_data();
    void migratesEveryEarlierVersion();
    void refusesNewerSchema();
    void projectsCrud();
    void projectValidation();
    void apiKeysStoreOnlyHashes();
    void writerCommitsAndRollsUp();
    void writerIsolatesBadBatch();
    void writerIsolatesRowThatCannotBeWritten();
    void writerGroupCommitsConcurrentBatches();
    void writerRefusesAfterStop();
    void writerNoticesOtherConnectionsCommits();
    void writesOfThisProcessGoThroughTheWriter();
    void storesNoteWhatTheyChange();
    void clearBeforeKeepsRollupsConsistent();
    void clearAll();
    void deleteProjectCascades();
    void runtimeHistory();
    void appliedAdviceThatChangesIsPendingAgain();
    void nestedTransactionsAreSavepoints();
    void retentionDropsOldRawKeepsRollups();
    void automationSettings_data();
    void automationSettings();
    void settingsValidated_data();
    void settingsValidated();
    void dataSurvivesReopen();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock{kT0};
};

void TestStorage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("test.sqlite"));
    m_clock.setNowMs(kT0);
}

void TestStorage::freshDatabaseIsCurrentAndWal()
{
    Connection c;
    QVERIFY(c.open(m_path));
    QCOMPARE(schemaVersion(c.db()), kSchemaVersion);
    QCOMPARE(journalMode(c.db()), QStringLiteral("wal"));
    QCOMPARE(scalar(c.db(), QStringLiteral("PRAGMA foreign_keys")), 1);
    QCOMPARE(scalar(c.db(), QStringLiteral("PRAGMA synchronous")), 2); // FULL
}

void TestStorage::migratesEveryEarlierVersion_data()
{
    QTest::addColumn<int>("fromVersion");
    for (int v = 1; v < kSchemaVersion; ++v)
        QTest::addRow("schema %d", v) << v;
}

void TestStorage::migratesEveryEarlierVersion()
{
    QFETCH(int, fromVersion);
    const QString project = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01");
    {
        // A file as that version wrote it, with data in it.
        Connection old;
        QVERIFY(old.open(m_path, fromVersion));
        QCOMPARE(schemaVersion(old.db()), fromVersion);
        QSqlQuery q(old.db());
        QVERIFY(
            q.exec(QStringLiteral("INSERT INTO projects VALUES ('%1', 'Chatbot v2', 'GPT-4', 'Decoder-only "
                                  "Transformer', %2, %2)")
                       .arg(project)
                       .arg(kT0)));
        QVERIFY(
            q.exec(QStringLiteral("INSERT INTO automated_actions (id, project_id, ts, action_type, details, "
                                  "status) VALUES ('a1', '%1', %2, 'evict_lru', "
                                  "'cache at 93 percent', 'dry_run')")
                       .arg(project)
                       .arg(kT0)));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO recommendations (id, project_id, generated_at, title, "
                                      "description) VALUES ('r1', '%1', %2, 'Old advice', 'text')")
                           .arg(project)
                           .arg(kT0)));
        if (fromVersion >= 10) {
            // The compact store: samples through its inserter, rollups by the integer key, as the writer
            // of that version kept them.
            QList<MetricSample> samples;
            for (int i = 0; i < 3; ++i) {
                MetricSample s;
                s.projectId = project;
                s.timestampMs = kT0 + i * 30'000;
                s.setValue(Metric::TokensProcessed, 1000 + i * 100);
                s.setValue(Metric::KvCacheSizeKB, 480000);
                s.setValue(Metric::MemoryUsageGB, 2.7);
                s.setValue(Metric::InferenceTimeMs, 550);
                s.setValue(Metric::OptimizationScore, 75.5);
                samples << s;
            }
            QVERIFY(q.exec(QStringLiteral("BEGIN")));
            SampleInserter inserter(old.db());
            QVERIFY(inserter.prepareError().isEmpty());
            for (const MetricSample &s : samples)
                QVERIFY(inserter.insert(s));
            const qint64 key = inserter.currentKey();
            for (const qint64 resolution : {qint64(60'000), qint64(3'600'000)}) {
                QMap<std::pair<int, qint64>, std::array<double, 4>> buckets; // count, min, max, sum
                for (const MetricSample &s : samples) {
                    const qint64 bucket = s.timestampMs / resolution * resolution;
                    auto &count = buckets[{kSampleCountRollup, bucket}];
                    count = {count[0] + 1, 1, 1, count[3] + 1};
                    for (const MetricInfo &info : metricTable()) {
                        const auto v = s.value(info.metric);
                        if (!v)
                            continue;
                        auto it = buckets.find({int(info.metric), bucket});
                        if (it == buckets.end())
                            buckets.insert({int(info.metric), bucket}, {1, *v, *v, *v});
                        else
                            *it = {(*it)[0] + 1, std::min((*it)[1], *v), std::max((*it)[2], *v),
                                   (*it)[3] + *v};
                    }
                }
                for (auto it = buckets.begin(); it != buckets.end(); ++it)
                    QVERIFY(
                        q.exec(QStringLiteral("INSERT INTO rollups VALUES (%1, %2, %3, %4, %5, %6, %7, %8)")
                                   .arg(key)
                                   .arg(resolution)
                                   .arg(it.key().first)
                                   .arg(it.key().second)
                                   .arg(it.value()[0])
                                   .arg(it.value()[1])
                                   .arg(it.value()[2])
                                   .arg(it.value()[3])));
            }
            QVERIFY(q.exec(QStringLiteral("COMMIT")));
        }
        for (int i = 0; i < 3 && fromVersion < 10; ++i)
            QVERIFY(q.exec(
                QStringLiteral("INSERT INTO metric_samples (project_id, ts, tokens_processed, "
                               "kv_cache_size_kb, memory_usage_gb, inference_time_ms, optimization_score) "
                               "VALUES ('%1', %2, %3, 480000, 2.7, 550, 75.5)")
                    .arg(project)
                    .arg(kT0 + i * 30'000)
                    .arg(1000 + i * 100)));
        if (fromVersion >= 2 && fromVersion < 10) {
            // From version 2 on the writer keeps rollups beside the samples; do what it would have done.
            for (const qint64 resolution : {qint64(60'000), qint64(3'600'000)}) {
                for (const MetricInfo &info : metricTable()) {
                    if (info.metric >= Metric::KvCacheCapacityKB)
                        continue;
                    QVERIFY(
                        q.exec(QStringLiteral(
                                   "INSERT INTO metric_rollups SELECT project_id, %1, %2, (ts / %1) * %1, "
                                   "count(%3), min(%3), max(%3), total(%3) FROM metric_samples WHERE "
                                   "%3 IS NOT NULL GROUP BY project_id, ts / %1")
                                   .arg(resolution)
                                   .arg(int(info.metric))
                                   .arg(QLatin1String(info.column))));
                }
                if (fromVersion >= 7) // the samples' own count, kept from schema 7 on
                    QVERIFY(q.exec(
                        QStringLiteral("INSERT INTO metric_rollups SELECT project_id, %1, %2, (ts / %1) "
                                       "* %1, count(*), 1, 1, count(*) FROM metric_samples GROUP BY "
                                       "project_id, ts / %1")
                            .arg(resolution)
                            .arg(kSampleCountRollup)));
            }
        }
    }
    Repository repository(m_clock);
    QVERIFY(repository.open(m_path));
    QCOMPARE(schemaVersion(repository.database()), kSchemaVersion);
    // The samples moved into the compact store with every value as it was; the old table is gone.
    const QList<MetricSample> stored = test::storedSamples(repository, project);
    QCOMPARE(stored.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(stored[i].timestampMs, kT0 + i * 30'000);
        QCOMPARE(stored[i].value(Metric::TokensProcessed).value_or(-1), 1000.0 + i * 100);
        QCOMPARE(stored[i].value(Metric::MemoryUsageGB).value_or(-1), 2.7);
        QCOMPARE(stored[i].value(Metric::OptimizationScore).value_or(-1), 75.5);
        QVERIFY(!stored[i].value(Metric::KvCacheUsageRatio));
    }
    QCOMPARE(scalar(repository.database(),
                    QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'metric_%'")),
             0);
    auto stats = repository.samples().stats(project);
    QVERIFY(stats);
    QCOMPARE(stats->sampleCount, 3);
    QCOMPARE(stats->metrics[metricIndex(Metric::TokensProcessed)].maximum, 1200.0);
    QCOMPARE(stats->metrics[metricIndex(Metric::TokensProcessed)].mean, 1100.0);
    QCOMPARE(stats->metrics[metricIndex(Metric::OptimizationScore)].count, 3);
    // Minute rollups were built too: 00:00 and 00:30 fall in minute 0, 01:00 in minute 1.
    auto minutes =
        repository.samples().rollups(project, Metric::TokensProcessed, 60'000, kT0, kT0 + 3'600'000);
    QVERIFY(minutes);
    QCOMPARE(minutes->size(), 2);
    QCOMPARE(minutes->at(0).count, 2);
    QCOMPARE(minutes->at(1).count, 1);
    // The action log and the recommendations came along.
    auto actions = repository.actions().list(project, 10);
    QVERIFY(actions);
    QCOMPARE(actions->size(), 1);
    QCOMPARE(actions->first().status, model::ActionStatus::DryRun);
    QCOMPARE(actions->first().details, QStringLiteral("cache at 93 percent")); // its English text only
    QVERIFY(actions->first().phrases.isEmpty());
    // From schema 9 an entry keeps its phrases, and its English text is made from them.
    model::ActionLogEntry decided;
    decided.projectId = project;
    decided.actionType = QStringLiteral("evict_lru");
    decided.status = model::ActionStatus::Pending;
    decided.details = QStringLiteral("ignored: the phrases say it");
    decided.phrases = {model::phrase::cacheSize(93.44, 90, 80)};
    const auto added = repository.actions().add(decided);
    QVERIFY(added);
    const QString english =
        QStringLiteral("KV cache at 93 % (limit 90 %): evict least recently used entries down "
                       "to 80 %");
    QCOMPARE(repository.actions().get(added->id).value()->details, english);
    QCOMPARE(repository.actions().get(added->id).value()->phrases, decided.phrases);
    // An outcome replaces them (the decision stays first).
    const QJsonArray ended{decided.phrases.first(),
                           model::phrase::eraseFailed(QStringLiteral("http://127.0.0.1:8080"), 2,
                                                      model::phrase::httpError(500, QString()))};
    QVERIFY(repository.actions().setStatus(added->id, model::ActionStatus::Failed, ended).value());
    const model::ActionLogEntry failed = *repository.actions().get(added->id).value();
    QCOMPARE(failed.status, model::ActionStatus::Failed);
    QCOMPARE(failed.phrases, ended);
    QCOMPARE(failed.details,
             english + QStringLiteral(" — http://127.0.0.1:8080: erasing slot 2 failed (HTTP 500)"));
    auto recs = repository.recommendations().list(project);
    QVERIFY(recs);
    QCOMPARE(recs->size(), 1);
    QCOMPARE(recs->first().status, model::RecommendationStatus::Pending);
    // The new columns exist and the project can take engine fields.
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    MetricSample s = makeSample(project, kT0 + 120'000, 10);
    s.setValue(Metric::KvCacheUsageRatio, 0.5);
    QVERIFY(writeAndWait(writer, {s}).ok());
    // A scraped sample that measured only some fields: the others are absent, not 0, and it still counts.
    MetricSample scraped;
    scraped.projectId = project;
    scraped.timestampMs = kT0 + 180'000;
    scraped.setValue(Metric::KvCacheUsageRatio, 0.25);
    scraped.setValue(Metric::TimePerOutputTokenMs, 12.5);
    QVERIFY(writeAndWait(writer, {scraped}).ok());
    const auto latest = repository.samples().recent(project, 1).value().first();
    QVERIFY(!latest.value(Metric::KvCacheSizeKB) && !latest.value(Metric::TokensProcessed));
    QCOMPARE(*latest.value(Metric::TimePerOutputTokenMs), 12.5);
    QCOMPARE(repository.samples().stats(project)->sampleCount, 5);
    QCOMPARE(repository.samples().stats(project)->metrics[metricIndex(Metric::TokensProcessed)].count, 4);
}

void TestStorage::refusesNewerSchema()
{
    {
        Connection c;
        QVERIFY(c.open(m_path));
        QVERIFY(exec(c.db(), QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion + 1)));
    }
    Connection again;
    auto r = again.open(m_path);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(QStringLiteral("newer")), qPrintable(r.errorMessage()));
}

void TestStorage::projectsCrud()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto created = repo.projects().create(QStringLiteral("  Chatbot v2 "), QStringLiteral("GPT-4"),
                                          QStringLiteral("Decoder-only Transformer"));
    QVERIFY(created);
    QCOMPARE(created->name, QStringLiteral("Chatbot v2"));
    QVERIFY(Repository::isValidId(created->id));
    auto other = repo.projects().create(QStringLiteral("Code Gen API"), QString(), QString());
    QVERIFY(other);
    QCOMPARE(other->modelName, QString());
    auto all = repo.projects().list();
    QVERIFY(all);
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(0).name, QStringLiteral("Chatbot v2"));
    m_clock.advanceMs(1000);
    model::Project changed = created.value();
    changed.modelName = QStringLiteral("Llama-3.1-8B");
    auto updated = repo.projects().update(changed);
    QVERIFY(updated);
    QCOMPARE(updated->updatedAtMs, kT0 + 1000);
    auto read = repo.projects().get(created->id);
    QVERIFY(read && read.value());
    QCOMPARE(read.value()->modelName, QStringLiteral("Llama-3.1-8B"));
    auto deleted = repo.projects().remove(created->id);
    QVERIFY(deleted && deleted.value());
    auto again = repo.projects().remove(created->id);
    QVERIFY(again && !again.value());
}

void TestStorage::projectValidation()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto empty = repo.projects().create(QStringLiteral("   "), QString(), QString());
    QVERIFY(!empty);
    QCOMPARE(empty.errorMessage(), QStringLiteral("Project Name is required."));
    QVERIFY(!repo.projects().create(QString(256, QLatin1Char('a')), QString(), QString()));
    QVERIFY(!repo.projects().create(QStringLiteral("ok"), QString(), QString(101, QLatin1Char('a'))));
    QVERIFY(
        !repo.projects().create(QStringLiteral("ok"), QString(), QString(), QStringLiteral("not-a-uuid")));
    QCOMPARE(repo.projects().list()->size(), 0);

    // Names are unique, case aside: on create and on rename, a Conflict on "name" that changes nothing.
    auto first = repo.projects().create(QStringLiteral("Chatbot"), QString(), QString());
    auto second = repo.projects().create(QStringLiteral("Coder"), QString(), QString());
    QVERIFY(first && second);
    auto again = repo.projects().create(QStringLiteral(" chatbot "), QString(), QString());
    QCOMPARE(again.error().kind, ErrorKind::Conflict);
    QCOMPARE(again.error().field, QStringLiteral("name"));
    QCOMPARE(again.errorMessage(), QStringLiteral("A project named \"chatbot\" already exists."));
    Project renamed = *second;
    renamed.name = QStringLiteral("CHATBOT");
    QCOMPARE(repo.projects().update(renamed).error().kind, ErrorKind::Conflict);
    QCOMPARE(repo.projects().get(second->id).value()->name, QStringLiteral("Coder"));
    renamed.name = QStringLiteral("coder"); // its own name in another case is fine
    QVERIFY(repo.projects().update(renamed));
    renamed.id = QStringLiteral("00000000-0000-4000-8000-000000000000");
    renamed.name = QStringLiteral("Elsewhere");
    QCOMPARE(repo.projects().update(renamed).error().kind, ErrorKind::NotFound);
    QCOMPARE(repo.projects().list()->size(), 2);
}

void TestStorage::apiKeysStoreOnlyHashes()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    QVERIFY(project);
    auto key = repo.keys().create(project->id, QStringLiteral("ci"));
    QVERIFY(key);
    QVERIFY(key->secret.startsWith(QStringLiteral("cw_")));
    QVERIFY(key->secret.size() >= 40);
    // The secret appears nowhere in the database, only its hash.
    QSqlQuery q(repo.database());
    QVERIFY(q.exec(QStringLiteral("SELECT key_hash, prefix FROM api_keys")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toByteArray(), KeyStore::hashSecret(key->secret));
    QVERIFY(!key->secret.startsWith(q.value(1).toString()) || q.value(1).toString().size() < 12);
    QCOMPARE(scalar(repo.database(),
                    QStringLiteral("SELECT count(*) FROM api_keys WHERE key_hash = '%1'").arg(key->secret)),
             0);

    auto found = repo.keys().findBySecret(key->secret);
    QVERIFY(found && found.value());
    QCOMPARE(found.value()->projectId, project->id);
    QVERIFY(repo.keys().findBySecret(key->secret + QLatin1Char('x'))->has_value() == false);
    QVERIFY(repo.keys().revoke(key->key.id).value());
    QVERIFY(!repo.keys().revoke(key->key.id).value()); // already revoked
    QVERIFY(repo.keys().findBySecret(key->secret).value()->revoked());
    QVERIFY(!repo.keys().create(QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a09")));
}

void TestStorage::writerCommitsAndRollsUp()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    MetricWriter writer(m_path, m_clock);
    QList<MetricSample> committedSeen;
    std::mutex seenMutex;
    writer.setCommitObserver([&](const QList<MetricSample> &s) {
        std::lock_guard lock(seenMutex);
        committedSeen += s;
    });
    QVERIFY(writer.start());
    QList<MetricSample> batch;
    // Two minutes in hour 0, one sample in hour 1.
    batch << makeSample(project->id, kT0 + 1'000, 10, 100) << makeSample(project->id, kT0 + 59'999, 30, 300)
          << makeSample(project->id, kT0 + 60'000, 20, 200)
          << makeSample(project->id, kT0 + 3'600'000, 40, 400);
    batch[1].setValue(Metric::OptimizationScore, 80);
    const WriteOutcome outcome = writeAndWait(writer, batch);
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.accepted, 4);
    QCOMPARE(writer.committedSamples(), quint64(4));
    {
        std::lock_guard lock(seenMutex);
        QCOMPARE(committedSeen.size(), 4);
    }
    auto minutes =
        repo.samples().rollups(project->id, Metric::KvCacheSizeKB, 60'000, kT0, kT0 + 2 * 3'600'000);
    QVERIFY(minutes);
    QCOMPARE(minutes->size(), 3);
    QCOMPARE(minutes->at(0).count, 2);
    QCOMPARE(minutes->at(0).minimum, 100.0);
    QCOMPARE(minutes->at(0).maximum, 300.0);
    QCOMPARE(minutes->at(0).mean, 200.0);
    auto hours =
        repo.samples().rollups(project->id, Metric::KvCacheSizeKB, 3'600'000, kT0, kT0 + 2 * 3'600'000);
    QCOMPARE(hours->size(), 2);
    QCOMPARE(hours->at(0).count, 3);
    QCOMPARE(hours->at(1).count, 1);
    // A second write into the same bucket merges.
    QVERIFY(writeAndWait(writer, {makeSample(project->id, kT0 + 2'000, 50, 50)}).ok());
    minutes = repo.samples().rollups(project->id, Metric::KvCacheSizeKB, 60'000, kT0, kT0 + 60'000);
    QCOMPARE(minutes->at(0).count, 3);
    QCOMPARE(minutes->at(0).minimum, 50.0);
    auto stats = repo.samples().stats(project->id);
    QCOMPARE(stats->sampleCount, 5);
    QCOMPARE(stats->metrics[metricIndex(Metric::OptimizationScore)].count, 1);
    QCOMPARE(*stats->firstTimestampMs, kT0 + 1'000);
    QCOMPARE(*stats->lastTimestampMs, kT0 + 3'600'000);
    auto recent = repo.samples().recent(project->id, 1);
    QCOMPARE(recent->first().timestampMs, kT0 + 3'600'000);
    QCOMPARE(*recent->first().value(Metric::TokensProcessed), 40.0);
}

void TestStorage::writerIsolatesBadBatch()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    std::promise<WriteOutcome> a, b, c;
    // Queued together so they share one transaction; the middle one names a missing project.
    writer.submit({makeSample(project->id, kT0, 1)}, [&](const WriteOutcome &o) { a.set_value(o); });
    writer.submit({makeSample(project->id, kT0, 2),
                   makeSample(QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a09"), kT0, 3)},
                  [&](const WriteOutcome &o) { b.set_value(o); });
    writer.submit({makeSample(project->id, kT0, 4)}, [&](const WriteOutcome &o) { c.set_value(o); });
    QVERIFY(a.get_future().get().ok());
    const WriteOutcome bad = b.get_future().get();
    QCOMPARE(bad.errorKind, ErrorKind::NotFound);
    QVERIFY(c.get_future().get().ok());
    QCOMPARE(repo.samples().rawCount(project->id).value(), 2);
    QCOMPARE(repo.samples().stats(project->id)->sampleCount, 2); // rollups hold nothing of the refused batch
}

// A row SQLite refuses in the middle of a request (here a trigger of the test's own): that request fails
// whole, its first row is not kept, and the requests beside it in the transaction are committed.
void TestStorage::writerIsolatesRowThatCannotBeWritten()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    {
        QSqlQuery q(repo.database());
        QVERIFY2(q.exec(QStringLiteral("CREATE TRIGGER refuse_marked BEFORE INSERT ON samples WHEN "
                                       "NEW.processed_data = 'refuse' BEGIN SELECT RAISE(ABORT, 'refused "
                                       "by the test'); END")),
                 qPrintable(q.lastError().text()));
    }
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    MetricSample refused = makeSample(project->id, kT0 + 2, 3);
    refused.processedData = "refuse";
    std::promise<WriteOutcome> a, b, c;
    writer.submit({makeSample(project->id, kT0, 1)}, [&](const WriteOutcome &o) { a.set_value(o); });
    writer.submit({makeSample(project->id, kT0 + 1, 2), refused},
                  [&](const WriteOutcome &o) { b.set_value(o); });
    writer.submit({makeSample(project->id, kT0 + 3, 4)}, [&](const WriteOutcome &o) { c.set_value(o); });
    const WriteOutcome first = a.get_future().get();
    QVERIFY2(first.ok(), qPrintable(first.error));
    const WriteOutcome bad = b.get_future().get();
    QCOMPARE(bad.errorKind, ErrorKind::Storage);
    QVERIFY2(bad.error.contains(QLatin1String("refused by the test")), qPrintable(bad.error));
    QCOMPARE(bad.accepted, 0);
    QVERIFY(c.get_future().get().ok());
    QSet<double> kept;
    for (const MetricSample &s : test::storedSamples(repo, project->id))
        kept.insert(s.value(Metric::TokensProcessed).value_or(-1));
    QCOMPARE(kept, (QSet<double>{1, 4}));
    QCOMPARE(repo.samples().stats(project->id)->sampleCount,
             2); // rollups hold nothing of the refused request
}

void TestStorage::writerGroupCommitsConcurrentBatches()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    constexpr int kThreads = 4;
    constexpr int kBatches = 100;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<std::future<WriteOutcome>> futures;
            std::vector<std::shared_ptr<std::promise<WriteOutcome>>> promises;
            for (int i = 0; i < kBatches; ++i) {
                auto p = std::make_shared<std::promise<WriteOutcome>>();
                futures.push_back(p->get_future());
                writer.submit({makeSample(project->id, kT0 + i, t * 1000 + i)},
                              [p](const WriteOutcome &o) { p->set_value(o); });
                promises.push_back(p);
            }
            for (auto &f : futures)
                ok += f.get().ok() ? 1 : 0;
        });
    }
    for (auto &t : threads)
        t.join();
    QCOMPARE(ok.load(), kThreads * kBatches);
    QCOMPARE(repo.samples().rawCount(project->id).value(), kThreads * kBatches);
    QSet<double> markers;
    for (const MetricSample &s : test::storedSamples(repo, project->id))
        markers.insert(s.value(Metric::TokensProcessed).value_or(-1));
    QCOMPARE(markers.size(), kThreads * kBatches);
    // Batches queued while a transaction ran went into a shared one.
    QVERIFY2(writer.transactions() < quint64(kThreads * kBatches),
             qPrintable(QString::number(writer.transactions())));
}

void TestStorage::writerRefusesAfterStop()
{
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    writer.stop();
    const WriteOutcome o = writeAndWait(writer, {makeSample(QStringLiteral("x"), kT0, 1)});
    QCOMPARE(o.errorKind, ErrorKind::Unavailable);
}

void TestStorage::writerNoticesOtherConnectionsCommits()
{
    Repository other(m_clock); // stands for the CLI, or another thread's connection
    QVERIFY(other.open(m_path));
    auto project = other.projects().create(QStringLiteral("P"), QString(), QString());
    QVERIFY(project);
    MetricWriter writer(m_path, m_clock);
    std::atomic<int> noticed{0};
    writer.setChangeObserver([&noticed] { noticed.fetch_add(1); });
    QVERIFY(writer.start());

    // The writer's own commits move no counter it watches.
    QVERIFY(writeAndWait(writer, {makeSample(project->id, kT0, 1)}).ok());
    QVERIFY(writeAndWait(writer, {makeSample(project->id, kT0 + 1000, 2)}).ok());
    QCOMPARE(noticed.load(), 0);
    // Another connection's commit is noticed within the check interval.
    QVERIFY(other.settings().set(QStringLiteral("retention.rawDays"), QStringLiteral("9")));
    QTRY_COMPARE_WITH_TIMEOUT(noticed.load(), 1, 5000);
    // More own commits, then another foreign one: exactly one more notice.
    for (int i = 0; i < 3; ++i)
        QVERIFY(writeAndWait(writer, {makeSample(project->id, kT0 + 2000 + i * 1000, 3)}).ok());
    QCOMPARE(noticed.load(), 1);
    QVERIFY(other.settings().set(QStringLiteral("retention.rawDays"), QStringLiteral("10")));
    QTRY_COMPARE_WITH_TIMEOUT(noticed.load(), 2, 5000);
    // A read changes nothing.
    QVERIFY(other.projects().list());
    for (int i = 0; i < 2; ++i)
        QVERIFY(writeAndWait(writer, {makeSample(project->id, kT0 + 9000 + i * 1000, 4)}).ok());
    QCOMPARE(noticed.load(), 2);
}

void TestStorage::writesOfThisProcessGoThroughTheWriter()
{
    const auto createProject = [](const QString &name) {
        return [name](Repository &w) {
            return w.projects().create(name, QString(), QString());
        };
    };
    MetricWriter writer(m_path, m_clock);
    // Not running: refused, and nothing was written.
    auto refused = writeThrough(writer.writes(), createProject(QStringLiteral("Early")));
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, ErrorKind::Unavailable);

    std::atomic<int> elsewhere{0};
    std::mutex seenMutex;
    Changes seen;
    const auto seenNow = [&] {
        const std::lock_guard lock(seenMutex);
        return seen;
    };
    writer.setChangeObserver([&elsewhere] { elsewhere.fetch_add(1); });
    writer.setWriteObserver([&](const Changes &changes) {
        const std::lock_guard lock(seenMutex);
        seen += changes;
    });
    QVERIFY(writer.start());

    // Told as a change before write() returns, and committed: another connection reads it.
    auto created = writeThrough(writer.writes(), createProject(QStringLiteral("Made here")));
    QVERIFY(created);
    QCOMPARE(seenNow().size(), 1);
    QCOMPARE(seenNow().at(0).kind, ChangeKind::Project);
    QCOMPARE(seenNow().at(0).id, created->id);
    Repository other(m_clock);
    QVERIFY(other.open(m_path));
    QCOMPARE(other.projects().list()->size(), 1);

    // Bad input: the store's error, nothing told.
    auto bad = writeThrough(writer.writes(), createProject(QString()));
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind, ErrorKind::BadInput);
    QCOMPARE(bad.error().field, QStringLiteral("name"));
    QCOMPARE(seenNow().size(), 1);

    // In order with the samples: a batch queued after the write finds its project.
    QVERIFY(writeAndWait(writer, {makeSample(created->id, kT0, 1)}).ok());
    // From the writer thread itself (automation judging a batch): run at once, no deadlock.
    std::promise<Result<QString>> inside;
    writer.submit({makeSample(created->id, kT0 + 1000, 2)}, [&](const WriteOutcome &) {
        inside.set_value(writeThrough(writer.writes(), [](Repository &w) {
            return w.settings().set(QStringLiteral("retention.rawDays"), QStringLiteral("9"));
        }));
    });
    QVERIFY(inside.get_future().get());
    QCOMPARE(seenNow().size(), 2);
    QCOMPARE(seenNow().at(1).kind, ChangeKind::Setting);
    QCOMPARE(seenNow().at(1).id, QStringLiteral("retention.rawDays"));

    // None of it moved the counter the writer watches for other processes (one more loop: the check
    // after the last write has run); another connection's commit does.
    QVERIFY(writeAndWait(writer, {makeSample(created->id, kT0 + 2000, 3)}).ok());
    QCOMPARE(elsewhere.load(), 0);
    QVERIFY(other.settings().set(QStringLiteral("retention.rawDays"), QStringLiteral("10")));
    QTRY_COMPARE_WITH_TIMEOUT(elsewhere.load(), 1, 5000);
    QCOMPARE(seenNow().size(), 2);

    writer.stop();
    QCOMPARE(writeThrough(writer.writes(), createProject(QStringLiteral("Late"))).error().kind,
             ErrorKind::Unavailable);
    QCOMPARE(other.projects().list()->size(), 1);
}

void TestStorage::storesNoteWhatTheyChange()
{
    Connection connection;
    QVERIFY(connection.open(m_path));
    connection.keepChanges(true);
    Repository repo(connection, m_clock);
    QCOMPARE(repo.open(m_path).error().kind, ErrorKind::Unsupported); // it works on the one it was given

    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    QVERIFY(project);
    const QString id = project->id;
    auto key = repo.keys().create(id);
    QVERIFY(key);
    QVERIFY(repo.keys().revoke(key->key.id).value());
    QVERIFY(!repo.keys().revoke(key->key.id).value()); // revoked before: no change
    QVERIFY(repo.settings().set(QStringLiteral("retention.rawDays"), QStringLiteral("9")));
    QVERIFY(!repo.settings().set(QStringLiteral("retention.rawDays"), QStringLiteral("-1"))); // refused
    model::Source source;
    source.projectId = id;
    source.engine = model::Engine::LlamaCpp;
    source.baseUrl = QStringLiteral("http://127.0.0.1:8080");
    auto added = repo.sources().add(source);
    QVERIFY(added);
    QVERIFY(repo.sources().setEnabled(added->id, false).value());
    QVERIFY(repo.actions().setAutomation(id, model::AutomationSettings{}));
    model::ActionLogEntry entry;
    entry.projectId = id;
    entry.actionType = QStringLiteral("alert");
    entry.status = model::ActionStatus::DryRun;
    auto action = repo.actions().add(entry);
    QVERIFY(action);
    QVERIFY(repo.samples().clear(id, std::nullopt));
    QVERIFY(repo.projects().remove(id).value());
    QVERIFY(!repo.projects().remove(id).value()); // gone already: no change
    QVERIFY(repo.projects().list());              // reads change nothing

    const Changes changes = connection.takeChanges();
    QStringList told;
    for (const Change &c : changes)
        told << QStringLiteral("%1 %2 %3")
                    .arg(QLatin1String(name(c.kind)), c.projectId == id ? QStringLiteral("P") : c.projectId,
                         c.id == id ? QStringLiteral("P")
                                    : (c.id.isEmpty() ? QStringLiteral("-") : QStringLiteral("id")));
    const QStringList expected = {
        QStringLiteral("project P P"),    QStringLiteral("key P id"),    QStringLiteral("key  id"),
        QStringLiteral("setting  id"),    QStringLiteral("source P id"), QStringLiteral("source  id"),
        QStringLiteral("automation P -"), QStringLiteral("action P id"), QStringLiteral("samples P -"),
        QStringLiteral("project P P"),
    };
    QCOMPARE(told, expected);
    QVERIFY(connection.takeChanges().isEmpty());

    // A connection nobody asked keeps nothing.
    Repository plain(m_clock);
    QVERIFY(plain.open(m_path));
    QVERIFY(plain.projects().create(QStringLiteral("Q"), QString(), QString()));
    QVERIFY(connection.takeChanges().isEmpty());
}

void TestStorage::clearBeforeKeepsRollupsConsistent()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    QList<MetricSample> batch;
    for (int i = 0; i < 120; ++i) // one sample every 30 s for an hour
        batch << makeSample(project->id, kT0 + qint64(i) * 30'000, i);
    QVERIFY(writeAndWait(writer, batch).ok());
    // Cut in the middle of minute 10 (at 10:10:15): samples at 10:10:00 go, 10:10:30 stays.
    auto deleted = repo.samples().clear(project->id, kT0 + 10 * 60'000 + 15'000);
    QVERIFY(deleted);
    QCOMPARE(deleted.value(), 21);
    auto stats = repo.samples().stats(project->id);
    QCOMPARE(stats->sampleCount, 99);
    QCOMPARE(stats->rawSampleCount, 99);
    QCOMPARE(stats->metrics[metricIndex(Metric::TokensProcessed)].minimum, 21.0);
    auto minutes = repo.samples().rollups(project->id, Metric::TokensProcessed, 60'000, kT0, kT0 + 3'600'000);
    QCOMPARE(minutes->first().bucketStartMs, kT0 + 10 * 60'000);
    QCOMPARE(minutes->first().count, 1);
    // A cut on a bucket boundary keeps that bucket whole.
    QVERIFY(repo.samples().clear(project->id, kT0 + 20 * 60'000));
    minutes = repo.samples().rollups(project->id, Metric::TokensProcessed, 60'000, kT0, kT0 + 3'600'000);
    QCOMPARE(minutes->first().bucketStartMs, kT0 + 20 * 60'000);
    QCOMPARE(minutes->first().count, 2);
    QCOMPARE(repo.samples().stats(project->id)->sampleCount, 80);
    // The raw count read from the minute rollups is the rows' own count, cut on a boundary or not.
    QCOMPARE(repo.samples().stats(project->id)->rawSampleCount, repo.samples().rawCount(project->id).value());
    QVERIFY(repo.samples().clear(project->id, kT0 + 33 * 60'000 + 45'000));
    QCOMPARE(repo.samples().stats(project->id)->rawSampleCount, repo.samples().rawCount(project->id).value());
    QCOMPARE(repo.samples().stats(project->id)->rawSampleCount, 52);
}

void TestStorage::clearAll()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    auto other = repo.projects().create(QStringLiteral("Q"), QString(), QString());
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    QVERIFY(writeAndWait(writer, {makeSample(project->id, kT0, 1), makeSample(other->id, kT0, 2)}).ok());
    QCOMPARE(repo.samples().clear(project->id, std::nullopt).value(), 1);
    QCOMPARE(repo.samples().stats(project->id)->sampleCount, 0);
    QCOMPARE(repo.samples().stats(other->id)->sampleCount, 1);
}

void TestStorage::deleteProjectCascades()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    QVERIFY(repo.keys().create(project->id));
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    QVERIFY(writeAndWait(writer, {makeSample(project->id, kT0, 1)}).ok());
    QVERIFY(repo.projects().remove(project->id).value());
    for (const char *table : {"samples", "rollups", "project_keys", "api_keys"})
        QCOMPARE(scalar(repo.database(), QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))),
                 0);
    // Samples for the deleted project are refused, not stored orphaned.
    QCOMPARE(writeAndWait(writer, {makeSample(project->id, kT0, 1)}).errorKind, ErrorKind::NotFound);
}

void TestStorage::retentionDropsOldRawKeepsRollups()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    QVERIFY(repo.settings().set(setting::RetentionRawDays, QStringLiteral("1")));
    QVERIFY(repo.settings().set(setting::RetentionMinuteRollupDays, QStringLiteral("2")));
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    constexpr qint64 kDay = 86'400'000;
    QVERIFY(writeAndWait(writer,
                         {makeSample(project->id, kT0 - 3 * kDay, 1),
                          makeSample(project->id, kT0 - kDay - 1, 2), makeSample(project->id, kT0 - 1000, 3)})
                .ok());
    writer.requestRetention();
    QTRY_COMPARE_WITH_TIMEOUT(repo.samples().rawCount(project->id).value(), 1, 10000);
    auto stats = repo.samples().stats(project->id);
    QCOMPARE(stats->sampleCount, 3); // hourly rollups keep the whole history
    auto minutes = repo.samples().rollups(project->id, Metric::TokensProcessed, 60'000, 0, kT0);
    QCOMPARE(minutes->size(), 2); // the 3-day-old minute is past the 2-day limit
}

void TestStorage::automationSettings_data()
{
    QTest::addColumn<double>("maxCache");
    QTest::addColumn<double>("maxLatency");
    QTest::addColumn<QString>("refusedField");
    QTest::addRow("in range") << 85.0 << 25.0 << QString();
    QTest::addRow("cache 100 percent") << 100.0 << 0.0 << QString();
    QTest::addRow("cache 0 percent") << 0.0 << 20.0 << QStringLiteral("maxCachePercent");
    QTest::addRow("cache over 100 percent") << 100.5 << 20.0 << QStringLiteral("maxCachePercent");
    QTest::addRow("cache not a number") << qQNaN() << 20.0 << QStringLiteral("maxCachePercent");
    QTest::addRow("negative latency") << 90.0 << -1.0 << QStringLiteral("maxLatencyIncreasePercent");
    QTest::addRow("latency infinite") << 90.0 << qInf() << QStringLiteral("maxLatencyIncreasePercent");
}

void TestStorage::automationSettings()
{
    QFETCH(double, maxCache);
    QFETCH(double, maxLatency);
    QFETCH(QString, refusedField);
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    auto defaults = repo.actions().automation(project->id);
    QVERIFY2(defaults, defaults ? "" : qPrintable(defaults.errorMessage()));
    QCOMPARE(defaults->enabled, false);
    QCOMPARE(defaults->maxCachePercent, 90.0);
    QCOMPARE(defaults->dryRun, true);
    AutomationSettings wanted;
    wanted.enabled = true;
    wanted.maxCachePercent = maxCache;
    wanted.maxLatencyIncreasePercent = maxLatency;
    wanted.dryRun = false;
    auto saved = repo.actions().setAutomation(project->id, wanted);
    if (!refusedField.isEmpty()) {
        QVERIFY(!saved);
        QCOMPARE(saved.error().field, refusedField);
        QCOMPARE(repo.actions().automation(project->id)->enabled, false); // nothing changed
        return;
    }
    QVERIFY(saved);
    auto read = repo.actions().automation(project->id);
    QCOMPARE(read->enabled, true);
    QCOMPARE(read->maxCachePercent, maxCache);
    QCOMPARE(read->maxLatencyIncreasePercent, maxLatency);
    QCOMPARE(read->dryRun, false);
    QVERIFY(!repo.actions().setAutomation(QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a09"), wanted));
    QVERIFY(repo.projects().remove(project->id).value());
    QCOMPARE(scalar(repo.database(), QStringLiteral("SELECT count(*) FROM project_automation")), 0);
}

void TestStorage::settingsValidated_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("accepted");
    QTest::addRow("body limit in range") << setting::MaxBodyBytes << QStringLiteral("65536") << true;
    QTest::addRow("body limit too small") << setting::MaxBodyBytes << QStringLiteral("10") << false;
    QTest::addRow("body limit not a number") << setting::MaxBodyBytes << QStringLiteral("big") << false;
    QTest::addRow("rate limit off") << setting::RateLimitPerSecond << QStringLiteral("0") << true;
    QTest::addRow("negative retention") << setting::RetentionRawDays << QStringLiteral("-1") << false;
    QTest::addRow("listen address") << setting::ListenAddress << QStringLiteral("127.0.0.1:9000") << true;
    QTest::addRow("listen address without port")
        << setting::ListenAddress << QStringLiteral("127.0.0.1") << false;
    QTest::addRow("listen host name") << setting::ListenAddress << QStringLiteral("example.com:80") << false;
    QTest::addRow("language tr") << setting::UiLanguage << QStringLiteral("tr") << true;
    QTest::addRow("language de") << setting::UiLanguage << QStringLiteral("de") << false;
    QTest::addRow("unknown key") << QStringLiteral("no.such") << QStringLiteral("1") << false;
}

void TestStorage::settingsValidated()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(bool, accepted);
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto before = repo.settings().all();
    QVERIFY(before);
    auto saved = repo.settings().set(key, value);
    QCOMPARE(bool(saved), accepted);
    if (accepted)
        QCOMPARE(repo.settings().value(key).value(), value);
    else
        QCOMPARE(repo.settings().all().value(), before.value()); // nothing changed
}

void TestStorage::dataSurvivesReopen()
{
    QString id;
    {
        Repository repo(m_clock);
        QVERIFY(repo.open(m_path));
        id = repo.projects().create(QStringLiteral("P"), QString(), QString())->id;
        MetricWriter writer(m_path, m_clock);
        QVERIFY(writer.start());
        QVERIFY(writeAndWait(writer, {makeSample(id, kT0, 7)}).ok());
    }
    Repository again(m_clock);
    QVERIFY(again.open(m_path));
    QCOMPARE(again.samples().stats(id)->sampleCount, 1);
}

// Every change of a runtime is kept with what it was before; saving the same runtime again is no change.
void TestStorage::runtimeHistory()
{
    Repository repository(m_clock);
    QVERIFY(repository.open(m_path));
    const QString project = repository.projects().create(QStringLiteral("Chat"), {}, {})->id;
    model::ProjectRuntime runtime;
    runtime.modelJson = R"({"layers": 32})";
    QVERIFY(repository.runtimes().set(project, runtime));
    m_clock.advanceMs(1000);
    QVERIFY(repository.runtimes().set(project, runtime)); // the same: not a change
    runtime.context = 8192;
    runtime.cacheTypeK = model::CacheType::Q8_0;
    QVERIFY(repository.runtimes().set(project, runtime, QStringLiteral("rec-1")));
    auto history = repository.runtimes().changes(project, 0, m_clock.nowMs() + 1);
    QVERIFY(history);
    QCOMPARE(history->size(), 2);
    QVERIFY(!history->at(0).before);
    QCOMPARE(history->at(0).after.context, 4096);
    QCOMPARE(history->at(1).before->context, 4096);
    QCOMPARE(history->at(1).after.context, 8192);
    QCOMPARE(history->at(1).after.cacheTypeK, model::CacheType::Q8_0);
    QCOMPARE(history->at(1).changedAtMs, m_clock.nowMs());
    QCOMPARE(history->at(1).recommendationId, QStringLiteral("rec-1"));
    QCOMPARE(repository.runtimes().appliedChange(QStringLiteral("rec-1")).value()->id, history->at(1).id);
    // The range is [from, to): a change at `to` is not in it.
    QCOMPARE(repository.runtimes().changes(project, 0, m_clock.nowMs())->size(), 1);
    QVERIFY(repository.runtimes().markUndone(history->at(1).id).value());
    QVERIFY(!repository.runtimes().markUndone(history->at(1).id).value()); // once
    QVERIFY(!repository.runtimes().appliedChange(QStringLiteral("rec-1")).value());
    // A refused runtime leaves no trace in the history.
    runtime.parallel = 0;
    QVERIFY(!repository.runtimes().set(project, runtime));
    QCOMPARE(repository.runtimes().changes(project, 0, m_clock.nowMs() + 1)->size(), 2);
    // The history goes with its project.
    QVERIFY(repository.projects().remove(project));
    QSqlQuery q(repository.database());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM runtime_changes")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

// Regenerated advice keeps the user's answer, unless applied advice now asks for other flags.
void TestStorage::appliedAdviceThatChangesIsPendingAgain()
{
    Repository repository(m_clock);
    QVERIFY(repository.open(m_path));
    const QString project = repository.projects().create(QStringLiteral("Chat"), {}, {})->id;
    const auto advice = [](const QString &rule, const QString &flags, double peak) {
        Recommendation r;
        r.rule = rule;
        r.title = rule;
        r.details = QJsonDocument(
                        QJsonObject{{QStringLiteral("rule"), rule},
                                    {QStringLiteral("apply"), QJsonArray{flags}},
                                    {QStringLiteral("params"), QJsonObject{{QStringLiteral("peak"), peak}}}})
                        .toJson(QJsonDocument::Compact);
        return r;
    };
    auto stored = repository.recommendations().replace(
        project, {advice(QStringLiteral("more_slots"), QStringLiteral("-np 8"), 0.3),
                  advice(QStringLiteral("prefix_caching"), QStringLiteral("--cache-reuse 256"), 0.1)});
    QVERIFY(stored);
    const auto idOf = [&](const QString &rule) {
        for (const Recommendation &r : repository.recommendations().list(project).value()) {
            if (r.rule == rule)
                return r;
        }
        return Recommendation{};
    };
    QVERIFY(repository.recommendations().setStatus(idOf(QStringLiteral("more_slots")).id,
                                                   model::RecommendationStatus::Applied));
    QVERIFY(repository.recommendations().setStatus(idOf(QStringLiteral("prefix_caching")).id,
                                                   model::RecommendationStatus::Dismissed));
    // The same flags with other observations: still applied; a dismissal stays whatever it says.
    QVERIFY(repository.recommendations().replace(
        project, {advice(QStringLiteral("more_slots"), QStringLiteral("-np 8"), 0.4),
                  advice(QStringLiteral("prefix_caching"), QStringLiteral("--cache-reuse 512"), 0.1)}));
    QCOMPARE(idOf(QStringLiteral("more_slots")).status, model::RecommendationStatus::Applied);
    QCOMPARE(idOf(QStringLiteral("prefix_caching")).status, model::RecommendationStatus::Dismissed);
    // Other flags: new advice, pending again (same row).
    const QString id = idOf(QStringLiteral("more_slots")).id;
    QVERIFY(repository.recommendations().replace(
        project, {advice(QStringLiteral("more_slots"), QStringLiteral("-np 16"), 0.4),
                  advice(QStringLiteral("prefix_caching"), QStringLiteral("--cache-reuse 512"), 0.1)}));
    QCOMPARE(idOf(QStringLiteral("more_slots")).id, id);
    QCOMPARE(idOf(QStringLiteral("more_slots")).status, model::RecommendationStatus::Pending);
}

// A transaction opened inside another is a savepoint: rolled back alone, the outer one goes on.
void TestStorage::nestedTransactionsAreSavepoints()
{
    Repository repository(m_clock);
    QVERIFY(repository.open(m_path));
    {
        Transaction outer(repository.database());
        QVERIFY(outer.begun());
        QVERIFY(repository.projects().create(QStringLiteral("Kept"), {}, {}));
        {
            Transaction inner(repository.database());
            QVERIFY(inner.begun());
            QVERIFY(repository.projects().create(QStringLiteral("Dropped"), {}, {}));
        } // not committed: rolled back to its savepoint
        {
            Transaction inner(repository.database());
            QVERIFY(inner.begun());
            QVERIFY(repository.projects().create(QStringLiteral("Inner kept"), {}, {}));
            QVERIFY(inner.commit());
        }
        QVERIFY(outer.commit());
    }
    QStringList names;
    for (const auto &p : repository.projects().list().value())
        names << p.name;
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("Inner kept"), QStringLiteral("Kept")}));
    // And after them a transaction of its own again (BEGIN, not a savepoint of nothing).
    Transaction next(repository.database());
    QVERIFY(next.begun());
    QVERIFY(next.commit());
}

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
