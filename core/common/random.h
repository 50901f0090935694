// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace cachewise::random {

// Cryptographically strong random bytes (OpenSSL RAND_bytes).
QByteArray bytes(int count);

// base64url without padding of `byteCount` random bytes.
QString urlSafeToken(int byteCount);

// Constant-time comparison of two secrets.
bool equalConstantTime(const QByteArray &a, const QByteArray &b);

} // namespace cachewise::random
