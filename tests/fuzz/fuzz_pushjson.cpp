// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the push API's body reader: any body is read or refused with a 400/413 with a
// code and a message, never a crash; what is read obeys the rules every stored sample meets; and the fast
// reader (simdjson) answers exactly as Qt's reader does: the same samples bit for bit, the same refusal.
#include "core/ingest/samplejson.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace {

bool sameSamples(const QList<cachewise::model::MetricSample> &a,
                 const QList<cachewise::model::MetricSample> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].projectId != b[i].projectId || a[i].timestampMs != b[i].timestampMs ||
            a[i].processedData != b[i].processedData)
            return false;
        for (std::size_t m = 0; m < a[i].values.size(); ++m) {
            const auto &x = a[i].values[m];
            const auto &y = b[i].values[m];
            if (x.has_value() != y.has_value() || (x && std::memcmp(&*x, &*y, sizeof(double)) != 0))
                return false;
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace cachewise::ingest;
    SampleParseOptions options;
    options.nowMs = 1'767'225'600'000; // 2026-01-01
    options.maxSamples = 100;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const SampleParseResult result = parseSamples(body, options);
    const SampleParseResult reference = parseSamplesWithQtJson(body, options);
    if (result.index() != reference.index())
        __builtin_trap(); // one reader took what the other refused
    if (const auto *refused = std::get_if<SampleParseError>(&reference)) {
        const auto &given = std::get<SampleParseError>(result);
        if (given.status != refused->status || given.code != refused->code ||
            given.message != refused->message || given.field != refused->field)
            __builtin_trap();
    } else if (!sameSamples(std::get<QList<cachewise::model::MetricSample>>(result),
                            std::get<QList<cachewise::model::MetricSample>>(reference))) {
        __builtin_trap();
    }
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
