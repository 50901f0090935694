// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/servers/process.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/types.h>
#include <unistd.h>
#endif
#ifdef Q_OS_WIN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <memory>
#include <psapi.h>
#include <windows.h>
#endif

namespace cachewise::servers {
namespace {

#ifdef Q_OS_LINUX
// The fields of /proc/PID/stat after the command (which may hold spaces and parentheses), from field 3.
QList<QByteArray> statFields(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = stat.readAll();
    const qsizetype close = all.lastIndexOf(')');
    if (close < 0)
        return {};
    return all.mid(close + 2).split(' ');
}
#endif

#ifdef Q_OS_WIN
// Windows: a process handle, closed when it goes; null when the pid is gone or not ours to open.
struct HandleCloser
{
    void operator()(HANDLE handle) const
    {
        if (handle)
            ::CloseHandle(handle);
    }
};
using OpenedProcess = std::unique_ptr<void, HandleCloser>;

OpenedProcess openProcess(qint64 pid, DWORD access)
{
    return OpenedProcess(::OpenProcess(access, FALSE, DWORD(pid)));
}

quint64 fileTimeTicks(const FILETIME &time) // 100 ns units
{
    return (quint64(time.dwHighDateTime) << 32) | time.dwLowDateTime;
}

// The process's creation time, which tells a reused pid apart as /proc's start time does on Linux.
QString creationTime(HANDLE process)
{
    FILETIME created, exited, kernel, user;
    if (!::GetProcessTimes(process, &created, &exited, &kernel, &user))
        return {};
    return QString::number(fileTimeTicks(created));
}
#endif

} // namespace

Result<ProcessHandle> launchDetached(const QString &program, const QStringList &arguments,
                                     const QString &logFile, const QString &workingFolder)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setWorkingDirectory(workingFolder);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(logFile, QIODevice::Append);
    process.setStandardErrorFile(logFile, QIODevice::Append);
    qint64 pid = 0;
    if (!process.startDetached(&pid) || pid <= 0)
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("Cannot start %1: %2").arg(program, process.errorString()));
    return ProcessHandle{pid, processIdentity(pid)};
}

QString processIdentity(qint64 pid)
{
#ifdef Q_OS_LINUX
    const QList<QByteArray> fields = statFields(pid);
    // Field 22 (starttime) is the 20th after the command.
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
#elif defined(Q_OS_WIN)
    const OpenedProcess process = openProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION);
    return process ? creationTime(process.get()) : QString();
#else
    Q_UNUSED(pid)
    return {};
#endif
}

bool isRunning(const ProcessHandle &process)
{
    if (process.pid <= 0)
        return false;
#ifdef Q_OS_LINUX
    const QList<QByteArray> fields = statFields(process.pid);
    if (fields.size() < 20 || fields.at(0) == "Z" || fields.at(0) == "X")
        return false;
    return process.identity.isEmpty() || QString::fromLatin1(fields.at(19)) == process.identity;
#elif defined(Q_OS_UNIX)
    return ::kill(pid_t(process.pid), 0) == 0;
#elif defined(Q_OS_WIN)
    const OpenedProcess opened = openProcess(process.pid, PROCESS_QUERY_LIMITED_INFORMATION);
    DWORD code = 0;
    if (!opened || !::GetExitCodeProcess(opened.get(), &code) || code != STILL_ACTIVE)
        return false;
    return process.identity.isEmpty() || creationTime(opened.get()) == process.identity;
#else
    return false;
#endif
}

bool terminateProcess(const ProcessHandle &process)
{
#ifdef Q_OS_UNIX
    return isRunning(process) && ::kill(pid_t(process.pid), SIGTERM) == 0;
#elif defined(Q_OS_WIN)
    // A detached console program has no window to close and no console CacheWise shares: Windows offers no
    // clean stop from outside, so a stop ends it at once (llama-server keeps nothing that needs saving).
    return killProcess(process);
#else
    Q_UNUSED(process)
    return false;
#endif
}

