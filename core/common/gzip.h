// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QByteArray>

namespace cachewise {

// Inflates a gzip body (RFC 1952; several members in a row are one stream). Refuses anything else,
// a truncated stream, trailing bytes, and output past maxBytes (ErrorKind::TooLarge) so that a small
// compressed request cannot expand without bound.
Result<QByteArray> gunzip(const QByteArray &compressed, qsizetype maxBytes);

// Compresses into one gzip member (for tests and exporters).
QByteArray gzip(const QByteArray &data);

} // namespace cachewise
