// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/accountpage.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {

qint64 number(const QJsonObject &o, const char *key)
{
    return qint64(o.value(QLatin1String(key)).toDouble());
}

QString when(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat);
}

} // namespace

AccountPage::AccountPage(services::SyncService &sync, QWidget *parent)
    : QWidget(parent), m_sync(sync), m_form(new QGroupBox(tr("Hosted account"), this)),
      m_url(new QLineEdit(this)), m_user(new QLineEdit(this)), m_password(new QLineEdit(this)),
      m_folder(new QLineEdit(this)), m_passphrase(new QLineEdit(this)), m_caFile(new QLineEdit(this)),
      m_test(new QPushButton(tr("Test connection"), this)),
      m_save(new QPushButton(tr("Save and sync"), this)), m_result(new QLabel(this)),
      m_certificate(new QWidget(this)), m_fingerprint(new QLabel(this)),
      m_state(new QGroupBox(tr("Sync"), this)), m_accountLine(new QLabel(this)),
      m_deviceLine(new QLabel(this)), m_waitingLine(new QLabel(this)), m_lastLine(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_devices(new QTreeWidget(this)),
      m_syncNow(new QPushButton(tr("Sync now"), this)), m_forget(new QPushButton(tr("Forget account…"), this))
{
    setObjectName(QStringLiteral("accountPage"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Account"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    outer->addWidget(title);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 8, 0);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);

    auto *intro =
        new QLabel(tr("Sync projects, their settings, recommendations, the action log and metric history "
                      "(as minute and hour rollups) between your machines through your own WebDAV "
                      "storage: Nextcloud, ownCloud or any WebDAV server. API key secrets and raw "
                      "samples never leave this machine."),
                   content);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_form->setObjectName(QStringLiteral("accountForm"));
    auto *form = new QFormLayout(m_form);
    const struct
    {
        QLineEdit *edit;
        const char *name;
        QString label;
        QString placeholder;
    } fields[] = {
        {m_url, "accountUrl", tr("Server URL"),
         QStringLiteral("https://cloud.example.org/remote.php/dav/files/ada")},
        {m_user, "accountUser", tr("User"), QString()},
        {m_password, "accountPassword", tr("App password"), tr("Kept in the system keychain")},
        {m_folder, "accountFolder", tr("Folder"), sync::kDefaultFolder},
        {m_passphrase, "accountPassphrase", tr("Encryption passphrase"), tr("Optional: encrypts every file")},
        {m_caFile, "accountCaFile", tr("Private CA (PEM)"), tr("Optional, for a self-hosted server")},
    };
    for (const auto &f : fields) {
        f.edit->setObjectName(QLatin1String(f.name));
        f.edit->setAccessibleName(f.label);
        f.edit->setPlaceholderText(f.placeholder);
    }
    m_password->setEchoMode(QLineEdit::Password);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_folder->setText(sync::kDefaultFolder);
    form->addRow(tr("Server URL"), m_url);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("App password"), m_password);
    form->addRow(tr("Folder"), m_folder);
    form->addRow(tr("Encryption passphrase"), m_passphrase);
    auto *caRow = new QHBoxLayout;
    auto *browse = new QPushButton(tr("Choose…"), m_form);
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);
    form->addRow(tr("Private CA (PEM)"), caRow);
    auto *buttons = new QHBoxLayout;
    m_test->setObjectName(QStringLiteral("accountTest"));
    m_save->setObjectName(QStringLiteral("accountSave"));
    buttons->addWidget(m_test);
    buttons->addWidget(m_save);
    buttons->addStretch();
    form->addRow(QString(), buttons);
    m_result->setObjectName(QStringLiteral("accountResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_result);
    // A self-signed server: its fingerprint, to compare with what the server's owner sees, then pinned.
    m_certificate->setObjectName(QStringLiteral("accountCertificate"));
    auto *certLayout = new QVBoxLayout(m_certificate);
    certLayout->setContentsMargins(0, 0, 0, 0);
    auto *certText =
        new QLabel(tr("The server's certificate is not signed by an authority this system trusts. "
                      "Trust it only if this SHA-256 fingerprint is the one your server shows:"),
                   m_certificate);
    certText->setWordWrap(true);
    m_fingerprint->setObjectName(QStringLiteral("accountFingerprint"));
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fingerprint->setWordWrap(true);
    m_fingerprint->setStyleSheet(QStringLiteral("font-family: monospace;"));
    auto *trust = new QPushButton(tr("Trust this certificate"), m_certificate);
    trust->setObjectName(QStringLiteral("accountTrust"));
    certLayout->addWidget(certText);
    certLayout->addWidget(m_fingerprint);
    certLayout->addWidget(trust, 0, Qt::AlignLeft);
    m_certificate->hide();
    form->addRow(QString(), m_certificate);
    m_state->setObjectName(QStringLiteral("accountState"));
    auto *state = new QVBoxLayout(m_state);
    for (QLabel *line : {m_accountLine, m_deviceLine, m_waitingLine, m_lastLine}) {
        line->setWordWrap(true);
        line->setTextInteractionFlags(Qt::TextSelectableByMouse);
        state->addWidget(line);
    }
    m_lastLine->setObjectName(QStringLiteral("accountLastSync"));
    m_progress->setObjectName(QStringLiteral("accountProgress"));
    m_progress->setTextVisible(true);
    m_progress->hide();
    state->addWidget(m_progress);
    m_devices->setObjectName(QStringLiteral("accountDevices"));
    m_devices->setAccessibleName(tr("Other devices"));
    m_devices->setHeaderLabels({tr("Device"), tr("Merged through change"), tr("Problem")});
    m_devices->setRootIsDecorated(false);
    m_devices->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_devices->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_devices->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_devices->setMinimumHeight(90);
    state->addWidget(m_devices);
    auto *actions = new QHBoxLayout;
    m_syncNow->setObjectName(QStringLiteral("accountSyncNow"));
    m_forget->setObjectName(QStringLiteral("accountForget"));
    actions->addWidget(m_syncNow);
    actions->addWidget(m_forget);
    actions->addStretch();
    state->addLayout(actions);
    m_state->hide();
    // How sync stands comes first once an account is set; the form below changes its password or passphrase.
    layout->addWidget(m_state);
    layout->addWidget(m_form);
    layout->addStretch();

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Private CA certificate"), QString(),
                                         tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    connect(m_test, &QPushButton::clicked, this, [this] {
        setBusy(true);
        m_result->setText(tr("Connecting…"));
        m_sync.testAccount(formAccount(), m_password->text(), formPassphrase());
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        setBusy(true);
        m_result->setText(tr("Connecting…"));
        m_sync.setAccount(formAccount(), m_password->text(), formPassphrase());
    });
    connect(trust, &QPushButton::clicked, this, [this] {
        m_pinnedSha256 = m_offeredSha256;
        m_certificate->hide();
        setBusy(true);
        m_result->setText(tr("Connecting…"));
        m_sync.testAccount(formAccount(), m_password->text(), formPassphrase());
    });
    // Another server or address: a certificate confirmed for the old one does not carry over.
    connect(m_url, &QLineEdit::textEdited, this, [this] { m_pinnedSha256.clear(); });
    connect(m_syncNow, &QPushButton::clicked, this, [this] { m_sync.syncNow(); });
    connect(m_forget, &QPushButton::clicked, this, [this] {
        const auto answer = QMessageBox::question(
            this, tr("Forget the account?"),
            tr("This device stops syncing. Its data stays here, and the account keeps what was sent. Joining "
               "again later, this device counts as a new one."));
        if (answer == QMessageBox::Yes)
            m_sync.forgetAccount();
    });
    connect(&m_sync, &services::SyncService::statusChanged, this, &AccountPage::showStatus);
    connect(&m_sync, &services::SyncService::accountChecked, this, &AccountPage::showCheck);
    connect(&m_sync, &services::SyncService::progress, this, &AccountPage::showProgress);
    connect(&m_sync, &services::SyncService::forgotten, this, [this](const QString &error) {
        Q_EMIT message(error.isEmpty() ? tr("This device no longer syncs") : tr("Error: %1").arg(error));
    });
    if (m_sync.status().loaded)
        showStatus(m_sync.status());
    m_sync.refresh();
}

sync::AccountSettings AccountPage::formAccount() const
{
    sync::AccountSettings a;
    a.url = QUrl(m_url->text().trimmed());
    a.user = m_user->text().trimmed();
    a.folder = m_folder->text().trimmed();
    a.caFile = m_caFile->text().trimmed();
    a.pinnedSha256 = m_pinnedSha256;
    return a;
}

std::optional<QString> AccountPage::formPassphrase() const
{
    return m_passphrase->text().isEmpty() ? std::nullopt : std::optional<QString>(m_passphrase->text());
}

void AccountPage::setBusy(bool busy)
{
    m_test->setEnabled(!busy);
    m_save->setEnabled(!busy);
}

QString AccountPage::describeFailure(const QString &field)
{
    static const QHash<QString, const char *> words{
        {QStringLiteral("url"), QT_TR_NOOP("The server URL is not usable: it must be an https:// address.")},
        {QStringLiteral("user"), QT_TR_NOOP("The user name is missing or not valid.")},
        {QStringLiteral("folder"),
         QT_TR_NOOP("The folder does not exist on the server, or is not a path under the URL (HTTP 404).")},
        {QStringLiteral("caFile"), QT_TR_NOOP("The private CA file cannot be read or holds no certificate.")},
        {QStringLiteral("dns"), QT_TR_NOOP("The server's name cannot be found (DNS).")},
        {QStringLiteral("connection"), QT_TR_NOOP("The server cannot be reached.")},
        {QStringLiteral("timeout"), QT_TR_NOOP("The server did not answer in time.")},
        {QStringLiteral("certificate"), QT_TR_NOOP("The server's certificate is not trusted.")},
        {QStringLiteral("password"),
         QT_TR_NOOP("The server refused the user name or app password (HTTP 401).")},
        {QStringLiteral("passwordMissing"), QT_TR_NOOP("Enter the app password.")},
        {QStringLiteral("forbidden"), QT_TR_NOOP("This user may not use that folder (HTTP 403).")},
        {QStringLiteral("quota"), QT_TR_NOOP("The storage is full (HTTP 507): free space on the server.")},
        {QStringLiteral("webdav"), QT_TR_NOOP("That address does not speak WebDAV.")},
        {QStringLiteral("passphrase"),
         QT_TR_NOOP("The encryption passphrase is wrong, missing, or was changed on another device.")},
        {QStringLiteral("keychain"), QT_TR_NOOP("The system keychain did not answer.")},
    };
    const auto it = words.constFind(field);
    return it == words.constEnd() ? tr("Sync failed.") : tr(*it);
}

QString AccountPage::headerText(const services::SyncStatus &status, QString *toolTip, bool *failed)
{
    *failed = false;
    toolTip->clear();
    if (!status.account)
        return {};
    if (status.running)
        return tr("Syncing…");
    const QJsonObject &last = status.lastRound;
    if (last.isEmpty())
        return tr("Not synced yet");
    const QString error = last.value(QLatin1String("error")).toString();
    if (!error.isEmpty()) {
        *failed = true;
        *toolTip =
            describeFailure(last.value(QLatin1String("errorField")).toString()) + QLatin1Char('\n') + error;
        return tr("Sync failed");
    }
    const bool problems = !last.value(QLatin1String("problems")).toArray().isEmpty();
    *failed = problems;
    *toolTip = problems ? tr("Some files could not be used: see the Account page") : QString();
    return tr("Synced %1")
        .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(number(last, "finishedAt")).time(),
                                QLocale::ShortFormat));
}

void AccountPage::showStatus(const services::SyncStatus &status)
{
    if (!status.error.isEmpty()) {
        m_result->setText(tr("Error: %1").arg(status.error));
        return;
    }
    const bool set = status.account.has_value();
    m_state->setVisible(set);
    m_url->setEnabled(!set);
    m_folder->setEnabled(!set);
    m_forget->setEnabled(set);
    m_syncNow->setEnabled(set && !status.running);
    if (!status.running)
        m_progress->hide();
    if (!set)
        return;
    const sync::AccountSettings &a = *status.account;
    if (m_url->text().isEmpty()) {
        m_url->setText(a.url.toString());
        m_user->setText(a.user);
        m_folder->setText(a.folder);
        m_caFile->setText(a.caFile);
        m_pinnedSha256 = a.pinnedSha256;
    }
    m_accountLine->setText(
        tr("Syncing with %1 as %2%3")
            .arg(a.folderUrl().toString(), a.user, a.encrypted ? tr(", end-to-end encrypted") : QString()));
    m_deviceLine->setText(tr("This device: %1").arg(status.device));
    m_waitingLine->setText(tr("Waiting to be sent: %1 changed records, %2 numbered changes")
                               .arg(status.outbox)
                               .arg(status.unsentChanges));
    const QJsonObject &last = status.lastRound;
    if (status.running) {
        m_lastLine->setText(tr("Syncing…"));
    } else if (last.isEmpty()) {
        m_lastLine->setText(tr("Last sync: never"));
    } else if (const QString error = last.value(QLatin1String("error")).toString(); !error.isEmpty()) {
        m_lastLine->setText(tr("Last sync failed at %1: %2")
                                .arg(when(number(last, "finishedAt")),
                                     describeFailure(last.value(QLatin1String("errorField")).toString())));
        m_lastLine->setToolTip(error);
    } else {
        m_lastLine->setText(
            tr("Last sync %1: sent %2 changes in %3 files (%4 bytes); received %5 files; applied "
               "%6 changes; %7 versions lost a conflict (see the action log)")
                .arg(when(number(last, "finishedAt")))
                .arg(number(last, "changesMade"))
                .arg(number(last, "filesSent"))
                .arg(QLocale().toString(number(last, "bytesSent")))
                .arg(number(last, "filesReceived"))
                .arg(number(last, "changesApplied"))
                .arg(number(last, "versionsLost")));
        m_lastLine->setToolTip(QString());
    }
    m_devices->clear();
    for (const storage::SyncDevice &d : status.devices) {
        auto *item = new QTreeWidgetItem(m_devices);
        item->setText(0, d.device);
        item->setText(1, QLocale().toString(d.appliedTo));
        if (!d.problem.isEmpty()) {
            item->setText(2, tr("A file could not be used; this device's later changes wait for it"));
            item->setToolTip(2, d.problem);
        }
    }
}

void AccountPage::showCheck(const services::AccountCheck &check, bool kept)
{
    setBusy(false);
    if (check.ok) {
        m_certificate->hide();
        m_result->setText(kept ? tr("Saved: the app password is in the system keychain. Syncing now.")
                               : tr("Connected: the server answers as WebDAV and the folder is usable."));
        // Kept in the keychain now: the form does not hold secrets longer than needed.
        if (kept) {
            m_password->clear();
            m_passphrase->clear();
            Q_EMIT message(tr("Account saved"));
        }
        return;
    }
    m_result->setText(describeFailure(check.field) + QLatin1Char('\n') +
                      tr("Details: %1").arg(check.message));
    if (check.field == QLatin1String("certificate") && !check.certificateSha256.isEmpty()) {
        m_offeredSha256 = check.certificateSha256;
        m_fingerprint->setText(sync::formatFingerprint(check.certificateSha256));
        m_certificate->show();
    } else {
        m_certificate->hide();
    }
}

void AccountPage::showProgress(const sync::SyncProgress &p)
{
    m_progress->show();
    const QString file = p.file.section(QLatin1Char('/'), -1);
    switch (p.phase) {
    case sync::SyncProgress::Phase::Preparing:
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Preparing changes…"));
        return;
    case sync::SyncProgress::Phase::Sending: m_progress->setFormat(tr("Sending %1: %p%").arg(file)); break;
    case sync::SyncProgress::Phase::Receiving:
        m_progress->setFormat(tr("Receiving %1: %p%").arg(file));
        break;
    case sync::SyncProgress::Phase::Applying:
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Merging %1…").arg(file));
        return;
    }
    if (p.total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(p.done * 1000 / p.total));
    } else {
        m_progress->setRange(0, 0);
    }
}

} // namespace cachewise::ui
