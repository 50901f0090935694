// SPDX-License-Identifier: GPL-3.0-or-later
// The window as a whole: changes from elsewhere, sizes, alerts, exports, keyboard, languages.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/analysis/recommender.h"
#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/model/actiondetails.h"
#include "core/services/asyncrepository.h"
#include "core/services/engine.h"
#include "core/services/scraper.h"
#include "core/storage/livefeed.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/sampleconversion.h"
#include "core/storage/settings.h"
#include "tests/support/httpclient.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"
#include "tests/support/uitest.h"
#include "ui/charts/barchart.h"
#include "ui/charts/timeserieschart.h"
#include "ui/dialogs/conversiondialog.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/dialogs/projectdialog.h"
#include "ui/mainwindow.h"
#include "ui/metrictext.h"
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

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace cachewise;
using test::currentStateOf;
using test::grab;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::applyTheme(*qApp); }
    void changesElsewhereReachTheWindow();
    void ownChangesArriveAsEvents();
    void navigationInsideAProject();
    void sidebarCompactsWhenNarrow();
    void automationAlertsReachTheWindow();
    void exportsFromTheWindow();
    void everyControlTakesKeyboardFocus();
    void switchesLanguageInPlace();
    void speaksTurkish();
    void actionDetailsSpeakTheReadersLanguage();
    void conversionShowsItsProgressAndStops();

private:
    SystemClock m_clock;
};

namespace {

// Shows a host built as the app builds it on its projects page; the table, once it exists.
bool showProjects(ui::WindowHost &host, QTableView *&table)
{
    host.show();
    if (!QTest::qWaitForWindowExposed(host.window()))
        return false;
    host.window()->showPage(ui::MainWindow::ProjectsPageIndex);
    table = host.window()->findChild<QTableView *>(QStringLiteral("projectTable"));
    return table != nullptr;
}

} // namespace

void TestMainWindow::changesElsewhereReachTheWindow()
{
    // Built as the app builds it: a host that follows the engine. A project created on another connection
    // (as the CLI does) appears without a timer: SQLite's change counter tells the engine.
    test::TestStack stack;
    QVERIFY(stack.start());
    stack.createProject(QStringLiteral("There before"));
    ui::WindowHost host(stack.engine(), m_clock);
    QTableView *table = nullptr;
    QVERIFY(showProjects(host, table));
    QTRY_COMPARE(table->model()->rowCount(), 1); // the first read is done
    QSignalSpy changed(&stack.engine(), &services::Engine::changedElsewhere);
    stack.createProject(QStringLiteral("Made by the CLI"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, 3000);
    QVERIFY(!changed.isEmpty());
}

void TestMainWindow::ownChangesArriveAsEvents()
{
    // An edit made in this process (as the window's pages make them: a background reader that writes
    // through the engine's writer) reaches the window as the engine's typed event; SQLite's change
    // counter, kept for other processes, does not move.
    test::TestStack stack;
    QVERIFY(stack.start());
    stack.createProject(QStringLiteral("There before"));
    ui::WindowHost host(stack.engine(), m_clock);
    QTableView *table = nullptr;
    QVERIFY(showProjects(host, table));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QVERIFY(stack.settleChangeChecks()); // createProject's own notice is behind us
    QSignalSpy changed(&stack.engine(), &services::Engine::changed);
    QSignalSpy elsewhere(&stack.engine(), &services::Engine::changedElsewhere);

    services::AsyncRepository editor(stack.databasePath(), stack.writer().writes(), m_clock);
    QSignalSpy saved(&editor, &services::AsyncRepository::projectSaved);
    editor.createProject(QStringLiteral("Made in the window"), QString(), QString());
    QVERIFY(saved.wait(5000));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, 3000);
    // A project made in the window comes with its key, in the same write.
    QCOMPARE(changed.size(), 2);
    const auto change = changed.first().first().value<storage::Change>();
    QCOMPARE(change.kind, storage::ChangeKind::Project);
    QCOMPARE(change.id, saved.first().first().value<model::Project>().id);
    QCOMPARE(changed.last().first().value<storage::Change>().kind, storage::ChangeKind::Key);
    QCOMPARE(stack.repository().keys().list(change.id)->size(), 1);
    QVERIFY(stack.settleChangeChecks());
    QVERIFY(elsewhere.isEmpty());
}

