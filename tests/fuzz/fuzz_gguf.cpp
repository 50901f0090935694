// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the GGUF header reader: any bytes are read or refused as bad input (a truncated,
// corrupt or hostile header) or an unsupported version, never a crash or an allocation the file's size
// cannot back.
#include "core/analysis/gguf.h"

#include <QBuffer>

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer device(&bytes);
    device.open(QIODevice::ReadOnly);
    const auto header = cachewise::analysis::readGgufHeader(device);
    if (!header.ok() && header.error().kind != cachewise::ErrorKind::BadInput &&
        header.error().kind != cachewise::ErrorKind::Unsupported) {
        std::fprintf(stderr, "not refused as bad input: %s\n", qPrintable(header.errorMessage()));
        __builtin_trap();
    }
    return 0;
}
