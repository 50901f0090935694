// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/recommender.h"
#include "core/common/decimation.h"
#include "core/common/result.h"
#include "core/report/machineexport.h"
#include "core/report/reportdata.h"
#include "core/services/runtimes.h"
#include "core/storage/types.h"
#include "core/storage/writes.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace cachewise {
class Clock;
}

namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

using model::ActionLogEntry;
using model::ApiKey;
using model::AutomationSettings;
using model::kMetricCount;
using model::Project;
using model::ProjectRuntime;
using model::Recommendation;
using model::Source;
using storage::MetricSummary;
using storage::ProjectStats;
using storage::Repository;
using storage::SampleRow;

struct ProjectOverview
{
    Project project;
    ProjectStats stats;
};

// What the overview dashboard shows, read in one go.
struct DashboardSnapshot
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<ProjectOverview> projects;
    std::array<MetricSummary, kMetricCount> current{};  // all projects over [fromMs, toMs)
    std::array<MetricSummary, kMetricCount> previous{}; // the window of the same length before it
    QHash<QString, QList<SeriesPoint>> kvCacheSeries;   // by project id, decimated
    // The KV cache in use as a share of its capacity, by project id, where the project reports either
    // (when asked for).
    QHash<QString, QList<SeriesPoint>> kvShareSeries;
    QHash<QString, MetricSummary> inferenceTime; // by project id, over the window
    QHash<QString, double> scores; // CacheWise's score by project id, where it could be computed
    int describedProjects = 0;     // projects with an engine and model described
};

// What a project's page shows, read in one go.
struct ProjectSnapshot
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    ProjectOverview overview;
    std::array<MetricSummary, kMetricCount> current{};
    std::array<MetricSummary, kMetricCount> previous{};
    QHash<int, QList<SeriesPoint>> series; // by Metric, only metrics with data in the range
    QList<Recommendation> recommendations;
    QList<ActionLogEntry> actions;
    QList<ApiKey> keys;
    AutomationSettings automation;
    std::optional<ProjectRuntime> runtime;      // how the project runs its model, when described
    QList<model::RuntimeChange> runtimeChanges; // in [fromMs, toMs), oldest first: the charts' markers
    // The runtime change each applied recommendation made (not undone), by recommendation id.
    QHash<QString, model::RuntimeChange> appliedChanges;
    model::OptimizationScore score; // from the last 24 hours; empty without a runtime
    double minutesCollected = 0;    // recommendations need minutesRequired of data
    double minutesRequired = 0;
    QList<Source> sources;
    QByteArray latestProcessedData; // of the newest sample (a scraped llama-server's per-slot view)
    std::optional<model::ServerProfile> server; // the llama-server CacheWise launches for it, if any
    QList<model::ServerUsage> serverUsage;      // its process's readings in [fromMs, toMs), decimated
};

} // namespace cachewise::services

Q_DECLARE_METATYPE(cachewise::services::ProjectOverview)
Q_DECLARE_METATYPE(cachewise::services::DashboardSnapshot)
Q_DECLARE_METATYPE(cachewise::services::ProjectSnapshot)
Q_DECLARE_METATYPE(cachewise::model::NewApiKey)
Q_DECLARE_METATYPE(cachewise::storage::SampleRow)
Q_DECLARE_METATYPE(cachewise::model::AutomationSettings)
Q_DECLARE_METATYPE(cachewise::model::ProjectRuntime)
Q_DECLARE_METATYPE(cachewise::report::ReportData)

namespace cachewise::services {

// Repository calls on a thread of its own, so the GUI thread never waits on disk. Every call
// returns at once; results arrive as signals on the owner's thread, in call order.
class AsyncRepository final : public QObject
{
    Q_OBJECT

public:
    // Reads on a connection of its own; writes through `writes` (the writer's connection, so that what
    // the window changes reaches everyone as the Engine's events).
    AsyncRepository(QString databasePath, storage::Writes writes, const Clock &clock,
                    QObject *parent = nullptr);
    ~AsyncRepository() override;

