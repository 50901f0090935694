// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/repository.h"

#include "core/storage/sqltext.h"

namespace cachewise::storage {

Repository::Repository(const Clock &clock)
    : m_projects(m_connection, clock), m_keys(m_connection, clock), m_recommendations(m_connection, clock),
      m_runtimes(m_connection, clock), m_sources(m_connection, clock), m_actions(m_connection, clock)
{}

Repository::~Repository() = default;

Result<void> Repository::open(const QString &databasePath)
{
    return m_connection.open(databasePath);
}

bool Repository::isValidId(const QString &id)
{
    return sql::isValidId(id);
}

} // namespace cachewise::storage
