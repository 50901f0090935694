// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/types.h"
#include "core/servers/supervisor.h"

#include <QString>
#include <QStringList>

namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

// Where a profile's server saves and erases slots (its --slot-save-path): inside the data folder.
QString slotSavePath(const QString &dataDir, const QString &profileId);
// The folder a profile's server runs in (its log and slots are inside).
QString serverFolder(const QString &dataDir, const QString &profileId);
// Its log file: the server's standard output and error.
QString serverLogFile(const QString &dataDir, const QString &profileId);
// How the supervisor runs a profile.
servers::LaunchSpec launchSpec(const model::ServerProfile &profile, const QString &dataDir);
// The whole command line a profile runs, as a shell would take it.
QString serverCommandLine(const model::ServerProfile &profile, const QString &dataDir);

// Adds a llama-server profile to a project: the model's header is read (an unreadable model is refused),
// a free loopback port is chosen when port is 0, everything llama-server would refuse is refused with
// every reason (BadInput, field of the first), and in one transaction the profile becomes the project's
// source (http://127.0.0.1:PORT) and its runtime follows the profile's flags, so the KV figures are the
// server's. Errors: NotFound (project), Conflict (the port or the source URL taken).
Result<model::ServerProfile> addServer(storage::Repository &repository, const model::ServerProfile &profile);

// What is recorded of a server's process at a state change.
model::ServerProcess processRecord(const QString &profileId, model::ServerState state, const QString &reason,
                                   const std::optional<servers::ProcessHandle> &process,
                                   std::optional<qint64> startedAtMs, qint64 nowMs);

// The recorded process as it stands now: a server recorded as running whose process is gone (it exited, or
// the machine restarted, with no CacheWise watching) is stopped, with that as the reason.
model::ServerProcess currentProcess(const model::ServerProcess &recorded);

// What applying a recommendation to the project's managed server changes: the flags before and after, as
// command lines, checked as a launch is.
struct ServerApplyPlan
{
    model::Recommendation recommendation;
    model::ServerProfile before;
    model::ServerProfile after;
    QString commandBefore;
    QString commandAfter;
};
// NotFound: no such recommendation, or the project has no server CacheWise launches (then copy the flags);
// Conflict: not pending; Unsupported: it changes no flag of llama-server; BadInput: llama-server would
// refuse the result (why).
Result<ServerApplyPlan> planServerApply(storage::Repository &repository, const QString &recommendationId,
                                        const QString &dataDir);
// Putting back the flags an applied recommendation changed on the project's managed server. NotFound: no
// such recommendation, or nothing it changed on a server CacheWise launches; Conflict: not applied.
Result<ServerApplyPlan> planServerRevert(storage::Repository &repository, const QString &recommendationId,
                                         const QString &dataDir);
// The profile with a runtime's KV settings (context, slots, unified, cache types, flash attention).
model::ServerProfile withRuntime(model::ServerProfile profile, const model::ProjectRuntime &runtime);

// The KV allocation a server logged next to what CacheWise computes for its flags: the computed line in
// llama-server's own format and how far apart the totals are (MiB; 0.00 when they agree to the printed
// hundredth). Empty when nothing was logged yet or the model cannot be read.
struct KvComparison
{
    QString measuredLine;
    QString computedLine;
    double differenceMiB = 0;
    bool differs = false;
};
std::optional<KvComparison> compareKvAllocation(const model::ServerProfile &profile);

// Traffic either side of a change (an apply, a revert) over equal windows: as long as has passed since it,
// at most `maxWindowMs`. Empty until `minWindowMs` has passed and each side holds `minSamples` samples that
// measured throughput or time to first token.
struct TrafficWindow
{
    qint64 samples = 0;
    std::optional<double> tokensPerSecond; // mean of what the samples measured
    std::optional<double> timeToFirstTokenMs;
};
struct TrafficComparison
{
    qint64 windowMs = 0;
    TrafficWindow before;
    TrafficWindow after;
};
Result<std::optional<TrafficComparison>>
compareTraffic(storage::Repository &repository, const QString &projectId, qint64 changeAtMs, qint64 nowMs,
               qint64 minWindowMs = 10 * 60'000, qint64 maxWindowMs = 60 * 60'000, qint64 minSamples = 10);
// The comparison in words for the action log ("Over 60 min before and after: tokens per second 41.2 → 55.0
// (+33.5 %), time to first token 820 → 610 ms (−25.6 %)").
QString describeTraffic(const TrafficComparison &comparison);
// Of a project's action log (newest first), the applies and reverts made on its server in the last day whose
// traffic has not been compared yet.
QList<model::ActionLogEntry> changesAwaitingTraffic(const QList<model::ActionLogEntry> &log, qint64 nowMs);

// Removes a profile and its source (the samples stay with the project). A server that runs is a
// Conflict: stop it first.
Result<void> removeServer(storage::Repository &repository, const QString &profileId);

} // namespace cachewise::services
