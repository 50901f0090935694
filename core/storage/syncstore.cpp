// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/syncstore.h"

#include "core/common/clock.h"
#include "core/common/random.h"
#include "core/model/metric.h"
#include "core/storage/sqltext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>
#include <QVariant>

#include <cmath>
#include <map>

namespace cachewise::storage {
namespace {

// A synced table: its record id column and the columns that travel. What stays on the machine is left
// out: a webhook's secret, a server's executable and model paths and its process's state, a key's hash.
struct SyncedTable
{
    QString kind;
    QString table;
    QString idColumn;
    QStringList columns;
    bool recordOnly = false; // kept by sync only (another device's API keys cannot be used here)
};

QStringList split(const char *columns)
{
    return QString::fromLatin1(columns).split(QStringLiteral(", "));
}

const QList<SyncedTable> &syncedTables()
{
    static const QList<SyncedTable> tables{
        {QStringLiteral("project"), QStringLiteral("projects"), QStringLiteral("id"),
         split("name, model_name, model_architecture, created_at, updated_at")},
        {QStringLiteral("automation"), QStringLiteral("project_automation"), QStringLiteral("project_id"),
         split("enabled, max_cache_percent, max_latency_increase_percent, dry_run, updated_at, "
               "hysteresis_percent, cooldown_seconds, webhook_url")},
        {QStringLiteral("runtime"), QStringLiteral("project_runtime"), QStringLiteral("project_id"),
         split("engine, model_id, model_json, context, parallel, unified, swa_full, cache_type_k, "
               "cache_type_v, "
               "flash_attention, prefix_caching, gpu_memory_gb, updated_at")},
        {QStringLiteral("source"), QStringLiteral("project_sources"), QStringLiteral("id"),
         split("project_id, engine, base_url, interval_ms, enabled, created_at")},
        {QStringLiteral("apiKey"), QStringLiteral("api_keys"), QStringLiteral("id"),
         split("project_id, name, prefix, created_at, revoked_at"), true},
        {QStringLiteral("server"), QStringLiteral("server_profiles"), QStringLiteral("id"),
         split("project_id, source_id, context, parallel, unified, cache_type_k, cache_type_v, "
               "flash_attention, "
               "gpu_layers, threads, port, extra_args, created_at, updated_at")},
        {QStringLiteral("runtimeChange"), QStringLiteral("runtime_changes"), QStringLiteral("id"),
         split("project_id, changed_at, recommendation_id, before_json, after_json, undone_at")},
        {QStringLiteral("action"), QStringLiteral("automated_actions"), QStringLiteral("id"),
         split("project_id, ts, action_type, details, status, rule, directive, acked_at, outcome, phrases")},
    };
    return tables;
}

const SyncedTable *tableOf(const QString &kind)
{
    for (const SyncedTable &t : syncedTables()) {
        if (t.kind == kind)
            return &t;
    }
    return nullptr;
}

const QString kRecommendation = QStringLiteral("recommendation");
const QString kRollup = QStringLiteral("rollup");
// A rollup row's block: an hour of minutes, a day of hours.
const QString kBlockStart = QStringLiteral(
    "bucket_start - bucket_start % (CASE resolution WHEN 60000 THEN 3600000 ELSE 86400000 END)");
const QStringList kRecommendationColumns =
    split("project_id, rule, status, title, description, memory_saving_percent, speed_increase_percent, "
          "details, generated_at");

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 86'400'000;

QJsonValue jsonOf(const QVariant &v)
{
    if (v.isNull())
        return QJsonValue::Null;
    switch (v.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int: return double(v.toLongLong());
    case QMetaType::Double: return v.toDouble();
    default: return v.toString();
    }
}

// A JSON value bound to a column: whole numbers as integers, so an INTEGER column's checks see one.
QVariant variantOf(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QVariant(QMetaType(QMetaType::QString));
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            return qint64(d);
        return d;
    }
    if (v.isBool())
        return v.toBool() ? 1 : 0;
    if (v.isString())
        return v.toString();
    return QString::fromUtf8(
        QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
            .toJson(QJsonDocument::Compact));
}

Error badRecord(const QString &kind, const QString &id, const QString &why)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("%1 %2: %3").arg(kind, id, why),
                     QStringLiteral("record"));
}

// A rollup block's id: PROJECT/RESOLUTION/BLOCK_START.
struct RollupBlock
{
    QString projectId;
    qint64 resolution = 0;
    qint64 start = 0;
};

std::optional<RollupBlock> parseRollupId(const QString &id)
{
    const QStringList parts = id.split(QLatin1Char('/'));
    if (parts.size() != 3 || !sql::isValidId(parts.at(0)))
        return std::nullopt;
    bool okResolution = false;
    bool okStart = false;
    RollupBlock b{parts.at(0), parts.at(1).toLongLong(&okResolution), parts.at(2).toLongLong(&okStart)};
    if (!okResolution || !okStart || (b.resolution != kMinuteMs && b.resolution != kHourMs) || b.start < 0 ||
        b.start % SyncStore::rollupBlockMs(b.resolution) != 0)
        return std::nullopt;
    return b;
}

