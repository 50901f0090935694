// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/counters.h"
#include "core/common/result.h"
#include "core/model/metric.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace cachewise::ingest {

// OTLP metrics, read from JSON or protobuf into one form and reduced to what CacheWise maps: per metric,
// the finite values of its points (gauges, sums) or their counts and sums (histograms, summaries).
enum class OtlpKind
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
};

struct OtlpMetric
{
    QString name;
    QString unit;
    OtlpKind kind = OtlpKind::Gauge;
    bool cumulative = true; // sums and histograms: CUMULATIVE (or unspecified) rather than DELTA
    double valueTotal = 0;  // gauges and sums: the finite values added up
    int valuePoints = 0;
    double count = 0; // histograms and summaries
    double sum = 0;
    int distributionPoints = 0; // points that carried both a count and a sum
};

struct OtlpResourceMetrics
{
    QHash<QString, QString> attributes; // resource attributes with scalar values, as text
    QList<OtlpMetric> metrics;
    qint64 latestTimeNs = 0; // the newest data point's time
};

using OtlpRequest = QList<OtlpResourceMetrics>;

// Every refusal is bad input (the reply's code is "invalid_otlp") and says where the payload is at fault.
Result<OtlpRequest> decodeOtlpJson(const QByteArray &body);
Result<OtlpRequest> decodeOtlpProtobuf(const QByteArray &body);

// google.rpc.Status in protobuf: the body of an OTLP/HTTP error reply to a protobuf exporter.
QByteArray encodeOtlpStatus(int grpcCode, const QString &message);

// What a metric name becomes in a sample.
enum class OtlpField
{
    Ignore,
    KvUsageRatio,
    KvBytes,
    KvKiB,
    KvCapacityBytes,
    MemoryBytes,
    RequestsRunning,
    RequestsWaiting,
    PrefixHitRate,
    Tokens,
    Preemptions,
    RequestDuration,
    TimeToFirstToken,
    TimePerOutputToken,
};

QString otlpFieldName(OtlpField field);
std::optional<OtlpField> otlpFieldFromName(const QString &name);
QStringList otlpFieldNames();
// The metric name as compared: lower case, dots and dashes as underscores.
QString normalisedOtlpName(const QString &name);

// Which resource attribute names the project, and which metric names become which fields: the defaults
// (well-known names, README "OpenTelemetry in") with the user's own names over them.
class OtlpMapping
{
public:
    OtlpMapping();
    static const QList<std::pair<QString, OtlpField>> &defaultNames();

    QString projectAttribute() const { return m_projectAttribute; }
    void setProjectAttribute(const QString &attribute) { m_projectAttribute = attribute; }
    void map(const QString &metricName, OtlpField field);
    OtlpField fieldOf(const QString &metricName) const;

private:
    QString m_projectAttribute;
    QHash<QString, OtlpField> m_fields; // by normalised name
};

// What one OTLP resource (one program) reported in a request.
struct OtlpResource
{
    QString projectName;        // the project attribute's value; "unknown_service" when absent
    model::MetricSample sample; // projectId left empty; timestamp from the data points
    int mapped = 0;             // metrics that became sample fields
};

// Maps decoded metrics onto samples. Ratios and levels over several attribute sets become their mean,
// amounts their sum; cumulative sums and histograms become per-interval values through `counters`
// (one tracker per program). Durations are read in the metric's unit ("s" unless "ms" or "us").
Result<QList<OtlpResource>> mapOtlp(const OtlpRequest &request, const OtlpMapping &mapping, qint64 nowMs,
                                    QHash<QString, CounterTracker> &counters);

} // namespace cachewise::ingest
