// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/database.h"

#include "core/common/logging.h"
#include "core/common/paths.h"
#include "core/storage/syncstore.h"
#include "core/storage/types.h"

#include <QAtomicInteger>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QThread>

namespace cachewise::storage {
namespace {

QAtomicInteger<quint64> g_connectionCounter;

// Schema version 1: the product brief's entities, API keys and settings.
const char *const kSchemaV1[] = {
    R"(CREATE TABLE projects (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        model_name TEXT NOT NULL DEFAULT '',
        model_architecture TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL))",
    R"(CREATE TABLE metric_samples (
        id INTEGER PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        tokens_processed INTEGER NOT NULL CHECK (tokens_processed >= 0),
        kv_cache_size_kb INTEGER NOT NULL CHECK (kv_cache_size_kb >= 0),
        memory_usage_gb REAL NOT NULL CHECK (memory_usage_gb >= 0),
        inference_time_ms INTEGER NOT NULL CHECK (inference_time_ms >= 0),
        optimization_score REAL CHECK (optimization_score BETWEEN 0 AND 100),
        processed_data TEXT))",
    "CREATE INDEX metric_samples_project_ts ON metric_samples(project_id, ts)",
    R"(CREATE TABLE api_keys (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL DEFAULT '',
        key_hash BLOB NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        last_used_at INTEGER))",
    "CREATE INDEX api_keys_project ON api_keys(project_id)",
    R"(CREATE TABLE recommendations (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        generated_at INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        memory_saving_percent REAL,
        speed_increase_percent REAL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'dismissed')),
        details TEXT))",
    "CREATE INDEX recommendations_project ON recommendations(project_id, generated_at)",
    R"(CREATE TABLE automated_actions (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        action_type TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('success', 'error', 'skipped', 'dry_run'))))",
    "CREATE INDEX automated_actions_project ON automated_actions(project_id, ts)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
};

// Schema version 2: the engines' optional fields and per-minute / per-hour rollups.
QStringList schemaV2()
{
    QStringList statements;
    for (const MetricInfo &info : metricTable()) {
        if (info.metric < Metric::KvCacheCapacityKB || info.metric > Metric::Preemptions)
            continue; // present since version 1, or added by a later version
        statements << QStringLiteral("ALTER TABLE metric_samples ADD COLUMN %1 %2 CHECK (%1 >= 0)")
                          .arg(QLatin1String(info.column),
                               info.integer ? QStringLiteral("INTEGER") : QStringLiteral("REAL"));
    }
    statements << QStringLiteral(R"(CREATE TABLE metric_rollups (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        resolution INTEGER NOT NULL,
        metric INTEGER NOT NULL,
        bucket_start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        PRIMARY KEY (project_id, resolution, metric, bucket_start)) WITHOUT ROWID)");
    // Samples stored under version 1 get their rollups now.
    for (const qint64 resolutionMs : {qint64(60'000), qint64(3'600'000)}) {
        for (const MetricInfo &info : metricTable()) {
            if (info.metric >= Metric::KvCacheCapacityKB)
                continue;
            statements
                << QStringLiteral(
                       "INSERT INTO metric_rollups (project_id, resolution, metric, bucket_start, count, "
                       "min, max, sum) SELECT project_id, %1, %2, (ts / %1) * %1, count(%3), min(%3), "
                       "max(%3), total(%3) FROM metric_samples WHERE %3 IS NOT NULL "
                       "GROUP BY project_id, ts / %1")
                       .arg(resolutionMs)
                       .arg(static_cast<int>(info.metric))
                       .arg(QLatin1String(info.column));
        }
    }
    return statements;
}

// Schema version 3: each project's automated-management settings.
const char *const kSchemaV3[] = {
    R"(CREATE TABLE project_automation (
        project_id TEXT PRIMARY KEY NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
        max_cache_percent REAL NOT NULL DEFAULT 90 CHECK (max_cache_percent > 0 AND max_cache_percent <= 100),
        max_latency_increase_percent REAL NOT NULL DEFAULT 20
            CHECK (max_latency_increase_percent >= 0 AND max_latency_increase_percent <= 1000),
        dry_run INTEGER NOT NULL DEFAULT 1 CHECK (dry_run IN (0, 1)),
        updated_at INTEGER NOT NULL))",
};

