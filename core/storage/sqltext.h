// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QString>
#include <QUuid>
#include <QVariant>

#include <optional>

// Small helpers the stores share (storage-internal).
namespace cachewise::storage::sql {

// SQLite stores a null QString as NULL; the text columns are NOT NULL.
inline QString text(const QString &s)
{
    return s.isNull() ? QString(QLatin1String("")) : s;
}

// A new record id: a UUID without braces.
inline QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A record id as the stores make them: a UUID without braces.
inline bool isValidId(const QString &id)
{
    const QUuid uuid = QUuid::fromString(id);
    return !uuid.isNull() && uuid.toString(QUuid::WithoutBraces) == id;
}

// An optional integer column: NULL when empty, and back.
inline QVariant nullableInteger(std::optional<qint64> v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

inline std::optional<qint64> optionalInteger(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

inline Error notFound(const QString &what, const QString &id)
{
    return makeError(ErrorKind::NotFound, QStringLiteral("no %1 with id %2").arg(what, id));
}

} // namespace cachewise::storage::sql
