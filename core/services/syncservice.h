// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/syncstore.h"
#include "core/storage/writes.h"
#include "core/sync/account.h"
#include "core/sync/syncer.h"

#include <QJsonObject>
#include <QMetaType>
#include <QObject>

#include <memory>
#include <optional>

class QThread;
class QTimer;

namespace cachewise {
class Clock;
}

namespace cachewise::services {

// Where sync stands, for the header and the Account page.
struct SyncStatus : sync::SyncOverview
{
    bool loaded = false; // false until the first read
    bool running = false;
    QString error; // reading the status failed
};

// The outcome of Test connection or Save for the account form.
struct AccountCheck
{
    bool ok = false;
    QString message;
    QString field; // what the message is about (url, user, password, certificate, passphrase…)
    QByteArray certificateSha256; // what the server presented: shown for the user to confirm and pin
};

} // namespace cachewise::services

Q_DECLARE_METATYPE(cachewise::services::SyncStatus)
Q_DECLARE_METATYPE(cachewise::services::AccountCheck)
Q_DECLARE_METATYPE(cachewise::sync::SyncProgress)

namespace cachewise::services {

// Sync for the running app (DESIGN "Hosted account"): a round on start, a few seconds after a local change
// (debounced), every few minutes, and on Sync now; rounds, the keychain and account checks run on a thread of
// their own, writes go through the Engine's writer. Every call returns at once; results arrive as signals.
class SyncService final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kAfterChangeMs = 10'000;
    static constexpr int kPeriodMs = 5 * 60'000;
    static constexpr int kOnStartMs = 3'000;

    SyncService(QString databasePath, storage::Writes writes, const Clock &clock, QObject *parent = nullptr);
    ~SyncService() override;

    // Starts the timers (a round soon after, when an account is set) and reads the status.
    void start();
    void syncNow();
    // Something this process wrote that may sync (Engine::changed, changedElsewhere): a round after a pause.
    void noteLocalChange();
    void refresh();

    // Checks the account as a joining device would, without keeping anything (Test connection).
    void testAccount(const sync::AccountSettings &account, const QString &password,
                     const std::optional<QString> &passphrase);
    // Checks, then keeps it: the password (and key) in the keychain, the rest in the database; a round
    // follows.
    void setAccount(const sync::AccountSettings &account, const QString &password,
                    const std::optional<QString> &passphrase);
    void forgetAccount();

    const SyncStatus &status() const { return m_status; }

Q_SIGNALS:
    void statusChanged(const cachewise::services::SyncStatus &status);
    void progress(const cachewise::sync::SyncProgress &progress);
    void accountChecked(const cachewise::services::AccountCheck &check, bool kept);
    void forgotten(const QString &error);

private:
    void post(std::function<void(storage::Repository &)> work);
    void runRound(storage::Repository &repository);
    void readStatus(storage::Repository &repository, bool running);
    AccountCheck check(storage::Repository &repository, const sync::AccountSettings &account,
                       const QString &password, const std::optional<QString> &passphrase, bool keep);

    QString m_path;
    storage::Writes m_writes;
    const Clock &m_clock;
    QThread *m_thread;
    QObject *m_context;                                // lives on m_thread
    std::unique_ptr<storage::Repository> m_repository; // on m_thread
    QTimer *m_afterChange;
    QTimer *m_periodic;
    SyncStatus m_status;
    bool m_roundQueued = false;
};

} // namespace cachewise::services
