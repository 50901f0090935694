// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/decimation.h"
#include "core/common/result.h"
#include "core/storage/database.h"
#include "core/storage/types.h"

#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// The samples and their per-minute and hourly rollups.
class SampleStore
{
public:
    explicit SampleStore(Connection &connection) : m_connection(connection) {}

    Result<ProjectStats> stats(const QString &projectId);
    // Every metric over [fromMs, toMs) from the per-minute rollups, for one project or (projectId
    // empty) all of them: minute precision, cheap for any range the minute rollups still hold.
    Result<std::array<MetricSummary, kMetricCount>> summary(const QString &projectId, qint64 fromMs,
                                                            qint64 toMs);
    Result<QList<MetricSample>> recent(const QString &projectId, int limit);
    Result<qint64> rawCount(const QString &projectId);
    // Deletes the project's samples (all, or those before beforeMs) and keeps rollups consistent.
    Result<qint64> clear(const QString &projectId, std::optional<qint64> beforeMs);
    Result<QList<RollupPoint>> rollups(const QString &projectId, Metric metric, qint64 resolutionMs,
                                       qint64 fromMs, qint64 toMs);

    // One metric over [fromMs, toMs) with at most maxPoints points: raw samples for ranges up to six
    // hours (per-minute rollups when there are none here: history synced from another device), per-minute
    // rollups up to fourteen days, hourly rollups beyond, decimated with LTTB.
    struct Series
    {
        QList<SeriesPoint> points;
        qint64 resolutionMs = 0; // 0: raw samples
    };
    Result<Series> series(const QString &projectId, Metric metric, qint64 fromMs, qint64 toMs, int maxPoints);
    static qint64 seriesResolutionFor(qint64 rangeMs);

    // One page of raw samples in [fromMs, toMs), newest first or oldest first, continuing after the
    // row (timestamp, seq) of the previous page (keyset paging: cheap at any depth).
    struct PageCursor
    {
        qint64 timestampMs = 0;
        qint64 seq = 0;
    };
    Result<QList<SampleRow>> page(const QString &projectId, qint64 fromMs, qint64 toMs, bool newestFirst,
                                  std::optional<PageCursor> after, int limit);

private:
    // "rollups", or "all_rollups" (this device's and other devices') when the project has synced rollups.
    QString rollupSource(const QString &projectId);

    Connection &m_connection;
};

} // namespace cachewise::storage
