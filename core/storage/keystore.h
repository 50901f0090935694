// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/database.h"
#include "core/storage/types.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// A project's API keys. Only a SHA-256 hash of a secret is stored; the secret is shown once, when made.
class KeyStore
{
public:
    KeyStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock) {}

    // NotFound without the project; BadInput on "name" past 255 characters.
    Result<NewApiKey> create(const QString &projectId, const QString &name = {});
    Result<QList<ApiKey>> list(const QString &projectId);
    Result<std::optional<ApiKey>> get(const QString &keyId);
    // False when there is no such key or it was revoked before.
    Result<bool> revoke(const QString &keyId);
    // The key a secret belongs to (revoked keys included, so callers can say "revoked").
    Result<std::optional<ApiKey>> findBySecret(const QString &secret);

    static QByteArray hashSecret(const QString &secret);

private:
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
