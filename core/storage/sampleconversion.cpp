// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/sampleconversion.h"

#include "core/common/logging.h"
#include "core/storage/database.h"
#include "core/storage/sampleinserter.h"
#include "core/storage/types.h"

#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

namespace cachewise::storage {
namespace {

Result<bool> legacyTableExists(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(
            QStringLiteral("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'metric_samples'")))
        return queryError(q, "cannot read the schema");
    return q.next();
}

QByteArray selectBatchSql()
{
    QByteArray sql = "SELECT id, project_id, ts, processed_data";
    for (const MetricInfo &info : metricTable())
        sql += QByteArray(", ") + info.column;
    return sql + " FROM metric_samples ORDER BY id LIMIT ?";
}

} // namespace

Result<bool> sampleConversionPending(QSqlDatabase &db)
{
    return legacyTableExists(db);
}

Result<qint64> convertSamples(QSqlDatabase &db, const ConversionObserver &observer, int batchRows)
{
    auto exists = legacyTableExists(db);
    if (!exists)
        return exists.error();
    if (!exists.value())
        return qint64(0);
    qint64 total = 0;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT count(*) FROM metric_samples")) || !q.next())
            return queryError(q, "cannot count the samples to convert");
        total = q.value(0).toLongLong();
    }
    if (total > 0)
        qCInfo(lcStorage) << "converting" << total << "samples to the compact store";
    qint64 converted = 0;
    const QByteArray selectSql = selectBatchSql();
    for (;;) {
        Transaction tx(db, true);
        if (!tx.begun())
            return makeError(ErrorKind::Storage,
                             QStringLiteral("cannot convert samples: %1").arg(tx.beginError()));
        // Another process may have finished meanwhile.
        auto stillThere = legacyTableExists(db);
        if (!stillThere)
            return stillThere.error();
        if (!stillThere.value())
            break;
        SampleInserter inserter(db);
        if (!inserter.prepareError().isEmpty())
            return makeError(ErrorKind::Storage,
                             QStringLiteral("cannot convert samples: %1").arg(inserter.prepareError()));
        sqlite3 *handle = handleOf(db);
        qint64 lastId = -1;
        qint64 moved = 0;
        {
            const Statement select(handle, selectSql.constData());
            if (!select.get())
                return makeError(ErrorKind::Storage, QStringLiteral("cannot read the samples to convert: %1")
                                                         .arg(QString::fromUtf8(sqlite3_errmsg(handle))));
            sqlite3_stmt *row = select.get();
            sqlite3_bind_int(row, 1, batchRows);
            int rc = SQLITE_ROW;
            while ((rc = sqlite3_step(row)) == SQLITE_ROW) {
                MetricSample s;
                lastId = sqlite3_column_int64(row, 0);
                s.projectId = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(row, 1)),
                                                sqlite3_column_bytes(row, 1));
                s.timestampMs = sqlite3_column_int64(row, 2);
                if (sqlite3_column_type(row, 3) != SQLITE_NULL)
                    s.processedData = QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(row, 3)),
                                                 sqlite3_column_bytes(row, 3));
                for (std::size_t i = 0; i < kMetricCount; ++i) {
                    if (sqlite3_column_type(row, int(i) + 4) != SQLITE_NULL)
                        s.values[i] = sqlite3_column_double(row, int(i) + 4);
                }
                if (auto r = inserter.insert(s); !r)
                    return makeError(ErrorKind::Storage,
                                     QStringLiteral("cannot convert the sample at %1 of project %2: %3")
                                         .arg(s.timestampMs)
                                         .arg(s.projectId, r.errorMessage()));
                ++moved;
            }
            if (rc != SQLITE_DONE)
                return makeError(ErrorKind::Storage, QStringLiteral("cannot read the samples to convert: %1")
                                                         .arg(QString::fromUtf8(sqlite3_errmsg(handle))));
        }
        QSqlQuery q(db);
        if (moved == 0) {
            if (!q.exec(QStringLiteral("DROP TABLE metric_samples")))
                return queryError(q, "cannot remove the converted samples' old table");
        } else {
            q.prepare(QStringLiteral("DELETE FROM metric_samples WHERE id <= ?"));
            q.addBindValue(lastId);
            if (!q.exec())
                return queryError(q, "cannot remove converted samples");
        }
        q.finish();
        if (auto r = tx.commit(); !r)
            return r.error();
        if (moved == 0)
            break;
        converted += moved;
        if (observer && !observer(converted, std::max(total, converted)))
            return makeError(
                ErrorKind::Cancelled,
                QStringLiteral("stopped after converting %1 of %2 samples; the rest is converted "
                               "the next time the database is opened")
                    .arg(converted)
                    .arg(std::max(total, converted)));
    }
    if (converted > 0) {
        qCInfo(lcStorage) << "converted" << converted << "samples to the compact store";
        // The old rows' pages are free but still in the file: give them back, so the file shrinks to what
        // the compact store takes. Atomic like any transaction; a file another process is reading is
        // left as it is (the pages are reused by new samples).
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("VACUUM")))
            q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        else
            qCInfo(lcStorage) << "the converted file keeps its size for now:" << q.lastError().text();
    }
    return converted;
}

Result<qint64> convertSamples(const QString &path, const ConversionObserver &observer)
{
    Connection connection;
    if (auto r = connection.open(path); !r)
        return r.error();
    return convertSamples(connection.db(), observer);
}

} // namespace cachewise::storage
