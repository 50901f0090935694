// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/histogram.h"
#include "core/common/result.h"
#include "core/model/types.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace cachewise::ingest {

// The listener's limits and OpenTelemetry names as the backend last read them from the settings.
struct IngestSettings
{
    int maxSamples = 5000;
    qint64 maxFutureSkewMs = 300'000;
    int maxProcessedDataBytes = 16384;
    double ratePerSecond = 200;               // 0: no limit
    qsizetype maxBodyBytes = 4 * 1024 * 1024; // also the most a gzip body may expand to
    QString otlpProjectAttribute;             // empty: service.name
    QList<QPair<QString, QString>> otlpNames; // metric name → field name, the user's own
    QStringList allowedHosts;                 // Host names answered besides the loopback ones
    int maxKeylessProjects = 10;              // projects OTLP without a key may create, in all
    quint64 generation = 0;                   // grows whenever any of the above changed

    bool operator==(const IngestSettings &) const = default;
};

// What became of samples handed over: committed (with the automation's directives for the client), or
// why not. Answered only after the transaction is durable.
struct SubmitOutcome
{
    int accepted = 0;
    QJsonArray actions;
    std::optional<ErrorKind> errorKind; // NotFound: a sample's project no longer exists
    QString error;
    bool ok() const { return !errorKind.has_value(); }
};

// A project as the read endpoints show it.
struct ProjectDetails
{
    model::ProjectStats stats;
    QList<model::MetricSample> recentSamples; // newest first
};

// The latest figures of each project and the sources' states, for the listener's own /metrics.
struct SelfState
{
    QList<QPair<model::Project, model::MetricSample>> latestSamples; // projects that have any
    QList<model::Source> sources;
    qint64 databaseBytes = 0; // the file and its write-ahead log
};

// What the listener's routes need from the rest of the program. Implemented by services over the
// database and the writer; every call that reads or writes storage is asynchronous so that nothing on
// the listener thread touches SQLite. Each `done` is called exactly once, on any thread.
class Backend
{
public:
    template <typename T> using Done = std::function<void(Result<T>)>;

    virtual ~Backend() = default;

    // Any thread, no I/O.
    virtual IngestSettings settings() const = 0;
    // Any thread, without a lock: the generation settings() has now, so that a caller holding that one need
    // not copy them again.
    virtual quint64 settingsGeneration() const = 0;
    // Called (on any thread, so it must only post) whenever settings() changed; one observer, cleared with
    // {}: after that returns it is never called again.
    virtual void setSettingsObserver(std::function<void()> observer) = 0;
    virtual qsizetype queuedSamples() const = 0;
    virtual const LatencyHistogram &commitLatency() const = 0;

    // Any thread, no I/O: the key whose secret this is as last read, or none when it is not in memory (then
    // ask findApiKey). A key revoked since it was read still passes here: submit() with its id refuses it
    // inside the transaction, so nothing of a revoked key is committed after its revocation.
    virtual std::optional<model::ApiKey> cachedApiKey(const QString &secret) const = 0;
    // The key whose secret this is (revoked ones too), or none; remembered for cachedApiKey.
    virtual void findApiKey(const QString &secret, Done<std::optional<model::ApiKey>> done) = 0;
    virtual void project(const QString &id, Done<std::optional<model::Project>> done) = 0;
    virtual void projects(Done<QList<model::Project>> done) = 0;
    // The id of the project of each name, for a program that sends without a key: created (architecture
    // "OpenTelemetry") where none exists. Nothing is created, and the error says why, when a name is a
    // project that has API keys (Conflict: only keyed writes go there) or when the new ones would make
    // more than `maxKeylessProjects` keyless projects (TooLarge).
    virtual void otlpProjects(const QStringList &names, int maxKeylessProjects,
                              Done<QHash<QString, QString>> done) = 0;
    // A new project with its first key ("default"). BadInput names the field (name, modelName, …).
    virtual void createProjectWithKey(const QString &name, const QString &modelName,
                                      const QString &architecture,
                                      Done<QPair<model::Project, model::NewApiKey>> done) = 0;
    virtual void projectDetails(const QString &projectId, int recentSamples, Done<ProjectDetails> done) = 0;
    virtual void recommendations(const QString &projectId, Done<QList<model::Recommendation>> done) = 0;
    // NotFound: no pending action of that id in the project; Conflict: acknowledged before.
    virtual void acknowledgeAction(const QString &projectId, const QString &actionId, const QString &outcome,
                                   const QString &message, Done<model::ActionLogEntry> done) = 0;
    virtual void selfState(Done<SelfState> done) = 0;
    // Fire and forget: when the key was last used (at most once a minute per key).
    virtual void recordKeyUse(const QString &keyId, qint64 atMs) = 0;
    // Commits the samples in the writer's next transaction; automation judges what was committed. With
    // keyId, the transaction first checks that the key is still valid (Conflict when it was revoked).
    virtual void submit(QList<model::MetricSample> samples, const QString &keyId,
                        std::function<void(SubmitOutcome)> done) = 0;
};

} // namespace cachewise::ingest