// A recommendation's id across devices: its project and rule (each device makes its own row for a rule).
std::optional<std::pair<QString, QString>> parseRecommendationId(const QString &id)
{
    const qsizetype slash = id.indexOf(QLatin1Char('/'));
    if (slash <= 0 || !sql::isValidId(id.left(slash)) || slash + 1 >= id.size())
        return std::nullopt;
    return std::pair{id.left(slash), id.mid(slash + 1)};
}

// Every metric a rollup may hold, listed so that a block's read or replacement is one seek of the primary key
// per metric instead of a walk over every metric's buckets.
const QString &rollupMetrics()
{
    static const QString list = [] {
        QStringList numbers{QString::number(model::kSampleCountRollup)};
        for (std::size_t m = 0; m < model::kMetricCount; ++m)
            numbers << QString::number(m);
        return numbers.join(QLatin1Char(','));
    }();
    return list;
}

QString triggerName(const QString &table, const char *event)
{
    return QStringLiteral("sync_outbox_%1_%2").arg(table, QLatin1String(event));
}

} // namespace

const QStringList &SyncStore::kinds()
{
    static const QStringList out = [] {
        QStringList k;
        for (const SyncedTable &t : syncedTables())
            k << t.kind;
        k << kRecommendation << kRollup;
        return k;
    }();
    return out;
}

qint64 SyncStore::rollupBlockMs(qint64 resolutionMs)
{
    return resolutionMs == kMinuteMs ? kHourMs : kDayMs;
}