// Schema version 4: how each project runs its model (for the KV analytics), recommendations keyed by
// the rule that made them, and an action log that follows directives to their acknowledgement.
const char *const kSchemaV4[] = {
    R"(CREATE TABLE project_runtime (
        project_id TEXT PRIMARY KEY NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        engine TEXT NOT NULL CHECK (engine IN ('llama.cpp', 'ollama', 'vllm', 'sglang', 'generic')),
        model_id TEXT NOT NULL DEFAULT '',
        model_json TEXT NOT NULL,
        context INTEGER NOT NULL CHECK (context > 0),
        parallel INTEGER NOT NULL CHECK (parallel BETWEEN 1 AND 4096),
        unified INTEGER NOT NULL DEFAULT 0 CHECK (unified IN (0, 1)),
        swa_full INTEGER NOT NULL DEFAULT 0 CHECK (swa_full IN (0, 1)),
        cache_type_k TEXT NOT NULL,
        cache_type_v TEXT NOT NULL,
        flash_attention INTEGER NOT NULL DEFAULT 1 CHECK (flash_attention IN (0, 1)),
        prefix_caching INTEGER NOT NULL DEFAULT 1 CHECK (prefix_caching IN (0, 1)),
        gpu_memory_gb REAL NOT NULL DEFAULT 0 CHECK (gpu_memory_gb >= 0),
        updated_at INTEGER NOT NULL))",
    "ALTER TABLE recommendations ADD COLUMN rule TEXT",
    "CREATE UNIQUE INDEX recommendations_rule ON recommendations(project_id, rule) WHERE rule IS NOT NULL",
    R"(CREATE TABLE automated_actions_v4 (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        action_type TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('success', 'error', 'failed', 'skipped', 'dry_run', 'pending', 'alert')),
        rule TEXT NOT NULL DEFAULT '',
        directive TEXT,
        acked_at INTEGER,
        outcome TEXT))",
    "INSERT INTO automated_actions_v4 (id, project_id, ts, action_type, details, status) "
    "SELECT id, project_id, ts, action_type, details, status FROM automated_actions",
    "DROP TABLE automated_actions",
    "ALTER TABLE automated_actions_v4 RENAME TO automated_actions",
    "CREATE INDEX automated_actions_project ON automated_actions(project_id, ts)",
    "ALTER TABLE project_automation ADD COLUMN hysteresis_percent REAL NOT NULL DEFAULT 5 "
    "CHECK (hysteresis_percent >= 0 AND hysteresis_percent <= 50)",
    "ALTER TABLE project_automation ADD COLUMN cooldown_seconds INTEGER NOT NULL DEFAULT 300 "
    "CHECK (cooldown_seconds >= 0 AND cooldown_seconds <= 86400)",
    "ALTER TABLE project_automation ADD COLUMN webhook_url TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE project_automation ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT ''",
};

// Schema version 5: the servers a project is scraped from, with their last known state.
const char *const kSchemaV5[] = {
    R"(CREATE TABLE project_sources (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        engine TEXT NOT NULL CHECK (engine IN ('llama.cpp', 'ollama', 'vllm', 'sglang')),
        base_url TEXT NOT NULL,
        interval_ms INTEGER NOT NULL DEFAULT 2000 CHECK (interval_ms BETWEEN 250 AND 3600000),
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        created_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown', 'up', 'down')),
        state_reason TEXT NOT NULL DEFAULT '',
        last_scrape_at INTEGER,
        last_latency_ms INTEGER,
        UNIQUE (project_id, base_url)))",
    "CREATE INDEX project_sources_project ON project_sources(project_id)",
};

// Schema version 6: OpenTelemetry metric names mapped by the user, and whether a source has an API key
// (the key itself lives in the OS keychain, never here).
const char *const kSchemaV6[] = {
    R"(CREATE TABLE otlp_names (
        name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
        field TEXT NOT NULL))",
    "ALTER TABLE project_sources ADD COLUMN has_api_key INTEGER NOT NULL DEFAULT 0 CHECK (has_api_key IN (0, "
    "1))",
};

