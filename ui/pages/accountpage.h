// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/syncservice.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QGroupBox;

namespace cachewise::ui {

// The hosted account: the form that joins one (server, user, app password, folder, passphrase, a private
// CA), Test connection with every failure in words, a self-signed certificate confirmed by its fingerprint
// and pinned, then how sync stands: this device, what waits, each device merged, the last round's figures,
// Sync now and Forget.
class AccountPage final : public QWidget
{
    Q_OBJECT

public:
    explicit AccountPage(services::SyncService &sync, QWidget *parent = nullptr);

    // What a failure's field means, in the reader's language (the server's own words follow as details).
    static QString describeFailure(const QString &field);
    // The header's one line: never synced, syncing, last synced at, or failed.
    static QString headerText(const services::SyncStatus &status, QString *toolTip, bool *failed);

Q_SIGNALS:
    void message(const QString &text);

private:
    void showStatus(const services::SyncStatus &status);
    void showCheck(const services::AccountCheck &check, bool kept);
    void showProgress(const sync::SyncProgress &progress);
    sync::AccountSettings formAccount() const;
    std::optional<QString> formPassphrase() const;
    void setBusy(bool busy);

    services::SyncService &m_sync;
    QGroupBox *m_form;
    QLineEdit *m_url;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_folder;
    QLineEdit *m_passphrase;
    QLineEdit *m_caFile;
    QPushButton *m_test;
    QPushButton *m_save;
    QLabel *m_result;
    QWidget *m_certificate;
    QLabel *m_fingerprint;
    QByteArray m_offeredSha256;
    QByteArray m_pinnedSha256;
    QGroupBox *m_state;
    QLabel *m_accountLine;
    QLabel *m_deviceLine;
    QLabel *m_waitingLine;
    QLabel *m_lastLine;
    QProgressBar *m_progress;
    QTreeWidget *m_devices;
    QPushButton *m_syncNow;
    QPushButton *m_forget;
};

} // namespace cachewise::ui