QStringList syncSchema()
{
    QStringList s{
        QStringLiteral(
            "CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE sync_applying (applying INTEGER NOT NULL CHECK (applying IN (0, 1)))"),
        QStringLiteral("INSERT INTO sync_applying VALUES (0)"),
        QStringLiteral("CREATE TABLE sync_outbox (kind TEXT NOT NULL, record_id TEXT NOT NULL, "
                       "PRIMARY KEY (kind, record_id)) WITHOUT ROWID"),
        QStringLiteral(
            "CREATE TABLE sync_rollup_outbox (project INTEGER NOT NULL REFERENCES project_keys(key) "
            "ON DELETE CASCADE, resolution INTEGER NOT NULL, block_start INTEGER NOT NULL, "
            "PRIMARY KEY (project, resolution, block_start)) WITHOUT ROWID"),
        QStringLiteral(
            "CREATE TABLE sync_records (kind TEXT NOT NULL, record_id TEXT NOT NULL, device TEXT NOT "
            "NULL, sequence INTEGER NOT NULL, clock INTEGER NOT NULL, at_ms INTEGER NOT NULL, "
            "deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)), data TEXT, "
            "PRIMARY KEY (kind, record_id)) WITHOUT ROWID"),
        QStringLiteral(
            "CREATE TABLE sync_devices (device TEXT PRIMARY KEY NOT NULL, applied_to INTEGER NOT NULL "
            "CHECK (applied_to >= 0), problem TEXT NOT NULL DEFAULT '') WITHOUT ROWID"),
        // Not used: files past a gap wait in the account, not here. Kept so that schema 12 stays one thing.
        QStringLiteral(
            "CREATE TABLE sync_pending (device TEXT NOT NULL, sequence INTEGER NOT NULL, record TEXT NOT "
            "NULL, PRIMARY KEY (device, sequence)) WITHOUT ROWID"),
        QStringLiteral(
            "CREATE TABLE sync_outgoing (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, body BLOB "
            "NOT NULL, prepared_at INTEGER NOT NULL)"),
        // Other devices' rollups, beside this one's: a bucket both measured is read as the two combined.
        QStringLiteral(
            "CREATE TABLE synced_rollups (project INTEGER NOT NULL REFERENCES project_keys(key) ON "
            "DELETE CASCADE, resolution INTEGER NOT NULL, metric INTEGER NOT NULL, bucket_start "
            "INTEGER NOT NULL, device TEXT NOT NULL, count INTEGER NOT NULL, min REAL NOT NULL, max "
            "REAL NOT NULL, sum REAL NOT NULL, PRIMARY KEY (project, resolution, metric, bucket_start, "
            "device)) WITHOUT ROWID"),
        QStringLiteral(
            "CREATE VIEW all_rollups AS SELECT project, resolution, metric, bucket_start, count, min, "
            "max, sum FROM rollups UNION ALL SELECT project, resolution, metric, bucket_start, count, "
            "min, max, sum FROM synced_rollups"),
    };
    const QString whenLocal = QStringLiteral("WHEN (SELECT applying FROM sync_applying) = 0");
    for (const SyncedTable &t : syncedTables()) {
        // Not INSERT OR IGNORE: a trigger takes the conflict policy of the statement that fired it, so an
        // upsert or an INSERT OR REPLACE outside would make a repeated mark an error or a rewrite.
        const QString insert =
            QStringLiteral("INSERT INTO sync_outbox SELECT '%1', %2.%3 WHERE NOT EXISTS (SELECT 1 "
                           "FROM sync_outbox WHERE kind = '%1' AND record_id = %2.%3)");
        s << QStringLiteral("CREATE TRIGGER %1 AFTER INSERT ON %2 %3 BEGIN %4; END")
                 .arg(triggerName(t.table, "insert"), t.table, whenLocal,
                      insert.arg(t.kind, QStringLiteral("NEW"), t.idColumn));
        s << QStringLiteral("CREATE TRIGGER %1 AFTER UPDATE OF %2 ON %3 %4 BEGIN %5; END")
                 .arg(triggerName(t.table, "update"), t.columns.join(QStringLiteral(", ")), t.table,
                      whenLocal, insert.arg(t.kind, QStringLiteral("NEW"), t.idColumn));
        s << QStringLiteral("CREATE TRIGGER %1 AFTER DELETE ON %2 %3 BEGIN %4; END")
                 .arg(triggerName(t.table, "delete"), t.table, whenLocal,
                      insert.arg(t.kind, QStringLiteral("OLD"), t.idColumn));
    }
    // A recommendation is made by each device for itself; what syncs is the user's answer (its status).
    const QString recommendationId =
        QStringLiteral("NEW.project_id || '/' || coalesce(NEW.rule, '#' || NEW.id)");
    const QString markRecommendation =
        QStringLiteral("INSERT INTO sync_outbox SELECT 'recommendation', %1 WHERE NOT EXISTS (SELECT 1 FROM "
                       "sync_outbox WHERE kind = 'recommendation' AND record_id = %1)")
            .arg(recommendationId);
    s << QStringLiteral(
             "CREATE TRIGGER sync_outbox_recommendations_insert AFTER INSERT ON recommendations %1 "
             "BEGIN %2; END")
             .arg(whenLocal, markRecommendation);
    s << QStringLiteral("CREATE TRIGGER sync_outbox_recommendations_update AFTER UPDATE OF status ON "
                        "recommendations %1 BEGIN %2; END")
             .arg(whenLocal, markRecommendation);
    // Rollups change with every commit of samples: only the block they fall in is marked.
    for (const char *event : {"INSERT", "UPDATE"}) {
        s << QStringLiteral(
                 "CREATE TRIGGER sync_outbox_rollups_%1 AFTER %2 ON rollups BEGIN INSERT INTO "
                 "sync_rollup_outbox SELECT NEW.project, NEW.resolution, NEW.bucket_start - "
                 "NEW.bucket_start % (CASE NEW.resolution WHEN %3 THEN %4 ELSE %5 END) WHERE NOT EXISTS "
                 "(SELECT 1 FROM sync_rollup_outbox WHERE project = NEW.project AND resolution = "
                 "NEW.resolution AND block_start = NEW.bucket_start - NEW.bucket_start % (CASE "
                 "NEW.resolution WHEN %3 THEN %4 ELSE %5 END)); END")
                 .arg(QString::fromLatin1(event).toLower(), QLatin1String(event))
                 .arg(kMinuteMs)
                 .arg(kHourMs)
                 .arg(kDayMs);
    }
    // What is here already goes with the first sync.
    for (const SyncedTable &t : syncedTables())
        s << QStringLiteral("INSERT OR IGNORE INTO sync_outbox SELECT '%1', %2 FROM %3")
                 .arg(t.kind, t.idColumn, t.table);
    s << QStringLiteral("INSERT OR IGNORE INTO sync_outbox SELECT 'recommendation', project_id || '/' || "
                        "coalesce(rule, '#' || id) FROM recommendations");
    s << QStringLiteral(
             "INSERT OR IGNORE INTO sync_rollup_outbox SELECT DISTINCT project, resolution, %1 FROM "
             "rollups")
             .arg(kBlockStart);
    return s;
}

QStringList rollupMarkSchema()
{
    return {QStringLiteral("DROP TRIGGER IF EXISTS sync_outbox_rollups_insert"),
            QStringLiteral("DROP TRIGGER IF EXISTS sync_outbox_rollups_update")};
}

qint64 rollupBlockStart(qint64 resolution, qint64 bucketStart)
{
    // As kBlockStart computes it in SQL (% truncates toward zero in both).
    return bucketStart - bucketStart % (resolution == kMinuteMs ? kHourMs : kDayMs);
}

namespace {

// Orders rows by their column `kind` as kinds() lists them.
QString kindOrder()
{
    QString order = QStringLiteral("CASE kind");
    for (int i = 0; i < SyncStore::kinds().size(); ++i)
        order += QStringLiteral(" WHEN '%1' THEN %2").arg(SyncStore::kinds().at(i)).arg(i);
    return order + QStringLiteral(" END");
}

} // namespace

