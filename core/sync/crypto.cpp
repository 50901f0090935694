// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sync/crypto.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>
#include <memory>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace cachewise::sync {
namespace {

constexpr char kMagic[] = "CWE1";
constexpr int kMagicBytes = 4;
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;
constexpr char kKeyCheckText[] = "cachewise account key check v1";
constexpr char kKeyCheckName[] = "keycheck";

struct CipherFree
{
    void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

const unsigned char *bytes(const QByteArray &b)
{
    return reinterpret_cast<const unsigned char *>(b.constData());
}

unsigned char *bytes(QByteArray &b)
{
    return reinterpret_cast<unsigned char *>(b.data());
}

Error damaged(const QString &why)
{
    return Error{ErrorKind::BadInput, QStringLiteral("The file cannot be decrypted: %1.").arg(why),
                 QStringLiteral("file")};
}

} // namespace

Result<QByteArray> deriveKey(const QString &passphrase, const QByteArray &salt, const ScryptCost &cost)
{
    if (passphrase.isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("The passphrase is empty."),
                         QStringLiteral("passphrase"));
    if (salt.size() != kSaltBytes)
        return makeError(ErrorKind::BadInput, QStringLiteral("The salt must be %1 bytes.").arg(kSaltBytes),
                         QStringLiteral("salt"));
    // Bounds that keep a hostile key file from asking for gigabytes or hours.
    if (cost.logN < 10 || cost.logN > 20 || cost.r < 1 || cost.r > 32 || cost.p < 1 || cost.p > 16)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("scrypt cost out of range (logN 10–20, r 1–32, p 1–16)."),
                         QStringLiteral("cost"));
    const QByteArray secret = passphrase.toUtf8();
    QByteArray key(kKeyBytes, '\0');
    const quint64 n = quint64(1) << cost.logN;
    const quint64 maxMemory = 128 * n * quint64(cost.r) * quint64(cost.p) + (quint64(64) << 20);
    if (EVP_PBE_scrypt(secret.constData(), size_t(secret.size()), bytes(salt), size_t(salt.size()), n,
                       quint64(cost.r), quint64(cost.p), maxMemory, bytes(key), size_t(key.size())) != 1)
        return makeError(ErrorKind::Unavailable, QStringLiteral("scrypt failed (OpenSSL)."));
    return key;
}

QByteArray seal(const QByteArray &key, const QByteArray &plain, const QByteArray &name)
{
    Q_ASSERT(key.size() == kKeyBytes);
    QByteArray out(kMagicBytes + kNonceBytes + plain.size() + kTagBytes, '\0');
    std::memcpy(out.data(), kMagic, kMagicBytes);
    unsigned char *nonce = bytes(out) + kMagicBytes;
    unsigned char *body = nonce + kNonceBytes;
    unsigned char *tag = body + plain.size();
    const Cipher ctx(EVP_CIPHER_CTX_new());
    int written = 0;
    int final = 0;
    if (!ctx || RAND_bytes(nonce, kNonceBytes) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), nonce) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes(name), int(name.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), body, &written, bytes(plain), int(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), body + written, &final) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) != 1)
        qFatal("AES-256-GCM encryption failed (OpenSSL)"); // only on a broken OpenSSL: never write plain text
    return out;
}

bool looksSealed(const QByteArray &bytesIn)
{
    return bytesIn.size() >= kMagicBytes + kNonceBytes + kTagBytes && bytesIn.startsWith(kMagic);
}

