// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/servermanager.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/servers/gpu.h"
#include "core/services/managedservers.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QEventLoop>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QTimer>

#include <memory>

namespace cachewise::services {

class ServerWorker final : public QObject
{
    Q_OBJECT

public:
    ServerWorker(QString databasePath, QString dataDir, storage::MetricWriter &writer, const Clock &clock,
                 servers::SupervisorTimings timings)
        : m_path(std::move(databasePath)), m_dataDir(std::move(dataDir)), m_writer(writer), m_clock(clock),
          m_timings(timings), m_repository(clock)
    {}

    void sampleUsage()
    {
        const qint64 now = m_clock.nowMs();
        QList<std::pair<QString, servers::ProcessHandle>> running;
        for (auto it = m_supervisors.cbegin(); it != m_supervisors.cend(); ++it) {
            if (const auto process = it.value()->process())
                running.append({it.key(), *process});
        }
        if (running.isEmpty())
            return;
        // nvidia-smi is asked only where there is one (looked for again every ten minutes).
        QHash<qint64, qint64> gpu;
        bool gpuKnown = false;
        if (!m_noGpuUntil || now >= *m_noGpuUntil) {
            const auto read = servers::readNvidiaGpuMemory();
            if (read) {
                gpu = read.value();
                gpuKnown = true;
                m_noGpuUntil.reset();
            } else {
                m_noGpuUntil = now + 600'000;
            }
        }
        for (const auto &[id, process] : running) {
            const auto used = servers::processUsage(process);
            if (!used)
                continue;
            const auto previous = m_lastCpu.value(id);
            m_lastCpu.insert(id, {now, used->cpuMs, process.pid});
            if (previous.atMs == 0 || previous.pid != process.pid || now <= previous.atMs)
                continue; // CPU % needs two readings of the same process
            model::ServerUsage usage;
            usage.timestampMs = now;
            usage.residentBytes = used->residentBytes;
            usage.cpuPercent = double(std::max<qint64>(0, used->cpuMs - previous.cpuMs)) * 100.0 /
                               double(now - previous.atMs);
            if (gpuKnown)
                usage.gpuBytes = gpu.value(process.pid, 0);
            const auto written = m_writer.write([&](storage::Repository &repo) -> Result<void> {
                return repo.servers().recordUsage(id, usage, kUsageKeptMs);
            });
            if (!written)
                qCWarning(lcServices) << "servers: cannot record usage:" << written.errorMessage();
        }
    }

    // An apply or revert on a managed server, once as much traffic has passed after it as the window
    // before: tokens per second and time to first token before and after, into the action log.
    void compareTraffic()
    {
        if (!m_repository.isOpen())
            return;
        QSet<QString> projects;
        for (const model::ServerProfile &p : std::as_const(m_profiles))
            projects.insert(p.projectId);
        const qint64 now = m_clock.nowMs();
        for (const QString &projectId : std::as_const(projects)) {
            const auto log = m_repository.actions().list(projectId, 200);
            if (!log)
                continue;
            for (const model::ActionLogEntry &change : changesAwaitingTraffic(log.value(), now)) {
                const auto compared =
                    services::compareTraffic(m_repository, projectId, change.timestampMs, now);
                if (!compared || !compared.value())
                    continue;
                model::ActionLogEntry entry;
                entry.projectId = projectId;
                entry.actionType = QStringLiteral("server_traffic_compared");
                entry.status = model::ActionStatus::Success;
                entry.rule = change.rule;
                entry.details = describeTraffic(*compared.value());
                entry.directive = QJsonDocument(QJsonObject{{QStringLiteral("change"), change.id}})
                                      .toJson(QJsonDocument::Compact);
                const auto written = m_writer.write([&](storage::Repository &repo) -> Result<void> {
                    if (auto r = repo.actions().add(entry); !r)
                        return r.error();
                    return {};
                });
                if (!written)
                    qCWarning(lcServices)
                        << "servers: cannot log the traffic comparison:" << written.errorMessage();
            }
        }
    }