Result<std::optional<QString>> SyncStore::state(const QString &key)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT value FROM sync_state WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec())
        return queryError(q, "cannot read the sync state");
    if (!q.next())
        return std::optional<QString>{};
    return std::optional<QString>(q.value(0).toString());
}

Result<void> SyncStore::setState(const QString &key, const QString &value)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO sync_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                             "excluded.value"));
    q.addBindValue(key);
    q.addBindValue(sql::text(value));
    if (!q.exec())
        return queryError(q, "cannot store the sync state");
    return {};
}

Result<void> SyncStore::removeState(const QString &key)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM sync_state WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec())
        return queryError(q, "cannot store the sync state");
    return {};
}

Result<QString> SyncStore::deviceId()
{
    auto current = state(QStringLiteral("device"));
    if (!current)
        return current.error();
    if (*current)
        return **current;
    const QString made = QString::fromLatin1(random::bytes(8).toHex());
    // Two processes may make one at once: the first stored is the device's.
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO sync_state VALUES ('device', ?)"));
    q.addBindValue(made);
    if (!q.exec())
        return queryError(q, "cannot store the device id");
    auto stored = state(QStringLiteral("device"));
    if (!stored)
        return stored.error();
    return stored->value_or(made);
}

Result<QList<SyncOutboxEntry>> SyncStore::outbox(int limit)
{
    QList<SyncOutboxEntry> out;
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT kind, record_id FROM sync_outbox ORDER BY %1, record_id LIMIT ?")
                  .arg(kindOrder()));
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "cannot read the sync outbox");
    while (q.next())
        out << SyncOutboxEntry{q.value(0).toString(), q.value(1).toString()};
    if (out.size() >= limit)
        return out;
    q.prepare(
        QStringLiteral("SELECT k.project_id, o.resolution, o.block_start FROM sync_rollup_outbox o JOIN "
                       "project_keys k ON k.key = o.project ORDER BY o.project, o.resolution, o.block_start "
                       "LIMIT ?"));
    q.addBindValue(limit - out.size());
    if (!q.exec())
        return queryError(q, "cannot read the sync outbox");
    while (q.next()) {
        out << SyncOutboxEntry{kRollup, QStringLiteral("%1/%2/%3")
                                            .arg(q.value(0).toString())
                                            .arg(q.value(1).toLongLong())
                                            .arg(q.value(2).toLongLong())};
    }
    return out;
}

Result<qint64> SyncStore::outboxSize()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(QStringLiteral("SELECT (SELECT count(*) FROM sync_outbox) + (SELECT count(*) FROM "
                               "sync_rollup_outbox)")) ||
        !q.next())
        return queryError(q, "cannot read the sync outbox");
    return q.value(0).toLongLong();
}

Result<void> SyncStore::removeFromOutbox(const QList<SyncOutboxEntry> &entries)
{
    QSqlQuery records(m_connection.db());
    records.prepare(QStringLiteral("DELETE FROM sync_outbox WHERE kind = ? AND record_id = ?"));
    QSqlQuery rollups(m_connection.db());
    rollups.prepare(
        QStringLiteral("DELETE FROM sync_rollup_outbox WHERE project = (SELECT key FROM project_keys "
                       "WHERE project_id = ?) AND resolution = ? AND block_start = ?"));
    for (const SyncOutboxEntry &e : entries) {
        if (e.kind == kRollup) {
            const auto block = parseRollupId(e.id);
            if (!block)
                continue;
            rollups.addBindValue(block->projectId);
            rollups.addBindValue(block->resolution);
            rollups.addBindValue(block->start);
            if (!rollups.exec())
                return queryError(rollups, "cannot update the sync outbox");
            continue;
        }
        records.addBindValue(e.kind);
        records.addBindValue(e.id);
        if (!records.exec())
            return queryError(records, "cannot update the sync outbox");
    }
    return {};
}

Result<void> SyncStore::enqueueEverything()
{
    const QStringList schema = syncSchema();
    for (const QString &statement : schema) {
        if (!statement.startsWith(QLatin1String("INSERT OR IGNORE INTO sync_")))
            continue;
        if (auto r = exec(m_connection.db(), statement); !r)
            return r;
    }
    return {};
}

