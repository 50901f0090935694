// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QList>
#include <QString>

#include <functional>

class QIODevice;

namespace cachewise::storage {
class Repository;
}

namespace cachewise::report {

// CSV and JSON of a project's (or every project's) samples or rollups over [fromMs, toMs): for programs,
// so always a dot decimal separator and ISO 8601 UTC times, whatever the UI language. Written page by
// page to the device as it is read: memory does not grow with the number of rows.
enum class ExportFormat
{
    Csv,
    Json,
};

enum class ExportContent
{
    Samples,       // raw samples, every metric, processed data in JSON only
    MinuteRollups, // count, minimum, maximum and mean per metric per minute
    HourRollups,
};

struct ExportRequest
{
    QStringList projectIds; // empty: every project
    qint64 fromMs = 0;
    qint64 toMs = 0;
    ExportFormat format = ExportFormat::Csv;
    ExportContent content = ExportContent::Samples;
    qint64 exportedAtMs = 0; // stamped into the JSON header
};

// Rows (samples, or rollup points) written. `progress` is called after each page with the rows so far;
// returning false stops the export (ErrorKind::Cancelled). Unknown projects are refused before a byte
// is written (NotFound).
Result<qint64> writeMachineExport(storage::Repository &repository, const ExportRequest &request,
                                  QIODevice &out, const std::function<bool(qint64)> &progress = {});

// "csv" / "json"; "samples" / "minute" / "hour".
std::optional<ExportFormat> exportFormatFromName(const QString &name);
std::optional<ExportContent> exportContentFromName(const QString &name);

} // namespace cachewise::report