void TestMainWindow::navigationInsideAProject()
{
    // Another project opens on its dashboard, not on the tab the last one was left on; inside a project the
    // sidebar's Projects (the current row already) still goes back to the list.
    test::DemoWindow app;
    QVERIFY(app.start(m_clock));
    ui::MainWindow &window = app.window();
    window.openProject(demo::demoProjects().at(0).id);
    ui::ProjectPage *page = window.projectPage();
    page->tabs()->setCurrentIndex(ui::ProjectPage::SettingsTab);
    window.openProject(demo::demoProjects().at(1).id);
    QCOMPARE(page->tabs()->currentIndex(), int(ui::ProjectPage::DashboardTab));
    page->tabs()->setCurrentIndex(ui::ProjectPage::ActionLogTab);
    window.openProject(demo::demoProjects().at(1).id); // the same one again: where it was
    QCOMPARE(page->tabs()->currentIndex(), int(ui::ProjectPage::ActionLogTab));

    auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
    QCOMPARE(sidebar->currentRow(), int(ui::MainWindow::ProjectsPageIndex));
    QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {},
                      sidebar->visualItemRect(sidebar->item(ui::MainWindow::ProjectsPageIndex)).center());
    QTRY_VERIFY(window.projects()->isVisible());
    QVERIFY(!page->isVisible());
}

void TestMainWindow::sidebarCompactsWhenNarrow()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.engine(), m_clock);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
    QTRY_VERIFY(!sidebar->item(0)->text().isEmpty());
    window.resize(860, 640);
    QTRY_VERIFY(sidebar->item(0)->text().isEmpty());
    QVERIFY(sidebar->width() < 80);
    QVERIFY(!sidebar->item(0)->toolTip().isEmpty());
    grab(window, QStringLiteral("compact-en"));
    // At 1024 px the pages need the room: icons only, as below 1100 px; names again when wider.
    window.resize(1024, 640);
    QTRY_VERIFY(sidebar->item(0)->text().isEmpty());
    window.resize(1100, 700);
    QTRY_VERIFY(!sidebar->item(0)->text().isEmpty());
    window.resize(1024, 640);
    // The smallest supported size fits every page without being forced larger.
    for (int page : {ui::MainWindow::DashboardPageIndex, ui::MainWindow::ProjectsPageIndex,
                     ui::MainWindow::SettingsPageIndex}) {
        window.showPage(page);
        QTest::qWait(50);
        QCOMPARE(window.size(), QSize(1024, 640));
        QVERIFY2(window.minimumSizeHint().width() <= 1024 && window.minimumSizeHint().height() <= 640,
                 qPrintable(QStringLiteral("%1x%2")
                                .arg(window.minimumSizeHint().width())
                                .arg(window.minimumSizeHint().height())));
    }
    grab(window, QStringLiteral("smallest-en"));
}

void TestMainWindow::automationAlertsReachTheWindow()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("Alerting"));
    model::AutomationSettings limits;
    limits.enabled = true;
    limits.dryRun = true;
    QVERIFY(stack.repository().actions().setAutomation(project.id, limits));
    ui::MainWindow window(stack.engine(), m_clock);
    // As the app wires it: the listener's alerts go to the window.
    connect(&stack.engine(), &services::Engine::alert, &window,
            [&window](const QString &id, const QString &rule, const QString &, bool dryRun) {
                window.showAlert(id, rule, dryRun);
            });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.refresh();
    QTRY_VERIFY(window.projects()->findChild<QTableView *>() != nullptr);
    // The dashboard's read names the project (the projects list is filled from the same read).
    QTRY_COMPARE(window.projects()->findChild<QTableView *>()->model()->rowCount(), 1);
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    QCOMPARE(client.postJson("/api/metrics", test::usageJson(project.id, 0.97), project.apiKey).status, 200);
    QTRY_VERIFY(!window.lastAlert().isEmpty());
    QVERIFY2(window.lastAlert().contains(QStringLiteral("Alerting")), qPrintable(window.lastAlert()));
    QVERIFY(window.lastAlert().contains(QStringLiteral("Dry run")));
    QCOMPARE(window.statusBar()->currentMessage(), window.lastAlert());
    // A llama-server given up after its crashes is said as such, not as a cache over its limit.
    window.showAlert(project.id, QStringLiteral("server"), false);
    QVERIFY2(window.lastAlert().contains(QStringLiteral("no longer restarted")),
             qPrintable(window.lastAlert()));
    QVERIFY(window.lastAlert().startsWith(QStringLiteral("Alerting: ")));
    QVERIFY(!window.lastAlert().contains(QStringLiteral("directive")));
}

