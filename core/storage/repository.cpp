// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/repository.h"

#include "core/storage/sampleconversion.h"
#include "core/storage/sqltext.h"

namespace cachewise::storage {

Repository::Repository(const Clock &clock) : Repository(std::make_unique<Connection>(), nullptr, clock) {}

Repository::Repository(Connection &connection, const Clock &clock) : Repository(nullptr, &connection, clock)
{}

Repository::Repository(std::unique_ptr<Connection> own, Connection *given, const Clock &clock)
    : m_ownConnection(std::move(own)), m_connection(given ? *given : *m_ownConnection),
      m_projects(m_connection, clock), m_keys(m_connection, clock), m_samples(m_connection),
      m_recommendations(m_connection, clock), m_runtimes(m_connection, clock), m_sources(m_connection, clock),
      m_actions(m_connection, clock), m_settings(m_connection), m_servers(m_connection, clock),
      m_modelFiles(m_connection), m_sync(m_connection, clock)
{}

Repository::~Repository() = default;

Result<void> Repository::open(const QString &databasePath, const ConversionObserver &conversion)
{
    if (!m_ownConnection)
        return makeError(ErrorKind::Unsupported,
                         QStringLiteral("this repository works on a given connection"));
    if (auto r = m_connection.open(databasePath); !r)
        return r;
    if (auto converted = convertSamples(m_connection.db(), conversion); !converted) {
        m_connection.close();
        return converted.error();
    }
    return {};
}

bool Repository::isValidId(const QString &id)
{
    return sql::isValidId(id);
}

} // namespace cachewise::storage
