// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/types.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace cachewise::storage {

// The connection's own sqlite3 handle (samples are bound through SQLite's C API, with no QVariant per
// value); null when the driver is not Qt's SQLite one.
sqlite3 *handleOf(QSqlDatabase &db);

// A statement prepared on a handle and finalized with this object.
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    sqlite3_stmt *get() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt = nullptr;
};

// Writes samples into the `samples` table inside the caller's transaction: the project's integer key
// (looked up once, made on its first sample), the order among samples of the same millisecond (`seq`),
// the values encoded (samplecodec.h). What it remembers of a project's newest row is true only inside one
// transaction: call startTransaction() at the start of each (the writer keeps one for its connection).
class SampleInserter
{
public:
    explicit SampleInserter(QSqlDatabase &db);
    ~SampleInserter();
    SampleInserter(const SampleInserter &) = delete;
    SampleInserter &operator=(const SampleInserter &) = delete;

    // Forgets what it knew of the projects' newest rows (another connection may have written since).
    void startTransaction() { m_newestOf.clear(); }
    // After a rollback: keys made in that transaction are gone with it.
    void forgetAll()
    {
        m_keys.clear();
        m_newestOf.clear();
        m_lastProject.clear();
    }
    // Empty when the statements are ready.
    const QString &prepareError() const { return m_prepareError; }

    // The project's key; made when `create` and the project exists. nullopt: no such project (or none
    // made yet when !create).
    Result<std::optional<qint64>> projectKey(const QString &projectId, bool create);
    // NotFound when the sample's project does not exist; Storage with SQLite's words otherwise.
    Result<void> insert(const MetricSample &sample);
    // The key of the project of the sample insert() last took.
    qint64 currentKey() const { return m_lastKey; }

private:
    struct Newest
    {
        qint64 timestampMs = 0;
        qint64 seq = -1;
    };
    Result<qint64> nextSeq(qint64 key, qint64 timestampMs);
    Error sqliteError(const char *what) const;

    sqlite3 *m_db = nullptr;
    QString m_prepareError;
    std::unique_ptr<Statement> m_findKey;
    std::unique_ptr<Statement> m_makeKey;
    std::unique_ptr<Statement> m_newest;
    std::unique_ptr<Statement> m_seqAt;
    std::unique_ptr<Statement> m_insert;
    QHash<QString, qint64> m_keys;
    QHash<qint64, Newest> m_newestOf;
    QString m_lastProject;
    qint64 m_lastKey = 0;
    QByteArray m_encoded;
};

} // namespace cachewise::storage
