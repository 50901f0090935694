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

// The projects. A bad name, model or architecture is BadInput naming its field; a name another project
// has (case aside) is a Conflict on "name".
class ProjectStore
{
public:
    ProjectStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock) {}

    // fixedId: a given UUID (demo data, imports); otherwise a new one.
    Result<Project> create(const QString &name, const QString &modelName, const QString &architecture,
                           const QString &fixedId = {});
    Result<Project> update(const Project &project);
    Result<QList<Project>> list();
    Result<std::optional<Project>> get(const QString &id);
    // False when there was no such project; its keys, samples, sources and log go with it.
    Result<bool> remove(const QString &id);

private:
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
