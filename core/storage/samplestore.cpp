// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/samplestore.h"

#include "core/storage/samplecodec.h"
#include "core/storage/syncstore.h"

#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace cachewise::storage {
namespace {

constexpr qint64 kResolutions[] = {60'000, 3'600'000};

// The project's integer key, in a statement that binds the project's id as :p.
const char *const kKeyOf = "(SELECT key FROM project_keys WHERE project_id = :p)";

QString withKey(const char *sql)
{
    return QString::fromLatin1(sql).replace(QStringLiteral("{key}"), QLatin1String(kKeyOf));
}

// A row's encoded values, or why they cannot be read.
Result<void> decodeInto(const QSqlQuery &q, int column, MetricSample &sample)
{
    const QByteArray vals = q.value(column).toByteArray();
    if (!decodeSampleValues(vals.constData(), vals.size(), sample.values))
        return makeError(ErrorKind::Storage, QStringLiteral("the sample at %1 of project %2 is damaged")
                                                 .arg(sample.timestampMs)
                                                 .arg(sample.projectId));
    return {};
}

} // namespace

QString SampleStore::rollupSource(const QString &projectId)
{
    // The view over both tables costs every read a union; most projects never had another device's rollups,
    // and the check is one seek.
    QSqlQuery q(m_connection.db());
    if (projectId.isEmpty()) {
        q.prepare(QStringLiteral("SELECT EXISTS (SELECT 1 FROM synced_rollups)"));
    } else {
        q.prepare(withKey("SELECT EXISTS (SELECT 1 FROM synced_rollups WHERE project = {key})"));
        q.bindValue(QStringLiteral(":p"), projectId);
    }
    if (!q.exec() || !q.next() || q.value(0).toBool())
        return QStringLiteral("all_rollups");
    return QStringLiteral("rollups");
}

Result<ProjectStats> SampleStore::stats(const QString &projectId)
{
    ProjectStats s;
    s.projectId = projectId;
    QSqlQuery q(m_connection.db());
    q.prepare(withKey("SELECT metric, sum(count), min(min), max(max), total(sum) FROM {rollups} "
                      "WHERE project = {key} AND resolution = 3600000 GROUP BY metric")
                  .replace(QStringLiteral("{rollups}"), rollupSource(projectId)));
    q.bindValue(QStringLiteral(":p"), projectId);
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
    // First and last: two seeks of the (project, time) key. count(*) would walk every row, so the raw rows
    // are counted from the minute rollups' sample counts, with only the first minute (where retention may
    // have cut) counted row by row.
    q.prepare(withKey("SELECT (SELECT ts FROM samples WHERE project = {key} ORDER BY ts LIMIT 1), "
                      "(SELECT ts FROM samples WHERE project = {key} ORDER BY ts DESC LIMIT 1), "
                      "(SELECT min(bucket_start) FROM rollups WHERE project = {key} AND "
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
        q.prepare(withKey("SELECT (SELECT count(*) FROM samples WHERE project = {key} AND ts < :t), "
                          "(SELECT total(count) FROM rollups WHERE project = {key} AND "
                          "resolution = 60000 AND metric = :m AND bucket_start >= :t)"));
        q.bindValue(QStringLiteral(":p"), projectId);
        q.bindValue(QStringLiteral(":t"), firstMinuteEnd);
        q.bindValue(QStringLiteral(":m"), kSampleCountRollup);
    } else {
        // Samples stored before the rollups kept their count (schema 7): counted row by row.
        q.prepare(withKey("SELECT count(*), 0 FROM samples WHERE project = {key}"));
        q.bindValue(QStringLiteral(":p"), projectId);
    }
    if (!q.exec() || !q.next())
        return queryError(q, "cannot read statistics");
    s.rawSampleCount = q.value(0).toLongLong() + qint64(q.value(1).toDouble());
    return s;
}

namespace {

constexpr qint64 kMinuteBucketMs = 60'000;
constexpr qint64 kHourBucketMs = 3'600'000;

qint64 floorTo(qint64 ms, qint64 step)
{
    return ms / step * step;
}

qint64 ceilTo(qint64 ms, qint64 step)
{
    return (ms + step - 1) / step * step;
}

void addTo(MetricSummary &into, qint64 count, double minimum, double maximum, double sum)
{
    if (count <= 0)
        return;
    into.minimum = into.count > 0 ? std::min(into.minimum, minimum) : minimum;
    into.maximum = into.count > 0 ? std::max(into.maximum, maximum) : maximum;
    into.count += count;
    into.sum += sum;
}

// "project = key" for one project, every project otherwise (through the keys, so the tables' primary keys
// are used, not a scan).
QString projectFilter(const QString &projectId)
{
    return projectId.isEmpty() ? QStringLiteral("project IN (SELECT key FROM project_keys)")
                               : QString::fromLatin1(kKeyOf).prepend(QStringLiteral("project = "));
}

} // namespace

Result<std::array<MetricSummary, kMetricCount>> SampleStore::summary(const QString &projectId, qint64 fromMs,
                                                                     qint64 toMs)
{
    std::array<MetricSummary, kMetricCount> out{};
    if (toMs <= fromMs)
        return out;
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    const QString filter = projectFilter(projectId);
    const QString source = rollupSource(projectId);

    // The seconds before the first whole minute and after the last: raw samples.
    const auto addRaw = [&](qint64 from, qint64 to) -> Result<void> {
        if (to <= from)
            return {};
        q.prepare(
            QStringLiteral("SELECT vals FROM samples WHERE %1 AND ts >= :from AND ts < :to").arg(filter));
        if (!projectId.isEmpty())
            q.bindValue(QStringLiteral(":p"), projectId);
        q.bindValue(QStringLiteral(":from"), from);
        q.bindValue(QStringLiteral(":to"), to);
        if (!q.exec())
            return queryError(q, "cannot read summary");
        SampleValues values;
        while (q.next()) {
            const QByteArray vals = q.value(0).toByteArray();
            if (!decodeSampleValues(vals.constData(), vals.size(), values))
                return makeError(ErrorKind::Storage,
                                 QStringLiteral("a sample between %1 and %2 is damaged").arg(from).arg(to));
            for (std::size_t m = 0; m < kMetricCount; ++m) {
                if (values[m])
                    addTo(out[m], 1, *values[m], *values[m], *values[m]);
            }
        }
        return {};
    };
    // Whole minutes or whole hours: that resolution's rollups.
    const auto addRollups = [&](qint64 resolution, qint64 from, qint64 to) -> Result<void> {
        if (to <= from)
            return {};
        // The metrics listed, not a range of them, so that each is a seek of the primary key on its
        // bucket range; a range of metrics would walk every bucket of each.
        static const QString metrics = [] {
            QStringList numbers;
            for (std::size_t m = 0; m < kMetricCount; ++m)
                numbers << QString::number(m);
            return numbers.join(QLatin1Char(','));
        }();
        q.prepare(
            QStringLiteral("SELECT metric, sum(count), min(min), max(max), total(sum) FROM %3 "
                           "WHERE %1 AND resolution = :r AND metric IN (%2) AND bucket_start >= :from AND "
                           "bucket_start < :to GROUP BY metric")
                .arg(filter, metrics, source));
        if (!projectId.isEmpty())
            q.bindValue(QStringLiteral(":p"), projectId);
        q.bindValue(QStringLiteral(":r"), resolution);
        q.bindValue(QStringLiteral(":from"), from);
        q.bindValue(QStringLiteral(":to"), to);
        if (!q.exec())
            return queryError(q, "cannot read summary");
        while (q.next()) {
            const int m = q.value(0).toInt();
            addTo(out[std::size_t(m)], q.value(1).toLongLong(), q.value(2).toDouble(), q.value(3).toDouble(),
                  q.value(4).toDouble());
        }
        return {};
    };

    const qint64 minutesFrom = ceilTo(fromMs, kMinuteBucketMs);
    const qint64 minutesTo = floorTo(toMs, kMinuteBucketMs);
    Result<void> read;
    if (minutesFrom >= minutesTo) {
        read = addRaw(fromMs, toMs);
    } else {
        const qint64 hoursFrom = std::min(ceilTo(minutesFrom, kHourBucketMs), minutesTo);
        const qint64 hoursTo = std::max(floorTo(minutesTo, kHourBucketMs), hoursFrom);
        read = addRaw(fromMs, minutesFrom);
        if (read)
            read = addRollups(kMinuteBucketMs, minutesFrom, hoursFrom);
        if (read)
            read = addRollups(kHourBucketMs, hoursFrom, hoursTo);
        if (read)
            read = addRollups(kMinuteBucketMs, hoursTo, minutesTo);
        if (read)
            read = addRaw(minutesTo, toMs);
    }
    if (!read)
        return read.error();
    for (MetricSummary &summary : out)
        summary.mean = summary.count > 0 ? summary.sum / double(summary.count) : 0.0;
    return out;
}

Result<QList<MetricSample>> SampleStore::recent(const QString &projectId, int limit)
{
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    q.prepare(withKey("SELECT ts, processed_data, vals FROM samples WHERE project = {key} "
                      "ORDER BY ts DESC, seq DESC LIMIT :n"));
    q.bindValue(QStringLiteral(":p"), projectId);
    q.bindValue(QStringLiteral(":n"), limit);
    if (!q.exec())
        return queryError(q, "cannot read samples");
    QList<MetricSample> out;
    while (q.next()) {
        MetricSample s;
        s.projectId = projectId;
        s.timestampMs = q.value(0).toLongLong();
        s.processedData = q.value(1).toByteArray();
        if (auto r = decodeInto(q, 2, s); !r)
            return r.error();
        out << s;
    }
    return out;
}

Result<qint64> SampleStore::rawCount(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(withKey("SELECT count(*) FROM samples WHERE project = {key}"));
    q.bindValue(QStringLiteral(":p"), projectId);
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
        q.prepare(withKey("DELETE FROM samples WHERE project = {key}"));
        q.bindValue(QStringLiteral(":p"), projectId);
        if (!q.exec())
            return queryError(q, "cannot clear samples");
        const qint64 deleted = q.numRowsAffected();
        q.prepare(withKey("DELETE FROM rollups WHERE project = {key}"));
        q.bindValue(QStringLiteral(":p"), projectId);
        if (!q.exec())
            return queryError(q, "cannot clear rollups");
        if (auto r = tx.commit(); !r)
            return r.error();
        m_connection.noteChange(ChangeKind::Samples, projectId, {});
        return deleted;
    }
    const qint64 before = *beforeMs;
    q.prepare(withKey("DELETE FROM samples WHERE project = {key} AND ts < :t"));
    q.bindValue(QStringLiteral(":p"), projectId);
    q.bindValue(QStringLiteral(":t"), before);
    if (!q.exec())
        return queryError(q, "cannot clear samples");
    const qint64 deleted = q.numRowsAffected();
    for (const qint64 resolution : kResolutions) {
        // Buckets wholly before the cut go; the bucket the cut falls in is rebuilt from what is left.
        const qint64 straddle = before - ((before % resolution) + resolution) % resolution;
        const bool aligned = straddle == before;
        q.prepare(
            withKey("DELETE FROM rollups WHERE project = {key} AND resolution = :r AND bucket_start < :t"));
        q.bindValue(QStringLiteral(":p"), projectId);
        q.bindValue(QStringLiteral(":r"), resolution);
        q.bindValue(QStringLiteral(":t"), aligned ? before : straddle + 1);
        if (!q.exec())
            return queryError(q, "cannot clear rollups");
        if (aligned)
            continue;
        // The bucket's sample count, then each field's aggregates over the samples that measured it.
        std::array<MetricSummary, kMetricCount + 1> rebuilt{};
        auto add = [](MetricSummary &m, double v) {
            m.minimum = m.count == 0 ? v : std::min(m.minimum, v);
            m.maximum = m.count == 0 ? v : std::max(m.maximum, v);
            m.sum += v;
            ++m.count;
        };
        QSqlQuery rows(db);
        rows.setForwardOnly(true);
        rows.prepare(
            withKey("SELECT ts, vals FROM samples WHERE project = {key} AND ts >= :from AND ts < :to"));
        rows.bindValue(QStringLiteral(":p"), projectId);
        rows.bindValue(QStringLiteral(":from"), straddle);
        rows.bindValue(QStringLiteral(":to"), straddle + resolution);
        if (!rows.exec())
            return queryError(rows, "cannot rebuild rollups");
        while (rows.next()) {
            MetricSample sample;
            sample.projectId = projectId;
            sample.timestampMs = rows.value(0).toLongLong();
            if (auto r = decodeInto(rows, 1, sample); !r)
                return r.error();
            add(rebuilt[kMetricCount], 1);
            for (std::size_t i = 0; i < kMetricCount; ++i) {
                if (sample.values[i])
                    add(rebuilt[i], *sample.values[i]);
            }
        }
        q.prepare(
            withKey("INSERT INTO rollups (project, resolution, metric, bucket_start, count, min, max, sum) "
                    "VALUES ({key}, :r, :m, :b, :c, :min, :max, :sum)"));
        bool kept = false;
        for (std::size_t i = 0; i <= kMetricCount; ++i) {
            const MetricSummary &m = rebuilt[i];
            if (m.count == 0)
                continue;
            kept = true;
            q.bindValue(QStringLiteral(":p"), projectId);
            q.bindValue(QStringLiteral(":r"), resolution);
            q.bindValue(QStringLiteral(":m"), i == kMetricCount ? kSampleCountRollup : int(i));
            q.bindValue(QStringLiteral(":b"), straddle);
            q.bindValue(QStringLiteral(":c"), m.count);
            q.bindValue(QStringLiteral(":min"), m.minimum);
            q.bindValue(QStringLiteral(":max"), m.maximum);
            q.bindValue(QStringLiteral(":sum"), m.sum);
            if (!q.exec())
                return queryError(q, "cannot rebuild rollups");
        }
        if (kept) {
            // Sync sends the rebuilt bucket's block again.
            q.prepare(withKey("INSERT OR IGNORE INTO sync_rollup_outbox (project, resolution, block_start) "
                              "VALUES ({key}, :r, :b)"));
            q.bindValue(QStringLiteral(":p"), projectId);
            q.bindValue(QStringLiteral(":r"), resolution);
            q.bindValue(QStringLiteral(":b"), rollupBlockStart(resolution, straddle));
            if (!q.exec())
                return queryError(q, "cannot mark rollups for sync");
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
    q.setForwardOnly(true);
    // This device's buckets, and other devices' (synced) where there are any: a bucket both measured is
    // their union.
    if (rollupSource(projectId) == QLatin1String("rollups"))
        q.prepare(
            withKey("SELECT bucket_start, count, min, max, sum FROM rollups WHERE project = {key} "
                    "AND resolution = :r AND metric = :m AND bucket_start >= :from AND bucket_start < :to "
                    "ORDER BY bucket_start"));
    else
        q.prepare(
            withKey("SELECT bucket_start, sum(count), min(min), max(max), total(sum) FROM all_rollups "
                    "WHERE project = {key} AND resolution = :r AND metric = :m AND bucket_start >= :from "
                    "AND bucket_start < :to GROUP BY bucket_start ORDER BY bucket_start"));
    q.bindValue(QStringLiteral(":p"), projectId);
    q.bindValue(QStringLiteral(":r"), resolutionMs);
    q.bindValue(QStringLiteral(":m"), static_cast<int>(metric));
    q.bindValue(QStringLiteral(":from"), fromMs);
    q.bindValue(QStringLiteral(":to"), toMs);
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
        QSqlQuery q(m_connection.db());
        q.setForwardOnly(true);
        q.prepare(withKey("SELECT ts, vals FROM samples WHERE project = {key} AND ts >= :from AND ts < :to "
                          "ORDER BY ts, seq"));
        q.bindValue(QStringLiteral(":p"), projectId);
        q.bindValue(QStringLiteral(":from"), fromMs);
        q.bindValue(QStringLiteral(":to"), toMs);
        if (!q.exec())
            return queryError(q, "cannot read samples");
        const std::size_t index = metricIndex(metric);
        MetricSample sample;
        sample.projectId = projectId;
        while (q.next()) {
            sample.timestampMs = q.value(0).toLongLong();
            if (auto r = decodeInto(q, 1, sample); !r)
                return r.error();
            if (const std::optional<double> v = sample.values[index])
                points.append(SeriesPoint{sample.timestampMs, *v, *v, *v});
        }
    }
    // No raw samples here for a short range: the history may have been measured on another device (sync
    // brings rollups only), so its minutes are drawn instead.
    if (out.resolutionMs == 0 && points.isEmpty())
        out.resolutionMs = 60'000;
    if (out.resolutionMs != 0) {
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
    const QString order = newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC");
    const QString cursor = !after        ? QString()
                           : newestFirst ? QStringLiteral("AND (ts < :at OR (ts = :at AND seq < :seq))")
                                         : QStringLiteral("AND (ts > :at OR (ts = :at AND seq > :seq))");
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    q.prepare(
        withKey("SELECT seq, ts, processed_data, vals FROM samples WHERE project = {key} AND ts >= :from "
                "AND ts < :to %1 ORDER BY ts %2, seq %2 LIMIT :n")
            .arg(cursor, order));
    q.bindValue(QStringLiteral(":p"), projectId);
    q.bindValue(QStringLiteral(":from"), fromMs);
    q.bindValue(QStringLiteral(":to"), toMs);
    if (after) {
        q.bindValue(QStringLiteral(":at"), after->timestampMs);
        q.bindValue(QStringLiteral(":seq"), after->seq);
    }
    q.bindValue(QStringLiteral(":n"), limit);
    if (!q.exec())
        return queryError(q, "cannot read samples");
    QList<SampleRow> out;
    while (q.next()) {
        SampleRow row;
        row.seq = q.value(0).toLongLong();
        row.sample.projectId = projectId;
        row.sample.timestampMs = q.value(1).toLongLong();
        row.sample.processedData = q.value(2).toByteArray();
        if (auto r = decodeInto(q, 3, row.sample); !r)
            return r.error();
        out << row;
    }
    return out;
}

} // namespace cachewise::storage
