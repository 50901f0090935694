// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ingest/otlp.h"

#include <cstddef>
#include <cstdint>

// One fuzz input through an OTLP decoder and the mapping: read or refused as bad input, never a
// crash or another kind of error.
template <typename Decode> int fuzzOtlp(Decode decode, const uint8_t *data, size_t size)
{
    static QHash<QString, cachewise::CounterTracker> counters;
    static const cachewise::ingest::OtlpMapping mapping;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    auto decoded = decode(body);
    if (!decoded.ok()) {
        if (decoded.error().kind != cachewise::ErrorKind::BadInput)
            __builtin_trap();
        return 0;
    }
    auto mapped = cachewise::ingest::mapOtlp(decoded.value(), mapping, 0, counters);
    if (!mapped.ok() && mapped.error().kind != cachewise::ErrorKind::BadInput)
        __builtin_trap();
    if (counters.size() > 10000)
        counters.clear(); // project names from mutations: keep memory bounded
    return 0;
}
