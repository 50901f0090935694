// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/decimation.h"
#include "core/common/result.h"
#include "core/storage/database.h"
#include "core/storage/keystore.h"
#include "core/storage/settingstore.h"
#include "core/storage/types.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QVariantList>

#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// The UPDATE behind Repository::recordSourceState, for a connection the caller owns (the writer's).
Result<void> writeSourceState(QSqlDatabase &db, const SourceStateUpdate &update);

// Synchronous access to projects, keys, settings and statistics over its own connection.
// Not thread-safe: use one Repository per thread. Safe across processes (SQLite locking), so the
// CLI and the running app share one database file.
class Repository
{
public:
    explicit Repository(const Clock &clock);
    ~Repository();

    Result<void> open(const QString &databasePath);
    bool isOpen() const { return m_connection.isOpen(); }
    QSqlDatabase &database() { return m_connection.db(); }

    // Projects
    Result<Project> createProject(const QString &name, const QString &modelName, const QString &architecture,
                                  const QString &fixedId = {});
    Result<Project> updateProject(const Project &project);
    Result<QList<Project>> projects();
    Result<std::optional<Project>> project(const QString &id);
    Result<bool> deleteProject(const QString &id);

    // API keys, over this repository's connection.
    KeyStore &keys() { return m_keys; }

    // Samples and statistics
    Result<ProjectStats> stats(const QString &projectId);
    // Every metric over [fromMs, toMs) from the per-minute rollups, for one project or (projectId
    // empty) all of them: minute precision, cheap for any range the minute rollups still hold.
    Result<std::array<MetricSummary, kMetricCount>> summary(const QString &projectId, qint64 fromMs,
                                                            qint64 toMs);
    Result<QList<MetricSample>> recentSamples(const QString &projectId, int limit);
    Result<qint64> rawSampleCount(const QString &projectId);
    // Deletes the project's samples (all, or those before beforeMs) and keeps rollups consistent.
    Result<qint64> clearSamples(const QString &projectId, std::optional<qint64> beforeMs);
    Result<QList<RollupPoint>> rollups(const QString &projectId, Metric metric, qint64 resolutionMs,
                                       qint64 fromMs, qint64 toMs);

    // One metric over [fromMs, toMs) with at most maxPoints points: raw samples for ranges up to six
    // hours, per-minute rollups up to fourteen days, hourly rollups beyond, decimated with LTTB.
    struct Series
    {
        QList<SeriesPoint> points;
        qint64 resolutionMs = 0; // 0: raw samples
    };
    Result<Series> series(const QString &projectId, Metric metric, qint64 fromMs, qint64 toMs, int maxPoints);
    static qint64 seriesResolutionFor(qint64 rangeMs);

    Result<QList<Recommendation>> recommendations(const QString &projectId);
    Result<bool> setRecommendationStatus(const QString &recommendationId, model::RecommendationStatus status);
    // Stores what the rules found now, in one transaction: a rule's recommendation is updated in place
    // (keeping the user's applied/dismissed status), new rules get a pending one, and pending ones whose
    // rule no longer fires are removed.
    Result<QList<Recommendation>> replaceRecommendations(const QString &projectId,
                                                         const QList<Recommendation> &current);

    // How the project runs its model; nullopt when never described.
    Result<std::optional<ProjectRuntime>> runtime(const QString &projectId);
    Result<ProjectRuntime> setRuntime(const QString &projectId, const ProjectRuntime &runtime);

    // Sources (servers scraped for a project). Adding validates the engine, an http(s) URL with a host
    // and 250 <= intervalMs <= 3600000; a bad input names its field, a URL the project already has is
    // a Conflict.
    Result<Source> addSource(const Source &source);
    Result<QList<Source>> sources(const QString &projectId = {});
    Result<bool> removeSource(const QString &sourceId);
    Result<bool> setSourceEnabled(const QString &sourceId, bool enabled);
    Result<bool> setSourceHasApiKey(const QString &sourceId, bool hasKey);
    // The state of a scrape and what it learnt (notices as JSON; the pool in tokens, when known).
    Result<void> recordSourceState(const SourceStateUpdate &update);
    // A restart seen by the scraper: kept until acknowledged; an erase refused before may work now; a
    // server whose slots changed needs its cache layout told again.
    Result<void> recordSourceRestart(const QString &sourceId, qint64 atMs, const QString &changes,
                                     bool layoutUnknownAgain);
    Result<bool> acknowledgeSourceRestart(const QString &sourceId);
    // The user's answer to "do the slots share one cache?": unified, per_slot or unknown.
    Result<bool> setSourceKvLayout(const QString &sourceId, model::KvLayout layout);
    Result<void> recordSourceEraseRefused(const QString &sourceId, qint64 atMs);

    // Defaults when never saved. Saving validates: 0 < maxCachePercent <= 100,
    // 0 <= maxLatencyIncreasePercent <= 1000, 0 <= hysteresisPercent <= 50, 0 <= cooldownSeconds <= 86400,
    // webhookUrl empty or http(s); a bad input names its field.
    Result<AutomationSettings> automation(const QString &projectId);
    Result<AutomationSettings> setAutomation(const QString &projectId, const AutomationSettings &settings);
    Result<QList<ActionLogEntry>> actions(const QString &projectId, int limit);
    Result<ActionLogEntry> addAction(const ActionLogEntry &entry); // id and time filled in when empty
    Result<std::optional<ActionLogEntry>> action(const QString &actionId);
    // Records a client's acknowledgement of a pending directive: outcome "success" or "failed".
    // Errors: NotFound, Conflict (not pending any more), bad input on field "outcome".
    Result<ActionLogEntry> acknowledgeAction(const QString &projectId, const QString &actionId,
                                             const QString &outcome, const QString &message);
    Result<bool> updateActionStatus(const QString &actionId, model::ActionStatus status,
                                    const QString &details);

    // One page of raw samples in [fromMs, toMs), newest first or oldest first, continuing after the
    // row (afterTs, afterRowId) of the previous page (keyset paging: cheap at any depth).
    struct PageCursor
    {
        qint64 timestampMs = 0;
        qint64 rowId = 0;
    };
    Result<QList<SampleRow>> samplePage(const QString &projectId, qint64 fromMs, qint64 toMs,
                                        bool newestFirst, std::optional<PageCursor> after, int limit);

    // The settings and the OpenTelemetry names, over this repository's connection.
    SettingStore &settings() { return m_settings; }

    static bool isValidId(const QString &id);

private:
    // UPDATE project_sources SET `assignments` (with `values` bound in order) for one source; false when
    // there is no such source.
    Result<bool> updateSource(const QString &sourceId, const char *assignments, const QVariantList &values);
    const Clock &m_clock;
    Connection m_connection;
    SettingStore m_settings{m_connection};
    KeyStore m_keys{m_connection, m_clock};
};

} // namespace cachewise::storage
