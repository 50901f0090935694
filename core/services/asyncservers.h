// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/types.h"
#include "core/servers/llamalog.h"
#include "core/services/managedservers.h"
#include "core/services/modellibrary.h"
#include "core/services/servercontrol.h"
#include "core/storage/writes.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

class QThread;

namespace cachewise {
class Clock;
}
namespace cachewise::servers {
class LogTail;
}

namespace cachewise::services {

class ServerManager;

// One managed server as the window lists it.
struct ServerRow
{
    model::ServerProfile profile;
    model::ServerProcess process; // as it stands now (services::currentProcess)
    QString projectName;
    QString commandLine;
    std::optional<KvComparison> kv;          // the allocation it logged next to CacheWise's figure
    std::optional<model::ServerUsage> usage; // the latest reading, while it runs
};

// What the Models & servers page shows, read in one go.
struct ServersSnapshot
{
    QList<servers::ModelFile> models; // the stored scans
    QList<ServerRow> servers;
    QList<model::Project> projects; // a new server's project is one of these
    QStringList executables;        // llama-servers found on PATH and in the usual build folders
    LibraryFolders folders;         // what Scan reads
};

// A scan's outcome in numbers (the models themselves come with the next snapshot).
struct LibraryScanSummary
{
    int models = 0;
    int headersRead = 0;
    int problems = 0;
    QStringList missing;
};

} // namespace cachewise::services

Q_DECLARE_METATYPE(cachewise::services::ServersSnapshot)
Q_DECLARE_METATYPE(cachewise::services::LibraryScanSummary)
Q_DECLARE_METATYPE(cachewise::services::ServerApplyPlan)
Q_DECLARE_METATYPE(cachewise::services::FlagChange)
Q_DECLARE_METATYPE(cachewise::model::ServerProfile)

namespace cachewise::services {

// The model library and the managed llama-servers for the window: reads, scans and log reads on a thread
// of its own, writes through the Engine's writer, starts and stops through the ServerManager, and an apply
// or revert (a restart waited for, up to minutes) on a thread of its own while the manager holds off. Every
// call returns at once; results arrive as signals on the owner's thread.
class AsyncServers final : public QObject
{
    Q_OBJECT

public:
    // `manager` may be null (servers not managed in this run): then start, stop and apply are refused.
    AsyncServers(QString databasePath, QString dataDir, storage::Writes writes, ServerManager *manager,
                 const Clock &clock, QObject *parent = nullptr);
    ~AsyncServers() override;

    void load();
    // Scans the configured folders (scanned, then loaded).
    void scan();
    // Adds a folder to models.folders and scans.
    void addModelFolder(const QString &folder);
    void addServer(const model::ServerProfile &profile);
    void removeServer(const QString &profileId);
    void startServer(const QString &profileId);
    void stopServer(const QString &profileId);
    void restartServer(const QString &profileId);
    // The server's log: from its start (the rotated part too, at most the last 50,000 lines), or what was
    // added since the last read of that server.
    void readLog(const QString &profileId, bool fromStart);
    // What applying (or reverting) a recommendation on the project's managed server changes.
    void planApply(const QString &recommendationId, bool revert);
    // Restarts the server with the plan's flags and waits until it is ready (the old flags come back when
    // it does not become ready); one at a time.
    void apply(const cachewise::services::ServerApplyPlan &plan, bool revert);
    bool applying() const;

Q_SIGNALS:
    void loaded(const cachewise::services::ServersSnapshot &snapshot);
    void scanned(const cachewise::services::LibraryScanSummary &summary);
    void serverAdded(const cachewise::model::ServerProfile &profile);
    // field: what llama-server or the store refused ("context", "port", "model", …), or empty.
    void serverRefused(const QString &field, const QString &message);
    void serverRemoved(const QString &profileId);
    void logRead(const QString &profileId, bool fromStart,
                 const QList<cachewise::servers::LlamaLogLine> &lines);
    void applyPlanned(const cachewise::services::ServerApplyPlan &plan, bool revert);
    void applyRefused(const QString &recommendationId, const QString &message);
    void applyFinished(const QString &recommendationId, bool revert,
                       const cachewise::services::FlagChange &change);
    void applyFailed(const QString &recommendationId, bool revert, const QString &message);
    void failed(const QString &message);

private:
    void post(std::function<void(storage::Repository &)> work);

    QString m_path;
    QString m_dataDir;
    storage::Writes m_writes;
    QPointer<ServerManager> m_manager;
    const Clock &m_clock;
    QThread *m_thread;
    QObject *m_context;                                        // lives on m_thread
    std::unique_ptr<storage::Repository> m_repository;         // touched only on m_thread
    QHash<QString, std::shared_ptr<servers::LogTail>> m_tails; // touched only on m_thread
    QThread *m_applyThread = nullptr;
};

} // namespace cachewise::services
