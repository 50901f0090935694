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
    Result<ProjectRuntime> set(const QString &projectId, const ProjectRuntime &runtime);

private:
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
