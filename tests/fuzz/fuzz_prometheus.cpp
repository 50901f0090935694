// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the Prometheus text parser: any input must parse or be refused, never crash,
// hang or read out of bounds. Build with the `fuzz` preset (clang), or run the corpus replay in ctest.
#include "core/sources/prometheustext.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    auto parsed = cachewise::sources::parsePrometheusText(text);
    if (parsed.ok()) {
        // Walk what was produced, so a broken structure would show under the sanitizers.
        for (const auto &family : parsed->families) {
            for (const auto &sample : family.samples) {
                volatile double v = sample.value;
                (void)v;
                (void)sample.label(QStringLiteral("le"));
            }
        }
    } else if (!parsed.errorMessage().startsWith(QLatin1String("line "))) {
        __builtin_trap(); // every refusal names its line
    }
    return 0;
}
