// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/recommender.h"
#include "core/common/result.h"
#include "core/model/types.h"

namespace cachewise::analysis {

// The analytics' inputs from a stored runtime description.
Result<AnalysisInput> analysisInput(const model::ProjectRuntime &runtime);
// A runtime description from a model and a configuration (the inverse, for storing).
model::ProjectRuntime runtimeFrom(const ModelArch &model, const KvConfig &config);
// A llama.cpp runtime made to match a server of `slots` slots reporting `slotContext` tokens each, one
// cache shared by all (unified: -c slotContext) or one per slot (-c slots × slotContext).
model::ProjectRuntime runtimeWithSlots(model::ProjectRuntime runtime, int slots, qint64 slotContext,
                                       bool unified);

struct ProjectAnalysis
{
    bool configured = false; // the project describes its engine and model
    double minutesCollected = 0;
    double minutesRequired = 0;
    bool enoughData() const { return minutesCollected >= minutesRequired; }
    std::optional<AnalysisInput> input;
    OptimizationScore score;
    QList<Finding> findings;
    QList<model::Recommendation> recommendations; // as stored (all statuses)
};

// English title and description of a finding, as stored and sent by the API.
model::Recommendation recommendationRecord(const Finding &finding, qint64 generatedAtMs);

} // namespace cachewise::analysis
