// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sync/account.h"

#include "core/common/secretstore.h"
#include "core/storage/syncstore.h"
#include "core/sync/crypto.h"

#include <QFile>
#include <QJsonDocument>

#include <tuple>

namespace cachewise::sync {
namespace {

const QString kUrl = QStringLiteral("account.url");
const QString kUser = QStringLiteral("account.user");
const QString kFolder = QStringLiteral("account.folder");
const QString kCaFile = QStringLiteral("account.caFile");
const QString kPin = QStringLiteral("account.pinnedSha256");
const QString kEncrypted = QStringLiteral("account.encrypted");

Result<QList<QSslCertificate>> readCaFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Cannot read the CA file %1: %2.").arg(path, file.errorString()),
                         QStringLiteral("caFile"));
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("%1 holds no PEM certificate.").arg(path),
                         QStringLiteral("caFile"));
    return certificates;
}

} // namespace

QUrl AccountSettings::folderUrl() const
{
    QUrl out = url;
    QString path = out.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    if (!folder.isEmpty())
        path += folder + QLatin1Char('/');
    out.setPath(path);
    return out;
}

Result<void> checkAccount(const AccountSettings &account)
{
    if (!account.url.isValid() || account.url.scheme() != QLatin1String("https") ||
        account.url.host().isEmpty())
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("The server URL must be an https:// address (CacheWise sends your app "
                           "password only over verified TLS)."),
            QStringLiteral("url"));
    if (!account.url.userInfo().isEmpty() || account.url.hasQuery() || account.url.hasFragment())
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The server URL carries no user, query or fragment: give the user "
                                        "apart and the app password through the keychain."),
                         QStringLiteral("url"));
    if (account.user.trimmed().isEmpty() || account.user.contains(QLatin1Char(':')))
        return makeError(ErrorKind::BadInput, QStringLiteral("The user name is empty or holds a colon."),
                         QStringLiteral("user"));
    const QStringList segments = account.folder.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (!account.folder.isEmpty() &&
        (account.folder.startsWith(QLatin1Char('/')) || account.folder.endsWith(QLatin1Char('/')) ||
         segments.contains(QStringLiteral("..")) || segments.contains(QStringLiteral(".")) ||
         segments.size() != account.folder.split(QLatin1Char('/')).size()))
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("The folder '%1' must be a path under the server URL, like CacheWise or "
                           "Apps/CacheWise.")
                .arg(account.folder),
            QStringLiteral("folder"));
    if (!account.caFile.isEmpty()) {
        if (auto cas = readCaFile(account.caFile); !cas)
            return cas.error();
    }
    if (!account.pinnedSha256.isEmpty() && account.pinnedSha256.size() != 32)
        return makeError(ErrorKind::BadInput, QStringLiteral("A pinned fingerprint is a SHA-256 (32 bytes)."),
                         QStringLiteral("fingerprint"));
    return {};
}

Result<QByteArray> parseFingerprint(const QString &text)
{
    QString hex = text;
    hex.remove(QLatin1Char(':'));
    const QByteArray bytes = QByteArray::fromHex(hex.toLatin1());
    if (bytes.size() != 32 || bytes.toHex() != hex.toLower().toLatin1())
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("'%1' is not a SHA-256 fingerprint (64 hexadecimal digits, colons "
                                        "allowed).")
                             .arg(text),
                         QStringLiteral("fingerprint"));
    return bytes;
}

QString formatFingerprint(const QByteArray &sha256)
{
    return QString::fromLatin1(sha256.toHex(':')).toUpper();
}

Result<WebDavAccount> webDavAccount(const AccountSettings &account, const QString &password)
{
    if (auto r = checkAccount(account); !r)
        return r.error();
    WebDavAccount out;
    out.folder = account.folderUrl();
    out.user = account.user;
    out.password = password;
    out.pinnedSha256 = account.pinnedSha256;
    if (!account.caFile.isEmpty()) {
        auto cas = readCaFile(account.caFile);
        if (!cas)
            return cas.error();
        out.trustedCas = *cas;
    }
    return out;
}

Result<std::optional<AccountSettings>> loadAccount(storage::SyncStore &store)
{
    AccountSettings a;
    auto url = store.state(kUrl);
    if (!url)
        return url.error();
    if (!*url)
        return std::optional<AccountSettings>{};
    a.url = QUrl(**url);
    for (const auto &[key, target] :
         {std::pair{kUser, &a.user}, std::pair{kFolder, &a.folder}, std::pair{kCaFile, &a.caFile}}) {
        auto value = store.state(key);
        if (!value)
            return value.error();
        *target = value->value_or(QString());
    }
    auto pin = store.state(kPin);
    if (!pin)
        return pin.error();
    a.pinnedSha256 = QByteArray::fromHex(pin->value_or(QString()).toLatin1());
    auto encrypted = store.state(kEncrypted);
    if (!encrypted)
        return encrypted.error();
    a.encrypted = encrypted->value_or(QString()) == QLatin1String("1");
    return std::optional<AccountSettings>(a);
}

Result<void> saveAccount(storage::SyncStore &store, const AccountSettings &a)
{
    for (const auto &[key, value] :
         {std::pair{kUrl, a.url.toString()}, std::pair{kUser, a.user}, std::pair{kFolder, a.folder},
          std::pair{kCaFile, a.caFile}, std::pair{kPin, QString::fromLatin1(a.pinnedSha256.toHex())},
          std::pair{kEncrypted, a.encrypted ? QStringLiteral("1") : QStringLiteral("0")}}) {
        if (auto r = store.setState(key, value); !r)
            return r;
    }
    return {};
}