void TestMainWindow::exportsFromTheWindow()
{
    test::DemoWindow app;
    QVERIFY(app.start(m_clock));
    ui::MainWindow &window = app.window();
    const QString chatbot = demo::demoProjects().first().id;
    window.openProject(chatbot);
    QTRY_VERIFY(!window.projectPage()->charts().isEmpty());
    QTemporaryDir dir;
    // Export… on the project page: the dialog, a PDF, then the notification with Open.
    window.projectPage()->findChild<QPushButton *>(QStringLiteral("projectExportButton"))->click();
    ui::ExportDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<ui::ExportDialog *>(QStringLiteral("exportDialog"))) != nullptr);
    auto *format = dialog->findChild<QComboBox *>(QStringLiteral("exportFormat"));
    format->setCurrentIndex(format->findData(int(ui::ExportJob::Format::Pdf)));
    QVERIFY(dialog->path().endsWith(QStringLiteral("Chatbot v2.pdf")));
    const QString pdf = dir.filePath(QStringLiteral("chatbot.pdf"));
    dialog->findChild<QLineEdit *>(QStringLiteral("exportPath"))->setText(pdf);
    grab(*dialog, QStringLiteral("export-dialog-en"));
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(window.lastExport(), pdf, 30000);
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(5) == "%PDF-");
    auto *done = window.findChild<QWidget *>(QStringLiteral("exportDone"));
    QVERIFY(done && done->isVisible());
    QVERIFY(done->findChild<QPushButton *>(QStringLiteral("exportOpenButton")));
    grab(window, QStringLiteral("export-done-en"));
    // Every project's samples as CSV, without the dialog.
    const QString csv = dir.filePath(QStringLiteral("all.csv"));
    window.startExport(ui::ExportJob::Format::Csv, {}, 0, m_clock.nowMs() + 60'000, csv);
    QTRY_COMPARE_WITH_TIMEOUT(window.lastExport(), csv, 30000);
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QCOMPARE(csvFile.readAll().count('\n'), 3 * 720 + 1);
    // Cancelled before the data is read: nothing is written.
    const QString cancelled = dir.filePath(QStringLiteral("cancelled.pdf"));
    ui::ExportJob *job =
        window.startExport(ui::ExportJob::Format::Pdf, {chatbot}, 0, m_clock.nowMs(), cancelled);
    job->cancel();
    QTRY_VERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("cancelled")));
    QVERIFY(!QFile::exists(cancelled));
    // A folder that does not exist: the reason in the status bar.
    window.startExport(ui::ExportJob::Format::Html, {chatbot}, 0, m_clock.nowMs(),
                       dir.filePath(QStringLiteral("missing/report.html")));
    QTRY_VERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("The export failed")));
}

