// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/types.h"
#include "core/servers/process.h"
#include "core/storage/writes.h"

#include <QString>

#include <functional>
#include <optional>

namespace cachewise {
class Clock;
}
namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

// A server started and waited for: ready, or why not (its last error lines).
struct Launch
{
    model::ServerState state = model::ServerState::Stopped; // where it stood when the wait ended
    bool ready = false;
    QString reason;
    QString kvLine; // the allocation it logged, when it got that far
    std::optional<servers::ProcessHandle> process;
};

// What changing a running server's flags measured.
struct FlagChange
{
    bool restarted = false; // false: it was not running, the flags wait for its next start
    QString kvBefore;
    QString kvAfter;
    std::optional<qint64> residentBefore;
    std::optional<qint64> residentAfter;
    QString effect; // in words, as the action log has it
};

// Starting, stopping and re-flagging one server and waiting for the outcome (a nested event loop: for the
// CLI, and for a thread of its own). Reads through `reads`, records through `writes` (the app's writer, or
// the CLI's repository).
class ServerControl
{
public:
    ServerControl(storage::Repository &reads, storage::Writes writes, QString dataDir, const Clock &clock);

    // The process the profile's last start left, when it still runs.
    Result<std::optional<servers::ProcessHandle>> running(const QString &profileId);
    // Stops it if it runs (SIGTERM, SIGKILL after the timeout), saying so first in the database so that an
    // app watching it takes the exit for a stop; recorded stopped.
    Result<void> stop(const model::ServerProfile &profile, qint64 timeoutMs);
    // Starts it and waits until ready; one that dies is recorded crashed with the reason. One still loading
    // when the time is up is stopped (and recorded crashed) unless `keepLoading`: then it is left to load,
    // recorded as it stands. `progress` hears each state on the way.
    Launch launch(const model::ServerProfile &profile, qint64 timeoutMs, bool keepLoading = false,
                  const std::function<void(model::ServerState)> &progress = {});
    // The profile takes `after`'s flags; a running server restarts with them and must become ready, else
    // the previous flags and the previous server come back and the failure is logged with its last lines
    // (an Unavailable error saying so). Then the recommendation is marked applied (or undone, `revert`) and
    // the measured effect logged: the KV allocation from the log lines, the resident memory.
    Result<FlagChange> changeFlags(const model::ServerProfile &before, const model::ServerProfile &after,
                                   const model::Recommendation &recommendation, bool revert,
                                   qint64 timeoutMs);

    // Records the process's state (and pid when it runs).
    Result<void> record(const QString &profileId, model::ServerState state, const QString &reason,
                        const std::optional<servers::ProcessHandle> &process,
                        std::optional<qint64> startedAtMs);

private:
    Result<void> logAction(const model::ServerProfile &profile, const QString &rule, const char *type,
                           model::ActionStatus status, const QString &details);

    storage::Repository &m_reads;
    storage::Writes m_writes;
    QString m_dataDir;
    const Clock &m_clock;
};

} // namespace cachewise::services
