// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/metric.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

namespace cachewise::storage {

struct Project
{
    QString id; // lower-case UUID without braces
    QString name;
    QString modelName;
    QString modelArchitecture;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

struct ApiKey
{
    QString id;
    QString projectId;
    QString name;
    QString prefix; // first characters of the secret, for people to tell keys apart
    qint64 createdAtMs = 0;
    std::optional<qint64> revokedAtMs;
    std::optional<qint64> lastUsedAtMs;
    bool revoked() const { return revokedAtMs.has_value(); }
};

// A key as created: the secret exists only here and is never stored.
struct NewApiKey
{
    ApiKey key;
    QString secret;
};

struct MetricSummary
{
    qint64 count = 0;
    double sum = 0;
    double mean = 0;
    double minimum = 0;
    double maximum = 0;
};

struct ProjectStats
{
    QString projectId;
    qint64 sampleCount = 0;    // every sample received (from the hourly rollups; survives raw retention)
    qint64 rawSampleCount = 0; // raw rows still stored
    std::optional<qint64> firstTimestampMs;
    std::optional<qint64> lastTimestampMs;
    std::array<MetricSummary, kMetricCount> metrics{};
};

struct Recommendation
{
    QString id;
    QString projectId;
    qint64 generatedAtMs = 0;
    QString title;
    QString description;
    std::optional<double> memorySavingPercent;
    std::optional<double> speedIncreasePercent;
    QString status;
};

// A project's limits for automated cache management (rules come with the analytics).
struct AutomationSettings
{
    bool enabled = false;
    double maxCachePercent = 90;           // act when the KV cache is fuller than this
    double maxLatencyIncreasePercent = 20; // act when inference time rises more than this
    bool dryRun = true;                    // decide and log, but do not act
};

struct ActionLogEntry
{
    QString id;
    QString projectId;
    qint64 timestampMs = 0;
    QString actionType;
    QString details;
    QString status; // success, error, skipped, dry_run
};

// A stored sample with its row id, for paging through the raw log.
struct SampleRow
{
    qint64 rowId = 0;
    MetricSample sample;
};

struct RollupPoint
{
    qint64 bucketStartMs = 0;
    qint64 count = 0;
    double minimum = 0;
    double maximum = 0;
    double mean = 0;
};

} // namespace cachewise::storage

Q_DECLARE_METATYPE(cachewise::storage::Project)
