// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/projectanalysis.h"

#include "core/analysis/observations.h"
#include "core/common/logging.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

namespace cachewise::services {

using namespace cachewise::analysis;

Result<analysis::ProjectAnalysis> analyseProject(storage::Repository &repository, const QString &projectId,
                                                 qint64 nowMs, const storage::Writes &store)
{
    analysis::ProjectAnalysis out;
    auto required = repository.settings().integer(storage::setting::AnalysisMinDataMinutes);
    if (!required)
        return required.error();
    out.minutesRequired = double(*required);

    MetricRollups rollups;
    constexpr qint64 kWindowMs = 24 * 3'600'000LL;
    for (const model::MetricInfo &info : model::metricTable()) {
        auto points =
            repository.samples().rollups(projectId, info.metric, 60'000, nowMs - kWindowMs, nowMs + 60'000);
        if (!points)
            return points.error();
        rollups[model::metricIndex(info.metric)] = std::move(points).value();
    }
    const Observations observed = observe(rollups);
    out.minutesCollected = observed.minutes;

    auto runtime = repository.runtimes().get(projectId);
    if (!runtime)
        return runtime.error();
    if (runtime->has_value()) {
        auto input = analysisInput(**runtime);
        if (!input)
            return input.error();
        input.value().observed = observed;
        out.configured = true;
        out.input = *input;
        out.score = optimizationScore(*input);
        if (out.enoughData())
            out.findings = recommend(*input);
        else
            qCDebug(lcAnalysis) << projectId << "no recommendations yet:" << out.minutesCollected << "of"
                                << out.minutesRequired << "minutes of data";
    } else {
        qCDebug(lcAnalysis) << projectId << "no recommendations: its engine and model are not described";
    }
    if (store && out.configured && out.enoughData()) {
        QList<model::Recommendation> records;
        for (const Finding &f : std::as_const(out.findings))
            records << recommendationRecord(f, nowMs);
        auto stored = storage::writeThrough(
            store, [&](storage::Repository &w) { return w.recommendations().replace(projectId, records); });
        if (!stored)
            return stored.error();
        out.recommendations = std::move(stored).value();
    } else {
        auto existing = repository.recommendations().list(projectId);
        if (!existing)
            return existing.error();
        out.recommendations = std::move(existing).value();
    }
    return out;
}

} // namespace cachewise::services
