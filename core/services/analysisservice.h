// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"
#include "core/storage/writes.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

class QThread;
class QTimer;

namespace cachewise {
class Clock;
}

namespace cachewise::services {

class AnalysisWorker;

// Keeps every project's recommendations current as data arrives: committed samples mark their projects,
// and each marked project is analysed again on a thread of its own, at most once per interval (the
// rules look at an hour or more of data, so a minute's delay changes nothing).
class AnalysisService final : public QObject
{
    Q_OBJECT

public:
    // Reads on a connection of its own; stores recommendations through `writes`.
    AnalysisService(const QString &databasePath, storage::Writes writes, const Clock &clock,
                    int intervalMs = 60'000, QObject *parent = nullptr);
    ~AnalysisService() override;

    // Marks projects whose data changed (connect LiveFeed::samplesCommitted here).
    void samplesCommitted(const QList<cachewise::model::MetricSample> &samples, qint64 dropped);
    // Analyses one project now (after a runtime change, or when the user asks).
    void refresh(const QString &projectId);

Q_SIGNALS:
    void analysed(const QString &projectId);
    void failed(const QString &projectId, const QString &error);

private:
    void runDue();

    QThread *m_thread;
    AnalysisWorker *m_worker;
    QTimer *m_timer;
    QSet<QString> m_dirty;
    QHash<QString, qint64> m_lastRunMs;
    const Clock &m_clock;
    const int m_intervalMs;
};

} // namespace cachewise::services