void TestMainWindow::everyControlTakesKeyboardFocus()
{
    test::DemoWindow app;
    QVERIFY(app.start(m_clock));
    ui::MainWindow &window = app.window();
    window.openProject(demo::demoProjects().first().id);
    QTRY_VERIFY(!window.projectPage()->charts().isEmpty());
    // Every interactive control on every page can be reached with Tab and says what it is.
    int controls = 0;
    for (QWidget *w : window.findChildren<QWidget *>()) {
        const bool interactive = qobject_cast<QAbstractButton *>(w) || qobject_cast<QComboBox *>(w) ||
                                 qobject_cast<QLineEdit *>(w) || qobject_cast<QAbstractItemView *>(w);
        if (!interactive || qobject_cast<QLineEdit *>(w->parentWidget()) ||
            qobject_cast<QComboBox *>(w->parentWidget()))
            continue; // parts of another control
        if (w->inherits("QScrollBar") || w->inherits("QTabBar") || w->parentWidget()->inherits("QTabBar") ||
            w->parentWidget()->inherits("QAbstractItemView") || w->inherits("QHeaderView"))
            continue;
        ++controls;
        QVERIFY2(w->focusPolicy() & Qt::TabFocus,
                 qPrintable(w->objectName() + QLatin1Char(' ') +
                            QString::fromLatin1(w->metaObject()->className())));
        const auto *button = qobject_cast<QAbstractButton *>(w);
        const bool named = !w->accessibleName().isEmpty() || (button && !button->text().isEmpty()) ||
                           qobject_cast<QAbstractItemView *>(w) || qobject_cast<QComboBox *>(w) ||
                           qobject_cast<QLineEdit *>(w);
        QVERIFY2(named, qPrintable(w->objectName()));
    }
    QVERIFY(controls > 20);
    // Tab moves through the window from the sidebar on.
    window.findChild<QListWidget *>(QStringLiteral("sidebar"))->setFocus();
    QWidget *first = QApplication::focusWidget();
    QTest::keyClick(first, Qt::Key_Tab);
    QVERIFY(QApplication::focusWidget() != first);
}

void TestMainWindow::switchesLanguageInPlace()
{
    ui::installTranslations(*qApp, "en");
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::WindowHost host(stack.engine(), m_clock);
    host.setListening(QStringLiteral("http://127.0.0.1:4318"));
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(host.window()));
    host.window()->showPage(ui::MainWindow::SettingsPageIndex);
    auto *language = host.window()->findChild<QComboBox *>(QStringLiteral("languageChoice"));
    QTRY_COMPARE(language->currentData().toString(), QStringLiteral("system"));
    QSignalSpy rebuilt(&host, &ui::WindowHost::rebuilt);
    language->setCurrentIndex(language->findData(QStringLiteral("tr")));
    QVERIFY(rebuilt.wait(5000));
    auto *sidebar = host.window()->findChild<QListWidget *>(QStringLiteral("sidebar"));
    QCOMPARE(sidebar->item(0)->text(), QStringLiteral("Kontrol Paneli"));
    QCOMPARE(sidebar->currentRow(), int(ui::MainWindow::SettingsPageIndex)); // still where the user was
    QVERIFY(host.window()->isVisible());
    QCOMPARE(host.window()->findChild<QLabel *>(QStringLiteral("listenerState"))->text(),
             QStringLiteral("http://127.0.0.1:4318 adresinde dinleniyor"));
    QTRY_COMPARE(stack.repository().settings().value(QStringLiteral("ui.language")).value(),
                 QStringLiteral("tr"));
    ui::installTranslations(*qApp, "en");
}

void TestMainWindow::speaksTurkish()
{
    ui::installTranslations(*qApp, "tr");
    test::DemoWindow app;
    QVERIFY(app.start(m_clock));
    ui::MainWindow &window = app.window();
    auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
    QCOMPARE(sidebar->item(0)->text(), QStringLiteral("Kontrol Paneli"));
    QCOMPARE(sidebar->item(1)->text(), QStringLiteral("Projeler"));
    QCOMPARE(sidebar->item(2)->text(), QStringLiteral("Modeller ve Sunucular"));
    QCOMPARE(sidebar->item(3)->text(), QStringLiteral("Ayarlar"));
    window.setListening(QStringLiteral("http://127.0.0.1:4318"));
    auto *label = window.findChild<QLabel *>(QStringLiteral("listenerState"));
    QCOMPARE(label->text(), QStringLiteral("http://127.0.0.1:4318 adresinde dinleniyor"));
    QTRY_VERIFY(currentStateOf(window.dashboard())->findChild<ui::KpiCard *>());
    const QList<ui::KpiCard *> cards = window.dashboard()->findChildren<ui::KpiCard *>();
    QCOMPARE(cards.at(1)->accessibleName(), QStringLiteral("KV Cache Boyutu"));
    QVERIFY2(cards.at(2)->valueText().contains(QLatin1Char(',')),
             qPrintable(cards.at(2)->valueText())); // 2,71 GiB
    QTRY_VERIFY(label->width() >= label->sizeHint().width());
    grab(window, QStringLiteral("dashboard-tr"));
    // The brief's terms where the window uses them, and the two reconsidered ones.
    const struct
    {
        const char *context;
        const char *source;
        const char *turkish;
    } terms[] = {
        {"cachewise::ui::RecommendationCard", "Pending", "Bekliyor"},
        {"cachewise::ui::KpiCard", "Optimization Score", "Optimizasyon Skoru"},
        {"cachewise::ui::ProjectPage", "What If", "Senaryo"},
        {"cachewise::ui::ActionLogPanel", "Dry run", "Prova"},
    };
    for (const auto &term : terms)
        QCOMPARE(QCoreApplication::translate(term.context, term.source), QString::fromUtf8(term.turkish));
    ui::installTranslations(*qApp, "en");
}

