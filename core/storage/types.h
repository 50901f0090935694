// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"
#include "core/model/types.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

namespace cachewise::storage {

// The sample and its fields belong to the domain model; storage stores them.
using model::kMaxExactInteger;
using model::kMetricCount;
using model::kSampleCountRollup;
using model::Metric;
using model::metricIndex;
using model::MetricInfo;
using model::metricInfo;
using model::MetricSample;
using model::metricTable;
using model::RollupPoint;
// The domain's records, until every caller names them by model::.
using model::ActionLogEntry;
using model::ApiKey;
using model::AutomationSettings;
using model::MetricSummary;
using model::NewApiKey;
using model::Project;
using model::ProjectRuntime;
using model::ProjectStats;
using model::Recommendation;
using model::RuntimeChange;
using model::Source;

// What one scrape learnt of a source: its state, when, how long it took, its notices and KV capacity.
struct SourceStateUpdate
{
    QString sourceId;
    model::SourceState state = model::SourceState::Unknown;
    QString reason;
    qint64 atMs = 0;
    std::optional<qint64> latencyMs;
    QByteArray noticesJson;
    std::optional<qint64> capacityTokens;
};

// A stored sample with its place among samples of the same time, for paging through the raw log.
struct SampleRow
{
    qint64 seq = 0; // its order among the project's samples of the same millisecond
    MetricSample sample;
};

} // namespace cachewise::storage
