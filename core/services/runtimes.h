// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/types.h"

namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

// Stores a project's runtime once the KV model accepts its architecture (an error on field "model"
// otherwise, and nothing stored); the engine's other limits are storage's to check.
Result<model::ProjectRuntime> saveRuntime(storage::Repository &repository, const QString &projectId,
                                          const model::ProjectRuntime &runtime);

} // namespace cachewise::services
