// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/servercontrol.h"

#include "core/analysis/kvmodel.h"
#include "core/common/clock.h"
#include "core/servers/profile.h"
#include "core/servers/supervisor.h"
#include "core/services/managedservers.h"
#include "core/services/runtimes.h"
#include "core/storage/repository.h"

#include <QEventLoop>
#include <QThread>
#include <QTimer>

namespace cachewise::services {
namespace {

// Runs the event loop until the supervisor reaches one of `states` (or `timeoutMs` passes, when given).
void waitFor(servers::ServerSupervisor &supervisor, std::initializer_list<model::ServerState> states,
             qint64 timeoutMs = -1)
{
    const auto reached = [&] {
        return std::find(states.begin(), states.end(), supervisor.state()) != states.end();
    };
    if (reached())
        return;
    QEventLoop loop;
    QObject::connect(&supervisor, &servers::ServerSupervisor::stateChanged, &loop, [&] {
        if (reached())
            loop.quit();
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    if (timeoutMs >= 0)
        timeout.start(int(timeoutMs));
    loop.exec();
}

QString mibOfLine(const QString &kvLine)
{
    const auto parsed = analysis::parseLlamaKvLine(kvLine);
    return parsed ? QStringLiteral("%1 MiB").arg(parsed->totalMiB, 0, 'f', 2) : QStringLiteral("unknown");
}

} // namespace

ServerControl::ServerControl(storage::Repository &reads, storage::Writes writes, QString dataDir,
                             const Clock &clock)
    : m_reads(reads), m_writes(std::move(writes)), m_dataDir(std::move(dataDir)), m_clock(clock)
{}

Result<void> ServerControl::record(const QString &profileId, model::ServerState state, const QString &reason,
                                   const std::optional<servers::ProcessHandle> &process,
                                   std::optional<qint64> startedAtMs)
{
    const model::ServerProcess p =
        processRecord(profileId, state, reason, process, startedAtMs, m_clock.nowMs());
    return storage::writeThrough(m_writes, [&](storage::Repository &repo) -> Result<void> {
        if (auto r = repo.servers().recordProcess(p); !r)
            return r.error();
        return {};
    });
}

Result<void> ServerControl::logAction(const model::ServerProfile &profile, const QString &rule,
                                      const char *type, model::ActionStatus status, const QString &details)
{
    model::ActionLogEntry entry;
    entry.projectId = profile.projectId;
    entry.actionType = QLatin1String(type);
    entry.status = status;
    entry.rule = rule;
    entry.details = details;
    return storage::writeThrough(m_writes, [&](storage::Repository &repo) -> Result<void> {
        if (auto r = repo.actions().add(entry); !r)
            return r.error();
        return {};
    });
}

Result<std::optional<servers::ProcessHandle>> ServerControl::running(const QString &profileId)
{
    auto process = m_reads.servers().process(profileId);
    if (!process)
        return process.error();
    if (!process->has_value() || !(*process)->pid)
        return std::optional<servers::ProcessHandle>();
    const servers::ProcessHandle handle{*(*process)->pid, (*process)->processIdentity};
    return servers::isRunning(handle) ? std::optional(handle) : std::nullopt;
}

Result<void> ServerControl::stop(const model::ServerProfile &profile, qint64 timeoutMs)
{
    auto running = this->running(profile.id);
    if (!running)
        return running.error();
    if (*running) {
        servers::SupervisorTimings timings;
        timings.stopTimeoutMs = int(timeoutMs);
        servers::ServerSupervisor supervisor(launchSpec(profile, m_dataDir), timings);
        if (supervisor.adopt(**running)) {
            // Said before the signal: an app watching it takes the exit for a stop, not a crash.
            if (auto r = record(profile.id, model::ServerState::Stopping, {}, *running, std::nullopt); !r)
                return r;
            supervisor.stop();
            waitFor(supervisor, {model::ServerState::Stopped});
        }
    }
    return record(profile.id, model::ServerState::Stopped, {}, std::nullopt, std::nullopt);
}

Launch ServerControl::launch(const model::ServerProfile &profile, qint64 timeoutMs, bool keepLoading,
                             const std::function<void(model::ServerState)> &progress)
{
    servers::ServerSupervisor supervisor(launchSpec(profile, m_dataDir));
    if (progress)
        QObject::connect(&supervisor, &servers::ServerSupervisor::stateChanged, &supervisor, progress);
    const qint64 startedAt = m_clock.nowMs();
    if (supervisor.start())
        waitFor(supervisor,
                {model::ServerState::Ready, model::ServerState::Crashed, model::ServerState::GaveUp},
                timeoutMs);
    Launch launch;
    launch.state = supervisor.state();
    launch.ready = launch.state == model::ServerState::Ready;
    launch.kvLine = supervisor.kvAllocationLine();
    if (!launch.kvLine.isEmpty())
        (void)storage::writeThrough(m_writes, [&](storage::Repository &repo) -> Result<void> {
            if (auto r = repo.servers().recordMeasuredKv(profile.id, launch.kvLine, m_clock.nowMs()); !r)
                return r.error();
            return {};
        });
    const bool loading =
        launch.state == model::ServerState::Starting || launch.state == model::ServerState::Loading;
    if (launch.ready || (loading && keepLoading)) {
        launch.process = supervisor.process();
        (void)record(profile.id, launch.state, {}, launch.process, startedAt);
        return launch;
    }
    launch.reason = supervisor.reason().isEmpty()
                        ? QStringLiteral("not ready after %1 s").arg(timeoutMs / 1000)
                        : supervisor.reason();
    supervisor.stop(); // not left behind, and not restarted from here: the app restarts crashed servers
    waitFor(supervisor, {model::ServerState::Stopped});
    (void)record(profile.id, model::ServerState::Crashed, launch.reason, std::nullopt, std::nullopt);
    return launch;
}

Result<FlagChange> ServerControl::changeFlags(const model::ServerProfile &before,
                                              const model::ServerProfile &after,
                                              const model::Recommendation &recommendation, bool revert,
                                              qint64 timeoutMs)
{
    auto running = this->running(before.id);
    if (!running)
        return running.error();
    FlagChange change;
    change.restarted = running->has_value();
    if (const auto used = *running ? servers::processUsage(**running) : std::nullopt)
        change.residentBefore = used->residentBytes;
    const auto update = [this](const model::ServerProfile &p) {
        return storage::writeThrough(m_writes, [&](storage::Repository &repo) -> Result<void> {
            if (auto r = repo.servers().update(p); !r)
                return r.error();
            return {};
        });
    };
    if (auto stored = update(after); !stored)
        return stored.error();
    Launch launched;
    if (*running) {
        if (auto stopped = stop(before, 10'000); !stopped)
            return stopped.error();
        launched = launch(after, timeoutMs);
        if (!launched.ready) {
            // The old flags again, and the server as it was.
            (void)update(before);
            const Launch back = launch(before, timeoutMs);
            const QString again = back.ready ? QStringLiteral(" and it runs again")
                                             : QStringLiteral(" (it did not start either)");
            (void)logAction(
                before, recommendation.rule, "server_apply_failed", model::ActionStatus::Failed,
                QStringLiteral("llama-server did not start with %1; the previous flags were restored%2. "
                               "Its last lines:\n%3")
                    .arg(servers::kvFlags(after).join(QLatin1Char(' ')), again, launched.reason));
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral("llama-server did not start with the new flags; the previous ones are "
                               "back%1:\n%2")
                    .arg(back.ready ? again : QString(), launched.reason));
        }
    }
    auto marked = storage::writeThrough(m_writes, [&](storage::Repository &repo) {
        return revert ? undoRecommendation(repo, recommendation.id)
                      : markRecommendationApplied(repo, recommendation.id);
    });
    if (!marked)
        return marked.error();
    // The measured effect: the allocation from the log lines, the resident memory a moment after ready.
    QStringList effect;
    if (*running) {
        change.kvBefore = before.measuredKvLine;
        change.kvAfter = launched.kvLine;
        effect << QStringLiteral("KV allocation %1 → %2")
                      .arg(mibOfLine(change.kvBefore), mibOfLine(change.kvAfter));
        QThread::msleep(1000);
        if (const auto used = launched.process ? servers::processUsage(*launched.process) : std::nullopt)
            change.residentAfter = used->residentBytes;
        if (change.residentBefore && change.residentAfter)
            effect << QStringLiteral("resident memory %1 MiB → %2 MiB")
                          .arg(double(*change.residentBefore) / 1048576.0, 0, 'f', 1)
                          .arg(double(*change.residentAfter) / 1048576.0, 0, 'f', 1);
    } else {
        effect << QStringLiteral("the server was not running: the flags take effect at its next start");
    }
    change.effect = effect.join(QStringLiteral("; "));
    if (auto logged = logAction(before, recommendation.rule, revert ? "server_reverted" : "server_applied",
                                model::ActionStatus::Success,
                                QStringLiteral("%1 → %2: %3")
                                    .arg(servers::kvFlags(before).join(QLatin1Char(' ')),
                                         servers::kvFlags(after).join(QLatin1Char(' ')), change.effect));
        !logged)
        return logged.error();
    return change;
}

} // namespace cachewise::services
