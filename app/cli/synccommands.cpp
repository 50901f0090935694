// SPDX-License-Identifier: GPL-3.0-or-later
// sync status, now, forget; sync account set, test.
#include "app/cli/cli.h"
#include "core/common/timeformat.h"
#include "core/storage/writes.h"
#include "core/sync/account.h"
#include "core/sync/crypto.h"
#include "core/sync/syncer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace cachewise::cli {
namespace {

// A failure in words; with --json also as {"error", "field"} on standard output, for scripts.
int syncFailure(Context &c, const Error &e)
{
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("error"), e.message}, {QStringLiteral("field"), e.field}});
    return c.failure(e.message);
}

QJsonObject accountJson(const sync::AccountSettings &a)
{
    return QJsonObject{
        {QStringLiteral("url"), a.url.toString()},
        {QStringLiteral("user"), a.user},
        {QStringLiteral("folder"), a.folder},
        {QStringLiteral("caFile"), a.caFile},
        {QStringLiteral("pinnedSha256"), a.pinnedSha256.isEmpty()
                                             ? QJsonValue(QJsonValue::Null)
                                             : QJsonValue(sync::formatFingerprint(a.pinnedSha256))},
        {QStringLiteral("encrypted"), a.encrypted},
    };
}

// The stored account with its secrets from the keychain, or the exit code said.
std::optional<sync::StoredAccount> storedAccount(Context &c, int *code)
{
    if (!c.openStorage(code))
        return std::nullopt;
    auto stored = sync::loadStoredAccount(c.repository.sync());
    if (!stored) {
        *code = syncFailure(c, stored.error());
        return std::nullopt;
    }
    if (!*stored) {
        *code =
            syncFailure(c, Error{ErrorKind::NotFound,
                                 QStringLiteral("No hosted account is set. Set one with: cachewise-cli sync "
                                                "account set --url URL --user NAME --password-stdin"),
                                 QStringLiteral("account")});
        return std::nullopt;
    }
    return std::move(**stored);
}

int accountSet(Context &c)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    const auto &o = c.args.options;
    if (!o.contains(QStringLiteral("url")) || !o.contains(QStringLiteral("user")))
        return c.usage(QStringLiteral("--url and --user are required"));
    if (!c.args.flags.contains(QStringLiteral("password-stdin")))
        return c.usage(
            QStringLiteral("--password-stdin is required: the app password is read from standard input"));
    if (o.contains(QStringLiteral("passphrase")) && c.args.flags.contains(QStringLiteral("passphrase-stdin")))
        return c.usage(QStringLiteral("give --passphrase or --passphrase-stdin, not both"));
    sync::AccountSettings settings;
    settings.url = QUrl(o.value(QStringLiteral("url")));
    settings.user = o.value(QStringLiteral("user"));
    settings.folder = o.value(QStringLiteral("folder"), sync::kDefaultFolder);
    settings.caFile = o.value(QStringLiteral("ca-file"));
    if (o.contains(QStringLiteral("trust-fingerprint"))) {
        auto pin = sync::parseFingerprint(o.value(QStringLiteral("trust-fingerprint")));
        if (!pin)
            return c.usage(pin.errorMessage());
        settings.pinnedSha256 = *pin;
    }
    if (auto r = sync::checkAccount(settings); !r)
        return c.usage(r.errorMessage());
    const auto password = c.secretFromStdin(QStringLiteral("app password"), &code);
    if (!password)
        return code;
    std::optional<QString> passphrase;
    if (o.contains(QStringLiteral("passphrase")))
        passphrase = o.value(QStringLiteral("passphrase"));
    else if (c.args.flags.contains(QStringLiteral("passphrase-stdin"))) {
        passphrase = c.secretFromStdin(QStringLiteral("passphrase"), &code);
        if (!passphrase)
            return code;
    }
    if (passphrase && passphrase->isEmpty())
        return c.usage(QStringLiteral("the passphrase is empty"));
    if (!c.openStorage(&code))
        return code;
    auto existing = sync::loadAccount(c.repository.sync());
    if (!existing)
        return syncFailure(c, existing.error());
    if (*existing && ((*existing)->folderUrl() != settings.folderUrl()))
        return syncFailure(
            c, Error{ErrorKind::Conflict,
                     QStringLiteral("This device syncs with %1. Forget that account first (cachewise-cli "
                                    "sync forget); changing the folder of an account is not supported.")
                         .arg((*existing)->folderUrl().toString()),
                     QStringLiteral("url")});
    // Nothing is kept until the account answered as it should.
    auto key = sync::connectAccount(settings, *password, passphrase);
    if (!key)
        return syncFailure(c, key.error());
    settings.encrypted = !key->isEmpty();
    auto device = c.repository.sync().deviceId();
    if (!device)
        return syncFailure(c, device.error());
    if (auto r = sync::storeAccountSecrets(c.repository.sync(), *password, *key); !r)
        return syncFailure(c, r.error());
    if (auto r = sync::saveAccount(c.repository.sync(), settings); !r)
        return syncFailure(c, r.error());
    if (c.json) {
        QJsonObject out = accountJson(settings);
        out.insert(QStringLiteral("device"), *device);
        printJson(out);
    } else {
        out(QStringLiteral("Account set: %1 as %2%3.")
                .arg(settings.folderUrl().toString(), settings.user,
                     settings.encrypted ? QStringLiteral(", end-to-end encrypted") : QString()));
        out(QStringLiteral("This device: %1. Sync with: cachewise-cli sync now").arg(*device));
    }
    return kOk;
}

