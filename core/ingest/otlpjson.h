// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/sources/llamaserver.h"
#include "core/storage/metric.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace cachewise::ingest {

// What one OTLP resource (one program, by service.name) reported in a request.
struct OtlpResource
{
    QString serviceName;          // "unknown_service" when the SDK sent none
    storage::MetricSample sample; // projectId left empty; timestamp from the data points
    int mapped = 0;               // data points that became sample fields
};

// Reads an OTLP/HTTP JSON metrics request (ExportMetricsServiceRequest) as the OpenTelemetry SDKs and the
// Collector send it: gauges, sums (cumulative or delta), histograms and exponential histograms; ints as
// numbers or strings; NaN/±Inf sent as null are skipped. Well-known names map onto the sample fields
// (README: "OpenTelemetry in"); cumulative sums and histograms become per-interval values through
// `counters` (one tracker per service). Malformed payloads are refused with the JSON path at fault.
Result<QList<OtlpResource>> parseOtlpJson(const QByteArray &body, qint64 nowMs,
                                          QHash<QString, sources::CounterTracker> &counters);

} // namespace cachewise::ingest
