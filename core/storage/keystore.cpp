// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/keystore.h"

#include "core/common/clock.h"
#include "core/common/random.h"
#include "core/storage/sqltext.h"

#include <QCryptographicHash>
#include <QSqlQuery>
#include <QVariant>

namespace cachewise::storage {
namespace {

ApiKey apiKeyFrom(const QSqlQuery &q)
{
    ApiKey k;
    k.id = q.value(0).toString();
    k.projectId = q.value(1).toString();
    k.name = q.value(2).toString();
    k.prefix = q.value(3).toString();
    k.createdAtMs = q.value(4).toLongLong();
    if (!q.value(5).isNull())
        k.revokedAtMs = q.value(5).toLongLong();
    if (!q.value(6).isNull())
        k.lastUsedAtMs = q.value(6).toLongLong();
    return k;
}

const QString kKeyColumns =
    QStringLiteral("id, project_id, name, prefix, created_at, revoked_at, last_used_at");

} // namespace

QByteArray KeyStore::hashSecret(const QString &secret)
{
    return QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256);
}

Result<NewApiKey> KeyStore::create(const QString &projectId, const QString &name)
{
    QSqlQuery exists(m_connection.db());
    exists.prepare(QStringLiteral("SELECT 1 FROM projects WHERE id = ?"));
    exists.addBindValue(projectId);
    if (!exists.exec())
        return queryError(exists, "cannot read project");
    const bool found = exists.next();
    // Ends the read: an INSERT while it is open would upgrade a snapshot another connection may have
    // moved past since, which SQLite refuses at once (SQLITE_BUSY) instead of waiting.
    exists.finish();
    if (!found)
        return makeError(ErrorKind::NotFound, QStringLiteral("no project with id %1").arg(projectId));
    if (name.size() > 255)
        return makeError(ErrorKind::BadInput, QStringLiteral("key name must be at most 255 characters"),
                         QStringLiteral("name"));
    NewApiKey created;
    created.secret = QStringLiteral("cw_") + random::urlSafeToken(32);
    created.key.id = sql::newId();
    created.key.projectId = projectId;
    created.key.name = sql::text(name.trimmed());
    created.key.prefix = created.secret.left(10);
    created.key.createdAtMs = m_clock.nowMs();
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO api_keys (id, project_id, name, key_hash, prefix, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(created.key.id);
    q.addBindValue(projectId);
    q.addBindValue(created.key.name);
    q.addBindValue(hashSecret(created.secret));
    q.addBindValue(created.key.prefix);
    q.addBindValue(created.key.createdAtMs);
    if (!q.exec())
        return queryError(q, "cannot create API key");
    m_connection.noteChange(ChangeKind::Key, projectId, created.key.id);
    return created;
}

Result<QList<ApiKey>> KeyStore::list(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM api_keys WHERE project_id = ? ORDER BY created_at, id")
                  .arg(kKeyColumns));
    q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot list API keys");
    QList<ApiKey> out;
    while (q.next())
        out << apiKeyFrom(q);
    return out;
}

Result<std::optional<ApiKey>> KeyStore::get(const QString &keyId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM api_keys WHERE id = ?").arg(kKeyColumns));
    q.addBindValue(keyId);
    if (!q.exec())
        return queryError(q, "cannot read API key");
    if (!q.next())
        return std::optional<ApiKey>{};
    return std::optional<ApiKey>{apiKeyFrom(q)};
}

Result<bool> KeyStore::revoke(const QString &keyId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
    q.addBindValue(m_clock.nowMs());
    q.addBindValue(keyId);
    if (!q.exec())
        return queryError(q, "cannot revoke API key");
    return m_connection.noteIfChanged(q, ChangeKind::Key, {}, keyId);
}

Result<std::optional<ApiKey>> KeyStore::findBySecret(const QString &secret)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM api_keys WHERE key_hash = ?").arg(kKeyColumns));
    q.addBindValue(hashSecret(secret));
    if (!q.exec())
        return queryError(q, "cannot look up API key");
    if (!q.next())
        return std::optional<ApiKey>{};
    return std::optional<ApiKey>{apiKeyFrom(q)};
}

} // namespace cachewise::storage
