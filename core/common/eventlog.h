// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace cachewise {

// CacheWise's own log lines (every logging category's), kept in memory so the window can show them: the
// last kEventLogCapacity, each with its time and level. Installed once by the executable; what was printed
// before still goes to standard error as before.
struct EventLogEntry
{
    enum class Level
    {
        Debug,
        Info,
        Warning,
        Error, // qCritical
        Fatal,
    };
    quint64 sequence = 0; // counts every entry since start, so a reader asks only for newer ones
    qint64 timestampMs = 0;
    Level level = Level::Info;
    QString category;
    QString message;
};

inline constexpr int kEventLogCapacity = 10'000;

// Chains a message handler in front of Qt's (or whoever's was installed before).
void installEventLog();
// Entries newer than `afterSequence`, oldest first (at most kEventLogCapacity). Thread-safe.
QList<EventLogEntry> eventLogSince(quint64 afterSequence);
// Adds an entry as the handler would (for a test, or a message that has no category).
void appendEventLog(EventLogEntry::Level level, const QString &category, const QString &message);
QString eventLevelName(EventLogEntry::Level level); // "debug" … "fatal"

} // namespace cachewise