Result<QByteArray> connectAccount(const AccountSettings &account, const QString &password,
                                  const std::optional<QString> &passphrase, QByteArray *certificateSha256)
{
    // The root first: its answer says what is wrong with the server or the credentials, before the folder.
    AccountSettings root = account;
    root.folder.clear();
    auto rootAccount = webDavAccount(root, password);
    if (!rootAccount)
        return rootAccount.error();
    WebDavClient rootClient(*rootAccount);
    const auto checked = rootClient.check();
    if (certificateSha256)
        *certificateSha256 = rootClient.lastCertificateSha256();
    if (!checked)
        return checked.error();
    // The folder, one level at a time (MKCOL makes one).
    QString made;
    for (const QString &segment : account.folder.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        made += (made.isEmpty() ? QString() : QStringLiteral("/")) + segment;
        if (auto r = rootClient.makeFolder(made); !r)
            return r.error();
    }
    auto folderAccount = webDavAccount(account, password);
    if (!folderAccount)
        return folderAccount.error();
    WebDavClient client(*folderAccount);
    auto keyFile = client.get(kKeyFileName);
    if (!keyFile && keyFile.error().kind != ErrorKind::NotFound)
        return keyFile.error();
    if (!passphrase) {
        if (keyFile)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("This account's files are encrypted: give its sync passphrase."),
                             QStringLiteral("passphrase"));
        return QByteArray();
    }
    if (keyFile)
        return unlockAccountKey(*passphrase, *keyFile);
    // The first device to encrypt the account: only when it holds nothing yet, or its plain files would
    // sit beside sealed ones.
    auto listed = client.list(QStringLiteral("changes"));
    if (listed && !listed->isEmpty())
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("This account already holds unencrypted files from other devices: use a "
                           "new folder for an encrypted account."),
            QStringLiteral("passphrase"));
    auto made2 = createAccountKey(*passphrase);
    if (!made2)
        return made2.error();
    if (auto r = client.put(kKeyFileName, made2->keyFile); !r)
        return r.error();
    return made2->key;
}

Result<std::optional<StoredAccount>> loadStoredAccount(storage::SyncStore &store)
{
    auto settings = loadAccount(store);
    if (!settings)
        return settings.error();
    if (!*settings)
        return std::optional<StoredAccount>{};
    auto device = store.deviceId();
    if (!device)
        return device.error();
    const auto fromKeychain = [](const Error &e) {
        return Error{e.kind, e.message, QStringLiteral("keychain")};
    };
    auto password = secrets::readNow(passwordSecretName(*device));
    if (!password)
        return fromKeychain(password.error());
    if (!*password)
        return makeError(
            ErrorKind::NotFound,
            QStringLiteral("The account's app password is not in the keychain: set the account again."),
            QStringLiteral("password"));
    StoredAccount out;
    out.settings = **settings;
    if (out.settings.encrypted) {
        auto key = secrets::readNow(keySecretName(*device));
        if (!key)
            return fromKeychain(key.error());
        if (!*key)
            return makeError(
                ErrorKind::NotFound,
                QStringLiteral("The account is encrypted but its key is not in the keychain: set "
                               "the account again with its passphrase."),
                QStringLiteral("passphrase"));
        out.key = QByteArray::fromHex((*key)->toLatin1());
    }
    auto account = webDavAccount(out.settings, **password);
    if (!account)
        return account.error();
    out.account = *account;
    return std::optional<StoredAccount>(std::move(out));
}

Result<void> storeAccountSecrets(storage::SyncStore &store, const QString &password, const QByteArray &key)
{
    auto device = store.deviceId();
    if (!device)
        return device.error();
    auto stored = secrets::writeNow(passwordSecretName(*device), password);
    if (stored)
        stored = key.isEmpty() ? secrets::removeNow(keySecretName(*device))
                               : secrets::writeNow(keySecretName(*device), QString::fromLatin1(key.toHex()));
    if (!stored)
        return Error{stored.error().kind, stored.error().message, QStringLiteral("keychain")};
    return {};
}

Result<void> removeAccountSecrets(storage::SyncStore &store)
{
    auto device = store.deviceId();
    if (!device)
        return device.error();
    for (const QString &name : {passwordSecretName(*device), keySecretName(*device)}) {
        if (auto r = secrets::removeNow(name); !r)
            return Error{r.error().kind, r.error().message, QStringLiteral("keychain")};
    }
    return {};
}

Result<SyncOverview> readOverview(storage::SyncStore &store)
{
    SyncOverview out;
    auto account = loadAccount(store);
    if (!account)
        return account.error();
    out.account = *account;
    auto device = store.deviceId();
    if (!device)
        return device.error();
    out.device = *device;
    auto outbox = store.outboxSize();
    if (!outbox)
        return outbox.error();
    out.outbox = *outbox;
    auto unsent = store.outgoingCounts();
    if (!unsent)
        return unsent.error();
    std::tie(out.unsentFiles, out.unsentChanges) = *unsent;
    auto records = store.recordCount();
    if (!records)
        return records.error();
    out.records = *records;
    auto devices = store.devices();
    if (!devices)
        return devices.error();
    out.devices = *devices;
    auto last = store.state(QStringLiteral("last.round"));
    if (!last)
        return last.error();
    if (*last)
        out.lastRound = QJsonDocument::fromJson((*last)->toUtf8()).object();
    return out;
}

} // namespace cachewise::sync
