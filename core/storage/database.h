// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/changes.h"

#include <QSqlDatabase>
#include <QString>

#include <utility>

class QSqlQuery;

namespace cachewise::storage {

// Version of the schema this build writes. Migrations are cumulative: a file of any earlier
// version opens and is brought up to this one in one transaction.
inline constexpr int kSchemaVersion = 13;

// A named QSqlDatabase connection owned by one thread; removed from Qt's registry on destruction.
// Every connection runs with WAL, synchronous=FULL (acknowledged means on disk), foreign keys and a
// busy timeout, so the app, its writer thread and the CLI can share one file.
class Connection
{
public:
    Connection() = default;
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    // Opens the file (creating it) and migrates it to targetVersion.
    Result<void> open(const QString &path, int targetVersion = kSchemaVersion);
    void close();

    bool isOpen() const { return m_db.isOpen(); }
    QSqlDatabase &db() { return m_db; }
    const QString &path() const { return m_path; }

    // The stores tell what their writes changed; kept only where someone asks (the writer's connection).
    void keepChanges(bool keep) { m_keepChanges = keep; }
    void noteChange(ChangeKind kind, const QString &projectId = {}, const QString &id = {})
    {
        if (m_keepChanges)
            m_changes.append(Change{kind, projectId, id});
    }
    // After an UPDATE or DELETE: whether it changed a row, noting the change when it did.
    bool noteIfChanged(const QSqlQuery &q, ChangeKind kind, const QString &projectId = {},
                       const QString &id = {});
    Changes takeChanges() { return std::exchange(m_changes, {}); }

private:
    QSqlDatabase m_db;
    QString m_name;
    QString m_path;
    bool m_keepChanges = false;
    Changes m_changes;
};

int schemaVersion(QSqlDatabase &db);
Result<void> migrate(QSqlDatabase &db, int targetVersion = kSchemaVersion);
QString journalMode(QSqlDatabase &db);

// Runs a statement; the error names the statement's purpose.
Result<void> exec(QSqlDatabase &db, const QString &sql);
// A failed query as a storage error: what was being done, then SQLite's words.
Error queryError(const QSqlQuery &q, const char *what);

// RAII transaction: rolls back in the destructor unless committed.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase &db, bool immediate = true);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    bool begun() const { return m_active; }
    const QString &beginError() const { return m_error; }
    Result<void> commit();

private:
    QSqlDatabase &m_db;
    bool m_active = false;
    QString m_savepoint; // set when opened inside another transaction of the same connection
    QString m_error;
};

} // namespace cachewise::storage