// Schema version 7: a sample stores only what was measured. The brief's four fields become optional
// in the table (the push API still requires them; a scraped server that did not measure a value leaves
// it out instead of storing 0), and two engine series are added: the speed of one request's generation
// and the time per output token. SQLite cannot drop NOT NULL, so the table is rebuilt in this
// migration's one transaction: killed halfway, nothing of it is kept and it runs again.
QStringList schemaV7()
{
    QString columns = QStringLiteral("id, project_id, ts, processed_data");
    QString definitions =
        QStringLiteral("id INTEGER PRIMARY KEY,\n"
                       "project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,\n"
                       "ts INTEGER NOT NULL,\n"
                       "processed_data TEXT");
    QString copied = columns;
    for (const MetricInfo &info : metricTable()) {
        const QString column = QLatin1String(info.column);
        definitions +=
            QStringLiteral(",\n%1 %2 CHECK (%1 >= 0%3)")
                .arg(column, info.integer ? QStringLiteral("INTEGER") : QStringLiteral("REAL"),
                     info.metric == Metric::OptimizationScore ? QStringLiteral(" AND %1 <= 100").arg(column)
                                                              : QString());
        if (info.metric <= Metric::Preemptions)
            copied += QStringLiteral(", ") + column;
    }
    return {
        QStringLiteral("CREATE TABLE metric_samples_v7 (%1)").arg(definitions),
        QStringLiteral("INSERT INTO metric_samples_v7 (%1) SELECT %1 FROM metric_samples").arg(copied),
        QStringLiteral("DROP TABLE metric_samples"),
        QStringLiteral("ALTER TABLE metric_samples_v7 RENAME TO metric_samples"),
        QStringLiteral("CREATE INDEX metric_samples_project_ts ON metric_samples(project_id, ts)"),
        // Until now every sample had tokens_processed: its rollup counts are the sample counts.
        QStringLiteral(
            "INSERT INTO metric_rollups (project_id, resolution, metric, bucket_start, count, min, max, sum) "
            "SELECT project_id, resolution, %1, bucket_start, count, 1, 1, count FROM metric_rollups "
            "WHERE metric = %2")
            .arg(kSampleCountRollup)
            .arg(static_cast<int>(Metric::TokensProcessed)),
        // What the scraper learnt about a server and what it wants the user to know or answer.
        QStringLiteral("ALTER TABLE project_sources ADD COLUMN kv_layout TEXT NOT NULL DEFAULT 'unknown' "
                       "CHECK (kv_layout IN ('unknown', 'unified', 'per_slot'))"),
        QStringLiteral("ALTER TABLE project_sources ADD COLUMN notices TEXT NOT NULL DEFAULT '[]'"),
        QStringLiteral("ALTER TABLE project_sources ADD COLUMN kv_capacity_tokens INTEGER CHECK "
                       "(kv_capacity_tokens > 0)"),
        QStringLiteral("ALTER TABLE project_sources ADD COLUMN restarted_at INTEGER"),
        QStringLiteral("ALTER TABLE project_sources ADD COLUMN restart_changes TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE project_sources ADD COLUMN erase_refused_at INTEGER"),
    };
}

// Schema version 8: the history of each project's runtime, so a change (an edit, a recommendation marked
// applied) is drawn on the charts and can be undone.
const char *const kSchemaV8[] = {
    R"(CREATE TABLE runtime_changes (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        changed_at INTEGER NOT NULL,
        recommendation_id TEXT,
        before_json TEXT,
        after_json TEXT NOT NULL,
        undone_at INTEGER))",
    "CREATE INDEX runtime_changes_project_time ON runtime_changes(project_id, changed_at)",
};

// Schema version 9: what an action's details say as phrases with their numbers, so the window can say them
// in the reader's language (model/actiondetails.h); older rows keep their English text only.
const char *const kSchemaV9[] = {
    "ALTER TABLE automated_actions ADD COLUMN phrases TEXT",
};

