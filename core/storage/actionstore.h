// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/database.h"
#include "core/storage/types.h"

#include <QList>
#include <QString>

#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// Automation: each project's limits and the log of what it did (with the directives' acknowledgements).
class ActionStore
{
public:
    ActionStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock) {}

    // Defaults when never saved. Saving validates: 0 < maxCachePercent <= 100,
    // 0 <= maxLatencyIncreasePercent <= 1000, 0 <= hysteresisPercent <= 50, 0 <= cooldownSeconds <= 86400,
    // webhookUrl empty or http(s); a bad input names its field.
    Result<AutomationSettings> automation(const QString &projectId);
    Result<AutomationSettings> setAutomation(const QString &projectId, const AutomationSettings &settings);

    // The newest first.
    Result<QList<ActionLogEntry>> list(const QString &projectId, int limit);
    Result<ActionLogEntry> add(const ActionLogEntry &entry); // id and time filled in when empty
    Result<std::optional<ActionLogEntry>> get(const QString &actionId);
    // Records a client's acknowledgement of a pending directive: outcome "success" or "failed".
    // Errors: NotFound, Conflict (not pending any more), bad input on field "outcome".
    Result<ActionLogEntry> acknowledge(const QString &projectId, const QString &actionId,
                                       const QString &outcome, const QString &message);
    // The entry's status and details (the English text made from `phrases`).
    Result<bool> setStatus(const QString &actionId, model::ActionStatus status, const QJsonArray &phrases);

private:
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
