// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/analysis/projectanalysis.h"

#include "core/analysis/modelcatalog.h"
#include "core/common/logging.h"

#include <QJsonDocument>

namespace cachewise::analysis {

Result<AnalysisInput> analysisInput(const model::ProjectRuntime &runtime)
{
    AnalysisInput in;
    auto model = modelFromJson(runtime.modelJson);
    if (!model)
        return model.error();
    in.model = std::move(model).value();
    in.config.engine = runtime.engine;
    in.config.context = runtime.context;
    in.config.parallel = runtime.parallel;
    in.config.unified = runtime.unified;
    in.config.swaFull = runtime.swaFull;
    in.config.typeK = runtime.cacheTypeK;
    in.config.typeV = runtime.cacheTypeV;
    in.flashAttention = runtime.flashAttention;
    in.prefixCaching = runtime.prefixCaching;
    in.gpuMemoryGB = runtime.gpuMemoryGB;
    return in;
}

model::ProjectRuntime runtimeFrom(const ModelArch &model, const KvConfig &config)
{
    model::ProjectRuntime r;
    r.engine = config.engine;
    r.modelId = findPreset(model.id) ? model.id : QString();
    r.modelJson = modelToJson(model);
    r.context = config.context;
    r.parallel = config.parallel;
    r.unified = config.unified;
    r.swaFull = config.swaFull;
    r.cacheTypeK = config.typeK;
    r.cacheTypeV = config.typeV;
    return r;
}

model::Recommendation recommendationRecord(const Finding &finding, qint64 generatedAtMs)
{
    const QJsonObject details = findingDetails(finding);
    const RecommendationText text = renderRecommendationUntranslated(details);
    model::Recommendation r;
    r.rule = finding.rule;
    r.generatedAtMs = generatedAtMs;
    r.title = text.title;
    QString description = text.observation + QLatin1Char(' ') + text.impact + QLatin1Char(' ') + text.speed +
                          QLatin1Char(' ') + text.risk;
    if (!finding.apply.isEmpty())
        description += QStringLiteral(" Apply: ") + finding.apply.join(QStringLiteral("; "));
    if (!finding.source.isEmpty())
        description += QStringLiteral(" Source: ") + finding.source;
    r.description = description;
    r.memorySavingPercent = finding.memorySavingPercent;
    r.speedIncreasePercent = finding.speedPercent;
    r.details = QJsonDocument(details).toJson(QJsonDocument::Compact);
    return r;
}

model::ProjectRuntime runtimeWithSlots(model::ProjectRuntime runtime, int slots, qint64 slotContext,
                                       bool unified)
{
    runtime.engine = Engine::LlamaCpp;
    runtime.parallel = std::max(1, slots);
    runtime.unified = unified;
    runtime.context = unified ? slotContext : slotContext * runtime.parallel;
    return runtime;
}

} // namespace cachewise::analysis
