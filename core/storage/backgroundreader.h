// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QList>
#include <QMetaType>
#include <QObject>

#include <memory>

class QThread;

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

struct ProjectOverview
{
    Project project;
    ProjectStats stats;
};

class BackgroundReaderWorker;

// Reads for the UI on a thread of its own, so the GUI thread never waits on disk. Requests return
// at once; results arrive as signals on the owner's thread.
class BackgroundReader final : public QObject
{
    Q_OBJECT

public:
    BackgroundReader(QString databasePath, const Clock &clock, QObject *parent = nullptr);
    ~BackgroundReader() override;

    void refreshProjects();

Q_SIGNALS:
    void projectsLoaded(const QList<cachewise::storage::ProjectOverview> &projects);
    void failed(const QString &message);

private:
    QThread *m_thread;
    BackgroundReaderWorker *m_worker;
};

} // namespace cachewise::storage

Q_DECLARE_METATYPE(cachewise::storage::ProjectOverview)
