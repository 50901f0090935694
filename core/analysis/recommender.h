// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"
#include "core/analysis/observations.h"
#include "core/model/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise::analysis {

// Everything the rules know about a project.
struct AnalysisInput
{
    ModelArch model;
    KvConfig config;
    bool flashAttention = true;
    bool prefixCaching = true;
    double gpuMemoryGB = 0; // 0: unknown
    Observations observed;
};

// One rule's finding. `params` holds every number the texts are made from, so the texts can be rendered
// again in the reader's language (renderRecommendation).
struct Finding
{
    QString rule;
    std::optional<double> memorySavingPercent;
    std::optional<double> speedPercent; // expected speed effect in % (positive: faster), when estimable
    QStringList apply;                  // exact flags / environment for this project's engine
    // The runtime fields that applying it sets (model::json::runtime's names); empty when it changes
    // nothing CacheWise models (a client-side change, an offload).
    QJsonObject change;
    QString source; // where the quality/speed claim comes from
    QJsonObject params;
};

// The rules, in a fixed order. Each returns nothing when it should stay quiet.
QList<Finding> recommend(const AnalysisInput &input);

struct RecommendationText
{
    QString title;
    QString observation; // what was measured that triggered it
    QString impact;      // memory and concurrency
    QString speed;
    QString risk;
};
// The texts of a finding, translated through QCoreApplication::translate when a translator is
// installed (English otherwise). `details` is findingDetails()'s JSON.
RecommendationText renderRecommendation(const QJsonObject &details);
// The same in English whatever translator is installed (what is stored and served by the API).
RecommendationText renderRecommendationUntranslated(const QJsonObject &details);
QJsonObject findingDetails(const Finding &finding);
// The exact flags of a finding (details' "apply"), in order; empty for rows older than schema 4.
QStringList applyFlags(const QJsonObject &details);
// The runtime once a finding's change (details' "change") is made; nullopt when it changes nothing or
// names a field the runtime does not have.
std::optional<model::ProjectRuntime> runtimeAfter(const model::ProjectRuntime &runtime,
                                                  const QJsonObject &details);

// The optimization score: 0–100 from measured parts, each with its weight. Parts without data are left
// out and the rest re-weighted; no part measured means no score.
using model::OptimizationScore;
using model::ScorePart;
OptimizationScore optimizationScore(const AnalysisInput &input);
QString scorePartName(const QString &id); // translated

} // namespace cachewise::analysis
