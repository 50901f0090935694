// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the OTLP/HTTP JSON reader: any body must be read or refused, never crash.
#include "core/ingest/otlp.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QHash<QString, cachewise::sources::CounterTracker> counters;
    static const cachewise::ingest::OtlpMapping mapping;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    auto decoded = cachewise::ingest::decodeOtlpJson(body);
    if (!decoded.ok()) {
        if (decoded.error().code != QLatin1String("invalid_otlp"))
            __builtin_trap(); // every refusal is a clear invalid_otlp
        return 0;
    }
    auto mapped = cachewise::ingest::mapOtlp(decoded.value(), mapping, 0, counters);
    if (!mapped.ok() && mapped.error().code != QLatin1String("invalid_otlp"))
        __builtin_trap();
    if (counters.size() > 10000)
        counters.clear(); // project names from mutations: keep memory bounded
    return 0;
}
