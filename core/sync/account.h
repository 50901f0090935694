// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/syncstore.h"
#include "core/sync/webdav.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace cachewise::sync {

// The hosted account as this device keeps it. The app password and the encryption key live in the OS
// keychain (passwordSecretName, keySecretName); what is here holds no secret.
struct AccountSettings
{
    QUrl url; // the WebDAV root, https
    QString user;
    QString folder;          // under the root: where CacheWise keeps the account's files
    QString caFile;          // a private CA to trust (PEM), or empty
    QByteArray pinnedSha256; // a self-signed certificate the user confirmed
    bool encrypted = false;

    QUrl folderUrl() const;
};

// Keychain entries are per device (per database), so two data folders on one machine do not share them.
inline QString passwordSecretName(const QString &device)
{
    return QStringLiteral("sync/%1/app-password").arg(device);
}
inline QString keySecretName(const QString &device)
{
    return QStringLiteral("sync/%1/encryption-key").arg(device);
}
// The account's key file, at the top of its folder (it holds no secret: a salt and a sealed known text).
inline const QString kKeyFileName = QStringLiteral("account-key.json");
inline const QString kDefaultFolder = QStringLiteral("CacheWise");

// BadInput with the field: a URL that is not https (field "url"), an empty user ("user"), a folder that
// climbs out of the root ("folder"), a CA file that cannot be read or holds no certificate ("caFile"), a
// fingerprint that is not 32 bytes of hex ("fingerprint").
Result<void> checkAccount(const AccountSettings &account);
Result<QByteArray> parseFingerprint(const QString &text);
QString formatFingerprint(const QByteArray &sha256);

// The client's view of the account with its password.
Result<WebDavAccount> webDavAccount(const AccountSettings &account, const QString &password);

Result<std::optional<AccountSettings>> loadAccount(storage::SyncStore &store);
Result<void> saveAccount(storage::SyncStore &store, const AccountSettings &account);

// The account this device keeps, with its secrets from the keychain: what a round needs.
struct StoredAccount
{
    AccountSettings settings;
    WebDavAccount account;
    QByteArray key; // empty: not encrypted
};
// nullopt when no account is set; NotFound with field "password" or "passphrase" when the keychain has lost
// a secret (set the account again); the keychain's own error when it cannot be read. Blocks on the keychain:
// not on the GUI thread.
Result<std::optional<StoredAccount>> loadStoredAccount(storage::SyncStore &store);

// Puts this device's app password, and the account's key (empty: not encrypted, any old key removed), into
// the keychain; errors carry field "keychain". Blocks on the keychain.
Result<void> storeAccountSecrets(storage::SyncStore &store, const QString &password, const QByteArray &key);
// Where sync stands on this device, for the header, the Account page and `sync status`.
struct SyncOverview
{
    std::optional<AccountSettings> account;
    QString device;
    qint64 outbox = 0;        // records changed here, not yet numbered
    qint64 unsentFiles = 0;   // numbered into change files, waiting for the account
    qint64 unsentChanges = 0; // the changes in those files
    qint64 records = 0;       // records whose last merged version is known here
    QList<storage::SyncDevice> devices;
    QJsonObject lastRound; // SyncRound::toJson, with "error" when it failed; empty: never synced
};
Result<SyncOverview> readOverview(storage::SyncStore &store);

// Takes this device's app password and key out of the keychain (forgetting the account; the caller then
// runs SyncStore::forgetAccount). Blocks on the keychain.
Result<void> removeAccountSecrets(storage::SyncStore &store);

// Connects as a device joining would: the folder is made when missing, and with a passphrase the account's
// key file is read (or written, for the first device) and the key returned; without one, an encrypted
// account is refused (field "passphrase"). Nothing is stored here. `certificateSha256`, when given, receives
// the fingerprint of the certificate the server presented (what the user confirms to pin a self-signed one).
Result<QByteArray> connectAccount(const AccountSettings &account, const QString &password,
                                  const std::optional<QString> &passphrase,
                                  QByteArray *certificateSha256 = nullptr);

} // namespace cachewise::sync
