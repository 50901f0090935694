// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/asyncrepository.h"

#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/common/secretstore.h"
#include "core/common/timeformat.h"
#include "core/report/machineexport.h"
#include "core/services/projectanalysis.h"
#include "core/services/projects.h"
#include "core/services/reports.h"
#include "core/services/runtimes.h"
#include "core/storage/repository.h"

#include <QSaveFile>
#include <QThread>

namespace cachewise::services {

using model::Metric;
using model::metricIndex;
using model::MetricInfo;
using model::metricTable;
using model::NewApiKey;

AsyncRepository::AsyncRepository(QString databasePath, storage::Writes writes, const Clock &clock,
                                 QObject *parent)
    : QObject(parent), m_path(std::move(databasePath)), m_writes(std::move(writes)), m_clock(clock),
      m_thread(new QThread), m_context(new QObject)
{
    qRegisterMetaType<QList<ProjectOverview>>();
    qRegisterMetaType<DashboardSnapshot>();
    qRegisterMetaType<Project>();
    qRegisterMetaType<ProjectSnapshot>();
    qRegisterMetaType<NewApiKey>();
    qRegisterMetaType<QList<SampleRow>>();
    qRegisterMetaType<AutomationSettings>();
    qRegisterMetaType<ProjectRuntime>();
    qRegisterMetaType<report::ReportData>();
    m_thread->setObjectName(QStringLiteral("cachewise-ui-storage"));
    m_context->moveToThread(m_thread);
    m_thread->start();
}

AsyncRepository::~AsyncRepository()
{
    // The repository's connection belongs to the thread: close it there.
    QMetaObject::invokeMethod(
        m_context, [this] { m_repository.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_context;
    delete m_thread;
}

void AsyncRepository::post(std::function<void(Repository &)> work)
{
    QMetaObject::invokeMethod(
        m_context,
        [this, work = std::move(work)] {
            if (!m_repository) {
                auto repository = std::make_unique<Repository>(m_clock);
                if (auto r = repository->open(m_path); !r) {
                    Q_EMIT failed(r.errorMessage());
                    return;
                }
                m_repository = std::move(repository);
            }
            work(*m_repository);
        },
        Qt::QueuedConnection);
}

namespace {

// At most `maxPoints` readings, each bucket's peak (a chart of a week of 5-second readings).
QList<model::ServerUsage> decimateUsage(const QList<model::ServerUsage> &usage, int maxPoints)
{
    if (maxPoints <= 0 || usage.size() <= maxPoints)
        return usage;
    QList<model::ServerUsage> out;
    const qsizetype per = (usage.size() + maxPoints - 1) / maxPoints;
    for (qsizetype i = 0; i < usage.size(); i += per) {
        model::ServerUsage peak = usage.at(i);
        for (qsizetype j = i + 1; j < std::min(usage.size(), i + per); ++j) {
            const model::ServerUsage &u = usage.at(j);
            peak.residentBytes = std::max(peak.residentBytes, u.residentBytes);
            peak.cpuPercent = std::max(peak.cpuPercent, u.cpuPercent);
            if (u.gpuBytes)
                peak.gpuBytes = std::max(peak.gpuBytes.value_or(0), *u.gpuBytes);
        }
        out << peak;
    }
    return out;
}

Result<QList<ProjectOverview>> overviews(Repository &repository)
{
    auto projects = repository.projects().list();
    if (!projects)
        return projects.error();
    QList<ProjectOverview> out;
    for (const Project &p : projects.value()) {
        auto stats = repository.samples().stats(p.id);
        if (!stats)
            return stats.error();
        out << ProjectOverview{p, stats.value()};
    }
    return out;
}

} // namespace

void AsyncRepository::loadDashboard(qint64 fromMs, qint64 toMs, int maxPoints, bool kvShares)
{
    post([this, fromMs, toMs, maxPoints, kvShares](Repository &repository) {
        const storage::Transaction snapshotRead(repository.database(), false); // one state throughout
        DashboardSnapshot snapshot;
        snapshot.fromMs = fromMs;
        snapshot.toMs = toMs;
        auto loaded = overviews(repository);
        auto current = repository.samples().summary({}, fromMs, toMs);
        auto previous = repository.samples().summary({}, fromMs - (toMs - fromMs), fromMs);
        if (!loaded || !current || !previous) {
            Q_EMIT failed(!loaded ? loaded.errorMessage()
                                  : (!current ? current.errorMessage() : previous.errorMessage()));
            return;
        }
        snapshot.projects = loaded.value();
        snapshot.current = current.value();
        snapshot.previous = previous.value();
        for (const ProjectOverview &p : std::as_const(snapshot.projects)) {
            auto series =
                repository.samples().series(p.project.id, Metric::KvCacheSizeKB, fromMs, toMs, maxPoints);
            auto summary = repository.samples().summary(p.project.id, fromMs, toMs);
            if (!series || !summary) {
                Q_EMIT failed(!series ? series.errorMessage() : summary.errorMessage());
                return;
            }
            snapshot.kvCacheSeries.insert(p.project.id, series->points);
            // The engine's own share where it reports one, else in use over allocated; read only while
            // shown, not on every refresh.
            const auto reported = [&p, kvShares](Metric m) {
                return kvShares && p.stats.metrics[metricIndex(m)].count > 0;
            };
            if (reported(Metric::KvCacheUsageRatio)) {
                if (auto ratio = repository.samples().series(p.project.id, Metric::KvCacheUsageRatio, fromMs,
                                                             toMs, maxPoints))
                    snapshot.kvShareSeries.insert(p.project.id, ratio->points);
            } else if (reported(Metric::KvCacheCapacityKB)) {
                if (auto capacity = repository.samples().series(p.project.id, Metric::KvCacheCapacityKB,
                                                                fromMs, toMs, maxPoints))
                    snapshot.kvShareSeries.insert(p.project.id, shareOf(series->points, capacity->points));
            }
            snapshot.inferenceTime.insert(p.project.id,
                                          summary.value()[metricIndex(Metric::InferenceTimeMs)]);
            // The same score the project's page shows (its last 24 hours; nothing stored).
            const qint64 now = m_clock.nowMs();
            auto cached = m_scores.constFind(p.project.id);
            if (cached == m_scores.constEnd() || now - cached->atMs >= 60'000) {
                auto analysed = services::analyseProject(repository, p.project.id, now);
                if (!analysed) {
                    qCWarning(lcAnalysis) << "no score for" << p.project.id << ":" << analysed.errorMessage();
                    continue;
                }
                cached = m_scores.insert(p.project.id,
                                         CachedScore{now, analysed->configured, analysed->score.score});
            }
            if (cached->configured)
                ++snapshot.describedProjects;
            if (cached->score)
                snapshot.scores.insert(p.project.id, *cached->score);
        }
        Q_EMIT dashboardLoaded(snapshot);
    });
}

void AsyncRepository::reportSaved(const Result<Project> &saved, bool created)
{
    if (saved) {
        Q_EMIT projectSaved(saved.value(), created);
        return;
    }
    // Validation errors name their field; storage errors name none.
    Q_EMIT projectRefused(saved.error().field, saved.errorMessage());
}

void AsyncRepository::createProject(const QString &name, const QString &modelName,
                                    const QString &architecture, const std::optional<Source> &source)
{
    post([this, name, modelName, architecture, source](Repository &) {
        auto created = written([&](Repository &w) {
            return services::createProjectWithKey(w, name, modelName, architecture, QStringLiteral("default"),
                                                  source);
        });
        if (!created) {
            reportSaved(created.error(), true);
            return;
        }
        reportSaved(created->first, true);
        Q_EMIT projectCreated(created->first, created->second);
        if (source)
            Q_EMIT sourcesChanged(created->first.id);
    });
}

void AsyncRepository::updateProject(const Project &project)
{
    post([this, project](Repository &) {
        reportSaved(written([&](Repository &w) { return w.projects().update(project); }), false);
    });
}

void AsyncRepository::deleteProject(const QString &projectId)
{
    post([this, projectId](Repository &) {
        auto deleted = written([&](Repository &w) { return w.projects().remove(projectId); });
        if (!deleted)
            Q_EMIT failed(deleted.errorMessage());
        else
            Q_EMIT projectDeleted(projectId);
    });
}

void AsyncRepository::loadSettings()
{
    post([this](Repository &repository) {
        auto all = repository.settings().all();
        if (!all)
            Q_EMIT failed(all.errorMessage());
        else
            Q_EMIT settingsLoaded(all.value());
    });
}

void AsyncRepository::saveSetting(const QString &key, const QString &value)
{
    post([this, key, value](Repository &) {
        auto saved = written([&](Repository &w) { return w.settings().set(key, value); });
        if (!saved)
            Q_EMIT failed(saved.errorMessage());
        else
            Q_EMIT settingSaved(key, saved.value());
    });
}

void AsyncRepository::loadOtlpNames()
{
    post([this](Repository &repository) {
        auto names = repository.settings().otlpNames();
        if (!names)
            return Q_EMIT failed(names.errorMessage());
        QMap<QString, QString> out;
        for (const auto &[name, field] : names.value())
            out.insert(name, field);
        Q_EMIT otlpNamesLoaded(out);
    });
}

void AsyncRepository::mapOtlpName(const QString &name, const QString &field)
{
    post([this, name, field](Repository &) {
        if (auto saved = written([&](Repository &w) { return w.settings().setOtlpName(name, field); });
            !saved)
            Q_EMIT failed(saved.errorMessage());
    });
    loadOtlpNames();
}

void AsyncRepository::unmapOtlpName(const QString &name)
{
    post([this, name](Repository &) {
        if (auto removed = written([&](Repository &w) { return w.settings().removeOtlpName(name); });
            !removed)
            Q_EMIT failed(removed.errorMessage());
    });
    loadOtlpNames();
}

void AsyncRepository::loadProject(const QString &projectId, qint64 fromMs, qint64 toMs, int maxPoints)
{
    post([this, projectId, fromMs, toMs, maxPoints](Repository &repository) {
        // One read transaction: every part of the snapshot from the same state of the database (a sample
        // committed meanwhile must not give latency rows with a sample count of 0).
        const storage::Transaction snapshotRead(repository.database(), false);
        auto project = repository.projects().get(projectId);
        if (!project || !project.value()) {
            Q_EMIT failed(!project ? project.errorMessage() : QStringLiteral("the project no longer exists"));
            return;
        }
        ProjectSnapshot snapshot;
        snapshot.fromMs = fromMs;
        snapshot.toMs = toMs;
        auto stats = repository.samples().stats(projectId);
        auto current = repository.samples().summary(projectId, fromMs, toMs);
        auto previous = repository.samples().summary(projectId, fromMs - (toMs - fromMs), fromMs);
        auto recommendations = repository.recommendations().list(projectId);
        auto actions = repository.actions().list(projectId, 500);
        auto keys = repository.keys().list(projectId);
        auto automation = repository.actions().automation(projectId);
        for (const Error *error :
             {!automation ? &automation.error() : nullptr, !stats ? &stats.error() : nullptr,
              !current ? &current.error() : nullptr, !previous ? &previous.error() : nullptr,
              !recommendations ? &recommendations.error() : nullptr, !actions ? &actions.error() : nullptr,
              !keys ? &keys.error() : nullptr}) {
            if (error) {
                Q_EMIT failed(error->message);
                return;
            }
        }
        snapshot.overview = ProjectOverview{*project.value(), stats.value()};
        snapshot.current = current.value();
        snapshot.previous = previous.value();
        snapshot.recommendations = recommendations.value();
        snapshot.actions = actions.value();
        snapshot.keys = keys.value();
        snapshot.automation = automation.value();
        auto analysed = services::analyseProject(repository, projectId, m_clock.nowMs());
        if (!analysed) {
            Q_EMIT failed(analysed.errorMessage());
            return;
        }
        if (analysed->configured) {
            auto runtime = repository.runtimes().get(projectId);
            if (runtime)
                snapshot.runtime = runtime.value();
        }
        if (auto changes = repository.runtimes().changes(projectId, fromMs, toMs))
            snapshot.runtimeChanges = changes.value();
        for (const model::Recommendation &r : std::as_const(snapshot.recommendations)) {
            if (r.status != model::RecommendationStatus::Applied)
                continue;
            if (auto change = repository.runtimes().appliedChange(r.id); change && change->has_value())
                snapshot.appliedChanges.insert(r.id, **change);
        }
        snapshot.score = analysed->score;
        if (auto sources = repository.sources().list(projectId))
            snapshot.sources = sources.value();
        if (auto latest = repository.samples().recent(projectId, 1); latest && !latest->isEmpty())
            snapshot.latestProcessedData = latest->first().processedData;
        snapshot.minutesCollected = analysed->minutesCollected;
        snapshot.minutesRequired = analysed->minutesRequired;
        if (auto servers = repository.servers().list(projectId); servers && !servers->isEmpty()) {
            snapshot.server = servers->constFirst();
            if (auto usage = repository.servers().usage(snapshot.server->id, fromMs, toMs))
                snapshot.serverUsage = decimateUsage(usage.value(), maxPoints);
        }
        for (const MetricInfo &info : metricTable()) {
            if (stats->metrics[metricIndex(info.metric)].count == 0)
                continue; // never reported by this project
            auto series = repository.samples().series(projectId, info.metric, fromMs, toMs, maxPoints);
            if (!series) {
                Q_EMIT failed(series.errorMessage());
                return;
            }
            snapshot.series.insert(int(info.metric), series->points);
        }
        Q_EMIT projectLoaded(snapshot);
    });
}

void AsyncRepository::createApiKey(const QString &projectId, const QString &name)
{
    post([this, projectId, name](Repository &) {
        auto key = written([&](Repository &w) { return w.keys().create(projectId, name); });
        if (!key)
            Q_EMIT failed(key.errorMessage());
        else
            Q_EMIT apiKeyCreated(key.value());
    });
}

void AsyncRepository::setRecommendationStatus(const QString &recommendationId,
                                              model::RecommendationStatus status)
{
    post([this, recommendationId, status](Repository &) {
        auto updated =
            written([&](Repository &w) { return w.recommendations().setStatus(recommendationId, status); });
        if (!updated)
            Q_EMIT failed(updated.errorMessage());
        else if (!updated.value())
            Q_EMIT failed(QStringLiteral("the recommendation no longer exists"));
        else
            Q_EMIT recommendationUpdated(recommendationId, status);
    });
}

void AsyncRepository::markRecommendationApplied(const QString &recommendationId)
{
    post([this, recommendationId](Repository &repository) {
        auto applied =
            written([&](Repository &w) { return services::markRecommendationApplied(w, recommendationId); });
        afterApplying(repository, applied, true);
    });
}

void AsyncRepository::undoRecommendation(const QString &recommendationId)
{
    post([this, recommendationId](Repository &repository) {
        auto undone =
            written([&](Repository &w) { return services::undoRecommendation(w, recommendationId); });
        afterApplying(repository, undone, false);
    });
}

void AsyncRepository::afterApplying(Repository &repository, const Result<AppliedRecommendation> &result,
                                    bool applied)
{
    if (!result) {
        Q_EMIT failed(result.errorMessage());
        return;
    }
    const QString projectId = result->recommendation.projectId;
    if (result->change) {
        m_scores.remove(projectId);
        if (auto analysed = services::analyseProject(repository, projectId, m_clock.nowMs(), m_writes);
            !analysed)
            Q_EMIT failed(analysed.errorMessage());
        Q_EMIT runtimeSaved(projectId);
    }
    Q_EMIT recommendationApplied(result->recommendation.id, applied, result->change.has_value());
    Q_EMIT recommendationUpdated(result->recommendation.id, result->recommendation.status);
}

void AsyncRepository::saveAutomation(const QString &projectId, const AutomationSettings &settings)
{
    post([this, projectId, settings](Repository &) {
        auto saved = written([&](Repository &w) { return w.actions().setAutomation(projectId, settings); });
        if (saved)
            Q_EMIT automationSaved(projectId, saved.value());
        else
            Q_EMIT automationRefused(saved.error().field, saved.errorMessage());
    });
}

void AsyncRepository::saveRuntime(const QString &projectId, const ProjectRuntime &runtime)
{
    post([this, projectId, runtime](Repository &repository) {
        auto saved = written([&](Repository &w) { return services::saveRuntime(w, projectId, runtime); });
        if (!saved) {
            Q_EMIT runtimeRefused(saved.error().field, saved.errorMessage());
            return;
        }
        m_scores.remove(projectId); // its score changes with the runtime
        // The advice depends on the runtime: recompute it now rather than at the next sample.
        if (auto analysed = services::analyseProject(repository, projectId, m_clock.nowMs(), m_writes);
            !analysed)
            Q_EMIT failed(analysed.errorMessage());
        Q_EMIT runtimeSaved(projectId);
    });
}

namespace {

// The project a source belongs to (empty when it is gone), so the page that shows it can reload.
QString projectOfSource(Repository &repository, const QString &sourceId)
{
    if (auto all = repository.sources().list()) {
        for (const Source &s : *all) {
            if (s.id == sourceId)
                return s.projectId;
        }
    }
    return QString();
}

} // namespace

void AsyncRepository::addSource(const Source &source, const QString &apiKey)
{
    post([this, source, apiKey](Repository &) {
        auto added = written([&](Repository &w) { return w.sources().add(source); });
        if (!added) {
            Q_EMIT sourceRefused(added.error().field, added.errorMessage());
            return;
        }
        if (apiKey.isEmpty())
            return Q_EMIT sourcesChanged(source.projectId);
        // The keychain answers asynchronously on this thread; the flag is set only once the key is kept.
        const QString id = added->id;
        secrets::write(
            secrets::sourceKeyName(id), apiKey, m_context, [this, id, source](const Result<void> &stored) {
                post([this, id, source, stored](Repository &) {
                    if (!stored) {
                        (void)written([&](Repository &w) { return w.sources().remove(id); });
                        return Q_EMIT sourceRefused(QStringLiteral("apiKey"), stored.errorMessage());
                    }
                    if (auto flagged =
                            written([&](Repository &w) { return w.sources().setHasApiKey(id, true); });
                        !flagged)
                        return Q_EMIT failed(flagged.errorMessage());
                    Q_EMIT sourcesChanged(source.projectId);
                });
            });
    });
}

void AsyncRepository::setSourceApiKey(const QString &sourceId, const QString &apiKey)
{
    post([this, sourceId, apiKey](Repository &repository) {
        const QString projectId = projectOfSource(repository, sourceId);
        if (projectId.isEmpty())
            return;
        const auto done = [this, sourceId, projectId, keep = !apiKey.isEmpty()](const Result<void> &outcome) {
            post([this, sourceId, projectId, keep, outcome](Repository &) {
                if (!outcome)
                    return Q_EMIT sourceRefused(QStringLiteral("apiKey"), outcome.errorMessage());
                if (auto flagged =
                        written([&](Repository &w) { return w.sources().setHasApiKey(sourceId, keep); });
                    !flagged)
                    return Q_EMIT failed(flagged.errorMessage());
                Q_EMIT sourcesChanged(projectId);
            });
        };
        if (apiKey.isEmpty())
            secrets::remove(secrets::sourceKeyName(sourceId), m_context, done);
        else
            secrets::write(secrets::sourceKeyName(sourceId), apiKey, m_context, done);
    });
}

void AsyncRepository::removeSource(const QString &sourceId)
{
    post([this, sourceId](Repository &repository) {
        const QString projectId = projectOfSource(repository, sourceId);
        const auto removeRow = [this, sourceId, projectId](Repository &) {
            if (auto removed = written([&](Repository &w) { return w.sources().remove(sourceId); }); !removed)
                Q_EMIT failed(removed.errorMessage());
            else
                Q_EMIT sourcesChanged(projectId);
        };
        auto all = repository.sources().list(projectId);
        const bool hasKey = all && std::any_of(all->cbegin(), all->cend(), [&sourceId](const Source &s) {
                                return s.id == sourceId && s.hasApiKey;
                            });
        if (!hasKey)
            return removeRow(repository);
        secrets::remove(secrets::sourceKeyName(sourceId), m_context,
                        [this, removeRow](const Result<void> &removed) {
                            if (!removed)
                                return Q_EMIT sourceRefused(QStringLiteral("apiKey"), removed.errorMessage());
                            post(removeRow);
                        });
    });
}

void AsyncRepository::changeSource(const QString &sourceId,
                                   std::function<Result<bool>(Repository &, const QString &)> change)
{
    post([this, sourceId, change = std::move(change)](Repository &repository) {
        const QString projectId = projectOfSource(repository, sourceId);
        if (auto changed = written([&](Repository &w) { return change(w, sourceId); }); !changed)
            Q_EMIT failed(changed.errorMessage());
        else
            Q_EMIT sourcesChanged(projectId);
    });
}

void AsyncRepository::setSourceEnabled(const QString &sourceId, bool enabled)
{
    changeSource(sourceId,
                 [enabled](Repository &r, const QString &id) { return r.sources().setEnabled(id, enabled); });
}

void AsyncRepository::setSourceKvLayout(const QString &sourceId, model::KvLayout layout)
{
    changeSource(sourceId,
                 [layout](Repository &r, const QString &id) { return r.sources().setKvLayout(id, layout); });
}

void AsyncRepository::acknowledgeSourceRestart(const QString &sourceId)
{
    changeSource(sourceId,
                 [](Repository &r, const QString &id) { return r.sources().acknowledgeRestart(id); });
}

void AsyncRepository::revokeApiKey(const QString &keyId)
{
    post([this, keyId](Repository &) {
        auto revoked = written([&](Repository &w) { return w.keys().revoke(keyId); });
        if (!revoked)
            Q_EMIT failed(revoked.errorMessage());
        else
            Q_EMIT apiKeyRevoked(keyId);
    });
}

void AsyncRepository::exportSamplesCsv(const QString &projectId, qint64 fromMs, qint64 toMs,
                                       const QString &path)
{
    post([=, this](Repository &repository) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            Q_EMIT failed(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
            return;
        }
        report::ExportRequest request;
        request.projectIds = {projectId};
        request.fromMs = fromMs;
        request.toMs = toMs;
        request.exportedAtMs = m_clock.nowMs();
        auto rows = report::writeMachineExport(repository, request, file);
        if (!rows) {
            file.cancelWriting();
            Q_EMIT failed(rows.errorMessage());
            return;
        }
        if (!file.commit()) {
            Q_EMIT failed(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
            return;
        }
        Q_EMIT samplesExported(path, rows.value());
    });
}

void AsyncRepository::exportMachine(quint64 jobId, const report::ExportRequest &request, const QString &path,
                                    std::shared_ptr<std::atomic<bool>> cancel)
{
    post([=, this](Repository &repository) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return Q_EMIT exportFailed(jobId,
                                       QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        auto rows = report::writeMachineExport(repository, request, file, [this, jobId, cancel](qint64 so) {
            Q_EMIT exportProgress(jobId, so);
            return !cancel->load();
        });
        if (!rows) {
            file.cancelWriting();
            return Q_EMIT exportFailed(jobId, rows.errorMessage());
        }
        if (!file.commit())
            return Q_EMIT exportFailed(jobId,
                                       QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        Q_EMIT exportDone(jobId, path, rows.value());
    });
}

void AsyncRepository::collectReport(quint64 jobId, const report::ReportRequest &request)
{
    post([=, this](Repository &repository) {
        auto data = services::collectReport(repository, request);
        if (!data)
            return Q_EMIT exportFailed(jobId, data.errorMessage());
        Q_EMIT reportCollected(jobId, data.value());
    });
}

void AsyncRepository::loadSamplePage(quint64 requestId, const QString &projectId, qint64 fromMs, qint64 toMs,
                                     bool newestFirst, std::optional<SampleRow> after, int limit)
{
    post([=, this](Repository &repository) {
        std::optional<storage::SampleStore::PageCursor> cursor;
        if (after)
            cursor = storage::SampleStore::PageCursor{after->sample.timestampMs, after->seq};
        auto rows = repository.samples().page(projectId, fromMs, toMs, newestFirst, cursor, limit);
        if (!rows)
            Q_EMIT failed(rows.errorMessage());
        else
            Q_EMIT samplePageLoaded(requestId, rows.value());
    });
}

} // namespace cachewise::services
