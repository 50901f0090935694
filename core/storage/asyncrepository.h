// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/decimation.h"
#include "core/common/result.h"
#include "core/storage/types.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>

#include <array>
#include <memory>

class QThread;

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

class Repository;

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
    std::array<MetricSummary, kMetricCount> current{};          // all projects over [fromMs, toMs)
    std::array<MetricSummary, kMetricCount> previous{};         // the window of the same length before it
    QHash<QString, QList<analysis::SeriesPoint>> kvCacheSeries; // by project id, decimated
    QHash<QString, MetricSummary> inferenceTime;                // by project id, over the window
};

} // namespace cachewise::storage

Q_DECLARE_METATYPE(cachewise::storage::ProjectOverview)
Q_DECLARE_METATYPE(cachewise::storage::DashboardSnapshot)

namespace cachewise::storage {

// Repository calls on a thread of its own, so the GUI thread never waits on disk. Every call
// returns at once; results arrive as signals on the owner's thread, in call order.
class AsyncRepository final : public QObject
{
    Q_OBJECT

public:
    AsyncRepository(QString databasePath, const Clock &clock, QObject *parent = nullptr);
    ~AsyncRepository() override;

    void refreshProjects();
    void loadDashboard(qint64 fromMs, qint64 toMs, int maxPoints);
    void createProject(const QString &name, const QString &modelName, const QString &architecture);
    void updateProject(const cachewise::storage::Project &project);
    void deleteProject(const QString &projectId);

Q_SIGNALS:
    void projectsLoaded(const QList<cachewise::storage::ProjectOverview> &projects);
    void dashboardLoaded(const cachewise::storage::DashboardSnapshot &snapshot);
    void projectSaved(const cachewise::storage::Project &project, bool created);
    // field: "name", "modelName", "modelArchitecture", or empty when no field is at fault.
    void projectRefused(const QString &field, const QString &message);
    void projectDeleted(const QString &projectId);
    void failed(const QString &message);

private:
    // Runs `work` on the thread with an open repository.
    void post(std::function<void(Repository &)> work);
    void reportSaved(const Result<Project> &saved, bool created);

    QString m_path;
    const Clock &m_clock;
    QThread *m_thread;
    QObject *m_context;                       // lives on m_thread
    std::unique_ptr<Repository> m_repository; // touched only on m_thread
};

} // namespace cachewise::storage
