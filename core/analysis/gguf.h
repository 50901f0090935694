// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QHash>
#include <QString>
#include <QVariant>

#include <optional>

class QIODevice;

namespace cachewise::analysis {

// The metadata of a GGUF model file (llama.cpp's format, versions 2 and 3), read directly from its
// header: scalars and strings by key, arrays by their element type and length (numeric arrays of up
// to 4096 elements kept, e.g. per-layer head counts). No tensor data is read. Every length is checked
// against the bytes that are left, so a corrupt or hostile file is refused with a message, never
// trusted. Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
struct GgufHeader
{
    struct Array
    {
        quint32 elementType = 0;
        quint64 count = 0;
        QList<double> numbers; // only for numeric arrays of up to 4096 elements
    };

    quint32 version = 0;
    quint64 tensorCount = 0;
    QHash<QString, QVariant> values;
    QHash<QString, Array> arrays;

    QString architecture() const { return values.value(QStringLiteral("general.architecture")).toString(); }
    // "<architecture>.<suffix>" as an integer, if present.
    std::optional<qint64> archInteger(const QString &suffix) const;
};

Result<GgufHeader> readGgufHeader(const QString &path);
Result<GgufHeader> readGgufHeader(QIODevice &device);

} // namespace cachewise::analysis
