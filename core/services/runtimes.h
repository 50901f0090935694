// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/types.h"

namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

// Stores a project's runtime once the KV model accepts its architecture (an error on field "model"
// otherwise, and nothing stored); the engine's other limits are storage's to check. A change is kept in
// the runtime's history, with the recommendation that made it when there is one.
Result<model::ProjectRuntime> saveRuntime(storage::Repository &repository, const QString &projectId,
                                          const model::ProjectRuntime &runtime,
                                          const QString &recommendationId = {});

// A recommendation marked applied (or undone) and what that did to the project's runtime.
struct AppliedRecommendation
{
    model::Recommendation recommendation;       // as it is now
    std::optional<model::RuntimeChange> change; // empty when it changes nothing CacheWise models
};

// Marks a pending recommendation applied: the project's runtime takes the recommendation's change
// (checked as an edit is), the change is kept in the runtime's history and the action log, all in one
// transaction. The server itself is not touched: its user restarts it with the flags. Errors: NotFound,
// Conflict (not pending), BadInput (a runtime the engine would refuse).
Result<AppliedRecommendation> markRecommendationApplied(storage::Repository &repository,
                                                        const QString &recommendationId);
// Undoes that: the runtime goes back to what it was before (a change of its own), the recommendation is
// pending again, logged. Conflict when it is not applied or the runtime was changed since (nothing is
// changed then: the user edits the runtime in Settings).
Result<AppliedRecommendation> undoRecommendation(storage::Repository &repository,
                                                 const QString &recommendationId);

} // namespace cachewise::services
