// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/enums.h"
#include "core/servers/supervisor.h"

#include <QObject>
#include <QString>

namespace cachewise {
class Clock;
}
namespace cachewise::storage {
class MetricWriter;
}

namespace cachewise::services {

class ServerWorker;

// The llama-servers of this data folder, kept alive while the app (or --headless) runs: on a thread of its
// own, one supervisor per profile. At start and whenever the profiles change (here or in the CLI) it takes
// over the servers that run (started by the CLI, or left running by an earlier CacheWise) and watches them:
// a crash is restarted with the supervisor's backoff, a server given up is an alert and an action in the
// log. Each state, the pid and the KV allocation a server logged are recorded through the writer.
class ServerManager final : public QObject
{
    Q_OBJECT

public:
    ServerManager(const QString &databasePath, const QString &dataDir, storage::MetricWriter &writer,
                  const Clock &clock, servers::SupervisorTimings timings = {}, QObject *parent = nullptr);
    // Leaves the servers as they are (they run detached); shutdown() first to stop them.
    ~ServerManager() override;

    void start();
    // The profiles changed: servers new to it are taken over, removed ones forgotten, flags read again.
    void reload();
    void startServer(const QString &profileId);
    void stopServer(const QString &profileId);
    void restartServer(const QString &profileId);
    // Stops watching a server without stopping it, until release(): someone else (an apply) stops and starts
    // it meanwhile. Blocks until the manager has let go; not from the manager's own thread.
    void hold(const QString &profileId);
    // Watches it again, taking over the process the holder left running.
    void release(const QString &profileId);
    // On quit: with servers.stopOnQuit (the default) every running server is stopped, waiting until each
    // has exited (SIGKILL after the supervisor's timeout); without it they are left running. Blocks.
    void shutdown();

Q_SIGNALS:
    void serverStateChanged(const QString &profileId, cachewise::model::ServerState state,
                            const QString &reason);
    // Crashed too often and no longer restarted: the error lines it wrote last.
    void serverGaveUp(const QString &projectId, const QString &profileId, const QString &lastLines);

private:
    QThread *m_thread;
    ServerWorker *m_worker;
};

} // namespace cachewise::services
