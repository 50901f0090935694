// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/samplestore.h"

#include <QSqlQuery>
#include <QVariant>

namespace cachewise::storage {
namespace {

constexpr qint64 kResolutions[] = {60'000, 3'600'000};

} // namespace

Result<ProjectStats> SampleStore::stats(const QString &projectId)
{
    ProjectStats s;
    s.projectId = projectId;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT metric, sum(count), min(min), max(max), total(sum) FROM metric_rollups "
                             "WHERE project_id = ? AND resolution = 3600000 GROUP BY metric"));
    q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read statistics");
    while (q.next()) {
        const int m = q.value(0).toInt();
        if (m == kSampleCountRollup)
            s.sampleCount = q.value(1).toLongLong();
        if (m < 0 || m >= static_cast<int>(kMetricCount))
            continue; // the sample count, or written by a newer version
        MetricSummary &summary = s.metrics[static_cast<std::size_t>(m)];
        summary.count = q.value(1).toLongLong();
        summary.minimum = q.value(2).toDouble();
        summary.maximum = q.value(3).toDouble();
        summary.sum = q.value(4).toDouble();
        summary.mean = summary.count > 0 ? summary.sum / double(summary.count) : 0.0;
    }
    // First and last: two seeks of the (project, time) index. count(*) would walk every row (1.3 s for
    // 30 days at 1 Hz), so the raw rows are counted from the minute rollups' sample counts, with only the
    // first minute (where retention may have cut) counted row by row.
    q.prepare(QStringLiteral("SELECT (SELECT min(ts) FROM metric_samples WHERE project_id = :p), "
                             "(SELECT max(ts) FROM metric_samples WHERE project_id = :p), "
                             "(SELECT min(bucket_start) FROM metric_rollups WHERE project_id = :p AND "
                             "resolution = 60000 AND metric = :m)"));
    q.bindValue(QStringLiteral(":p"), projectId);
    q.bindValue(QStringLiteral(":m"), kSampleCountRollup);
    if (!q.exec() || !q.next())
        return queryError(q, "cannot read statistics");
    if (q.value(0).isNull())
        return s; // no raw rows
    s.firstTimestampMs = q.value(0).toLongLong();
    s.lastTimestampMs = q.value(1).toLongLong();
    const qint64 firstMinuteEnd = (*s.firstTimestampMs / 60'000 + 1) * 60'000;
    const bool rolledUp = !q.value(2).isNull() && q.value(2).toLongLong() < firstMinuteEnd;
    if (rolledUp) {
        q.prepare(
            QStringLiteral("SELECT (SELECT count(*) FROM metric_samples WHERE project_id = :p AND ts < :t), "
                           "(SELECT total(count) FROM metric_rollups WHERE project_id = :p AND "
                           "resolution = 60000 AND metric = :m AND bucket_start >= :t)"));
        q.bindValue(QStringLiteral(":p"), projectId);
        q.bindValue(QStringLiteral(":t"), firstMinuteEnd);
        q.bindValue(QStringLiteral(":m"), kSampleCountRollup);
    } else {
        // Samples stored before the rollups kept their count (schema 7): counted row by row.
        q.prepare(QStringLiteral("SELECT count(*), 0 FROM metric_samples WHERE project_id = ?"));
        q.addBindValue(projectId);
    }
    if (!q.exec() || !q.next())
        return queryError(q, "cannot read statistics");
    s.rawSampleCount = q.value(0).toLongLong() + qint64(q.value(1).toDouble());
    return s;
}

Result<std::array<MetricSummary, kMetricCount>> SampleStore::summary(const QString &projectId, qint64 fromMs,
                                                                     qint64 toMs)
{
    std::array<MetricSummary, kMetricCount> out{};
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
                  "SELECT metric, sum(count), min(min), max(max), total(sum) FROM metric_rollups "
                  "WHERE resolution = 60000 AND bucket_start >= ? AND bucket_start < ? %1 GROUP BY metric")
                  .arg(projectId.isEmpty() ? QString() : QStringLiteral("AND project_id = ?")));
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!projectId.isEmpty())
        q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read summary");
    while (q.next()) {
        const int m = q.value(0).toInt();
        if (m < 0 || m >= int(kMetricCount))
            continue;
        MetricSummary &summary = out[std::size_t(m)];
        summary.count = q.value(1).toLongLong();
        summary.minimum = q.value(2).toDouble();
        summary.maximum = q.value(3).toDouble();
        summary.sum = q.value(4).toDouble();
        summary.mean = summary.count > 0 ? summary.sum / double(summary.count) : 0.0;
    }
    return out;
}

