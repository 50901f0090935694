// SPDX-License-Identifier: GPL-3.0-or-later
// The settings page: theme and language, OpenTelemetry names, the listener.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/services/scraper.h"
#include "core/storage/livefeed.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"
#include "tests/support/httpclient.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"
#include "tests/support/uitest.h"
#include "ui/charts/barchart.h"
#include "ui/charts/timeserieschart.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/dialogs/projectdialog.h"
#include "ui/mainwindow.h"
#include "ui/models/projecttablemodel.h"
#include "ui/models/samplelogmodel.h"
#include "ui/pages/dashboardpage.h"
#include "ui/pages/projectpage.h"
#include "ui/pages/projectspage.h"
#include "ui/pages/settingspage.h"
#include "ui/pages/whatifpanel.h"
#include "ui/theme.h"
#include "ui/uisetup.h"
#include "ui/widgets/kpicard.h"
#include "ui/widgets/runtimeeditor.h"
#include "ui/widgets/scorepanel.h"
#include "ui/widgets/sourcespanel.h"
#include "ui/windowhost.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace cachewise;
using test::currentStateOf;
using test::grab;

class TestSettingsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::applyTheme(*qApp); }
    void settingsSwitchThemeAndLanguage();
    void settingsMapOpenTelemetryNames();
    void listenerStates();

private:
    SystemClock m_clock;
};

void TestSettingsPage::settingsSwitchThemeAndLanguage()
{
    test::DemoWindow app;
    QVERIFY(app.start(m_clock));
    test::TestStack &stack = app.stack();
    ui::MainWindow &window = app.window();
    // The dashboard's chart, drawn light first: it follows a theme switch at once, without new data.
    ui::TimeSeriesChart *kv = window.dashboard()->kvCacheChart();
    QTRY_VERIFY(kv->pointCount() > 0);
    const auto chartLightness = [kv] {
        const QImage image = kv->grab().toImage();
        return image.pixelColor(image.width() / 2, 14).lightness();
    };
    QVERIFY2(chartLightness() > 200, qPrintable(QString::number(chartLightness())));
    // The sidebar's line icons are drawn in the text colour of the theme (dark strokes, then light).
    auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
    const auto iconLightness = [sidebar] {
        // The Projects row (not selected): the lightness of its first opaque stroke pixel.
        const QImage icon = sidebar->item(1)->icon().pixmap(24, QIcon::Normal).toImage();
        for (int y = 0; y < icon.height(); ++y) {
            for (int x = 0; x < icon.width(); ++x) {
                if (icon.pixelColor(x, y).alpha() == 255)
                    return icon.pixelColor(x, y).lightness();
            }
        }
        return -1; // no icon drawn
    };
    QVERIFY2(iconLightness() >= 0 && iconLightness() < 80, qPrintable(QString::number(iconLightness())));
    QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
    auto *settings = window.findChild<ui::SettingsPage *>(QStringLiteral("settingsPage"));
    QTRY_VERIFY(settings->isVisible());
    auto *theme = settings->findChild<QComboBox *>(QStringLiteral("themeChoice"));
    auto *language = settings->findChild<QComboBox *>(QStringLiteral("languageChoice"));
    auto *reduced = settings->findChild<QCheckBox *>(QStringLiteral("reducedMotion"));
    QTRY_COMPARE(theme->currentData().toString(), QStringLiteral("system"));

    theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
    QVERIFY(ui::theme::isDark());
    QVERIFY2(chartLightness() < 80, qPrintable(QString::number(chartLightness())));
    QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 64);
    QTRY_VERIFY2(iconLightness() > 180, qPrintable(QString::number(iconLightness())));
    QTRY_COMPARE(stack.repository().settings().value(QStringLiteral("ui.theme")).value(),
                 QStringLiteral("dark"));
    reduced->setChecked(true);
    QVERIFY(ui::theme::reducedMotion());
    QTRY_COMPARE(stack.repository().settings().value(QStringLiteral("ui.reducedMotion")).value(),
                 QStringLiteral("1"));
    language->setCurrentIndex(language->findData(QStringLiteral("tr")));
    QTRY_COMPARE(stack.repository().settings().value(QStringLiteral("ui.language")).value(),
                 QStringLiteral("tr"));
    grab(window, QStringLiteral("settings-dark-en"));
    window.showPage(ui::MainWindow::DashboardPageIndex);
    QTRY_VERIFY(currentStateOf(window.dashboard())->findChild<ui::KpiCard *>());
    grab(window, QStringLiteral("dashboard-dark-en"));

    theme->setCurrentIndex(theme->findData(QStringLiteral("light")));
    reduced->setChecked(false);
    QVERIFY(!ui::theme::isDark());

    // In both themes a disabled control looks disabled: its text is far from the enabled text's colour.
    for (const char *name : {"light", "dark"}) {
        theme->setCurrentIndex(theme->findData(QString::fromLatin1(name)));
        const QPalette p = qApp->palette();
        for (const QPalette::ColorRole role : {QPalette::ButtonText, QPalette::WindowText, QPalette::Text}) {
            const int enabled = p.color(QPalette::Active, role).lightness();
            const int disabled = p.color(QPalette::Disabled, role).lightness();
            QVERIFY2(
                std::abs(enabled - disabled) >= 60,
                qPrintable(
                    QStringLiteral("%1: %2 against %3").arg(QLatin1String(name)).arg(enabled).arg(disabled)));
        }
    }
    theme->setCurrentIndex(theme->findData(QStringLiteral("light")));
}

