// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/projectanalysis.h"
#include "core/common/result.h"
#include "core/storage/writes.h"

namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

// Reads the project's last 24 hours of per-minute rollups and its runtime, runs the rules and, when
// given `store` (where this process writes) and enough data has been collected (setting
// analysis.minDataMinutes), replaces its recommendations through it. Texts are stored in English;
// renderRecommendation() gives them in the UI's language.
Result<analysis::ProjectAnalysis> analyseProject(storage::Repository &repository, const QString &projectId,
                                                 qint64 nowMs, const storage::Writes &store = {});

} // namespace cachewise::services
