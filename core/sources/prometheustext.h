// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace cachewise::sources {

enum class MetricType
{
    Untyped,
    Counter,
    Gauge,
    Histogram,
    Summary,
};

using Labels = QList<QPair<QString, QString>>;

struct PromSample
{
    QString name; // as written, e.g. "x_bucket" inside family "x"
    Labels labels;
    double value = 0;
    std::optional<qint64> timestampMs;

    QString label(const QString &labelName) const;
};

struct PromFamily
{
    QString name;
    MetricType type = MetricType::Untyped;
    QString help;
    QList<PromSample> samples;
};

// A parsed scrape. Lookups take a sample name and, optionally, labels every match must carry.
struct Exposition
{
    QList<PromFamily> families;

    const PromFamily *family(const QString &name) const;
    QList<const PromSample *> samples(const QString &sampleName, const Labels &where = {}) const;
    // The first matching sample's value, or nothing.
    std::optional<double> value(const QString &sampleName, const Labels &where = {}) const;
    // The sum over matching samples (counters split by a label, e.g. finished_reason), or nothing.
    std::optional<double> sum(const QString &sampleName, const Labels &where = {}) const;
};

// The Prometheus text exposition format 0.0.4 (what llama-server, vLLM, SGLang, node-exporter and
// Prometheus itself serve): comments, HELP and TYPE, labels with escapes, exponents, NaN and ±Inf,
// histograms, summaries, timestamps. Refuses what promtool refuses, with "line N: reason"; never crashes
// on any input. An OpenMetrics "# EOF" is a comment.
Result<Exposition> parsePrometheusText(const QByteArray &text);

// The q-quantile (0…1) of a cumulative histogram given as (upper bound, count) pairs, by linear
// interpolation inside the bucket as PromQL's histogram_quantile does; nothing without a +Inf bucket
// or observations.
std::optional<double> histogramQuantile(double q, QList<QPair<double, double>> buckets);

} // namespace cachewise::sources