    // With kvShares, each project's KV share of its capacity too (read only while it is shown).
    void loadDashboard(qint64 fromMs, qint64 toMs, int maxPoints, bool kvShares = false);
    // A project and its first API key (projectSaved, then projectCreated with the key's secret, shown once);
    // with `source`, the server it is read from too (sourcesChanged).
    void createProject(const QString &name, const QString &modelName, const QString &architecture,
                       const std::optional<cachewise::model::Source> &source = std::nullopt);
    void updateProject(const cachewise::model::Project &project);
    void deleteProject(const QString &projectId);
    void loadSettings();
    void saveSetting(const QString &key, const QString &value);
    // The user's OpenTelemetry metric names (otlpNamesLoaded); mapping or unmapping one reloads them.
    void loadOtlpNames();
    void mapOtlpName(const QString &name, const QString &field);
    void unmapOtlpName(const QString &name);
    void loadProject(const QString &projectId, qint64 fromMs, qint64 toMs, int maxPoints);
    void createApiKey(const QString &projectId, const QString &name);
    void setRecommendationStatus(const QString &recommendationId, model::RecommendationStatus status);
    // services::markRecommendationApplied / undoRecommendation, then the project's advice recomputed.
    void markRecommendationApplied(const QString &recommendationId);
    void undoRecommendation(const QString &recommendationId);
    void saveAutomation(const QString &projectId, const cachewise::model::AutomationSettings &settings);
    void revokeApiKey(const QString &keyId);
    // With an API key, the key goes to the OS keychain first; a source whose key cannot be kept is not
    // added (sourceRefused with field "apiKey" and the keychain's reason).
    void addSource(const cachewise::model::Source &source, const QString &apiKey = {});
    // Replaces the source's API key in the keychain; an empty key removes it.
    void setSourceApiKey(const QString &sourceId, const QString &apiKey);
    // Removes the source and its key (a key the keychain refuses to remove keeps the source).
    void removeSource(const QString &sourceId);
    void setSourceEnabled(const QString &sourceId, bool enabled);
    // The user's answer to whether a llama-server's slots share one cache (unified, per_slot).
    void setSourceKvLayout(const QString &sourceId, model::KvLayout layout);
    // The user has seen that the server restarted (its runtime still holds).
    void acknowledgeSourceRestart(const QString &sourceId);
    // Saves how the project runs its model, then recomputes its recommendations.
    void saveRuntime(const QString &projectId, const cachewise::model::ProjectRuntime &runtime);
    // One page of the raw log; `after` continues from the previous page's last row.
    // Writes the raw samples of [fromMs, toMs) to a CSV file, page by page (never all in memory).
    void exportSamplesCsv(const QString &projectId, qint64 fromMs, qint64 toMs, const QString &path);
    // A machine export (CSV/JSON) for an export job: exportProgress after each page, then exportDone or
    // exportFailed; setting `cancel` stops it at the next page and leaves no file.
    void exportMachine(quint64 jobId, const cachewise::report::ExportRequest &request, const QString &path,
                       std::shared_ptr<std::atomic<bool>> cancel);
    // What a report shows (reportCollected), read on the storage thread.
    void collectReport(quint64 jobId, const cachewise::report::ReportRequest &request);
    void loadSamplePage(quint64 requestId, const QString &projectId, qint64 fromMs, qint64 toMs,
                        bool newestFirst, std::optional<cachewise::storage::SampleRow> after, int limit);

Q_SIGNALS:
    void dashboardLoaded(const cachewise::services::DashboardSnapshot &snapshot);
    void projectSaved(const cachewise::model::Project &project, bool created);
    void projectCreated(const cachewise::model::Project &project, const cachewise::model::NewApiKey &key);
    // field: "name", "modelName", "modelArchitecture", or empty when no field is at fault.
    void projectRefused(const QString &field, const QString &message);
    void projectDeleted(const QString &projectId);
    void settingsLoaded(const QMap<QString, QString> &settings);
    void otlpNamesLoaded(const QMap<QString, QString> &fieldByName);
    void settingSaved(const QString &key, const QString &value);
    void projectLoaded(const cachewise::services::ProjectSnapshot &snapshot);
    void apiKeyCreated(const cachewise::model::NewApiKey &key);
    void recommendationUpdated(const QString &recommendationId, model::RecommendationStatus status);
    // Marked applied (or undone); runtimeChanged when the project's runtime changed with it.
    void recommendationApplied(const QString &recommendationId, bool applied, bool runtimeChanged);
    void automationSaved(const QString &projectId, const cachewise::model::AutomationSettings &settings);
    // field: "maxCachePercent" or "maxLatencyIncreasePercent", or empty.
    void automationRefused(const QString &field, const QString &message);
    void apiKeyRevoked(const QString &keyId);
    void runtimeSaved(const QString &projectId);
    void sourcesChanged(const QString &projectId);
    // field: "engine", "url", "interval", "duplicate", or empty.
    void sourceRefused(const QString &field, const QString &message);
    // field: "engine", "model", "cache_type", "context", "parallel", "gpu_memory_gb", or empty.
    void runtimeRefused(const QString &field, const QString &message);
    void samplesExported(const QString &path, qint64 rows);
    void exportProgress(quint64 jobId, qint64 rows);
    void exportDone(quint64 jobId, const QString &path, qint64 rows);
    void exportFailed(quint64 jobId, const QString &message);
    void reportCollected(quint64 jobId, const cachewise::report::ReportData &data);
    void samplePageLoaded(quint64 requestId, const QList<cachewise::storage::SampleRow> &rows);
    void failed(const QString &message);

private:
    // Runs `work` on the thread with an open repository.
    void post(std::function<void(Repository &)> work);
    void reportSaved(const Result<Project> &saved, bool created);
    // Runs a write (Repository & -> Result<T>) through m_writes and waits for it (on m_thread).
    template <class Function> auto written(Function &&write)
    {
        return storage::writeThrough(m_writes, std::forward<Function>(write));
    }
    void afterApplying(Repository &repository, const Result<AppliedRecommendation> &result, bool applied);
    // Runs `change` on one source, then sourcesChanged for its project (or failed).
    void changeSource(const QString &sourceId,
                      std::function<Result<bool>(Repository &, const QString &)> change);

    QString m_path;
    storage::Writes m_writes;
    const Clock &m_clock;
    QThread *m_thread;
    QObject *m_context;                       // lives on m_thread
    std::unique_ptr<Repository> m_repository; // touched only on m_thread
    // The dashboard's scores (24 hours of rollups per project) are computed again at most once a minute,
    // not on every refresh; a saved runtime drops its project's. Touched only on m_thread.
    struct CachedScore
    {
        qint64 atMs = 0;
        bool configured = false;
        std::optional<double> score;
    };
    QHash<QString, CachedScore> m_scores;
};

} // namespace cachewise::services
