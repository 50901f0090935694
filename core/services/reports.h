// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/report/reportdata.h"

namespace cachewise::services {

// A report's data with each project's score and recommendations from analysis (nothing is stored).
Result<report::ReportData> collectReport(storage::Repository &repository,
                                         const report::ReportRequest &request);

} // namespace cachewise::services
