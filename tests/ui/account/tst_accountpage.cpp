// SPDX-License-Identifier: GPL-3.0-or-later
// The Account page as a user meets it, against the real Apache the test starts: a wrong password said in
// words, a self-signed certificate shown by its fingerprint and trusted, Save and sync (the header follows),
// another device (the CLI on a data folder of its own) joining and sending a project the window then shows,
// Sync now, Forget; in Turkish and dark too, with grabs at 1024×640.
#include "core/services/syncservice.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "tests/support/cli.h"
#include "tests/support/uitest.h"
#include "tests/support/webdavpeer.h"
#include "ui/language.h"
#include "ui/mainwindow.h"
#include "ui/pages/accountpage.h"
#include "ui/theme.h"
#include "ui/uisetup.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>

using namespace cachewise;

class TestAccountPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!test::cliBinary().isEmpty(), "CACHEWISE_CLI names the command-line tool");
        QVERIFY2(m_peer.start(), qPrintable(m_peer.error()));
    }
    void joinSyncAndForget();
    void speaksTurkishInTheDark();

private:
    template <class T> static T *named(QWidget *in, const char *name)
    {
        return in->findChild<T *>(QLatin1String(name));
    }
    qint64 projectsIn(test::TestStack &stack)
    {
        return test::scalar(stack.repository().database(), QStringLiteral("SELECT count(*) FROM projects"));
    }

    test::WebDavPeer m_peer;
    SystemClock m_clock;
};

void TestAccountPage::joinSyncAndForget()
{
    test::DemoWindow demo;
    QVERIFY(demo.start(m_clock));
    ui::MainWindow &window = demo.window();
    window.resize(1024, 640);
    window.showPage(ui::MainWindow::AccountPageIndex);
    ui::AccountPage *page = window.accountPage();
    auto *header = window.findChild<QLabel *>(QStringLiteral("syncState"));
    QVERIFY(header && !header->isVisible()); // no account: nothing in the header
    test::grab(window, QStringLiteral("account-1024-empty"));

    auto *result = named<QLabel>(page, "accountResult");
    named<QLineEdit>(page, "accountUrl")->setText(m_peer.url(QStringLiteral("alice")));
    named<QLineEdit>(page, "accountUser")->setText(QStringLiteral("alice"));
    named<QLineEdit>(page, "accountPassword")->setText(QStringLiteral("not-the-password"));
    named<QLineEdit>(page, "accountCaFile")->setText(m_peer.caFile());
    named<QPushButton>(page, "accountTest")->click();
    QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("(HTTP 401)")), 15000);

    // Without the private CA: the certificate is shown by its fingerprint; trusted, it is pinned.
    named<QLineEdit>(page, "accountCaFile")->clear();
    named<QLineEdit>(page, "accountPassword")->setText(QStringLiteral("alice-pass"));
    named<QPushButton>(page, "accountTest")->click();
    auto *certificate = named<QWidget>(page, "accountCertificate");
    QTRY_VERIFY_WITH_TIMEOUT(certificate->isVisible(), 15000);
    const QString fingerprint = named<QLabel>(page, "accountFingerprint")->text();
    QCOMPARE(fingerprint.size(), 95); // 32 bytes as XX:XX:…
    test::grab(window, QStringLiteral("account-1024-certificate"));
    named<QPushButton>(page, "accountTrust")->click();
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QLatin1String("Connected")), 15000);
    QVERIFY(!certificate->isVisible());

    named<QPushButton>(page, "accountSave")->click();
    QTRY_VERIFY2_WITH_TIMEOUT(
        header->isVisible() && header->text().startsWith(QLatin1String("Synced")),
        qPrintable(header->text() + QLatin1Char(' ') + header->toolTip() + QLatin1Char(' ') + result->text()),
        30000);
    auto *state = named<QGroupBox>(page, "accountState");
    QVERIFY(state->isVisible());
    QTRY_VERIFY(named<QLabel>(page, "accountLastSync")->text().startsWith(QLatin1String("Last sync")));
    QVERIFY(!named<QLineEdit>(page, "accountUrl")->isEnabled()); // another account: forget this one first
    // A change made in this process goes by itself, a few seconds later (debounced), without Sync now.
    const QString changes = m_peer.folder(QStringLiteral("alice")) + QStringLiteral("/CacheWise/changes");
    const auto filesSent = [&changes] {
        int n = 0;
        QDirIterator it(changes, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++n;
        }
        return n;
    };
    const int sentBefore = filesSent();
    QVERIFY(sentBefore > 0);
    QVERIFY(storage::writeThrough(demo.stack().writer().writes(), [](storage::Repository &r) {
        return r.projects().create(QStringLiteral("made in the window"), {}, {});
    }));
    QTRY_VERIFY_WITH_TIMEOUT(filesSent() == sentBefore + 1, services::SyncService::kAfterChangeMs + 15000);
    const qint64 demoProjects = projectsIn(demo.stack());
    QVERIFY(demoProjects > 0);

    // Another device joins with the CLI, gets the window's projects, and sends one of its own.
    QTemporaryDir other;
    const auto joined = test::runCli(
        other.path(),
        {QStringLiteral("sync"), QStringLiteral("account"), QStringLiteral("set"), QStringLiteral("--url"),
         m_peer.url(QStringLiteral("alice")), QStringLiteral("--user"), QStringLiteral("alice"),
         QStringLiteral("--password-stdin"), QStringLiteral("--ca-file"), m_peer.caFile()},
        "alice-pass\n");
    QVERIFY2(joined.exitCode == 0, joined.err.constData());
    QCOMPARE(test::runCli(other.path(), {QStringLiteral("sync"), QStringLiteral("now")}).exitCode, 0);
    const auto listed = test::runCli(
        other.path(), {QStringLiteral("--json"), QStringLiteral("project"), QStringLiteral("list")});
    QCOMPARE(listed.jsonArray().size(), demoProjects);
    QCOMPARE(
        test::runCli(other.path(), {QStringLiteral("project"), QStringLiteral("create"),
                                    QStringLiteral("--name"), QStringLiteral("made on the other machine")})
            .exitCode,
        0);
    QCOMPARE(test::runCli(other.path(), {QStringLiteral("sync"), QStringLiteral("now")}).exitCode, 0);

    // While a round runs the button waits (the header says Syncing…).
    QTRY_VERIFY_WITH_TIMEOUT(named<QPushButton>(page, "accountSyncNow")->isEnabled(), 30000);
    named<QPushButton>(page, "accountSyncNow")->click();
    QTRY_VERIFY2_WITH_TIMEOUT(projectsIn(demo.stack()) == demoProjects + 1,
                              qPrintable(named<QLabel>(page, "accountLastSync")->text() + QLatin1Char(' ') +
                                         named<QLabel>(page, "accountLastSync")->toolTip() +
                                         QLatin1Char(' ') + QString::number(projectsIn(demo.stack()))),
                              30000);
    auto *devices = named<QTreeWidget>(page, "accountDevices");
    QTRY_COMPARE_WITH_TIMEOUT(devices->topLevelItemCount(), 1, 15000);
    QTRY_VERIFY(named<QLabel>(page, "accountLastSync")->text().contains(QLatin1String("applied")));
    test::grab(window, QStringLiteral("account-1024-synced"));

    // A failure shows in the header, in red, with the reason on hover.
    QVERIFY(m_peer.stop());
    QTRY_VERIFY_WITH_TIMEOUT(named<QPushButton>(page, "accountSyncNow")->isEnabled(), 30000);
    named<QPushButton>(page, "accountSyncNow")->click();
    QTRY_VERIFY_WITH_TIMEOUT(header->text() == QLatin1String("Sync failed"), 30000);
    QVERIFY(header->toolTip().contains(QLatin1String("cannot be reached")));
    QVERIFY(m_peer.start());

    // Forget, after confirming.
    QTimer::singleShot(200, this, [] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
            box->button(QMessageBox::Yes)->click();
    });
    named<QPushButton>(page, "accountForget")->click();
    QTRY_VERIFY_WITH_TIMEOUT(!state->isVisible() && !header->isVisible(), 15000);
    QVERIFY(named<QLineEdit>(page, "accountUrl")->isEnabled());
}