// Schema version 10: the compact sample store. Each project gets an integer key; samples are clustered by
// (project, time) in a WITHOUT ROWID table with their values in one encoded BLOB (samplecodec.h), and the
// rollups are keyed by the integer too. The rollups move here, in this one transaction; the samples of
// the old table move afterwards in batches (sampleconversion.h), so a large history converts with its
// progress shown and survives being stopped halfway. The old table's index goes now: nothing reads by it.
const char *const kSchemaV10[] = {
    R"(CREATE TABLE project_keys (
        key INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT NOT NULL UNIQUE REFERENCES projects(id) ON DELETE CASCADE))",
    "INSERT INTO project_keys (project_id) SELECT id FROM projects ORDER BY created_at, id",
    R"(CREATE TABLE samples (
        project INTEGER NOT NULL REFERENCES project_keys(key) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 0),
        vals BLOB NOT NULL,
        processed_data TEXT,
        PRIMARY KEY (project, ts, seq)) WITHOUT ROWID)",
    R"(CREATE TABLE rollups (
        project INTEGER NOT NULL REFERENCES project_keys(key) ON DELETE CASCADE,
        resolution INTEGER NOT NULL,
        metric INTEGER NOT NULL,
        bucket_start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        PRIMARY KEY (project, resolution, metric, bucket_start)) WITHOUT ROWID)",
    "INSERT INTO rollups SELECT k.key, r.resolution, r.metric, r.bucket_start, r.count, r.min, r.max, r.sum "
    "FROM metric_rollups r JOIN project_keys k ON k.project_id = r.project_id",
    "DROP TABLE metric_rollups",
    "DROP INDEX metric_samples_project_ts",
};

// Schema version 11: the model library's last scan (so a rescan reads only changed headers) and the
// llama-servers CacheWise launches: each profile's flags, its last measured KV allocation, its process, and
// what the process used (CPU, resident memory, GPU memory where a driver tells).
const char *const kSchemaV11[] = {
    R"(CREATE TABLE model_files (
        path TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        parts TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL,
        model_json TEXT,
        file_type INTEGER,
        kv_bytes_per_token INTEGER,
        problem TEXT NOT NULL DEFAULT '',
        seen_at INTEGER NOT NULL) WITHOUT ROWID)",
    R"(CREATE TABLE server_profiles (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        source_id TEXT REFERENCES project_sources(id) ON DELETE SET NULL,
        executable TEXT NOT NULL,
        model_path TEXT NOT NULL,
        context INTEGER NOT NULL CHECK (context > 0),
        parallel INTEGER NOT NULL CHECK (parallel > 0),
        unified INTEGER NOT NULL,
        cache_type_k TEXT NOT NULL,
        cache_type_v TEXT NOT NULL,
        flash_attention TEXT NOT NULL,
        gpu_layers INTEGER,
        threads INTEGER,
        port INTEGER NOT NULL UNIQUE CHECK (port BETWEEN 1 AND 65535),
        extra_args TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        measured_kv_line TEXT NOT NULL DEFAULT '',
        measured_at INTEGER,
        state TEXT NOT NULL DEFAULT 'stopped',
        state_reason TEXT NOT NULL DEFAULT '',
        pid INTEGER,
        process_identity TEXT NOT NULL DEFAULT '',
        started_at INTEGER,
        state_updated_at INTEGER NOT NULL DEFAULT 0))",
    "CREATE INDEX server_profiles_project ON server_profiles (project_id)",
    R"(CREATE TABLE server_usage (
        profile_id TEXT NOT NULL REFERENCES server_profiles(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        resident_bytes INTEGER NOT NULL CHECK (resident_bytes >= 0),
        cpu_percent REAL NOT NULL CHECK (cpu_percent >= 0),
        gpu_bytes INTEGER CHECK (gpu_bytes >= 0),
        PRIMARY KEY (profile_id, ts)) WITHOUT ROWID)",
};

