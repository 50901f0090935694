// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/eventlog.h"

#include <QDateTime>
#include <QMutex>

#include <deque>

namespace cachewise {
namespace {

struct EventLog
{
    QMutex mutex;
    std::deque<EventLogEntry> entries;
    quint64 next = 1;
    QtMessageHandler previous = nullptr;
};

EventLog &eventLog()
{
    static EventLog log;
    return log;
}

EventLogEntry::Level levelOf(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return EventLogEntry::Level::Debug;
    case QtInfoMsg: return EventLogEntry::Level::Info;
    case QtWarningMsg: return EventLogEntry::Level::Warning;
    case QtCriticalMsg: return EventLogEntry::Level::Error;
    case QtFatalMsg: return EventLogEntry::Level::Fatal;
    }
    return EventLogEntry::Level::Info;
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    appendEventLog(levelOf(type), QString::fromUtf8(context.category ? context.category : "default"),
                   message);
    if (QtMessageHandler previous = eventLog().previous)
        previous(type, context, message);
}

} // namespace

void installEventLog()
{
    EventLog &log = eventLog();
    const QMutexLocker lock(&log.mutex);
    if (!log.previous)
        log.previous = qInstallMessageHandler(handleMessage);
}

void appendEventLog(EventLogEntry::Level level, const QString &category, const QString &message)
{
    EventLogEntry entry;
    entry.timestampMs = QDateTime::currentMSecsSinceEpoch();
    entry.level = level;
    entry.category = category;
    entry.message = message;
    EventLog &log = eventLog();
    const QMutexLocker lock(&log.mutex);
    entry.sequence = log.next++;
    log.entries.push_back(std::move(entry));
    while (log.entries.size() > size_t(kEventLogCapacity))
        log.entries.pop_front();
}

QList<EventLogEntry> eventLogSince(quint64 afterSequence)
{
    EventLog &log = eventLog();
    const QMutexLocker lock(&log.mutex);
    QList<EventLogEntry> out;
    // Entries are in sequence order: skip the old ones from the back.
    auto it = log.entries.end();
    while (it != log.entries.begin() && std::prev(it)->sequence > afterSequence)
        --it;
    for (; it != log.entries.end(); ++it)
        out.append(*it);
    return out;
}

QString eventLevelName(EventLogEntry::Level level)
{
    static const char *const names[] = {"debug", "info", "warning", "error", "fatal"};
    return QString::fromLatin1(names[int(level)]);
}

} // namespace cachewise