    void reload()
    {
        if (!m_usageTimer) {
            m_usageTimer = new QTimer(this);
            connect(m_usageTimer, &QTimer::timeout, this, &ServerWorker::sampleUsage);
            m_usageTimer->start(kUsageIntervalMs);
            auto *traffic = new QTimer(this);
            connect(traffic, &QTimer::timeout, this, &ServerWorker::compareTraffic);
            traffic->start(60'000);
        }
        if (!m_repository.isOpen()) {
            if (auto opened = m_repository.open(m_path); !opened) {
                qCWarning(lcServices) << "servers: cannot open the database:" << opened.errorMessage();
                return;
            }
        }
        auto profiles = m_repository.servers().list();
        auto processes = m_repository.servers().processes();
        if (!profiles || !processes) {
            qCWarning(lcServices) << "servers: cannot read the profiles";
            return;
        }
        QHash<QString, model::ServerProcess> recorded;
        for (const model::ServerProcess &p : processes.value())
            recorded.insert(p.profileId, p);
        QSet<QString> present;
        for (const model::ServerProfile &profile : profiles.value()) {
            if (m_held.contains(profile.id))
                continue;
            present.insert(profile.id);
            m_profiles.insert(profile.id, profile);
            auto it = m_supervisors.find(profile.id);
            if (it == m_supervisors.end()) {
                it = m_supervisors.insert(profile.id, supervise(profile));
            } else {
                it.value()->setSpec(launchSpec(profile, m_dataDir));
            }
            // One that runs and is not watched yet (the CLI started it, or an earlier CacheWise left it).
            servers::ServerSupervisor &s = *it.value();
            const model::ServerProcess p = recorded.value(profile.id);
            const bool watched = s.process().has_value();
            if (!watched && p.pid && s.adopt(servers::ProcessHandle{*p.pid, p.processIdentity}))
                qCInfo(lcServices) << "servers: took over" << profile.id << "pid" << *p.pid;
        }
        for (auto it = m_supervisors.begin(); it != m_supervisors.end();) {
            if (!present.contains(it.key())) {
                it.value()->deleteLater();
                m_profiles.remove(it.key());
                it = m_supervisors.erase(it);
            } else {
                ++it;
            }
        }
    }

    void hold(const QString &id)
    {
        m_held.insert(id);
        if (servers::ServerSupervisor *s = m_supervisors.take(id)) {
            disconnect(s, nullptr, this, nullptr);
            s->deleteLater(); // leaves the process running
        }
        m_lastRecorded.remove(id);
        m_lastCpu.remove(id);
    }

    void release(const QString &id)
    {
        m_held.remove(id);
        reload();
    }

    void startServer(const QString &id)
    {
        if (servers::ServerSupervisor *s = m_supervisors.value(id))
            s->start();
    }

    void stopServer(const QString &id)
    {
        if (servers::ServerSupervisor *s = m_supervisors.value(id))
            s->stop();
    }

    void restartServer(const QString &id)
    {
        servers::ServerSupervisor *s = m_supervisors.value(id);
        if (!s)
            return;
        if (!s->process()) {
            s->start();
            return;
        }
        // Started again once it has stopped.
        auto once = std::make_shared<QMetaObject::Connection>();
        *once =
            connect(s, &servers::ServerSupervisor::stateChanged, this, [s, once](model::ServerState state) {
                if (state == model::ServerState::Stopped) {
                    disconnect(*once);
                    s->start();
                }
            });
        s->stop();
    }

    void shutdown()
    {
        const auto stopOnQuit = m_repository.isOpen()
                                    ? m_repository.settings().integer(storage::setting::ServersStopOnQuit)
                                    : Result<qint64>(qint64(1));
        if (stopOnQuit && stopOnQuit.value() == 0) {
            qCInfo(lcServices) << "servers: left running (servers.stopOnQuit is 0)";
            return;
        }
        QList<servers::ServerSupervisor *> running;
        for (servers::ServerSupervisor *s : std::as_const(m_supervisors)) {
            if (s->process()) {
                running << s;
                s->stop();
            }
        }
        QEventLoop loop;
        const auto allStopped = [&running] {
            return std::all_of(running.begin(), running.end(), [](servers::ServerSupervisor *s) {
                return s->state() == model::ServerState::Stopped;
            });
        };
        for (servers::ServerSupervisor *s : std::as_const(running))
            connect(s, &servers::ServerSupervisor::stateChanged, &loop, [&] {
                if (allStopped())
                    loop.quit();
            });
        QTimer::singleShot(m_timings.stopTimeoutMs + 5000, &loop, &QEventLoop::quit);
        if (!allStopped())
            loop.exec();
    }

Q_SIGNALS:
    void stateChanged(const QString &profileId, model::ServerState state, const QString &reason);
    void gaveUp(const QString &projectId, const QString &profileId, const QString &lastLines);

private:
    servers::ServerSupervisor *supervise(const model::ServerProfile &profile)
    {
        auto *s = new servers::ServerSupervisor(launchSpec(profile, m_dataDir), m_timings, this);
        const QString id = profile.id;
        connect(s, &servers::ServerSupervisor::stateChanged, this,
                [this, s, id](model::ServerState state, const QString &reason) {
                    if (state == model::ServerState::Crashed && stoppedElsewhere(id)) {
                        // Another process (the CLI) stopped it: an exit it asked for, not a crash.
                        qCInfo(lcServices) << "servers:" << id << "was stopped by another process";
                        s->stop();
                        return;
                    }
                    record(id, state, reason, s->process());
                    Q_EMIT stateChanged(id, state, reason);
                });
        connect(s, &servers::ServerSupervisor::kvAllocationLogged, this, [this, id](const QString &line) {
            const qint64 now = m_clock.nowMs();
            const auto written = m_writer.write([&](storage::Repository &repo) -> Result<void> {
                if (auto r = repo.servers().recordMeasuredKv(id, line, now); !r)
                    return r.error();
                return {};
            });
            if (!written)
                qCWarning(lcServices)
                    << "servers: cannot record the KV allocation:" << written.errorMessage();
        });
        connect(s, &servers::ServerSupervisor::gaveUp, this, [this, id](const QString &lines) {
            const QString projectId = m_profiles.value(id).projectId;
            model::ActionLogEntry entry;
            entry.projectId = projectId;
            entry.actionType = QStringLiteral("server_gave_up");
            entry.status = model::ActionStatus::Alert;
            entry.rule = QStringLiteral("server");
            entry.details = QStringLiteral("llama-server crashed %1 times in %2 minutes and is no longer "
                                           "restarted. Its last lines:\n%3")
                                .arg(m_timings.maxCrashes)
                                .arg(m_timings.crashWindowMs / 60'000)
                                .arg(lines);
            const auto written = m_writer.write([&](storage::Repository &repo) -> Result<void> {
                if (auto r = repo.actions().add(entry); !r)
                    return r.error();
                return {};
            });
            if (!written)
                qCWarning(lcServices) << "servers: cannot log the alert:" << written.errorMessage();
            Q_EMIT gaveUp(projectId, id, lines);
        });
        return s;
    }

    // The database says stopping or stopped, and this process did not write it: the CLI records that before
    // it sends SIGTERM.
    bool stoppedElsewhere(const QString &id)
    {
        if (!m_repository.isOpen())
            return false;
        const auto recorded = m_repository.servers().process(id);
        if (!recorded || !recorded->has_value())
            return false;
        const model::ServerState state = (*recorded)->state;
        return (state == model::ServerState::Stopping || state == model::ServerState::Stopped) &&
               m_lastRecorded.value(id, model::ServerState::Starting) != state;
    }

    void record(const QString &id, model::ServerState state, const QString &reason,
                const std::optional<servers::ProcessHandle> &process)
    {
        m_lastRecorded.insert(id, state);
        const qint64 now = m_clock.nowMs();
        if (state == model::ServerState::Starting)
            m_startedAt.insert(id, now);
        const model::ServerProcess p =
            processRecord(id, state, reason, process, m_startedAt.value(id, now), now);
        const auto written = m_writer.write([&](storage::Repository &repo) -> Result<void> {
            if (auto r = repo.servers().recordProcess(p); !r)
                return r.error();
            return {};
        });
        if (!written)
            qCWarning(lcServices) << "servers: cannot record the state:" << written.errorMessage();
    }

    QString m_path;
    QString m_dataDir;
    storage::MetricWriter &m_writer;
    const Clock &m_clock;
    servers::SupervisorTimings m_timings;
    storage::Repository m_repository; // reads only; writes go through the writer
    QHash<QString, servers::ServerSupervisor *> m_supervisors;
    QSet<QString> m_held; // watched by someone else for now (hold)
    QHash<QString, model::ServerProfile> m_profiles;
    QHash<QString, qint64> m_startedAt;
    QHash<QString, model::ServerState> m_lastRecorded; // what this process last wrote of each server
    static constexpr int kUsageIntervalMs = 5000;
    static constexpr qint64 kUsageKeptMs = qint64(7) * 24 * 3600 * 1000;
    struct CpuReading
    {
        qint64 atMs = 0;
        qint64 cpuMs = 0;
        qint64 pid = 0;
    };
    QHash<QString, CpuReading> m_lastCpu;
    std::optional<qint64> m_noGpuUntil;
    QTimer *m_usageTimer = nullptr;
};

ServerManager::ServerManager(const QString &databasePath, const QString &dataDir,
                             storage::MetricWriter &writer, const Clock &clock,
                             servers::SupervisorTimings timings, QObject *parent)
    : QObject(parent), m_thread(new QThread),
      m_worker(new ServerWorker(databasePath, dataDir, writer, clock, timings))
{
    m_thread->setObjectName(QStringLiteral("cachewise-servers"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ServerWorker::stateChanged, this, &ServerManager::serverStateChanged);
    connect(m_worker, &ServerWorker::gaveUp, this, &ServerManager::serverGaveUp);
    m_thread->start();
}

ServerManager::~ServerManager()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void ServerManager::start()
{
    QMetaObject::invokeMethod(m_worker, &ServerWorker::reload);
}

void ServerManager::reload()
{
    QMetaObject::invokeMethod(m_worker, &ServerWorker::reload);
}

void ServerManager::startServer(const QString &profileId)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, profileId] { worker->startServer(profileId); });
}

void ServerManager::stopServer(const QString &profileId)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, profileId] { worker->stopServer(profileId); });
}

void ServerManager::restartServer(const QString &profileId)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, profileId] { worker->restartServer(profileId); });
}

void ServerManager::hold(const QString &profileId)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, profileId] { worker->hold(profileId); }, Qt::BlockingQueuedConnection);
}

void ServerManager::release(const QString &profileId)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, profileId] { worker->release(profileId); });
}

void ServerManager::shutdown()
{
    QMetaObject::invokeMethod(m_worker, &ServerWorker::shutdown, Qt::BlockingQueuedConnection);
}

} // namespace cachewise::services

#include "servermanager.moc"
