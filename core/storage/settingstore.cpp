// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/settingstore.h"

#include "core/storage/settings.h"

#include <QSqlQuery>
#include <QVariant>

namespace cachewise::storage {

Result<QList<std::pair<QString, QString>>> SettingStore::otlpNames()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(QStringLiteral("SELECT name, field FROM otlp_names ORDER BY name")))
        return queryError(q, "cannot read the OpenTelemetry names");
    QList<std::pair<QString, QString>> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString()});
    return out;
}

Result<void> SettingStore::setOtlpName(const QString &name, const QString &field)
{
    if (name.trimmed().isEmpty() || name.size() > 255)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("An OpenTelemetry metric name must be 1 to 255 characters."),
                         QStringLiteral("name"));
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO otlp_names (name, field) VALUES (?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET field = excluded.field"));
    q.addBindValue(name.trimmed());
    q.addBindValue(field);
    if (!q.exec())
        return queryError(q, "cannot save the OpenTelemetry name");
    m_connection.noteChange(ChangeKind::Setting, {}, name);
    return {};
}

Result<bool> SettingStore::removeOtlpName(const QString &name)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM otlp_names WHERE name = ?"));
    q.addBindValue(name.trimmed());
    if (!q.exec())
        return queryError(q, "cannot remove the OpenTelemetry name");
    return m_connection.noteIfChanged(q, ChangeKind::Setting, {}, name);
}

Result<QString> SettingStore::value(const QString &key)
{
    const SettingSpec *spec = findSetting(key);
    if (!spec)
        return makeError(ErrorKind::BadInput, QStringLiteral("unknown setting '%1'").arg(key),
                         QStringLiteral("unknown_setting"));
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec())
        return queryError(q, "cannot read setting");
    if (!q.next())
        return spec->defaultValue;
    // A value stored by hand that no longer validates falls back to the default.
    auto checked = validateSetting(key, q.value(0).toString());
    return checked ? checked.value() : spec->defaultValue;
}

Result<qint64> SettingStore::integer(const QString &key)
{
    auto value = this->value(key);
    if (!value)
        return value.error();
    return value.value().toLongLong();
}

Result<QMap<QString, QString>> SettingStore::all()
{
    QMap<QString, QString> out;
    for (const SettingSpec &spec : settingSpecs()) {
        auto value = this->value(spec.key);
        if (!value)
            return value.error();
        out.insert(spec.key, value.value());
    }
    return out;
}

Result<QString> SettingStore::set(const QString &key, const QString &value)
{
    auto checked = validateSetting(key, value);
    if (!checked)
        return checked.error();
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    // An empty value is text, not NULL (a null QString would bind as NULL).
    q.addBindValue(checked.value().isNull() ? QStringLiteral("") : checked.value());
    if (!q.exec())
        return queryError(q, "cannot save setting");
    m_connection.noteChange(ChangeKind::Setting, {}, key);
    return checked.value();
}

} // namespace cachewise::storage