void TestSettingsPage::settingsMapOpenTelemetryNames()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.engine(), m_clock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(ui::MainWindow::SettingsPageIndex);
    auto *settings = window.findChild<ui::SettingsPage *>(QStringLiteral("settingsPage"));
    auto *attribute = settings->findChild<QLineEdit *>(QStringLiteral("otlpProjectAttribute"));
    auto *name = settings->findChild<QLineEdit *>(QStringLiteral("otlpName"));
    auto *field = settings->findChild<QComboBox *>(QStringLiteral("otlpField"));
    auto *names = settings->findChild<QTableView *>(QStringLiteral("otlpNames"));
    QTRY_COMPARE(attribute->text(), QStringLiteral("service.name"));
    // The user's own name, as the CLI's `otlp map` would save it.
    name->setText(QStringLiteral("my_app.kv.blocks"));
    field->setCurrentIndex(field->findData(QStringLiteral("kv_cache_kib")));
    settings->findChild<QPushButton *>(QStringLiteral("otlpMapButton"))->click();
    QTRY_COMPARE(names->model()->rowCount(), 1);
    QCOMPARE(test::cellText(names, 0, 0), QStringLiteral("my_app.kv.blocks"));
    QCOMPARE(test::cellText(names, 0, 1), QStringLiteral("KV cache size (KiB)"));
    QCOMPARE(stack.repository().settings().otlpNames()->first().second, QStringLiteral("kv_cache_kib"));
    // Which attribute names the project; a value with a space is refused and nothing changes.
    attribute->setText(QStringLiteral("k8s.deployment.name"));
    Q_EMIT attribute->editingFinished();
    QTRY_COMPARE(stack.repository().settings().value(storage::setting::OtlpProjectAttribute).value(),
                 QStringLiteral("k8s.deployment.name"));
    attribute->setText(QStringLiteral("not valid"));
    Q_EMIT attribute->editingFinished();
    QCOMPARE(attribute->text(), QStringLiteral("k8s.deployment.name")); // back to what is saved
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("Not saved")));
    QCOMPARE(stack.repository().settings().value(storage::setting::OtlpProjectAttribute).value(),
             QStringLiteral("k8s.deployment.name"));
    grab(window, QStringLiteral("settings-otlp-en"));
    names->selectRow(0);
    settings->findChild<QPushButton *>(QStringLiteral("otlpUnmapButton"))->click();
    QTRY_COMPARE(names->model()->rowCount(), 0);
    QVERIFY(stack.repository().settings().otlpNames()->isEmpty());
}

void TestSettingsPage::listenerStates()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("Pushed"));
    ui::MainWindow window(stack.engine(), m_clock);
    auto *label = window.findChild<QLabel *>(QStringLiteral("listenerState"));
    QVERIFY(label);
    window.setListening(QStringLiteral("http://127.0.0.1:4318"));
    QVERIFY(label->text().contains(QStringLiteral("127.0.0.1:4318")));
    window.setListenFailed(QStringLiteral("cannot listen on 127.0.0.1:4318: address in use"));
    QVERIFY(label->toolTip().contains(QStringLiteral("address in use")));
    // The rate line counts what the listener really took: a refused push, then an accepted one.
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    QCOMPARE(client.postJson("/api/metrics", "{}", project.apiKey).status, 400);
    QCOMPARE(client.postJson("/api/metrics", test::usageJson(project.id, 0.5), project.apiKey).status, 200);
    auto *rate = window.findChild<QLabel *>(QStringLiteral("listenerRate"));
    QTRY_COMPARE(rate->text(), QStringLiteral("1 samples/s · 1 errors"));
}

QTEST_MAIN(TestSettingsPage)
#include "tst_settingspage.moc"
