// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/gzip.h"

#include <array>
#include <zlib.h>

namespace cachewise {

Result<QByteArray> gunzip(const QByteArray &compressed, qsizetype maxBytes)
{
    const auto bad = [](const QString &why) {
        return makeError(ErrorKind::BadInput, QStringLiteral("the gzip body could not be read: %1").arg(why));
    };
    QByteArray out;
    qsizetype offset = 0;
    std::array<char, 64 * 1024> buffer{};
    if (compressed.isEmpty())
        return bad(QStringLiteral("it is empty"));
    while (offset < compressed.size()) {
        z_stream stream{};
        if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) // 16: gzip wrapper only
            return bad(QStringLiteral("zlib could not start"));
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.constData() + offset));
        stream.avail_in = uInt(compressed.size() - offset);
        int status = Z_OK;
        while (status == Z_OK) {
            stream.next_out = reinterpret_cast<Bytef *>(buffer.data());
            stream.avail_out = uInt(buffer.size());
            status = inflate(&stream, Z_NO_FLUSH);
            if (status != Z_OK && status != Z_STREAM_END)
                break;
            const qsizetype produced = qsizetype(buffer.size() - stream.avail_out);
            if (out.size() + produced > maxBytes) {
                inflateEnd(&stream);
                return makeError(
                    ErrorKind::TooLarge,
                    QStringLiteral("the gzip body expands past the %1-byte limit").arg(maxBytes));
            }
            out.append(buffer.data(), produced);
            if (status == Z_OK && stream.avail_in == 0 && produced == 0) {
                status = Z_BUF_ERROR; // input ended before the stream did
                break;
            }
        }
        const QString message = stream.msg ? QString::fromLatin1(stream.msg) : QString();
        const qsizetype consumed = qsizetype(compressed.size() - offset) - qsizetype(stream.avail_in);
        inflateEnd(&stream);
        if (status != Z_STREAM_END)
            return bad(message.isEmpty() ? QStringLiteral("it is cut short") : message);
        offset += consumed;
    }
    return out;
}

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

} // namespace cachewise
