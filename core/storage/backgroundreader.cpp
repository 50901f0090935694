// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/backgroundreader.h"

#include "core/storage/repository.h"

#include <QThread>

namespace cachewise::storage {

class BackgroundReaderWorker final : public QObject
{
    Q_OBJECT

public:
    BackgroundReaderWorker(QString path, const Clock &clock) : m_path(std::move(path)), m_repository(clock) {}

    void refreshProjects()
    {
        if (!ensureOpen())
            return;
        auto projects = m_repository.projects();
        if (!projects) {
            Q_EMIT failed(projects.errorMessage());
            return;
        }
        QList<ProjectOverview> out;
        for (const Project &p : projects.value()) {
            auto stats = m_repository.stats(p.id);
            if (!stats) {
                Q_EMIT failed(stats.errorMessage());
                return;
            }
            out << ProjectOverview{p, stats.value()};
        }
        Q_EMIT projectsLoaded(out);
    }

Q_SIGNALS:
    void projectsLoaded(const QList<cachewise::storage::ProjectOverview> &projects);
    void failed(const QString &message);

private:
    bool ensureOpen()
    {
        if (m_repository.isOpen())
            return true;
        if (auto r = m_repository.open(m_path); !r) {
            Q_EMIT failed(r.errorMessage());
            return false;
        }
        return true;
    }

    QString m_path;
    Repository m_repository;
};

BackgroundReader::BackgroundReader(QString databasePath, const Clock &clock, QObject *parent)
    : QObject(parent), m_thread(new QThread),
      m_worker(new BackgroundReaderWorker(std::move(databasePath), clock))
{
    qRegisterMetaType<QList<ProjectOverview>>();
    m_thread->setObjectName(QStringLiteral("cachewise-reader"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &BackgroundReaderWorker::projectsLoaded, this, &BackgroundReader::projectsLoaded);
    connect(m_worker, &BackgroundReaderWorker::failed, this, &BackgroundReader::failed);
    m_thread->start();
}

BackgroundReader::~BackgroundReader()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void BackgroundReader::refreshProjects()
{
    QMetaObject::invokeMethod(m_worker, &BackgroundReaderWorker::refreshProjects, Qt::QueuedConnection);
}

} // namespace cachewise::storage

#include "backgroundreader.moc"
