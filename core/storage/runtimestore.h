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

// How each project runs its model (engine, context, slots, cache types, the model's shape).
class RuntimeStore
{
public:
    RuntimeStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock) {}

    // nullopt when never described.
    Result<std::optional<ProjectRuntime>> get(const QString &projectId);
    // Saves the runtime and, when it differs from the stored one, records the change in the project's
    // runtime history (for a recommendation marked applied, with its id), in one transaction.
    Result<ProjectRuntime> set(const QString &projectId, const ProjectRuntime &runtime,
                               const QString &recommendationId = {});
    // The history of changes in [fromMs, toMs), oldest first.
    Result<QList<RuntimeChange>> changes(const QString &projectId, qint64 fromMs, qint64 toMs);
    // The newest change made by marking this recommendation applied that is not undone yet.
    Result<std::optional<RuntimeChange>> appliedChange(const QString &recommendationId);
    Result<bool> markUndone(const QString &changeId);

private:
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