Result<std::optional<QJsonObject>> SyncStore::readRecord(const QString &kind, const QString &id)
{
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    if (kind == kRollup) {
        const auto block = parseRollupId(id);
        if (!block)
            return badRecord(kind, id, QStringLiteral("not PROJECT/RESOLUTION/BLOCK_START"));
        q.prepare(
            QStringLiteral(
                "SELECT metric, bucket_start, count, min, max, sum FROM rollups WHERE project = "
                "(SELECT key FROM project_keys WHERE project_id = ?) AND resolution = ? AND metric IN (%1) "
                "AND bucket_start >= ? AND bucket_start < ? ORDER BY metric, bucket_start")
                .arg(rollupMetrics()));
        q.addBindValue(block->projectId);
        q.addBindValue(block->resolution);
        q.addBindValue(block->start);
        q.addBindValue(block->start + rollupBlockMs(block->resolution));
        if (!q.exec())
            return queryError(q, "cannot read rollups to sync");
        // Per metric, one flat list: bucket index in the block, count, min, max, sum, then the next bucket.
        std::map<int, QJsonArray> metrics;
        while (q.next()) {
            QJsonArray &values = metrics[q.value(0).toInt()];
            values << double((q.value(1).toLongLong() - block->start) / block->resolution)
                   << double(q.value(2).toLongLong()) << q.value(3).toDouble() << q.value(4).toDouble()
                   << q.value(5).toDouble();
        }
        if (metrics.empty())
            return std::optional<QJsonObject>{};
        QJsonObject byMetric;
        for (auto &[metric, values] : metrics)
            byMetric.insert(QString::number(metric), values);
        return std::optional<QJsonObject>(QJsonObject{{QStringLiteral("metrics"), byMetric}});
    }
    if (kind == kRecommendation) {
        const auto key = parseRecommendationId(id);
        if (!key)
            return badRecord(kind, id, QStringLiteral("not PROJECT/RULE"));
        const bool byRowId = key->second.startsWith(QLatin1Char('#'));
        q.prepare(QStringLiteral("SELECT %1 FROM recommendations WHERE project_id = ? AND %2 = ?")
                      .arg(kRecommendationColumns.join(QStringLiteral(", ")),
                           byRowId ? QStringLiteral("id") : QStringLiteral("rule")));
        q.addBindValue(key->first);
        q.addBindValue(byRowId ? key->second.mid(1) : key->second);
    } else {
        const SyncedTable *t = tableOf(kind);
        if (!t)
            return badRecord(kind, id, QStringLiteral("not a kind of record that syncs"));
        q.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE %3 = ?")
                      .arg(t->columns.join(QStringLiteral(", ")), t->table, t->idColumn));
        q.addBindValue(id);
    }
    if (!q.exec())
        return queryError(q, "cannot read a record to sync");
    if (!q.next())
        return std::optional<QJsonObject>{};
    QJsonObject o;
    const QSqlRecord fields = q.record();
    for (int i = 0; i < fields.count(); ++i)
        o.insert(fields.fieldName(i), jsonOf(q.value(i)));
    return std::optional<QJsonObject>(o);
}

bool SyncStore::sameForSync(const QString &kind, const QJsonObject &a, const QJsonObject &b)
{
    if (kind == kRecommendation)
        return a.value(QLatin1String("status")) == b.value(QLatin1String("status"));
    return a == b;
}

Result<std::optional<SyncRecord>> SyncStore::record(const QString &kind, const QString &id)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
        "SELECT device, sequence, clock, at_ms, deleted, data FROM sync_records WHERE kind = ? "
        "AND record_id = ?"));
    q.addBindValue(kind);
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot read a synced record");
    if (!q.next())
        return std::optional<SyncRecord>{};
    SyncRecord r;
    r.kind = kind;
    r.id = id;
    r.device = q.value(0).toString();
    r.sequence = q.value(1).toLongLong();
    r.clock = q.value(2).toLongLong();
    r.atMs = q.value(3).toLongLong();
    r.deleted = q.value(4).toBool();
    r.data = QJsonDocument::fromJson(q.value(5).toByteArray()).object();
    return std::optional<SyncRecord>(r);
}

Result<void> SyncStore::saveRecord(const SyncRecord &r)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO sync_records VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(r.kind);
    q.addBindValue(r.id);
    q.addBindValue(r.device);
    q.addBindValue(r.sequence);
    q.addBindValue(r.clock);
    q.addBindValue(r.atMs);
    q.addBindValue(r.deleted ? 1 : 0);
    q.addBindValue(r.deleted
                       ? QVariant(QMetaType(QMetaType::QString))
                       : QVariant(QString::fromUtf8(QJsonDocument(r.data).toJson(QJsonDocument::Compact))));
    if (!q.exec())
        return queryError(q, "cannot store a synced record");
    return {};
}

Result<QList<SyncRecord>> SyncStore::recordsOf(const QString &device)
{
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT kind, record_id, sequence, clock, at_ms, deleted, data FROM sync_records "
                       "WHERE device = ? ORDER BY %1, record_id")
            .arg(kindOrder()));
    q.addBindValue(device);
    if (!q.exec())
        return queryError(q, "cannot read synced records");
    QList<SyncRecord> out;
    while (q.next()) {
        out << SyncRecord{q.value(0).toString(),
                          q.value(1).toString(),
                          device,
                          q.value(2).toLongLong(),
                          q.value(3).toLongLong(),
                          q.value(4).toLongLong(),
                          q.value(5).toBool(),
                          QJsonDocument::fromJson(q.value(6).toByteArray()).object()};
    }
    return out;
}