bool killProcess(const ProcessHandle &process)
{
#ifdef Q_OS_UNIX
    return isRunning(process) && ::kill(pid_t(process.pid), SIGKILL) == 0;
#elif defined(Q_OS_WIN)
    if (!isRunning(process))
        return false;
    const OpenedProcess opened = openProcess(process.pid, PROCESS_TERMINATE);
    return opened && ::TerminateProcess(opened.get(), 1) != 0;
#else
    Q_UNUSED(process)
    return false;
#endif
}

std::optional<ProcessUsage> processUsage(const ProcessHandle &process)
{
#ifdef Q_OS_LINUX
    if (!isRunning(process))
        return std::nullopt;
    const QList<QByteArray> fields = statFields(process.pid);
    const long ticks = ::sysconf(_SC_CLK_TCK);
    const long page = ::sysconf(_SC_PAGESIZE);
    if (fields.size() < 22 || ticks <= 0 || page <= 0)
        return std::nullopt;
    // utime and stime are fields 14 and 15, rss field 24 (in pages).
    ProcessUsage usage;
    usage.cpuMs = (fields.at(11).toLongLong() + fields.at(12).toLongLong()) * 1000 / ticks;
    usage.residentBytes = fields.at(21).toLongLong() * page;
    return usage;
#elif defined(Q_OS_WIN)
    if (!isRunning(process))
        return std::nullopt;
    const OpenedProcess opened =
        openProcess(process.pid, PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ);
    FILETIME created, exited, kernel, user;
    PROCESS_MEMORY_COUNTERS memory{};
    if (!opened || !::GetProcessTimes(opened.get(), &created, &exited, &kernel, &user) ||
        !::K32GetProcessMemoryInfo(opened.get(), &memory, sizeof(memory)))
        return std::nullopt;
    ProcessUsage usage;
    usage.cpuMs = qint64((fileTimeTicks(kernel) + fileTimeTicks(user)) / 10'000);
    usage.residentBytes = qint64(memory.WorkingSetSize);
    return usage;
#else
    Q_UNUSED(process)
    return std::nullopt;
#endif
}

QList<QByteArray> LogTail::readNew()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    if (file.size() < m_offset) { // rotated: what is there now is new
        m_offset = 0;
        m_partial.clear();
    }
    if (!file.seek(m_offset))
        return {};
    const QByteArray added = file.read(8 << 20);
    m_offset += added.size();
    m_partial += added;
    QList<QByteArray> lines;
    qsizetype start = 0;
    for (qsizetype nl = m_partial.indexOf('\n'); nl >= 0; nl = m_partial.indexOf('\n', start)) {
        lines << m_partial.mid(start, nl - start);
        start = nl + 1;
    }
    m_partial.remove(0, start);
    return lines;
}

bool rotateLog(const QString &path, qint64 maxBytes)
{
    if (QFileInfo(path).size() <= maxBytes)
        return false;
    const QString previous = path + QStringLiteral(".1");
    QFile::remove(previous);
    if (!QFile::copy(path, previous))
        return false;
    // The server writes with O_APPEND: after the cut its next line starts the file again.
    QFile file(path);
    return file.resize(0);
}

QList<LlamaLogLine> readServerLog(const QString &path, int maxLines)
{
    QList<QByteArray> raw;
    for (const QString &part : QStringList{path + QStringLiteral(".1"), path}) {
        QFile file(part);
        if (file.open(QIODevice::ReadOnly))
            raw += file.readAll().split('\n');
        if (!raw.isEmpty() && raw.last().isEmpty())
            raw.removeLast();
    }
    if (raw.size() > maxLines)
        raw = raw.mid(raw.size() - maxLines);
    QList<LlamaLogLine> lines;
    lines.reserve(raw.size());
    for (const QByteArray &line : raw)
        lines << parseLlamaLogLine(line);
    return lines;
}

} // namespace cachewise::servers