QStringList migrationTo(int version)
{
    QStringList out;
    switch (version) {
    case 1:
        for (const char *sql : kSchemaV1)
            out << QString::fromLatin1(sql);
        break;
    case 2: out = schemaV2(); break;
    case 3:
        for (const char *sql : kSchemaV3)
            out << QString::fromLatin1(sql);
        break;
    case 4:
        for (const char *sql : kSchemaV4)
            out << QString::fromLatin1(sql);
        break;
    case 5:
        for (const char *sql : kSchemaV5)
            out << QString::fromLatin1(sql);
        break;
    case 6:
        for (const char *sql : kSchemaV6)
            out << QString::fromLatin1(sql);
        break;
    case 7: out = schemaV7(); break;
    case 8:
        for (const char *sql : kSchemaV8)
            out << QString::fromLatin1(sql);
        break;
    case 9:
        for (const char *sql : kSchemaV9)
            out << QString::fromLatin1(sql);
        break;
    case 10:
        for (const char *sql : kSchemaV10)
            out << QString::fromLatin1(sql);
        break;
    case 11:
        for (const char *sql : kSchemaV11)
            out << QString::fromLatin1(sql);
        break;
    case 12: out = syncSchema(); break;
    case 13: out = rollupMarkSchema(); break;
    default: break;
    }
    return out;
}

QString describe(const QSqlError &error)
{
    return error.text().trimmed();
}

} // namespace

Error queryError(const QSqlQuery &q, const char *what)
{
    return makeError(ErrorKind::Storage,
                     QStringLiteral("%1: %2").arg(QLatin1String(what), q.lastError().text().trimmed()));
}

Result<void> exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return makeError(ErrorKind::Storage,
                         QStringLiteral("SQL failed (%1): %2").arg(sql.left(60), describe(q.lastError())));
    return {};
}

bool Connection::noteIfChanged(const QSqlQuery &q, ChangeKind kind, const QString &projectId,
                               const QString &id)
{
    const bool changed = q.numRowsAffected() > 0;
    if (changed)
        noteChange(kind, projectId, id);
    return changed;
}

Connection::~Connection()
{
    close();
}

Result<void> Connection::open(const QString &path, int targetVersion)
{
    close();
    if (path != QLatin1String(":memory:")) {
        // The owner's alone from the first byte (SQLite would make it 0644 under the usual umask).
        if (auto made = paths::createPrivateFile(path); !made)
            return makeError(ErrorKind::Storage,
                             QStringLiteral("cannot open database %1: %2").arg(path, made.errorMessage()));
    }
    m_path = path;
    m_name = QStringLiteral("cachewise-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=15000"));
    if (!m_db.open()) {
        const QString message =
            QStringLiteral("cannot open database %1: %2").arg(path, describe(m_db.lastError()));
        close();
        return makeError(ErrorKind::Storage, message);
    }
    for (const char *pragma :
         {"PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL", "PRAGMA busy_timeout = 15000"}) {
        if (auto r = exec(m_db, QString::fromLatin1(pragma)); !r) {
            close();
            return r;
        }
    }
    const QString mode = journalMode(m_db) == QStringLiteral("wal") ? QStringLiteral("wal") : [this] {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
        return q.next() ? q.value(0).toString().toLower() : QString();
    }();
    if (mode != QStringLiteral("wal")) {
        const QString message = QStringLiteral("database %1 cannot use write-ahead logging (journal mode %2)")
                                    .arg(path, mode.isEmpty() ? QStringLiteral("unknown") : mode);
        close();
        return makeError(ErrorKind::Storage, message);
    }
    if (auto r = migrate(m_db, targetVersion); !r) {
        close();
        return r;
    }
    return {};
}