int accountTest(Context &c)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    const auto connected = storedAccount(c, &code);
    if (!connected)
        return code;
    sync::WebDavClient client(connected->account);
    if (auto r = client.check(); !r)
        return syncFailure(c, r.error());
    // With a key: the account's key file must open with it (a passphrase changed elsewhere shows here).
    if (connected->settings.encrypted) {
        auto keyFile = client.get(sync::kKeyFileName);
        if (!keyFile)
            return syncFailure(c, keyFile.error());
        auto probe = sync::checkAccountKey(connected->key, *keyFile);
        if (!probe)
            return syncFailure(c, probe.error());
    }
    if (c.json) {
        QJsonObject o = accountJson(connected->settings);
        o.insert(QStringLiteral("ok"), true);
        printJson(o);
    } else {
        out(QStringLiteral("Connected: %1 answers as WebDAV for %2%3.")
                .arg(connected->settings.folderUrl().toString(), connected->settings.user,
                     connected->settings.encrypted ? QStringLiteral("; the encryption key opens the account")
                                                   : QString()));
    }
    return kOk;
}

int syncForget(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    if (!c.openStorage(&code))
        return code;
    if (auto r = sync::removeAccountSecrets(c.repository.sync()); !r)
        return syncFailure(c, r.error());
    storage::Transaction tx(c.repository.database());
    if (auto r = c.repository.sync().forgetAccount(); !r)
        return syncFailure(c, r.error());
    if (auto r = tx.commit(); !r)
        return syncFailure(c, r.error());
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("forgotten"), true}});
    else
        out(QStringLiteral(
            "This device no longer syncs; its data stays. The app password and key are gone from "
            "the keychain."));
    return kOk;
}

QString roundText(const QJsonObject &r)
{
    const auto n = [&r](const char *key) {
        return qint64(r.value(QLatin1String(key)).toDouble());
    };
    return QStringLiteral(
               "changes made here %1; sent %2 files (%3 bytes); received %4 files (%5 bytes); applied %6; "
               "versions lost %7; duplicates %8; not applied %9%10")
        .arg(n("changesMade"))
        .arg(n("filesSent"))
        .arg(n("bytesSent"))
        .arg(n("filesReceived"))
        .arg(n("bytesReceived"))
        .arg(n("changesApplied"))
        .arg(n("versionsLost"))
        .arg(n("duplicates"))
        .arg(n("notApplied"))
        .arg(n("snapshotChanges") == 0
                 ? QString()
                 : QStringLiteral("; snapshot of %1 changes written, %2 files it replaced removed")
                       .arg(n("snapshotChanges"))
                       .arg(n("filesRemoved")));
}

int syncNow(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    const auto connected = storedAccount(c, &code);
    if (!connected)
        return code;
    sync::Syncer syncer(storage::writesOn(c.repository), connected->account, connected->key, c.clock);
    if (c.args.flags.contains(QStringLiteral("snapshot")))
        syncer.setSnapshot(sync::Syncer::Snapshot::Now);
    auto round = syncer.run();
    if (!round)
        return syncFailure(c, round.error());
    if (c.json) {
        printJson(round->toJson());
    } else {
        out(QStringLiteral("Synced: ") + roundText(round->toJson()) + QLatin1Char('.'));
        for (const QString &p : round->problems)
            out(QStringLiteral("  ") + p);
    }
    return kOk;
}

