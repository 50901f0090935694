// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace cachewise::ingest {

struct SampleParseOptions
{
    qint64 nowMs = 0;                 // used for a missing timestamp and the future check
    int maxSamples = 5000;            // more in one request: 413
    qint64 maxFutureSkewMs = 300'000; // timestamps later than now + this: 400
    int maxProcessedDataBytes = 16384;
};

// Why a push body was refused: the HTTP status, a stable code, a message and the field it names
// ("kvCacheSizeKB", "samples[3].timestamp").
struct SampleParseError
{
    int status = 400;
    QString code;
    QString message;
    QString field;
};

using SampleParseResult = std::variant<QList<model::MetricSample>, SampleParseError>;

// Parses and validates a POST /api/metrics body: one sample object, an array of samples or
// {"samples": [...]}. All or nothing: any bad sample refuses the whole body. Pure and thread-safe.
SampleParseResult parseSamples(const QByteArray &body, const SampleParseOptions &options);

// The same with Qt's JSON reader alone: what parseSamples answers for every body its fast reader (simdjson)
// leaves alone, and the reference the differential fuzz target holds it to.
SampleParseResult parseSamplesWithQtJson(const QByteArray &body, const SampleParseOptions &options);

// The rules every stored sample meets, whichever door it came in by (the push API checks them as it
// parses; OTLP after mapping): a time from 2000 to now + the allowed skew, and each value finite, not
// negative, whole where the metric counts, at most the metric's maximum. Fields are named under `prefix`.
std::optional<SampleParseError> checkSample(const model::MetricSample &sample,
                                            const SampleParseOptions &options, const QString &prefix = {});

// Lower-case UUID without braces, or an empty string if `text` is no UUID.
QString normaliseUuid(const QString &text);

// ISO 8601 to UTC milliseconds; a time without offset is taken as UTC. -1 if unreadable.
qint64 parseIsoTimestamp(const QString &text);

} // namespace cachewise::ingest