Result<QStringList> SyncStore::rollupBlocks()
{
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    // Column names are the rollups' alone (project_keys has key and project_id), so kBlockStart reads them.
    if (!q.exec(
            QStringLiteral("SELECT DISTINCT k.project_id, resolution, %1 FROM rollups JOIN project_keys k "
                           "ON k.key = project ORDER BY 1, 2, 3")
                .arg(kBlockStart)))
        return queryError(q, "cannot list rollup blocks");
    QStringList out;
    while (q.next())
        out << QStringLiteral("%1/%2/%3")
                   .arg(q.value(0).toString())
                   .arg(q.value(1).toLongLong())
                   .arg(q.value(2).toLongLong());
    return out;
}

Result<qint64> SyncStore::recordCount()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sync_records")) || !q.next())
        return queryError(q, "cannot count synced records");
    return q.value(0).toLongLong();
}

Result<void> SyncStore::setApplying(bool applying)
{
    return exec(m_connection.db(),
                QStringLiteral("UPDATE sync_applying SET applying = %1").arg(applying ? 1 : 0));
}

Result<void> SyncStore::applyRecord(const SyncRecord &r)
{
    // All of it or nothing: a rollup block that fails halfway leaves the block as it was (a savepoint inside
    // the caller's transaction).
    Transaction tx(m_connection.db());
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    if (auto applied = applyRecordInTransaction(r); !applied)
        return applied;
    return tx.commit();
}