void TestAccountPage::speaksTurkishInTheDark()
{
    ui::installTranslations(*qApp, "tr");
    ui::applyTheme(*qApp, QStringLiteral("dark"));
    {
        test::DemoWindow demo;
        QVERIFY(demo.start(m_clock));
        ui::MainWindow &window = demo.window();
        window.resize(1024, 640);
        window.showPage(ui::MainWindow::AccountPageIndex);
        ui::AccountPage *page = window.accountPage();
        auto *result = named<QLabel>(page, "accountResult");
        named<QLineEdit>(page, "accountUrl")->setText(m_peer.url(QStringLiteral("alice")));
        named<QLineEdit>(page, "accountUser")->setText(QStringLiteral("alice"));
        named<QLineEdit>(page, "accountPassword")->setText(QStringLiteral("alice-pass"));
        named<QLineEdit>(page, "accountFolder")->setText(QStringLiteral("Karanlık"));
        named<QLineEdit>(page, "accountCaFile")->setText(m_peer.caFile());
        named<QPushButton>(page, "accountTest")->click();
        QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("Bağlandı")), 15000);
        test::grab(window, QStringLiteral("account-1024-tr-dark-form"));
        named<QPushButton>(page, "accountSave")->click();
        auto *header = window.findChild<QLabel *>(QStringLiteral("syncState"));
        QTRY_VERIFY_WITH_TIMEOUT(header->text().startsWith(QStringLiteral("Eşitlendi")), 30000);
        test::grab(window, QStringLiteral("account-1024-tr-dark"));
    }
    ui::installTranslations(*qApp, "en");
    ui::applyTheme(*qApp, QStringLiteral("light"));
}

QTEST_MAIN(TestAccountPage)
#include "tst_accountpage.moc"
