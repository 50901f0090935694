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
    return repository.runtimes().set(projectId, runtime);
}

} // namespace cachewise::services
