// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

namespace cachewise::sync {

// End-to-end encryption of the files a device writes to the account (DESIGN "Hosted account"): a 256-bit key
// derived from the sync passphrase with scrypt and a per-account salt, every file sealed with AES-256-GCM
// under a fresh 96-bit nonce and authenticated together with its name, so a file changed, cut or put in
// another's place is refused. The host sees only ciphertext and names made of a device id and a sequence.

// scrypt's cost: N = 2^logN, r, p (RFC 7914). The defaults take about 32 MiB and a tenth of a second.
struct ScryptCost
{
    int logN = 15;
    int r = 8;
    int p = 1;
};

inline constexpr int kKeyBytes = 32;
inline constexpr int kSaltBytes = 16;

// The key for a passphrase. BadInput: an empty passphrase, a salt of the wrong size, a cost out of range.
Result<QByteArray> deriveKey(const QString &passphrase, const QByteArray &salt, const ScryptCost &cost = {});

// "CWE1" ‖ nonce (12) ‖ ciphertext ‖ tag (16).
QByteArray seal(const QByteArray &key, const QByteArray &plain, const QByteArray &name);
// The plain text, or BadInput with field "file" when the bytes are not a sealed file, or were changed, cut
// or sealed for another name or under another key (GCM cannot tell these apart: the account's key file
// tells a wrong passphrase apart first).
Result<QByteArray> open(const QByteArray &key, const QByteArray &sealed, const QByteArray &name);
bool looksSealed(const QByteArray &bytes);

// The account's key file: the salt, the cost and a sealed known text, so a wrong passphrase is reported as
// such (BadInput, field "passphrase") and never taken for damaged data. JSON; holds no secret.
struct AccountKey
{
    QByteArray key;
    QByteArray keyFile;
};
// A new salt and key file for a passphrase (the first device to encrypt an account writes it).
Result<AccountKey> createAccountKey(const QString &passphrase, const ScryptCost &cost = {});
// The key a passphrase opens with an existing key file. BadInput with field "passphrase" when it is not
// the passphrase the file was made with; with field "keyFile" when the file is malformed.
Result<QByteArray> unlockAccountKey(const QString &passphrase, const QByteArray &keyFile);
// Whether a key kept from before still opens the account's key file (BadInput, field "passphrase", when the
// account was given another passphrase since).
Result<void> checkAccountKey(const QByteArray &key, const QByteArray &keyFile);

} // namespace cachewise::sync
