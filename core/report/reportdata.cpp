// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/reportdata.h"

#include "core/common/logging.h"
#include "core/storage/repository.h"

#include <algorithm>

namespace cachewise::report {

const QList<model::Metric> &reportChartMetrics()
{
    static const QList<model::Metric> metrics{model::Metric::KvCacheSizeKB, model::Metric::MemoryUsageGB,
                                              model::Metric::InferenceTimeMs, model::Metric::TokensPerSecond};
    return metrics;
}

Result<QList<model::Project>> reportProjects(storage::Repository &repository, const QStringList &ids)
{
    if (ids.isEmpty())
        return repository.projects().list();
    QList<model::Project> projects;
    for (const QString &id : ids) {
        auto project = repository.projects().get(id);
        if (!project)
            return project.error();
        if (!project.value())
            return makeError(ErrorKind::NotFound, QStringLiteral("no project with id %1").arg(id));
        projects << *project.value();
    }
    return projects;
}

Result<ReportData> collectReport(storage::Repository &repository, const ReportRequest &request,
                                 const Assess &assess)
{
    if (request.toMs <= request.fromMs)
        return makeError(ErrorKind::BadInput, QStringLiteral("the report's end must come after its start"),
                         QStringLiteral("range"));
    auto projects = reportProjects(repository, request.projectIds);
    qCDebug(lcReport) << "report data for" << (projects ? projects->size() : 0) << "project(s) from"
                      << request.fromMs << "to" << request.toMs;
    if (!projects)
        return projects.error();
    ReportData data;
    data.generatedAtMs = request.nowMs;
    data.fromMs = request.fromMs;
    data.toMs = request.toMs;
    const qint64 length = request.toMs - request.fromMs;
    for (const model::Project &project : projects.value()) {
        ProjectReport r;
        r.project = project;
        auto runtime = repository.runtimes().get(project.id);
        if (!runtime)
            return runtime.error();
        r.runtime = runtime.value();
        auto current = repository.samples().summary(project.id, request.fromMs, request.toMs);
        auto previous = repository.samples().summary(project.id, request.fromMs - length, request.fromMs);
        if (!current)
            return current.error();
        if (!previous)
            return previous.error();
        r.current = current.value();
        r.previous = previous.value();
        // The first and the last sample within the period (the index answers both at once).
        auto first =
            repository.samples().page(project.id, request.fromMs, request.toMs, false, std::nullopt, 1);
        auto last =
            repository.samples().page(project.id, request.fromMs, request.toMs, true, std::nullopt, 1);
        if (!first)
            return first.error();
        if (!last)
            return last.error();
        const auto span = [&data, &r](qint64 from, qint64 to) {
            r.hasSamples = true;
            data.dataFromMs = data.dataFromMs ? std::min(*data.dataFromMs, from) : from;
            data.dataToMs = data.dataToMs ? std::max(*data.dataToMs, to) : to;
        };
        if (!first->isEmpty() && !last->isEmpty())
            span(first->first().sample.timestampMs, last->first().sample.timestampMs);
        for (const model::Metric metric : reportChartMetrics()) {
            auto series = repository.samples().series(project.id, metric, request.fromMs, request.toMs,
                                                      request.maxChartPoints);
            if (!series)
                return series.error();
            // Older than raw retention, the charts read rollups: they span the data too.
            if (!series->points.isEmpty())
                span(series->points.first().timestampMs, series->points.last().timestampMs);
            r.charts << ChartSeries{metric, series->points};
        }
        // The score as it stands at the report's end (the analysis reads the day before `toMs`); nothing
        // is stored by a report.
        auto analysed = assess(project.id, request.toMs);
        if (!analysed)
            return analysed.error();
        r.score = analysed->score;
        for (const model::Recommendation &rec : analysed->recommendations) {
            if (rec.status != model::RecommendationStatus::Dismissed)
                r.recommendations << rec;
        }
        auto actions = repository.actions().list(project.id, request.maxActions);
        if (!actions)
            return actions.error();
        for (const model::ActionLogEntry &a : actions.value()) {
            if (a.timestampMs >= request.fromMs && a.timestampMs < request.toMs)
                r.actions << a;
        }
        auto sources = repository.sources().list(project.id);
        if (!sources)
            return sources.error();
        r.sources = sources.value();
        data.projects << r;
    }
    return data;
}

} // namespace cachewise::report
