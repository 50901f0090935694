// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace cachewise::ingest {

struct JsonTextProblem
{
    QString code;    // duplicate_field, invalid_string
    QString path;    // "samples[3].projectId", "resourceMetrics[0].resource"
    QString message; // names the path
};

// What QJsonDocument lets through: an object holding one key twice (it keeps the last, so a second
// "projectId" would win) and a \uD800–\uDFFF escape that is not half of a pair (it would be stored as a
// replacement character). Call it on text QJsonDocument accepted. A root array is named
// `rootArrayName` in paths ("samples[3].projectId", as the push API names a batch's fields).
std::optional<JsonTextProblem> checkJsonText(const QByteArray &json, const QString &rootArrayName = {});

// A hexadecimal digit's value, or -1.
int hexDigit(char c);

} // namespace cachewise::ingest
