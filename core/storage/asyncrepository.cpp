// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/asyncrepository.h"

#include "core/storage/repository.h"

#include <QThread>

namespace cachewise::storage {

AsyncRepository::AsyncRepository(QString databasePath, const Clock &clock, QObject *parent)
    : QObject(parent), m_path(std::move(databasePath)), m_clock(clock), m_thread(new QThread),
      m_context(new QObject)
{
    qRegisterMetaType<QList<ProjectOverview>>();
    qRegisterMetaType<DashboardSnapshot>();
    qRegisterMetaType<Project>();
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

Result<QList<ProjectOverview>> overviews(Repository &repository)
{
    auto projects = repository.projects();
    if (!projects)
        return projects.error();
    QList<ProjectOverview> out;
    for (const Project &p : projects.value()) {
        auto stats = repository.stats(p.id);
        if (!stats)
            return stats.error();
        out << ProjectOverview{p, stats.value()};
    }
    return out;
}

} // namespace

void AsyncRepository::refreshProjects()
{
    post([this](Repository &repository) {
        auto loaded = overviews(repository);
        if (!loaded)
            Q_EMIT failed(loaded.errorMessage());
        else
            Q_EMIT projectsLoaded(loaded.value());
    });
}

void AsyncRepository::loadDashboard(qint64 fromMs, qint64 toMs, int maxPoints)
{
    post([this, fromMs, toMs, maxPoints](Repository &repository) {
        DashboardSnapshot snapshot;
        snapshot.fromMs = fromMs;
        snapshot.toMs = toMs;
        auto loaded = overviews(repository);
        auto current = repository.summary({}, fromMs, toMs);
        auto previous = repository.summary({}, fromMs - (toMs - fromMs), fromMs);
        if (!loaded || !current || !previous) {
            Q_EMIT failed(!loaded ? loaded.errorMessage()
                                  : (!current ? current.errorMessage() : previous.errorMessage()));
            return;
        }
        snapshot.projects = loaded.value();
        snapshot.current = current.value();
        snapshot.previous = previous.value();
        for (const ProjectOverview &p : std::as_const(snapshot.projects)) {
            auto series = repository.series(p.project.id, Metric::KvCacheSizeKB, fromMs, toMs, maxPoints);
            auto summary = repository.summary(p.project.id, fromMs, toMs);
            if (!series || !summary) {
                Q_EMIT failed(!series ? series.errorMessage() : summary.errorMessage());
                return;
            }
            snapshot.kvCacheSeries.insert(p.project.id, series->points);
            snapshot.inferenceTime.insert(p.project.id,
                                          summary.value()[metricIndex(Metric::InferenceTimeMs)]);
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
    // Validation errors name their field in the error code; storage errors name none.
    const QString &code = saved.error().code;
    Q_EMIT projectRefused(code == QLatin1String("storage") ? QString() : code, saved.errorMessage());
}

void AsyncRepository::createProject(const QString &name, const QString &modelName,
                                    const QString &architecture)
{
    post([this, name, modelName, architecture](Repository &repository) {
        reportSaved(repository.createProject(name, modelName, architecture), true);
    });
}

void AsyncRepository::updateProject(const Project &project)
{
    post([this, project](Repository &repository) { reportSaved(repository.updateProject(project), false); });
}

void AsyncRepository::deleteProject(const QString &projectId)
{
    post([this, projectId](Repository &repository) {
        auto deleted = repository.deleteProject(projectId);
        if (!deleted)
            Q_EMIT failed(deleted.errorMessage());
        else
            Q_EMIT projectDeleted(projectId);
    });
}

} // namespace cachewise::storage