void Connection::close()
{
    if (m_name.isEmpty())
        return;
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

int schemaVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

QString journalMode(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA journal_mode")) || !q.next())
        return {};
    return q.value(0).toString().toLower();
}

Result<void> migrate(QSqlDatabase &db, int targetVersion)
{
    if (targetVersion < 1 || targetVersion > kSchemaVersion)
        return makeError(ErrorKind::Storage, QStringLiteral("no schema version %1").arg(targetVersion));
    if (schemaVersion(db) == targetVersion)
        return {};
    // IMMEDIATE: a second process opening the same file waits here instead of migrating twice.
    Transaction tx(db, true);
    if (!tx.begun())
        return makeError(ErrorKind::Storage,
                         QStringLiteral("cannot start migration: %1").arg(tx.beginError()));
    const int current = schemaVersion(db);
    if (current < 0)
        return makeError(ErrorKind::Storage,
                         QStringLiteral("cannot read the schema version of %1").arg(db.databaseName()));
    if (current > kSchemaVersion)
        return makeError(ErrorKind::Storage,
                         QStringLiteral("database %1 has schema version %2, newer than this CacheWise (%3); "
                                        "update CacheWise")
                             .arg(db.databaseName())
                             .arg(current)
                             .arg(kSchemaVersion));
    if (current > targetVersion)
        return makeError(ErrorKind::Storage,
                         QStringLiteral("database has schema version %1, cannot go back to %2")
                             .arg(current)
                             .arg(targetVersion));
    for (int version = current + 1; version <= targetVersion; ++version) {
        const QStringList statements = migrationTo(version);
        if (statements.isEmpty())
            return makeError(ErrorKind::Storage,
                             QStringLiteral("no migration to schema version %1").arg(version));
        for (const QString &sql : statements) {
            if (auto r = exec(db, sql); !r)
                return makeError(
                    ErrorKind::Storage,
                    QStringLiteral("migration to schema %1 failed: %2").arg(version).arg(r.errorMessage()));
        }
        if (version == 10) {
            // An old table with no samples (every new database has one) goes now; one with samples stays
            // until convertSamples() has moved them.
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM metric_samples)")) || !q.next())
                return queryError(q, "cannot look for samples to convert");
            const bool empty = q.value(0).toInt() == 0;
            q.finish();
            if (empty) {
                if (auto r = exec(db, QStringLiteral("DROP TABLE metric_samples")); !r)
                    return r;
            }
        }
        qCDebug(lcStorage) << "migrated" << db.databaseName() << "to schema version" << version;
    }
    if (auto r = exec(db, QStringLiteral("PRAGMA user_version = %1").arg(targetVersion)); !r)
        return r;
    if (auto r = tx.commit(); !r)
        return r;
    // One line for an upgrade; a new database is no news (a first command would print it).
    if (current == 0)
        qCDebug(lcStorage) << "created" << db.databaseName() << "at schema version" << targetVersion;
    else if (current < targetVersion)
        qCInfo(lcStorage).nospace() << "migrated " << db.databaseName() << " from schema version " << current
                                    << " to " << targetVersion;
    return {};
}

namespace {

// Open transactions per connection on this thread (a connection belongs to one thread): one opened
// inside another is a savepoint, so a store's own transaction composes into a service's.
thread_local QHash<QString, int> t_transactionDepth;

} // namespace

Transaction::Transaction(QSqlDatabase &db, bool immediate) : m_db(db)
{
    int &depth = t_transactionDepth[m_db.connectionName()];
    QSqlQuery q(m_db);
    if (depth > 0) {
        m_savepoint = QStringLiteral("nested_%1").arg(depth);
        m_active = q.exec(QStringLiteral("SAVEPOINT ") + m_savepoint);
    } else {
        m_active = q.exec(immediate ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    }
    if (m_active)
        ++depth;
    else
        m_error = describe(q.lastError());
}

Transaction::~Transaction()
{
    if (!m_active)
        return;
    --t_transactionDepth[m_db.connectionName()];
    QSqlQuery q(m_db);
    const bool rolledBack = m_savepoint.isEmpty() ? q.exec(QStringLiteral("ROLLBACK"))
                                                  : q.exec(QStringLiteral("ROLLBACK TO ") + m_savepoint) &&
                                                        q.exec(QStringLiteral("RELEASE ") + m_savepoint);
    if (!rolledBack)
        qCWarning(lcStorage) << "rollback failed:" << describe(q.lastError());
}

Result<void> Transaction::commit()
{
    if (!m_active)
        return makeError(ErrorKind::Storage, QStringLiteral("no transaction to commit"));
    QSqlQuery q(m_db);
    if (!q.exec(m_savepoint.isEmpty() ? QStringLiteral("COMMIT") : QStringLiteral("RELEASE ") + m_savepoint))
        return makeError(ErrorKind::Storage,
                         QStringLiteral("commit failed: %1").arg(describe(q.lastError())));
    m_active = false;
    --t_transactionDepth[m_db.connectionName()];
    return {};
}

} // namespace cachewise::storage
