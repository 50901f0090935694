// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace cachewise::random {

QByteArray bytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        qFatal("OpenSSL RAND_bytes failed: no secure random source");
    return out;
}

QString urlSafeToken(int byteCount)
{
    return QString::fromLatin1(
        bytes(byteCount).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.constData(), b.constData(), static_cast<size_t>(a.size())) == 0;
}

} // namespace cachewise::random
