// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/sampleinserter.h"

#include "core/storage/samplecodec.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

namespace cachewise::storage {

sqlite3 *handleOf(QSqlDatabase &db)
{
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

Statement::Statement(sqlite3 *db, const char *sql)
{
    if (db && sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK)
        m_stmt = nullptr;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

namespace {

// Resets a statement and clears its bindings when it goes out of scope, however the step went.
struct Reset
{
    sqlite3_stmt *stmt;
    ~Reset()
    {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
};

void bindText(sqlite3_stmt *stmt, int pos, const QByteArray &utf8)
{
    sqlite3_bind_text(stmt, pos, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

} // namespace

SampleInserter::SampleInserter(QSqlDatabase &db) : m_db(handleOf(db))
{
    if (!m_db) {
        m_prepareError = QStringLiteral("not an SQLite connection");
        return;
    }
    m_findKey = std::make_unique<Statement>(m_db, "SELECT key FROM project_keys WHERE project_id = ?");
    m_makeKey = std::make_unique<Statement>(m_db, "INSERT INTO project_keys (project_id) VALUES (?)");
    m_newest = std::make_unique<Statement>(
        m_db, "SELECT ts, seq FROM samples WHERE project = ? ORDER BY ts DESC, seq DESC "
              "LIMIT 1");
    m_seqAt = std::make_unique<Statement>(
        m_db, "SELECT coalesce(max(seq) + 1, 0) FROM samples WHERE project = ? AND ts = ?");
    m_insert = std::make_unique<Statement>(
        m_db, "INSERT INTO samples (project, ts, seq, vals, processed_data) VALUES (?, ?, "
              "?, ?, ?)");
    for (const Statement *s :
         {m_findKey.get(), m_makeKey.get(), m_newest.get(), m_seqAt.get(), m_insert.get()}) {
        if (!s->get()) {
            m_prepareError = QString::fromUtf8(sqlite3_errmsg(m_db));
            break;
        }
    }
}

SampleInserter::~SampleInserter() = default;

Error SampleInserter::sqliteError(const char *what) const
{
    return makeError(ErrorKind::Storage, QStringLiteral("%1: %2").arg(
                                             QLatin1String(what), QString::fromUtf8(sqlite3_errmsg(m_db))));
}

Result<std::optional<qint64>> SampleInserter::projectKey(const QString &projectId, bool create)
{
    if (const auto it = m_keys.constFind(projectId); it != m_keys.constEnd())
        return std::optional<qint64>(it.value());
    const QByteArray id = projectId.toUtf8();
    {
        sqlite3_stmt *find = m_findKey->get();
        const Reset reset{find};
        bindText(find, 1, id);
        const int rc = sqlite3_step(find);
        if (rc == SQLITE_ROW) {
            const qint64 key = sqlite3_column_int64(find, 0);
            m_keys.insert(projectId, key);
            return std::optional<qint64>(key);
        }
        if (rc != SQLITE_DONE)
            return sqliteError("cannot look up the project's key");
    }
    if (!create)
        return std::optional<qint64>();
    sqlite3_stmt *make = m_makeKey->get();
    const Reset reset{make};
    bindText(make, 1, id);
    if (sqlite3_step(make) != SQLITE_DONE) {
        if (sqlite3_extended_errcode(m_db) == SQLITE_CONSTRAINT_FOREIGNKEY)
            return std::optional<qint64>(); // no such project
        return sqliteError("cannot give the project a key");
    }
    const qint64 key = sqlite3_last_insert_rowid(m_db);
    m_keys.insert(projectId, key);
    return std::optional<qint64>(key);
}

Result<qint64> SampleInserter::nextSeq(qint64 key, qint64 timestampMs)
{
    auto it = m_newestOf.find(key);
    if (it == m_newestOf.end()) {
        sqlite3_stmt *newest = m_newest->get();
        const Reset reset{newest};
        sqlite3_bind_int64(newest, 1, key);
        Newest n;
        const int rc = sqlite3_step(newest);
        if (rc == SQLITE_ROW) {
            n.timestampMs = sqlite3_column_int64(newest, 0);
            n.seq = sqlite3_column_int64(newest, 1);
        } else if (rc != SQLITE_DONE) {
            return sqliteError("cannot read the project's newest sample");
        } else {
            n.timestampMs = timestampMs - 1; // no rows yet: any time is the newest
        }
        it = m_newestOf.insert(key, n);
    }
    Newest &n = it.value();
    if (timestampMs > n.timestampMs) {
        n = Newest{timestampMs, 0};
        return qint64(0);
    }
    if (timestampMs == n.timestampMs)
        return ++n.seq;
    // Older than the newest row (a late or back-filled sample): ask for that millisecond.
    sqlite3_stmt *seqAt = m_seqAt->get();
    const Reset reset{seqAt};
    sqlite3_bind_int64(seqAt, 1, key);
    sqlite3_bind_int64(seqAt, 2, timestampMs);
    if (sqlite3_step(seqAt) != SQLITE_ROW)
        return sqliteError("cannot order the sample");
    return qint64(sqlite3_column_int64(seqAt, 0));
}

Result<void> SampleInserter::insert(const MetricSample &sample)
{
    if (!m_prepareError.isEmpty())
        return makeError(ErrorKind::Storage, m_prepareError);
    if (sample.projectId != m_lastProject || m_lastProject.isEmpty()) {
        auto key = projectKey(sample.projectId, true);
        if (!key)
            return key.error();
        if (!key.value())
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("project %1 does not exist").arg(sample.projectId));
        m_lastProject = sample.projectId;
        m_lastKey = *key.value();
    }
    encodeSampleValues(sample.values, m_encoded);
    sqlite3_stmt *insert = m_insert->get();
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto seq = nextSeq(m_lastKey, sample.timestampMs);
        if (!seq)
            return seq.error();
        const Reset reset{insert};
        sqlite3_bind_int64(insert, 1, m_lastKey);
        sqlite3_bind_int64(insert, 2, sample.timestampMs);
        sqlite3_bind_int64(insert, 3, seq.value());
        sqlite3_bind_blob(insert, 4, m_encoded.constData(), int(m_encoded.size()), SQLITE_STATIC);
        if (sample.processedData.isEmpty())
            sqlite3_bind_null(insert, 5);
        else
            sqlite3_bind_text(insert, 5, sample.processedData.constData(), int(sample.processedData.size()),
                              SQLITE_STATIC);
        const int rc = sqlite3_step(insert);
        if (rc == SQLITE_DONE)
            return {};
        const int extended = sqlite3_extended_errcode(m_db);
        if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) {
            m_keys.remove(sample.projectId);
            m_lastProject.clear();
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("project %1 does not exist").arg(sample.projectId));
        }
        if (extended != SQLITE_CONSTRAINT_PRIMARYKEY)
            return sqliteError("cannot store the sample");
        // Another connection wrote this project's samples since it was read: read again.
        m_newestOf.remove(m_lastKey);
    }
    return sqliteError("cannot store the sample");
}

} // namespace cachewise::storage