Result<QList<MetricSample>> SampleStore::recent(const QString &projectId, int limit)
{
    QString columns;
    for (const MetricInfo &info : metricTable())
        columns += QStringLiteral(", ") + QLatin1String(info.column);
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT ts, processed_data%1 FROM metric_samples WHERE project_id = ? "
                             "ORDER BY ts DESC, id DESC LIMIT ?")
                  .arg(columns));
    q.addBindValue(projectId);
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "cannot read samples");
    QList<MetricSample> out;
    while (q.next()) {
        MetricSample s;
        s.projectId = projectId;
        s.timestampMs = q.value(0).toLongLong();
        s.processedData = q.value(1).toByteArray();
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            const QVariant v = q.value(static_cast<int>(i) + 2);
            if (!v.isNull())
                s.values[i] = v.toDouble();
        }
        out << s;
    }
    return out;
}

Result<qint64> SampleStore::rawCount(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT count(*) FROM metric_samples WHERE project_id = ?"));
    q.addBindValue(projectId);
    if (!q.exec() || !q.next())
        return queryError(q, "cannot count samples");
    return q.value(0).toLongLong();
}

Result<qint64> SampleStore::clear(const QString &projectId, std::optional<qint64> beforeMs)
{
    QSqlDatabase &db = m_connection.db();
    Transaction tx(db);
    if (!tx.begun())
        return makeError(ErrorKind::Storage, QStringLiteral("cannot clear samples: %1").arg(tx.beginError()));
    QSqlQuery q(db);
    if (!beforeMs) {
        q.prepare(QStringLiteral("DELETE FROM metric_samples WHERE project_id = ?"));
        q.addBindValue(projectId);
        if (!q.exec())
            return queryError(q, "cannot clear samples");
        const qint64 deleted = q.numRowsAffected();
        q.prepare(QStringLiteral("DELETE FROM metric_rollups WHERE project_id = ?"));
        q.addBindValue(projectId);
        if (!q.exec())
            return queryError(q, "cannot clear rollups");
        if (auto r = tx.commit(); !r)
            return r.error();
        m_connection.noteChange(ChangeKind::Samples, projectId, {});
        return deleted;
    }
    const qint64 before = *beforeMs;
    q.prepare(QStringLiteral("DELETE FROM metric_samples WHERE project_id = ? AND ts < ?"));
    q.addBindValue(projectId);
    q.addBindValue(before);
    if (!q.exec())
        return queryError(q, "cannot clear samples");
    const qint64 deleted = q.numRowsAffected();
    for (const qint64 resolution : kResolutions) {
        // Buckets wholly before the cut go; the bucket the cut falls in is rebuilt from what is left.
        const qint64 straddle = before - ((before % resolution) + resolution) % resolution;
        const bool aligned = straddle == before;
        q.prepare(QStringLiteral(
            "DELETE FROM metric_rollups WHERE project_id = ? AND resolution = ? AND bucket_start < ?"));
        q.addBindValue(projectId);
        q.addBindValue(resolution);
        q.addBindValue(aligned ? before : straddle + 1);
        if (!q.exec())
            return queryError(q, "cannot clear rollups");
        if (aligned)
            continue;
        // The bucket's sample count, then each field's aggregates over the samples that measured it.
        QList<std::pair<int, QString>> rebuilt{
            {kSampleCountRollup, QStringLiteral("count(*), 1, 1, count(*) FROM metric_samples WHERE 1")}};
        for (const MetricInfo &info : metricTable())
            rebuilt.append(
                {static_cast<int>(info.metric),
                 QStringLiteral("count(%1), min(%1), max(%1), total(%1) FROM metric_samples WHERE %1 IS "
                                "NOT NULL")
                     .arg(QLatin1String(info.column))});
        for (const auto &[metric, select] : rebuilt) {
            q.prepare(
                QStringLiteral("INSERT INTO metric_rollups (project_id, resolution, metric, bucket_start, "
                               "count, min, max, sum) SELECT project_id, ?, ?, ?, %1 AND project_id = ? AND "
                               "ts >= ? AND ts < ? GROUP BY project_id")
                    .arg(select));
            q.addBindValue(resolution);
            q.addBindValue(metric);
            q.addBindValue(straddle);
            q.addBindValue(projectId);
            q.addBindValue(straddle);
            q.addBindValue(straddle + resolution);
            if (!q.exec())
                return queryError(q, "cannot rebuild rollups");
        }
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    m_connection.noteChange(ChangeKind::Samples, projectId, {});
    return deleted;
}

Result<QList<RollupPoint>> SampleStore::rollups(const QString &projectId, Metric metric, qint64 resolutionMs,
                                                qint64 fromMs, qint64 toMs)
{
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("SELECT bucket_start, count, min, max, sum FROM metric_rollups WHERE project_id = ? "
                       "AND resolution = ? AND metric = ? AND bucket_start >= ? AND bucket_start < ? "
                       "ORDER BY bucket_start"));
    q.addBindValue(projectId);
    q.addBindValue(resolutionMs);
    q.addBindValue(static_cast<int>(metric));
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return queryError(q, "cannot read rollups");
    QList<RollupPoint> out;
    while (q.next()) {
        RollupPoint p;
        p.bucketStartMs = q.value(0).toLongLong();
        p.count = q.value(1).toLongLong();
        p.minimum = q.value(2).toDouble();
        p.maximum = q.value(3).toDouble();
        p.mean = p.count > 0 ? q.value(4).toDouble() / double(p.count) : 0.0;
        out << p;
    }
    return out;
}