Result<QByteArray> open(const QByteArray &key, const QByteArray &sealed, const QByteArray &name)
{
    if (key.size() != kKeyBytes)
        return makeError(ErrorKind::BadInput, QStringLiteral("The key must be %1 bytes.").arg(kKeyBytes),
                         QStringLiteral("key"));
    if (!looksSealed(sealed))
        return damaged(QStringLiteral("it is not an encrypted CacheWise file, or it was cut short"));
    const int bodySize = int(sealed.size()) - kMagicBytes - kNonceBytes - kTagBytes;
    const unsigned char *nonce = bytes(sealed) + kMagicBytes;
    const unsigned char *body = nonce + kNonceBytes;
    QByteArray tag = sealed.right(kTagBytes);
    QByteArray plain(bodySize, '\0');
    const Cipher ctx(EVP_CIPHER_CTX_new());
    int written = 0;
    int final = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), nonce) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes(name), int(name.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), bytes(plain), &written, body, bodySize) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes(tag)) != 1)
        return makeError(ErrorKind::Unavailable, QStringLiteral("AES-256-GCM failed (OpenSSL)."));
    if (EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + written, &final) != 1)
        return damaged(
            QStringLiteral("it was changed after it was written, or belongs under another name or key"));
    return plain;
}

Result<AccountKey> createAccountKey(const QString &passphrase, const ScryptCost &cost)
{
    QByteArray salt(kSaltBytes, '\0');
    if (RAND_bytes(bytes(salt), kSaltBytes) != 1)
        return makeError(ErrorKind::Unavailable, QStringLiteral("No random bytes (OpenSSL)."));
    auto key = deriveKey(passphrase, salt, cost);
    if (!key)
        return key.error();
    const QByteArray check = seal(key.value(), QByteArray(kKeyCheckText), QByteArray(kKeyCheckName));
    const QJsonObject file{{QStringLiteral("version"), 1},
                           {QStringLiteral("kdf"), QStringLiteral("scrypt")},
                           {QStringLiteral("salt"), QString::fromLatin1(salt.toBase64())},
                           {QStringLiteral("logN"), cost.logN},
                           {QStringLiteral("r"), cost.r},
                           {QStringLiteral("p"), cost.p},
                           {QStringLiteral("check"), QString::fromLatin1(check.toBase64())}};
    return AccountKey{key.value(), QJsonDocument(file).toJson(QJsonDocument::Compact)};
}

Result<QByteArray> unlockAccountKey(const QString &passphrase, const QByteArray &keyFile)
{
    const auto malformed = [](const QString &why) {
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The account's key file is malformed: %1.").arg(why),
                         QStringLiteral("keyFile"));
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(keyFile, &parseError);
    if (!doc.isObject())
        return malformed(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("version")).toInt() != 1 ||
        o.value(QLatin1String("kdf")).toString() != QLatin1String("scrypt"))
        return malformed(QStringLiteral("version 1 with scrypt expected"));
    const auto salt = QByteArray::fromBase64Encoding(o.value(QLatin1String("salt")).toString().toLatin1(),
                                                     QByteArray::AbortOnBase64DecodingErrors);
    const auto check = QByteArray::fromBase64Encoding(o.value(QLatin1String("check")).toString().toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || !check)
        return malformed(QStringLiteral("salt or check is not base64"));
    const ScryptCost cost{o.value(QLatin1String("logN")).toInt(-1), o.value(QLatin1String("r")).toInt(-1),
                          o.value(QLatin1String("p")).toInt(-1)};
    auto key = deriveKey(passphrase, *salt, cost);
    if (!key) {
        if (key.error().field == QLatin1String("passphrase"))
            return key.error();
        return malformed(key.errorMessage());
    }
    auto opened = open(key.value(), *check, QByteArray(kKeyCheckName));
    if (!opened || opened.value() != QByteArray(kKeyCheckText))
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("Wrong passphrase: it is not the one this account is encrypted with."),
            QStringLiteral("passphrase"));
    return key;
}

Result<void> checkAccountKey(const QByteArray &key, const QByteArray &keyFile)
{
    const QJsonObject o = QJsonDocument::fromJson(keyFile).object();
    const auto check = QByteArray::fromBase64Encoding(o.value(QLatin1String("check")).toString().toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
    if (!check)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The account's key file is malformed: no check."),
                         QStringLiteral("keyFile"));
    auto opened = open(key, *check, QByteArray(kKeyCheckName));
    if (!opened || opened.value() != QByteArray(kKeyCheckText))
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("The account's passphrase was changed: this device's key no longer opens "
                           "it. Set the account again with the new passphrase."),
            QStringLiteral("passphrase"));
    return {};
}

} // namespace cachewise::sync