int syncStatus(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    if (!c.openStorage(&code))
        return code;
    auto status = sync::readOverview(c.repository.sync());
    if (!status)
        return syncFailure(c, status.error());
    const bool everSynced = !status->lastRound.isEmpty();
    if (c.json) {
        QJsonArray deviceList;
        for (const storage::SyncDevice &d : std::as_const(status->devices))
            deviceList << QJsonObject{{QStringLiteral("device"), d.device},
                                      {QStringLiteral("appliedTo"), double(d.appliedTo)},
                                      {QStringLiteral("problem"), d.problem}};
        QJsonObject o{
            {QStringLiteral("configured"), status->account.has_value()},
            {QStringLiteral("device"), status->device},
            {QStringLiteral("outbox"), double(status->outbox)},
            {QStringLiteral("unsentFiles"), double(status->unsentFiles)},
            {QStringLiteral("unsentChanges"), double(status->unsentChanges)},
            {QStringLiteral("records"), double(status->records)},
            {QStringLiteral("devices"), deviceList},
            {QStringLiteral("lastRound"),
             everSynced ? QJsonValue(status->lastRound) : QJsonValue(QJsonValue::Null)},
        };
        if (status->account)
            o.insert(QStringLiteral("account"), accountJson(*status->account));
        printJson(o);
        return kOk;
    }
    if (!status->account)
        out(QStringLiteral("No hosted account is set (cachewise-cli sync account set --help)."));
    else
        out(QStringLiteral("Account: %1 as %2%3")
                .arg(status->account->folderUrl().toString(), status->account->user,
                     status->account->encrypted ? QStringLiteral(", end-to-end encrypted") : QString()));
    out(QStringLiteral("This device: %1").arg(status->device));
    out(QStringLiteral("Waiting to be sent: %1 records changed, %2 changes in %3 files")
            .arg(status->outbox)
            .arg(status->unsentChanges)
            .arg(status->unsentFiles));
    for (const storage::SyncDevice &d : std::as_const(status->devices))
        out(QStringLiteral("Device %1: merged through change %2%3")
                .arg(d.device)
                .arg(d.appliedTo)
                .arg(d.problem.isEmpty() ? QString() : QStringLiteral(" (") + d.problem + QLatin1Char(')')));
    if (everSynced) {
        const QJsonObject &last = status->lastRound;
        const QString error = last.value(QLatin1String("error")).toString();
        out(QStringLiteral("Last sync: %1, %2")
                .arg(isoUtc(qint64(last.value(QLatin1String("finishedAt")).toDouble())),
                     error.isEmpty() ? roundText(last) : QStringLiteral("failed: ") + error));
    } else {
        out(QStringLiteral("Last sync: never"));
    }
    return kOk;
}

} // namespace

QList<Command> syncCommands()
{
    return {
        {{QStringLiteral("sync"), QStringLiteral("account"), QStringLiteral("set")},
         QStringLiteral("--url URL --user NAME --password-stdin [--folder PATH] [--passphrase TEXT | "
                        "--passphrase-stdin] [--ca-file PEM] [--trust-fingerprint SHA256]"),
         QStringLiteral(
             "sync this device with a WebDAV account (Nextcloud, ownCloud, Apache…) over verified "
             "HTTPS: the app password is read from standard input (then the passphrase, with "
             "--passphrase-stdin) and kept in the OS keychain; with a passphrase every file is "
             "encrypted end to end; --ca-file trusts a private CA, --trust-fingerprint a self-signed "
             "certificate whose SHA-256 you checked"),
         {QStringLiteral("url"), QStringLiteral("user"), QStringLiteral("folder"),
          QStringLiteral("passphrase"), QStringLiteral("ca-file"), QStringLiteral("trust-fingerprint")},
         {QStringLiteral("password-stdin"), QStringLiteral("passphrase-stdin")},
         {QStringLiteral("echo \\\"$APP_PASSWORD\\\" | cachewise-cli sync account set --url "
                         "https://cloud.example.org/remote.php/dav/files/ada --user ada --password-stdin"),
          QStringLiteral(
              "printf '%s\\n%s\\n' \\\"$APP_PASSWORD\\\" \\\"$SYNC_PASSPHRASE\\\" | cachewise-cli sync "
              "account set --url https://nas.local/dav --user ada --password-stdin --passphrase-stdin "
              "--ca-file nas-ca.pem")},
         accountSet},
        {{QStringLiteral("sync"), QStringLiteral("account"), QStringLiteral("test")},
         QString(),
         QStringLiteral("connect with the stored account and say what is wrong, in words (name, certificate, "
                        "password, permission, folder, quota, not WebDAV)"),
         {},
         {},
         {QStringLiteral("sync account test")},
         accountTest},
        {{QStringLiteral("sync"), QStringLiteral("now")},
         QStringLiteral("[--snapshot]"),
         QStringLiteral("send this device's changes and merge every other device's new ones, now; "
                        "--snapshot then writes this device's snapshot and removes the change files it "
                        "replaces (done by itself when they have grown to twice its size)"),
         {},
         {QStringLiteral("snapshot")},
         {QStringLiteral("sync now"), QStringLiteral("--json sync now"),
          QStringLiteral("sync now --snapshot")},
         syncNow},
        {{QStringLiteral("sync"), QStringLiteral("status")},
         QString(),
         QStringLiteral(
             "the account, this device, what waits to be sent, how far each device is merged and the "
             "last sync's figures"),
         {},
         {},
         {QStringLiteral("sync status")},
         syncStatus},
        {{QStringLiteral("sync"), QStringLiteral("forget")},
         QString(),
         QStringLiteral("stop syncing: the account's password and key leave the keychain; this device's data "
                        "stays, and joining again later it counts as a new device"),
         {},
         {},
         {QStringLiteral("sync forget")},
         syncForget},
    };
}

} // namespace cachewise::cli
