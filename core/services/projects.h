// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/types.h"
#include "core/storage/metricwriter.h"

#include <QPair>

namespace cachewise {
class Clock;
}
namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

// A project with its first API key, in one transaction: never a project a program cannot push to.
// With `source`, the server it is read from is added in the same transaction (its projectId is set).
Result<QPair<model::Project, model::NewApiKey>>
createProjectWithKey(storage::Repository &repository, const QString &name, const QString &modelName,
                     const QString &architecture, const QString &keyName,
                     std::optional<model::Source> source = {});

// The sample projects (three models on three engines) with two hours of history, their runtimes and
// recommendations, written through `writer` (samples as a batch, the rest as writes). Their earlier
// samples are replaced; other projects are not touched. Blocks until all is committed: call it where
// waiting is allowed (start-up, a worker thread).
Result<void> loadSampleData(storage::MetricWriter &writer, const QString &databasePath, const Clock &clock);

} // namespace cachewise::services