Result<void> SyncStore::applyRecordInTransaction(const SyncRecord &r)
{
    QSqlDatabase &db = m_connection.db();
    QSqlQuery q(db);
    const auto failed = [&](const char *what) -> Error {
        const QString why = q.lastError().databaseText();
        if (why.contains(QLatin1String("constraint"), Qt::CaseInsensitive))
            return badRecord(r.kind, r.id, why);
        return queryError(q, what);
    };
    if (r.kind == kRollup) {
        const auto block = parseRollupId(r.id);
        if (!block)
            return badRecord(r.kind, r.id, QStringLiteral("not PROJECT/RESOLUTION/BLOCK_START"));
        q.prepare(QStringLiteral("SELECT 1 FROM projects WHERE id = ?"));
        q.addBindValue(block->projectId);
        if (!q.exec())
            return queryError(q, "cannot apply synced rollups");
        if (!q.next())
            return {}; // the project was deleted here, or its own change has not come: nothing to keep
        q.prepare(QStringLiteral("INSERT OR IGNORE INTO project_keys (project_id) VALUES (?)"));
        q.addBindValue(block->projectId);
        if (!q.exec())
            return queryError(q, "cannot apply synced rollups");
        const QString key = QStringLiteral("(SELECT key FROM project_keys WHERE project_id = :p)");
        q.prepare(
            QStringLiteral(
                "DELETE FROM synced_rollups WHERE project = %1 AND resolution = :r AND metric IN (%2) AND "
                "bucket_start >= :from AND bucket_start < :to AND device = :d")
                .arg(key, rollupMetrics()));
        q.bindValue(QStringLiteral(":p"), block->projectId);
        q.bindValue(QStringLiteral(":r"), block->resolution);
        q.bindValue(QStringLiteral(":from"), block->start);
        q.bindValue(QStringLiteral(":to"), block->start + rollupBlockMs(block->resolution));
        q.bindValue(QStringLiteral(":d"), r.device);
        if (!q.exec())
            return queryError(q, "cannot apply synced rollups");
        if (r.deleted)
            return {};
        q.prepare(QStringLiteral("SELECT key FROM project_keys WHERE project_id = ?"));
        q.addBindValue(block->projectId);
        if (!q.exec() || !q.next())
            return queryError(q, "cannot apply synced rollups");
        const qint64 projectKey = q.value(0).toLongLong();
        // Positional binds: a block is up to 60 buckets of every metric, and named ones cost more than the
        // row.
        q.prepare(QStringLiteral("INSERT INTO synced_rollups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const qint64 buckets = rollupBlockMs(block->resolution) / block->resolution;
        const QJsonObject metrics = r.data.value(QLatin1String("metrics")).toObject();
        for (auto it = metrics.constBegin(); it != metrics.constEnd(); ++it) {
            bool okMetric = false;
            const int metric = it.key().toInt(&okMetric);
            const QJsonArray values = it.value().toArray();
            if (!okMetric || values.size() % 5 != 0)
                return badRecord(r.kind, r.id,
                                 QStringLiteral("metric %1 is not a list of 5-number buckets").arg(it.key()));
            for (qsizetype i = 0; i < values.size(); i += 5) {
                const qint64 index = qint64(values.at(i).toDouble(-1));
                const double count = values.at(i + 1).toDouble(-1);
                const double minimum = values.at(i + 2).toDouble(NAN);
                const double maximum = values.at(i + 3).toDouble(NAN);
                const double sum = values.at(i + 4).toDouble(NAN);
                if (index < 0 || index >= buckets || count < 1 || count != std::floor(count) ||
                    !std::isfinite(minimum) || !std::isfinite(maximum) || !std::isfinite(sum) ||
                    minimum > maximum)
                    return badRecord(r.kind, r.id,
                                     QStringLiteral("metric %1 has a bucket out of range").arg(metric));
                q.bindValue(0, projectKey);
                q.bindValue(1, block->resolution);
                q.bindValue(2, metric);
                q.bindValue(3, block->start + index * block->resolution);
                q.bindValue(4, r.device);
                q.bindValue(5, qint64(count));
                q.bindValue(6, minimum);
                q.bindValue(7, maximum);
                q.bindValue(8, sum);
                if (!q.exec())
                    return failed("cannot apply synced rollups");
            }
        }
        m_connection.noteChange(ChangeKind::Samples, block->projectId, {});
        return {};
    }
    if (r.kind == kRecommendation) {
        const auto key = parseRecommendationId(r.id);
        if (!key)
            return badRecord(r.kind, r.id, QStringLiteral("not PROJECT/RULE"));
        if (r.deleted)
            return {}; // each device keeps or drops its own advice; the project's deletion takes them all
        const bool byRowId = key->second.startsWith(QLatin1Char('#'));
        const QString where = byRowId ? QStringLiteral("id") : QStringLiteral("rule");
        q.prepare(QStringLiteral("UPDATE recommendations SET status = ? WHERE project_id = ? AND %1 = ?")
                      .arg(where));
        q.addBindValue(variantOf(r.data.value(QLatin1String("status"))));
        q.addBindValue(key->first);
        q.addBindValue(byRowId ? key->second.mid(1) : key->second);
        if (!q.exec())
            return failed("cannot apply a synced recommendation");
        if (q.numRowsAffected() == 0) {
            q.prepare(
                QStringLiteral("INSERT INTO recommendations (id, %1) SELECT ?%2 WHERE EXISTS (SELECT 1 FROM "
                               "projects WHERE id = ?)")
                    .arg(kRecommendationColumns.join(QStringLiteral(", ")),
                         QStringLiteral(", ?").repeated(kRecommendationColumns.size())));
            q.addBindValue(byRowId ? key->second.mid(1) : sql::newId());
            for (const QString &column : kRecommendationColumns)
                q.addBindValue(variantOf(r.data.value(column)));
            q.addBindValue(key->first);
            if (!q.exec())
                return failed("cannot apply a synced recommendation");
        }
        m_connection.noteChange(ChangeKind::Recommendation, key->first, {});
        return {};
    }
    const SyncedTable *t = tableOf(r.kind);
    if (!t)
        return badRecord(r.kind, r.id, QStringLiteral("not a kind of record that syncs"));
    if (t->recordOnly)
        return {};
    const QString projectId = t->idColumn == QLatin1String("project_id") || r.kind == QLatin1String("project")
                                  ? r.id
                                  : r.data.value(QLatin1String("project_id")).toString();
    if (r.deleted) {
        q.prepare(QStringLiteral("DELETE FROM %1 WHERE %2 = ?").arg(t->table, t->idColumn));
        q.addBindValue(r.id);
        if (!q.exec())
            return failed("cannot apply a synced deletion");
    } else {
        for (const QString &column : t->columns) {
            if (!r.data.contains(column))
                return badRecord(r.kind, r.id, QStringLiteral("no %1").arg(column));
        }
        QStringList columns{t->idColumn};
        columns << t->columns;
        QStringList updates;
        for (const QString &column : t->columns)
            updates << QStringLiteral("%1 = excluded.%1").arg(column);
        // A server from another device has no executable or model here until the user picks them.
        const bool server = r.kind == QLatin1String("server");
        q.prepare(QStringLiteral("INSERT INTO %1 (%2%3) VALUES (?%4%5) ON CONFLICT (%6) DO UPDATE SET %7")
                      .arg(t->table, columns.join(QStringLiteral(", ")),
                           server ? QStringLiteral(", executable, model_path") : QString(),
                           QStringLiteral(", ?").repeated(t->columns.size()),
                           server ? QStringLiteral(", '', ''") : QString(), t->idColumn,
                           updates.join(QStringLiteral(", "))));
        q.addBindValue(r.id);
        for (const QString &column : t->columns)
            q.addBindValue(variantOf(r.data.value(column)));
        if (!q.exec())
            return failed("cannot apply a synced record");
    }
    static const std::map<QString, ChangeKind> kinds{
        {QStringLiteral("project"), ChangeKind::Project},
        {QStringLiteral("automation"), ChangeKind::Automation},
        {QStringLiteral("runtime"), ChangeKind::Runtime},
        {QStringLiteral("source"), ChangeKind::Source},
        {QStringLiteral("server"), ChangeKind::Server},
        {QStringLiteral("runtimeChange"), ChangeKind::Runtime},
        {QStringLiteral("action"), ChangeKind::Action},
    };
    m_connection.noteChange(kinds.at(r.kind), projectId, r.id);
    return {};
}

Result<void> SyncStore::logLoser(const SyncRecord &kept, const SyncRecord &lost)
{
    if (lost.kind == kRollup)
        return {};
    QString projectId = lost.data.value(QLatin1String("project_id")).toString();
    if (lost.kind == QLatin1String("project") || lost.kind == QLatin1String("automation") ||
        lost.kind == QLatin1String("runtime"))
        projectId = lost.id;
    if (projectId.isEmpty())
        projectId = kept.data.value(QLatin1String("project_id")).toString();
    if (lost.kind == kRecommendation)
        projectId = lost.id.section(QLatin1Char('/'), 0, 0);
    // One entry per lost version, whichever device sees it and however often.
    static const QUuid space = QUuid::fromString(QLatin1String("6c2f3e9a-5d0b-4c1e-9a7f-2b8d4e6f1a30"));
    const QString id =
        QUuid::createUuidV5(
            space, QStringLiteral("%1/%2/%3/%4").arg(lost.kind, lost.id, lost.device).arg(lost.sequence))
            .toString(QUuid::WithoutBraces);
    QJsonObject keptVersion;
    keptVersion.insert(QStringLiteral("device"), kept.device);
    keptVersion.insert(QStringLiteral("sequence"), double(kept.sequence));
    keptVersion.insert(QStringLiteral("deleted"), kept.deleted);
    QJsonObject lostVersion;
    lostVersion.insert(QStringLiteral("device"), lost.device);
    lostVersion.insert(QStringLiteral("sequence"), double(lost.sequence));
    lostVersion.insert(QStringLiteral("at"), double(lost.atMs));
    lostVersion.insert(QStringLiteral("deleted"), lost.deleted);
    lostVersion.insert(QStringLiteral("data"), lost.data);
    QJsonObject details;
    details.insert(QStringLiteral("record"), QString(lost.kind + QLatin1Char('/') + lost.id));
    details.insert(QStringLiteral("kept"), keptVersion);
    details.insert(QStringLiteral("lost"), lostVersion);
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("INSERT OR IGNORE INTO automated_actions (id, project_id, ts, action_type, details, "
                       "status) SELECT ?, ?, ?, 'sync_conflict', ?, 'alert' WHERE EXISTS (SELECT 1 FROM "
                       "projects WHERE id = ?)"));
    q.addBindValue(id);
    q.addBindValue(projectId);
    q.addBindValue(m_clock.nowMs());
    q.addBindValue(QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact)));
    q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot log a sync conflict");
    if (q.numRowsAffected() > 0)
        m_connection.noteChange(ChangeKind::Action, projectId, id);
    return {};
}

