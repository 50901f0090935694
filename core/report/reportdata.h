// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/decimation.h"
#include "core/common/result.h"
#include "core/storage/types.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <optional>

namespace cachewise::storage {
class Repository;
}

namespace cachewise::report {

// Everything a report of one project over a time range shows, read in one go so the renderers (HTML,
// PDF) only lay it out: the project and how it runs, each metric's summary for the range and for the
// range before it (the trend), the charted series, the optimization score with its parts, the
// recommendations, the action log and the sources with their state.
struct ChartSeries
{
    model::Metric metric;
    QList<SeriesPoint> points; // at most ReportRequest::maxChartPoints
};

struct ProjectReport
{
    model::Project project;
    std::optional<model::ProjectRuntime> runtime;
    std::array<storage::MetricSummary, model::kMetricCount> current{};
    std::array<storage::MetricSummary, model::kMetricCount> previous{}; // the same length just before
    QList<ChartSeries> charts; // KV cache size, memory, inference time, tokens per second
    model::OptimizationScore score;
    QList<model::Recommendation> recommendations; // pending and applied (dismissed ones left out)
    QList<model::ActionLogEntry> actions;         // within the range, newest first
    QList<model::Source> sources;
    bool hasSamples = false; // any sample within the range
};

struct ReportData
{
    qint64 generatedAtMs = 0;
    qint64 fromMs = 0; // the period asked for, [fromMs, toMs)
    qint64 toMs = 0;
    // The first and last sample of any project within it: what the charts span. Empty without samples.
    std::optional<qint64> dataFromMs;
    std::optional<qint64> dataToMs;
    QList<ProjectReport> projects;
};

struct ReportRequest
{
    QStringList projectIds; // empty: every project
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 nowMs = 0;
    int maxChartPoints = 600; // print width of a chart, in points
    int maxActions = 200;
};

// A project's score and recommendations as they stood at a time: analysis's to say, not the report's.
struct Assessment
{
    model::OptimizationScore score;
    QList<model::Recommendation> recommendations; // as stored (all statuses)
};
using Assess = std::function<Result<Assessment>(const QString &projectId, qint64 atMs)>;

// Errors: bad input on field "range" (to <= from), NotFound (an unknown project), or storage's, or
// what `assess` returned.
Result<ReportData> collectReport(storage::Repository &repository, const ReportRequest &request,
                                 const Assess &assess);

// The projects a report or an export covers: every project when `ids` is empty, else each one named, in
// order (NotFound for an unknown id, before anything is read or written).
Result<QList<model::Project>> reportProjects(storage::Repository &repository, const QStringList &ids);

// The metrics a report charts, in order.
const QList<model::Metric> &reportChartMetrics();

} // namespace cachewise::report
