// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/reports.h"

#include "core/services/projectanalysis.h"

namespace cachewise::services {

Result<report::ReportData> collectReport(storage::Repository &repository,
                                         const report::ReportRequest &request)
{
    return report::collectReport(
        repository, request,
        [&repository](const QString &projectId, qint64 atMs) -> Result<report::Assessment> {
            auto analysed = analyseProject(repository, projectId, atMs);
            if (!analysed)
                return analysed.error();
            return report::Assessment{analysed->score, analysed->recommendations};
        });
}

} // namespace cachewise::services
