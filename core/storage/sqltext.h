// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUuid>

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

} // namespace cachewise::storage::sql