void TestMainWindow::actionDetailsSpeakTheReadersLanguage()
{
    namespace say = model::phrase;
    const QString server = QStringLiteral("http://127.0.0.1:8080");
    const QJsonObject http500 = say::httpError(500, QString());
    const QJsonObject refused = say::httpError(0, QStringLiteral("Connection refused"));
    // A finding as the recommender stores it: its title is rendered again in the reader's language.
    analysis::Finding finding;
    finding.rule = QStringLiteral("kv_quantization");
    finding.memorySavingPercent = 46.9;
    finding.apply = {QStringLiteral("-ctk q8_0"), QStringLiteral("-ctv q8_0")};
    finding.params = {{QStringLiteral("from"), QStringLiteral("f16")},
                      {QStringLiteral("to"), QStringLiteral("q8_0")}};
    const QJsonObject details = analysis::findingDetails(finding);
    const QString englishTitle = analysis::renderRecommendationUntranslated(details).title;
    // Every kind of phrase the automation, the executors, the webhook and the services write.
    const QList<QJsonArray> entries = {
        {say::cacheSize(93.4, 90, 80)},
        {say::cacheSize(93.4, 90, 80), say::eraseRefusedBefore()},
        {say::latency(true, 16, 4, 33.3, 12, 25), say::prefillChunks(512)},
        {say::latency(false, 500, std::nullopt, 400, 100, 50),
         say::restartToChangeBatching(model::Engine::LlamaCpp)},
        {say::latency(false, 500, std::nullopt, 400, 100, 50),
         say::restartToChangeBatching(model::Engine::Vllm)},
        {say::latency(false, 500, std::nullopt, 400, 100, 50),
         say::restartToChangeBatching(model::Engine::Sglang)},
        {say::latency(false, 500, std::nullopt, 400, 100, 50),
         say::restartToChangeBatching(model::Engine::Ollama)},
        {say::latency(false, 500, std::nullopt, 400, 100, 50),
         say::restartToChangeBatching(model::Engine::Generic)},
        {say::keyUnreadable(QStringLiteral("evict_lru"), server, QString())},
        {say::notAtRunTime(QStringLiteral("set_chunk_size"), server, model::Engine::Vllm)},
        {say::resetFailed(server, QStringLiteral("/reset_prefix_cache"), say::httpError(404, QString()),
                          QString())},
        {say::resetFailed(server, QStringLiteral("/flush_cache"), say::httpError(400, QString()),
                          QStringLiteral("busy"))},
        {say::resetDone(server, QStringLiteral("/reset_prefix_cache"), 27.4, 5.0)},
        {say::resetDone(server, QStringLiteral("/flush_cache"), 27.4, std::nullopt)},
        {say::listFailed(server, QStringLiteral("/slots"), refused)},
        {say::noModelLoaded(server)},
        {say::unloadFailed(server, QStringLiteral("qwen3:8b"), http500)},
        {say::unloaded(server, QStringLiteral("qwen3:8b"), 6'654'289'920)},
        {say::capacityUnknown(server)},
        {say::atTarget(server, 1000, 4096, 3276)},
        {say::noIdleSlot(server, 4000, 4096)},
        {say::eraseRefused(server)},
        {say::eraseFailed(server, 2, http500)},
        {say::erased(server,
                     {QJsonObject{{QStringLiteral("slot"), 2}, {QStringLiteral("tokens"), 767}},
                      QJsonObject{{QStringLiteral("slot"), 3}, {QStringLiteral("tokens"), 742}}},
                     3043, 1534)},
        {say::webhookDelivered(QStringLiteral("evict_lru"), QStringLiteral("https://hooks.example/c"), 204)},
        {say::webhookFailed(QStringLiteral("evict_lru"), QStringLiteral("https://hooks.example/c"), http500)},
        {say::recommendationApplied(details, englishTitle, finding.apply)},
        {say::recommendationUndone(details, englishTitle, finding.apply)},
        {say::entriesCleared(50, QStringLiteral("LFU"), 90)},
    };
    const QRegularExpression leftover(QStringLiteral("%\\d"));
    QStringList english;
    const QLocale windowLocale;
    QLocale::setDefault(QLocale::c()); // the stored text's numbers: no grouping
    for (const QJsonArray &phrases : entries) {
        const QString text = model::englishPhrasesText(phrases);
        QVERIFY2(!text.isEmpty() && !text.contains(leftover), qPrintable(text));
        model::ActionLogEntry entry;
        entry.phrases = phrases;
        QCOMPARE(ui::actionDetailsText(entry), text); // no translator: English
        english << text;
    }
    QLocale::setDefault(windowLocale);
    QCOMPARE(english.at(1),
             QStringLiteral("KV cache at 93 % (limit 90 %): evict least recently used entries down "
                            "to 80 %; not tried: llama-server refused to erase slots (HTTP 501) — "
                            "start it with --slot-save-path DIR, CacheWise tries again after it "
                            "restarts"));
    QCOMPARE(english.at(2),
             QStringLiteral("time per output token 16 ms with 4 request(s) running, 33 % above its "
                            "12 ms baseline at that load (limit +25 %): prefill in chunks of 512 "
                            "tokens"));
    QCOMPARE(english.at(23), QStringLiteral("http://127.0.0.1:8080: erased slot 2 (767 tokens), slot 3 (742 "
                                            "tokens); tokens in use 3043 → 1534"));
    QCOMPARE(english.at(26), QStringLiteral("Marked applied: %1 (-ctk q8_0; -ctv q8_0)").arg(englishTitle));
    QCOMPARE(english.last(),
             QStringLiteral("Cleared 50 LFU cache entries due to exceeding 90% memory threshold."));

    ui::installTranslations(*qApp, "tr");
    for (qsizetype i = 0; i < entries.size(); ++i) {
        model::ActionLogEntry entry;
        entry.phrases = entries.at(i);
        entry.details = english.at(i);
        const QString turkish = ui::actionDetailsText(entry);
        QVERIFY2(turkish != english.at(i), qPrintable(turkish)); // Turkish writes %90: no placeholder check
    }
    model::ActionLogEntry applied;
    applied.phrases = entries.at(26);
    const QString turkishTitle = analysis::renderRecommendation(details).title;
    QVERIFY(turkishTitle != englishTitle);
    QCOMPARE(ui::actionDetailsText(applied),
             QStringLiteral("Uygulandı olarak işaretlendi: %1 (-ctk q8_0; -ctv q8_0)").arg(turkishTitle));
    model::ActionLogEntry cleared;
    cleared.phrases = entries.last();
    QCOMPARE(ui::actionDetailsText(cleared),
             QStringLiteral("%90 bellek eşiği aşıldığı için 50 LFU önbellek girdisi temizlendi."));
    model::ActionLogEntry erased;
    erased.phrases = entries.at(23);
    QCOMPARE(ui::actionDetailsText(erased),
             QStringLiteral("http://127.0.0.1:8080: slot 2 (767 token), slot 3 (742 "
                            "token) silindi; kullanımdaki tokenlar 3.043 → 1.534"));
    // What this version cannot say (an entry from before schema 9, or a phrase a later version wrote) is
    // shown as stored.
    model::ActionLogEntry stored;
    stored.details = QStringLiteral("Slots 2 and 3 would be erased.");
    QCOMPARE(ui::actionDetailsText(stored), stored.details);
    stored.phrases = {say::cacheSize(93.4, 90, 80),
                      QJsonObject{{QStringLiteral("say"), QStringLiteral("later")}}};
    QCOMPARE(ui::actionDetailsText(stored), stored.details);
    ui::installTranslations(*qApp, "en");
}

void TestMainWindow::conversionShowsItsProgressAndStops()
{
    // A database from before the compact sample store, 200,000 samples: the window is not open yet, the
    // conversion runs on a thread of its own with its progress shown, and Stop and Quit stops it.
    constexpr qint64 kSamples = 200'000;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cachewise.sqlite"));
    {
        storage::Connection old;
        QVERIFY(old.open(path, 9));
        QSqlQuery q(old.db());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO projects VALUES ('p', 'Old', '', '', 0, 0)")));
        QVERIFY(q.exec(
            QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                           "INSERT INTO metric_samples (project_id, ts, tokens_processed) SELECT 'p', "
                           "1767225600000 + i * 1000, i FROM n")
                .arg(kSamples - 1)));
    }
    // Each batch waits a little, so the dialog is seen at work.
    const auto slowly = [&path](const ui::ConversionDialog::Progress &progress) {
        return storage::convertSamples(path, [&progress](qint64 converted, qint64 total) {
            QThread::msleep(150);
            return progress(converted, total);
        });
    };
    bool stopped = false;
    QTimer poll;
    poll.setInterval(50);
    connect(&poll, &QTimer::timeout, this, [&] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            auto *dialog = qobject_cast<ui::ConversionDialog *>(w);
            if (!dialog || !dialog->isVisible() || stopped)
                continue;
            const auto labels = dialog->findChildren<QLabel *>();
            const bool counting = std::any_of(labels.begin(), labels.end(), [](const QLabel *l) {
                return l->text().contains(QLatin1String(" of 200,000 samples converted"));
            });
            if (!counting)
                continue;
            QVERIFY(dialog->findChild<QProgressBar *>()->value() > 0);
            grab(*dialog, QStringLiteral("conversion-en"));
            stopped = true;
            for (QPushButton *button : dialog->findChildren<QPushButton *>()) {
                if (button->text() == QLatin1String("Stop and Quit"))
                    button->click();
            }
        }
    });
    poll.start();
    const Result<qint64> first = ui::ConversionDialog::run(slowly);
    poll.stop();
    QVERIFY(stopped);
    QVERIFY(!first);
    QCOMPARE(first.error().kind, ErrorKind::Cancelled);
    qint64 moved = 0;
    {
        storage::Connection c;
        QVERIFY(c.open(path));
        QSqlQuery q(c.db());
        QVERIFY(q.exec(
            QStringLiteral("SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM metric_samples)")));
        QVERIFY(q.next());
        moved = q.value(0).toLongLong();
        QVERIFY(moved > 0 && moved < kSamples);
        QCOMPARE(moved + q.value(1).toLongLong(), kSamples);
    }
    // The next start finishes what is left.
    const Result<qint64> second =
        ui::ConversionDialog::run([&path](const ui::ConversionDialog::Progress &progress) {
            return storage::convertSamples(path, progress);
        });
    QVERIFY(second);
    QCOMPARE(second.value(), kSamples - moved);
    // The dialog as a Turkish reader with the dark theme sees it, in the middle of its work.
    ui::installTranslations(*qApp, "tr");
    ui::applyTheme(*qApp, QStringLiteral("dark"));
    {
        ui::ConversionDialog dialog;
        dialog.showProgress(80'000, kSamples);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const auto labels = dialog.findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](const QLabel *l) { return l->text().contains(QStringLiteral("örnekten")); }));
        grab(dialog, QStringLiteral("conversion-tr-dark"));
    }
    ui::applyTheme(*qApp, QStringLiteral("light"));
    ui::installTranslations(*qApp, "en");
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
