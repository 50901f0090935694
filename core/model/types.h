// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/enums.h"
#include "core/model/metric.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

// The domain's records: what a project is, what it runs, what it is scraped from and what was done.
namespace cachewise::model {

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

struct Recommendation
{
    QString id;
    QString projectId;
    qint64 generatedAtMs = 0;
    QString title;
    QString description;
    std::optional<double> memorySavingPercent;
    std::optional<double> speedIncreasePercent;
    RecommendationStatus status = RecommendationStatus::Pending;
    QString rule;       // the analysis rule that made it; empty for rows older than schema 4
    QByteArray details; // compact JSON: observation, numbers, risk, source, how to apply
};

// How a project runs its model: what the KV analytics compute with.
struct ProjectRuntime
{
    Engine engine = Engine::LlamaCpp;
    QString modelId;       // preset id, or empty for a model read from a file
    QByteArray modelJson;  // the architecture (analysis::modelToJson)
    qint64 context = 4096; // llama.cpp -c; per sequence elsewhere
    int parallel = 1;
    bool unified = false;
    bool swaFull = false;
    CacheType cacheTypeK = CacheType::F16;
    CacheType cacheTypeV = CacheType::F16;
    bool flashAttention = true;
    bool prefixCaching = true;
    double gpuMemoryGB = 0; // 0: unknown
    qint64 updatedAtMs = 0;
};

// One change of a project's runtime (schema 8): saved in its settings, or by marking a recommendation
// applied; undoing it restores `before` and is a change of its own.
struct RuntimeChange
{
    QString id;
    QString projectId;
    qint64 changedAtMs = 0;
    QString recommendationId;             // the recommendation marked applied; empty for an edit
    std::optional<ProjectRuntime> before; // empty when the project had no runtime
    ProjectRuntime after;
    std::optional<qint64> undoneAtMs;
};

// A project's limits for automated cache management.
struct AutomationSettings
{
    bool enabled = false;
    double maxCachePercent = 90;           // act when the KV cache is fuller than this
    double maxLatencyIncreasePercent = 20; // act when inference time rises more than this
    bool dryRun = true;                    // decide and log, but do not act
    double hysteresisPercent = 5;          // re-arm only this far below a threshold
    int cooldownSeconds = 300;             // at least this long between two actions of one rule
    QString webhookUrl;                    // empty: no webhook
    QString webhookSecret;                 // HMAC-SHA256 key for the webhook's signature
};

// A server a project's samples are scraped from.
struct Source
{
    QString id;
    QString projectId;
    Engine engine = Engine::LlamaCpp; // never Generic: there is no generic server to scrape
    QString baseUrl;
    int intervalMs = 2000;
    bool enabled = true;
    qint64 createdAtMs = 0;
    SourceState state = SourceState::Unknown;
    QString stateReason; // why it is down
    std::optional<qint64> lastScrapeAtMs;
    std::optional<qint64> lastLatencyMs;
    bool hasApiKey = false; // the key itself is in the OS keychain under the source's id
    // What was learnt of the server (schema 7):
    KvLayout kvLayout = KvLayout::Unknown;            // the user's answer
    QByteArray noticesJson = QByteArrayLiteral("[]"); // sources::Notice list from the last scrape
    std::optional<qint64> capacityTokens;             // the KV pool in tokens, when known
    std::optional<qint64> restartedAtMs;              // the last restart seen, until acknowledged
    QString restartChanges;                           // what that restart changed, in English
    std::optional<qint64> eraseRefusedAtMs;           // llama-server answered 501 to an erase (no
                                                      // --slot-save-path); cleared by a restart
};

struct ActionLogEntry
{
    QString id;
    QString projectId;
    qint64 timestampMs = 0;
    QString actionType;
    QString details;    // English; made from `phrases` when there are any
    QJsonArray phrases; // what the details say, for the reader's language (model/actiondetails.h)
    ActionStatus status = ActionStatus::Success;
    QString rule;
    QByteArray directive; // compact JSON sent to the client, if any
    std::optional<qint64> ackedAtMs;
    QString outcome; // the client's message with its acknowledgement
};

// The optimization score (0–100) and the parts it is weighed from, as analysis computed it.
struct ScorePart
{
    QString id; // utilization, efficiency, latency, queue
    double weight = 0;
    std::optional<double> value; // 0…1, empty when not measured
    QJsonObject inputs;          // the measured numbers behind it
};
struct OptimizationScore
{
    std::optional<double> score;
    QList<ScorePart> parts;
};

// One metric over a time range (the count is of samples that carried it).
struct MetricSummary
{
    qint64 count = 0;
    double sum = 0;
    double mean = 0;
    double minimum = 0;
    double maximum = 0;
};

// A project's totals over everything stored.
struct ProjectStats
{
    QString projectId;
    qint64 sampleCount = 0;    // every sample received (from the hourly rollups; survives raw retention)
    qint64 rawSampleCount = 0; // raw rows still stored
    std::optional<qint64> firstTimestampMs;
    std::optional<qint64> lastTimestampMs;
    std::array<MetricSummary, kMetricCount> metrics{};
};

// A model file the model library found, as the last scan left it: the cache that lets a rescan skip
// every file whose parts, size and time did not change.
struct ModelFileEntry
{
    QString name;      // as the library shows it (servers::ModelFile::name)
    QString path;      // the file, or a split model's first part
    QStringList parts; // every part, in order
    qint64 sizeBytes = 0;
    qint64 modifiedMs = 0;
    QByteArray modelJson;                  // the architecture from the header (analysis::modelToJson);
                                           // empty when the header could not be read
    std::optional<qint64> fileType;        // general.file_type
    std::optional<qint64> kvBytesPerToken; // f16 K and V of one token, every layer
    QString problem;                       // why the header could not be read
    qint64 seenAtMs = 0;                   // the scan that last found it
};

// A llama-server CacheWise launches for a project: the program, the model and the flags. The command line
// is servers::commandLine(profile, …); the project's source reads the server at 127.0.0.1:port.
struct ServerProfile
{
    QString id;
    QString projectId;
    QString sourceId;                      // the project's source for this server; empty until it has one
    QString executable;                    // llama-server, as found or chosen
    QString modelPath;                     // the .gguf (a split model's first part)
    qint64 context = 4096;                 // -c: every slot's cells together
    int parallel = 1;                      // -np
    bool unified = false;                  // --kv-unified
    CacheType cacheTypeK = CacheType::F16; // -ctk
    CacheType cacheTypeV = CacheType::F16; // -ctv
    FlashAttention flashAttention = FlashAttention::Auto; // -fa
    std::optional<int> gpuLayers;                         // -ngl; empty: llama-server's default
    std::optional<int> threads;                           // -t; empty: llama-server's default
    int port = 0;                                         // --port, on 127.0.0.1
    QStringList extraArgs;                                // after CacheWise's own flags, as given
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    // What the last start logged: llama.cpp's "llama_kv_cache: size = …" line, verbatim.
    QString measuredKvLine;
    std::optional<qint64> measuredAtMs;
};

// The process behind a profile, as the supervisor last recorded it: enough to find it again after the app
// restarts (the pid, and the process's start time so a reused pid is not taken for it).
struct ServerProcess
{
    QString profileId;
    ServerState state = ServerState::Stopped;
    QString stateReason; // why it stopped, crashed or was given up; the last error lines
    std::optional<qint64> pid;
    QString processIdentity; // the kernel's start time of that pid (Linux: /proc/PID/stat field 22)
    std::optional<qint64> startedAtMs;
    qint64 updatedAtMs = 0;
};

// What a managed server's process used at one time. GPU memory only where an NVIDIA driver tells it.
struct ServerUsage
{
    qint64 timestampMs = 0;
    qint64 residentBytes = 0;
    double cpuPercent = 0; // of one core: 250 is two and a half cores busy
    std::optional<qint64> gpuBytes;
};

} // namespace cachewise::model

Q_DECLARE_METATYPE(cachewise::model::Project)
