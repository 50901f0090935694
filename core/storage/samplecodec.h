// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"

#include <QByteArray>

#include <array>
#include <optional>

namespace cachewise::storage {

// A sample's values as the `samples` table stores them: one BLOB, so a metric that is absent costs one
// bit. The layout: a varint whose bit i says metric i is present, then each present metric in order:
//  - integer metrics: the value as a zigzag varint;
//  - the others: a varint (m << 4) | k meaning m / 10^k (k ≤ 14; the shortest such form that gives back
//    the very same double), or k = 15 followed by the double's eight bytes (little-endian) when there is
//    none. 5.27 takes two bytes, 0.999 two, an exact double that needs seventeen digits nine.
// Decoding gives back every value bit for bit. Varints are LEB128 (seven bits a byte, low first).
using SampleValues = std::array<std::optional<double>, model::kMetricCount>;

void encodeSampleValues(const SampleValues &values, QByteArray &out);
// False (and `values` unspecified) when the bytes are not such an encoding: cut short, trailing bytes, a
// metric this version does not know.
bool decodeSampleValues(const char *data, qsizetype size, SampleValues &values);

} // namespace cachewise::storage
