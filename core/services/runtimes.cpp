// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/runtimes.h"

#include "core/analysis/modelcatalog.h"
#include "core/storage/repository.h"

namespace cachewise::services {

Result<model::ProjectRuntime> saveRuntime(storage::Repository &repository, const QString &projectId,
                                          const model::ProjectRuntime &runtime)
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
    return repository.runtimes().set(projectId, runtime);
}

} // namespace cachewise::services
