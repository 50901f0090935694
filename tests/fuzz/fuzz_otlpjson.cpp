// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the OTLP/HTTP JSON reader: any body must be read or refused, never crash.
#include "tests/fuzz/otlpfuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzzOtlp(cachewise::ingest::decodeOtlpJson, data, size);
}
