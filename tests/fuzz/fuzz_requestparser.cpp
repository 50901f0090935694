// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the HTTP/1.1 request parser: bytes arriving in two pieces (split where the first
// byte says) give requests or an error status, never a crash, a body over the limit or a request the
// parser could not have framed.
#include "core/http/requestparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace cachewise::http;
    if (size == 0)
        return 0;
    Limits limits;
    limits.maxHeaderBytes = 4096;
    limits.maxBodyBytes = 16 * 1024;
    RequestParser parser(limits);
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype split = std::min<qsizetype>(bytes.size(), data[0]);
    const QByteArray pieces[] = {bytes.left(split), bytes.mid(split)};
    for (const QByteArray &piece : pieces) {
        parser.feed(piece);
        for (int requests = 0; parser.state() == RequestParser::State::Complete; ++requests) {
            const Request request = parser.takeRequest();
            if (request.body.size() > limits.maxBodyBytes || request.method.isEmpty() || requests > 10000)
                __builtin_trap();
            parser.feed({});
        }
        if (parser.state() == RequestParser::State::Error) {
            const int status = parser.errorStatus();
            if (status < 400 || status > 505 || parser.errorMessage().isEmpty())
                __builtin_trap();
            return 0;
        }
    }
    return 0;
}
