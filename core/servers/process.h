// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/servers/llamalog.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise::servers {

// A process CacheWise started, as it can be found again by a later CacheWise: its pid and what the system
// says of that pid's start (so a pid reused by another program is not taken for it).
struct ProcessHandle
{
    qint64 pid = 0;
    QString identity; // Linux: /proc/PID/stat's start time; elsewhere empty (the pid alone)
};

// Starts `program` detached from CacheWise (it keeps running when CacheWise quits), in `workingFolder`, its
// standard output and error appended to `logFile`.
Result<ProcessHandle> launchDetached(const QString &program, const QStringList &arguments,
                                     const QString &logFile, const QString &workingFolder);
// What the system says of the pid now; empty when there is no such process.
QString processIdentity(qint64 pid);
// The process still runs and is the one that was started (a zombie counts as gone).
bool isRunning(const ProcessHandle &process);
// SIGTERM (stop cleanly) or SIGKILL (Windows: TerminateProcess for both, as it has no clean stop from
// outside for a detached console program); false when the process is gone or not ours.
bool terminateProcess(const ProcessHandle &process);
bool killProcess(const ProcessHandle &process);

// Resident memory (bytes) and CPU time used so far (ms, user + system) of a running process; empty when
// the system does not tell (not Linux) or the process is gone.
struct ProcessUsage
{
    qint64 residentBytes = 0;
    qint64 cpuMs = 0;
};
std::optional<ProcessUsage> processUsage(const ProcessHandle &process);

// Reads a log file as it grows: each call returns the complete lines added since the last (a partial last
// line waits for its end). A file cut shorter (rotated) is read again from its start.
class LogTail
{
public:
    explicit LogTail(QString path, qint64 offset = 0) : m_path(std::move(path)), m_offset(offset) {}
    QList<QByteArray> readNew();
    qint64 offset() const { return m_offset; }
    const QString &path() const { return m_path; }

private:
    QString m_path;
    qint64 m_offset = 0;
    QByteArray m_partial;
};

// A server's log as kept on disk: `path`, and `path`.1 holding what came before it once it grew past
// `maxBytes` (then it starts again empty). Returns true when it rotated.
bool rotateLog(const QString &path, qint64 maxBytes);
// The last `maxLines` lines of a server's log (the rotated part first), parsed.
QList<LlamaLogLine> readServerLog(const QString &path, int maxLines);

} // namespace cachewise::servers
