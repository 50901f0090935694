// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/runtimes.h"

#include "core/analysis/modelcatalog.h"
#include "core/analysis/recommender.h"
#include "core/model/actiondetails.h"
#include "core/model/json.h"
#include "core/storage/repository.h"

#include <QJsonDocument>

namespace cachewise::services {

Result<model::ProjectRuntime> saveRuntime(storage::Repository &repository, const QString &projectId,
                                          const model::ProjectRuntime &runtime,
                                          const QString &recommendationId)
{
    if (auto arch = analysis::modelFromJson(runtime.modelJson); !arch)
        return makeError(ErrorKind::BadInput, arch.errorMessage(), QStringLiteral("model"));
    // Only what the engine itself accepts: a runtime it could not start with would give false numbers.
    QStringList accepted;
    for (const model::CacheType type : model::cacheTypesFor(runtime.engine))
        accepted << model::engineCacheTypeName(runtime.engine, type);
    for (const auto &[type, field] : {std::pair{runtime.cacheTypeK, QStringLiteral("cacheTypeK")},
                                      std::pair{runtime.cacheTypeV, QStringLiteral("cacheTypeV")}}) {
        if (!model::acceptsCacheType(runtime.engine, type))
            return makeError(
                ErrorKind::BadInput,
                QStringLiteral("%1 has no %2 KV cache; it takes %3.")
                    .arg(model::name(runtime.engine), model::name(type), accepted.join(QStringLiteral(", "))),
                field);
    }
    if (model::oneKvCacheType(runtime.engine) && runtime.cacheTypeK != runtime.cacheTypeV)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("%1 takes one KV cache type for K and V together (%2 and %3 given).")
                             .arg(model::name(runtime.engine), model::name(runtime.cacheTypeK),
                                  model::name(runtime.cacheTypeV)),
                         QStringLiteral("cacheTypeV"));
    return repository.runtimes().set(projectId, runtime, recommendationId);
}

namespace {

Result<model::Recommendation> recommendationIn(storage::Repository &repository, const QString &id,
                                               model::RecommendationStatus expected)
{
    auto found = repository.recommendations().get(id);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(ErrorKind::NotFound, QStringLiteral("no recommendation %1").arg(id),
                         QStringLiteral("recommendation"));
    if ((*found)->status != expected)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("the recommendation is %1, not %2")
                             .arg(model::name((*found)->status), model::name(expected)),
                         QStringLiteral("status"));
    return **found;
}

// The log entry of a recommendation marked applied or undone: its title and flags.
Result<void> logged(storage::Repository &repository, const model::Recommendation &r, const char *type)
{
    const QJsonObject details = QJsonDocument::fromJson(r.details).object();
    const QString title =
        details.isEmpty() ? r.title : analysis::renderRecommendationUntranslated(details).title;
    const QStringList flags = analysis::applyFlags(details);
    model::ActionLogEntry entry;
    entry.projectId = r.projectId;
    entry.actionType = QLatin1String(type);
    entry.phrases = {qstrcmp(type, "recommendation_applied") == 0
                         ? model::phrase::recommendationApplied(details, title, flags)
                         : model::phrase::recommendationUndone(details, title, flags)};
    entry.status = model::ActionStatus::Success;
    entry.rule = r.rule;
    if (auto added = repository.actions().add(entry); !added)
        return added.error();
    return {};
}

} // namespace

Result<AppliedRecommendation> markRecommendationApplied(storage::Repository &repository,
                                                        const QString &recommendationId)
{
    storage::Transaction tx(repository.database());
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    auto r = recommendationIn(repository, recommendationId, model::RecommendationStatus::Pending);
    if (!r)
        return r.error();
    AppliedRecommendation out;
    auto runtime = repository.runtimes().get(r->projectId);
    if (!runtime)
        return runtime.error();
    const QJsonObject details = QJsonDocument::fromJson(r->details).object();
    if (runtime->has_value()) {
        if (const auto after = analysis::runtimeAfter(**runtime, details)) {
            auto saved = saveRuntime(repository, r->projectId, *after, recommendationId);
            if (!saved)
                return saved.error();
            auto change = repository.runtimes().appliedChange(recommendationId);
            if (!change)
                return change.error();
            out.change = *change;
        }
    }
    if (auto set =
            repository.recommendations().setStatus(recommendationId, model::RecommendationStatus::Applied);
        !set)
        return set.error();
    if (auto l = logged(repository, *r, "recommendation_applied"); !l)
        return l.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    out.recommendation = *r;
    out.recommendation.status = model::RecommendationStatus::Applied;
    return out;
}

Result<AppliedRecommendation> undoRecommendation(storage::Repository &repository,
                                                 const QString &recommendationId)
{
    storage::Transaction tx(repository.database());
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    auto r = recommendationIn(repository, recommendationId, model::RecommendationStatus::Applied);
    if (!r)
        return r.error();
    AppliedRecommendation out;
    auto applied = repository.runtimes().appliedChange(recommendationId);
    if (!applied)
        return applied.error();
    if (applied->has_value() && (*applied)->before) {
        const model::RuntimeChange &change = **applied;
        auto now = repository.runtimes().get(r->projectId);
        if (!now)
            return now.error();
        if (!now->has_value() || model::json::runtime(**now) != model::json::runtime(change.after))
            return makeError(ErrorKind::Conflict,
                             QStringLiteral("the runtime was changed after the recommendation was applied; "
                                            "change it in the project's settings"),
                             QStringLiteral("runtime"));
        if (auto restored = saveRuntime(repository, r->projectId, *change.before); !restored)
            return restored.error();
        if (auto undone = repository.runtimes().markUndone(change.id); !undone)
            return undone.error();
        out.change = change;
    }
    if (auto set =
            repository.recommendations().setStatus(recommendationId, model::RecommendationStatus::Pending);
        !set)
        return set.error();
    if (auto l = logged(repository, *r, "recommendation_undone"); !l)
        return l.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    out.recommendation = *r;
    out.recommendation.status = model::RecommendationStatus::Pending;
    return out;
}

} // namespace cachewise::services
