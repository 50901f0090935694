// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/database.h"

#include <QList>
#include <QMap>
#include <QString>

#include <utility>

namespace cachewise::storage {

// The settings aggregate: the key/value settings (validated against settingSpecs(), defaults when never
// saved) and the user's OpenTelemetry names. Works on a connection its owner opened.
class SettingStore
{
public:
    explicit SettingStore(Connection &connection) : m_connection(connection) {}

    Result<QString> value(const QString &key);
    Result<qint64> integer(const QString &key);
    Result<QMap<QString, QString>> all();
    // The value as stored (normalised), or BadInput naming the setting.
    Result<QString> set(const QString &key, const QString &value);

    // OpenTelemetry metric names the user mapped onto sample fields (name as sent, field by its name; the
    // field list belongs to ingest, which checks it).
    Result<QList<std::pair<QString, QString>>> otlpNames();
    Result<void> setOtlpName(const QString &name, const QString &field);
    Result<bool> removeOtlpName(const QString &name);

private:
    Connection &m_connection;
};

} // namespace cachewise::storage