Result<void> SyncStore::addOutgoing(const SyncOutgoingFile &file)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO sync_outgoing VALUES (?, ?, ?, ?)"));
    q.addBindValue(file.first);
    q.addBindValue(file.last);
    q.addBindValue(file.body);
    q.addBindValue(m_clock.nowMs());
    if (!q.exec())
        return queryError(q, "cannot keep a change file to send");
    return {};
}

Result<std::pair<qint64, qint64>> SyncStore::outgoingCounts()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(QStringLiteral("SELECT count(*), total(last - first + 1) FROM sync_outgoing")) || !q.next())
        return queryError(q, "cannot read the changes waiting to be sent");
    return std::pair{q.value(0).toLongLong(), qint64(q.value(1).toDouble())};
}

Result<QList<SyncOutgoingFile>> SyncStore::outgoing()
{
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT first, last, body FROM sync_outgoing ORDER BY first")))
        return queryError(q, "cannot read the change files to send");
    QList<SyncOutgoingFile> out;
    while (q.next())
        out << SyncOutgoingFile{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toByteArray()};
    return out;
}

Result<void> SyncStore::removeOutgoing(qint64 first)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM sync_outgoing WHERE first = ?"));
    q.addBindValue(first);
    if (!q.exec())
        return queryError(q, "cannot update the change files to send");
    return {};
}

Result<QList<SyncDevice>> SyncStore::devices()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(QStringLiteral("SELECT device, applied_to, problem FROM sync_devices ORDER BY device")))
        return queryError(q, "cannot read the synced devices");
    QList<SyncDevice> out;
    while (q.next())
        out << SyncDevice{q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toString()};
    return out;
}

Result<void> SyncStore::saveDevice(const SyncDevice &device)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO sync_devices VALUES (?, ?, ?)"));
    q.addBindValue(device.device);
    q.addBindValue(device.appliedTo);
    q.addBindValue(sql::text(device.problem));
    if (!q.exec())
        return queryError(q, "cannot store a synced device");
    return {};
}

Result<void> SyncStore::forgetAccount()
{
    QSqlDatabase &db = m_connection.db();
    for (const char *sql :
         {"DELETE FROM sync_records", "DELETE FROM sync_devices", "DELETE FROM sync_pending",
          "DELETE FROM sync_outgoing", "DELETE FROM sync_state"}) {
        if (auto r = exec(db, QString::fromLatin1(sql)); !r)
            return r;
    }
    return enqueueEverything();
}

} // namespace cachewise::storage
