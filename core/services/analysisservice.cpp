// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/analysisservice.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/services/projectanalysis.h"
#include "core/storage/repository.h"

#include <QThread>
#include <QTimer>

namespace cachewise::services {

// Lives on the service's thread with its own connection.
class AnalysisWorker final : public QObject
{
    Q_OBJECT

public:
    AnalysisWorker(QString databasePath, const Clock &clock, storage::Writes writes)
        : m_path(std::move(databasePath)), m_repository(clock), m_writes(std::move(writes)), m_clock(clock)
    {}

    void analyse(const QString &projectId)
    {
        if (!m_repository.isOpen()) {
            if (auto opened = m_repository.open(m_path); !opened) {
                Q_EMIT failed(projectId, opened.errorMessage());
                return;
            }
        }
        auto result = analyseProject(m_repository, projectId, m_clock.nowMs(), m_writes);
        if (!result) {
            qCWarning(lcAnalysis) << "analysis of" << projectId << "failed:" << result.errorMessage();
            Q_EMIT failed(projectId, result.errorMessage());
            return;
        }
        Q_EMIT analysed(projectId);
    }

Q_SIGNALS:
    void analysed(const QString &projectId);
    void failed(const QString &projectId, const QString &error);

private:
    QString m_path;
    storage::Repository m_repository; // reads
    storage::Writes m_writes;
    const Clock &m_clock;
};

AnalysisService::AnalysisService(const QString &databasePath, storage::Writes writes, const Clock &clock,
                                 int intervalMs, QObject *parent)
    : QObject(parent), m_thread(new QThread(this)),
      m_worker(new AnalysisWorker(databasePath, clock, std::move(writes))), m_timer(new QTimer(this)),
      m_clock(clock), m_intervalMs(intervalMs)
{
    m_thread->setObjectName(QStringLiteral("cachewise-analysis"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &AnalysisWorker::analysed, this, &AnalysisService::analysed);
    connect(m_worker, &AnalysisWorker::failed, this, &AnalysisService::failed);
    m_thread->start();
    m_timer->setInterval(std::max(100, intervalMs / 4));
    connect(m_timer, &QTimer::timeout, this, &AnalysisService::runDue);
}

AnalysisService::~AnalysisService()
{
    m_thread->quit();
    m_thread->wait();
}

void AnalysisService::samplesCommitted(const QList<model::MetricSample> &samples, qint64)
{
    for (const model::MetricSample &s : samples)
        m_dirty.insert(s.projectId);
    if (!m_dirty.isEmpty() && !m_timer->isActive())
        m_timer->start();
    runDue();
}

void AnalysisService::refresh(const QString &projectId)
{
    m_lastRunMs.insert(projectId, m_clock.nowMs());
    m_dirty.remove(projectId);
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, projectId] { worker->analyse(projectId); }, Qt::QueuedConnection);
}

void AnalysisService::runDue()
{
    const qint64 now = m_clock.nowMs();
    QStringList due;
    for (const QString &projectId : std::as_const(m_dirty)) {
        const auto last = m_lastRunMs.constFind(projectId);
        if (last == m_lastRunMs.constEnd() || now - *last >= m_intervalMs)
            due << projectId;
    }
    for (const QString &projectId : std::as_const(due))
        refresh(projectId);
    if (m_dirty.isEmpty())
        m_timer->stop();
}

} // namespace cachewise::services

#include "analysisservice.moc"
