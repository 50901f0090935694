// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the push API's body reader: any body is read or refused with a 400/413 with a
// code and a message, never a crash; what is read obeys the rules every stored sample meets.
#include "core/ingest/samplejson.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace cachewise::ingest;
    SampleParseOptions options;
    options.nowMs = 1'767'225'600'000; // 2026-01-01
    options.maxSamples = 100;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const SampleParseResult result = parseSamples(body, options);
    if (const auto *refused = std::get_if<SampleParseError>(&result)) {
        // A field may be named "" (a key that is the empty string), but never the message.
        if ((refused->status != 400 && refused->status != 413) || refused->code.isEmpty() ||
            refused->message.isEmpty())
            __builtin_trap();
        return 0;
    }
    for (const cachewise::model::MetricSample &sample :
         std::get<QList<cachewise::model::MetricSample>>(result)) {
        if (normaliseUuid(sample.projectId) != sample.projectId || checkSample(sample, options))
            __builtin_trap(); // accepted something the rules refuse
    }
    return 0;
}