qint64 SampleStore::seriesResolutionFor(qint64 rangeMs)
{
    constexpr qint64 kHour = 3'600'000;
    if (rangeMs <= 6 * kHour)
        return 0;
    if (rangeMs <= 14 * 24 * kHour)
        return 60'000;
    return kHour;
}

Result<SampleStore::Series> SampleStore::series(const QString &projectId, Metric metric, qint64 fromMs,
                                                qint64 toMs, int maxPoints)
{
    Series out;
    if (toMs <= fromMs)
        return out;
    out.resolutionMs = seriesResolutionFor(toMs - fromMs);
    QList<SeriesPoint> points;
    if (out.resolutionMs == 0) {
        const QString column = QLatin1String(metricInfo(metric).column);
        QSqlQuery q(m_connection.db());
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral("SELECT ts, %1 FROM metric_samples WHERE project_id = ? AND ts >= ? AND ts < ? "
                           "AND %1 IS NOT NULL ORDER BY ts, id")
                .arg(column));
        q.addBindValue(projectId);
        q.addBindValue(fromMs);
        q.addBindValue(toMs);
        if (!q.exec())
            return queryError(q, "cannot read samples");
        while (q.next()) {
            const double v = q.value(1).toDouble();
            points.append(SeriesPoint{q.value(0).toLongLong(), v, v, v});
        }
    } else {
        auto buckets = rollups(projectId, metric, out.resolutionMs, fromMs - fromMs % out.resolutionMs, toMs);
        if (!buckets)
            return buckets.error();
        for (const RollupPoint &b : buckets.value())
            points.append(SeriesPoint{b.bucketStartMs, b.mean, b.minimum, b.maximum});
    }
    out.points = decimateLttb(points, maxPoints);
    return out;
}

Result<QList<SampleRow>> SampleStore::page(const QString &projectId, qint64 fromMs, qint64 toMs,
                                           bool newestFirst, std::optional<PageCursor> after, int limit)
{
    QString columns;
    for (const MetricInfo &info : metricTable())
        columns += QStringLiteral(", ") + QLatin1String(info.column);
    const QString order = newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC");
    const QString cursor = !after        ? QString()
                           : newestFirst ? QStringLiteral("AND (ts < ? OR (ts = ? AND id < ?))")
                                         : QStringLiteral("AND (ts > ? OR (ts = ? AND id > ?))");
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT id, ts, processed_data%1 FROM metric_samples WHERE project_id = ? AND ts >= ? "
                       "AND ts < ? %2 ORDER BY ts %3, id %3 LIMIT ?")
            .arg(columns, cursor, order));
    q.addBindValue(projectId);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (after) {
        q.addBindValue(after->timestampMs);
        q.addBindValue(after->timestampMs);
        q.addBindValue(after->rowId);
    }
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "cannot read samples");
    QList<SampleRow> out;
    while (q.next()) {
        SampleRow row;
        row.rowId = q.value(0).toLongLong();
        row.sample.projectId = projectId;
        row.sample.timestampMs = q.value(1).toLongLong();
        row.sample.processedData = q.value(2).toByteArray();
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            const QVariant v = q.value(int(i) + 3);
            if (!v.isNull())
                row.sample.values[i] = v.toDouble();
        }
        out << row;
    }
    return out;
}

} // namespace cachewise::storage
