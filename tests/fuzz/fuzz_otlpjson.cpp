// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the OTLP/HTTP JSON reader: any body must be read or refused, never crash.
#include "core/ingest/otlpjson.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QHash<QString, cachewise::sources::CounterTracker> counters;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    auto parsed = cachewise::ingest::parseOtlpJson(body, 0, counters);
    if (!parsed.ok() && parsed.error().code != QLatin1String("invalid_otlp"))
        __builtin_trap(); // every refusal is a clear invalid_otlp
    if (counters.size() > 10000)
        counters.clear(); // service names from mutations: keep memory bounded
    return 0;
}
