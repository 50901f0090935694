// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop window offscreen, found by objectName, with real storage and a real listener.
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

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlError>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;

namespace {

void grab(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("CACHEWISE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(300); // charts lay out their axes and legend on the event loop
    QVERIFY(w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

// The demo projects and their two-hour history, stored through the real writer.
QWidget *currentStateOf(QWidget *page)
{
    auto *stack = page->findChild<QStackedWidget *>();
    return stack ? stack->currentWidget() : nullptr;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::applyTheme(*qApp); }
    void dashboardShowsDemoData();
    void emptyDashboardInvitesToCreate();
    void createProjectWithValidation();
    void deleteAsksFirst();
    void searchFiltersProjects();
    void changesElsewhereReachTheWindow();
    void livePushReachesTheWindow();
    void sidebarCompactsWhenNarrow();
    void projectPageShowsEverything();
    void latencyPercentilesOfAvLlmSource();
    void projectPageManagesKeys();
    void automationAlertsReachTheWindow();
    void sourcesFromTheProjectPage();
    void unifiedServerAsksOnThePage();
    void metricsLogOnAMillionSamples();
    void projectModelIsSound();
    void listenerStates();
    void settingsSwitchThemeAndLanguage();
    void exportsFromTheWindow();
    void settingsMapOpenTelemetryNames();
    void everyControlTakesKeyboardFocus();
    void switchesLanguageInPlace();
    void speaksTurkish();

private:
    SystemClock m_clock;
};

void TestMainWindow::dashboardShowsDemoData()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ui::DashboardPage *dashboard = window.dashboard();
    QTRY_VERIFY(currentStateOf(dashboard) && currentStateOf(dashboard)->findChild<ui::KpiCard *>());
    const QList<ui::KpiCard *> cards = dashboard->findChildren<ui::KpiCard *>();
    QCOMPARE(cards.size(), 5);
    for (ui::KpiCard *card : cards) {
        QVERIFY2(card->valueText() != QStringLiteral("–"), qPrintable(card->accessibleName()));
        QVERIFY2(card->trendText().contains(QLatin1Char('%')), qPrintable(card->trendText()));
    }
    // One line per project, never more points than about twice the plot's width.
    ui::TimeSeriesChart *kv = dashboard->kvCacheChart();
    QVERIFY(kv->pointCount() > 0);
    QVERIFY2(kv->pointCount() <= 3 * kv->pointBudget(), qPrintable(QString::number(kv->pointCount())));
    QCOMPARE(dashboard->inferenceChart()->barCount(), 3);
    auto *states = dashboard->findChild<QTableWidget *>(QStringLiteral("projectStates"));
    QCOMPARE(states->rowCount(), 3);
    grab(window, QStringLiteral("dashboard-en"));

    window.showPage(ui::MainWindow::ProjectsPageIndex);
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 3);
    QCOMPARE(table->model()->index(0, ui::ProjectTableModel::NameColumn).data().toString(),
             QStringLiteral("Chatbot v2"));
    QCOMPARE(table->model()
                 ->index(0, ui::ProjectTableModel::SamplesColumn)
                 .data(ui::ProjectTableModel::RawValueRole)
                 .toLongLong(),
             720);
    grab(window, QStringLiteral("projects-en"));
}

void TestMainWindow::emptyDashboardInvitesToCreate()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(currentStateOf(window.dashboard())->objectName(), QStringLiteral("emptyState"));
    auto *button =
        currentStateOf(window.dashboard())->findChild<QPushButton *>(QStringLiteral("primaryButton"));
    QVERIFY(button);
    button->click();
    QTRY_VERIFY(window.findChild<ui::ProjectDialog *>(QStringLiteral("projectDialog")));
    grab(window, QStringLiteral("dashboard-empty-en"));
}

void TestMainWindow::createProjectWithValidation()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(ui::MainWindow::ProjectsPageIndex);
    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
    ui::ProjectDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<ui::ProjectDialog *>(QStringLiteral("projectDialog"))) != nullptr);
    auto *save = dialog->findChild<QPushButton *>(QStringLiteral("saveButton"));
    save->click();
    auto *nameError = dialog->findChild<QLabel *>(QStringLiteral("nameError"));
    auto *modelError = dialog->findChild<QLabel *>(QStringLiteral("modelError"));
    QVERIFY(nameError->isVisible());
    QCOMPARE(nameError->text(), QStringLiteral("Project Name is required."));
    QVERIFY(modelError->isVisible());
    QCOMPARE(modelError->text(), QStringLiteral("Model Name is required."));
    grab(*dialog, QStringLiteral("project-dialog-errors-en"));
    QCOMPARE(stack.repository().projects()->size(), 0); // nothing stored

    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("projectName")),
                     QStringLiteral("Chatbot v2"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("modelName")),
                     QStringLiteral("Llama-3.1-8B"));
    QSignalSpy closed(dialog, &QDialog::finished);
    save->click();
    QTRY_COMPARE(closed.count(), 1); // closed (and deleted) once stored
    auto stored = stack.repository().projects();
    QCOMPARE(stored->size(), 1);
    QCOMPARE(stored->first().modelName, QStringLiteral("Llama-3.1-8B"));
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 1);
}

void TestMainWindow::deleteAsksFirst()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    stack.createProject(QStringLiteral("Doomed"));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(ui::MainWindow::ProjectsPageIndex);
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    table->selectRow(0);
    window.findChild<QPushButton *>(QStringLiteral("deleteProjectButton"))->click();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox *>(QStringLiteral("confirmDelete"))) != nullptr);
    // Cancel keeps it.
    for (QAbstractButton *b : box->buttons()) {
        if (box->buttonRole(b) == QMessageBox::RejectRole)
            b->click();
    }
    QTest::qWait(200); // a negative fact needs a window: a delete, had one been asked, would have run by now
    QCOMPARE(stack.repository().projects()->size(), 1);
    table->selectRow(0);
    window.findChild<QPushButton *>(QStringLiteral("deleteProjectButton"))->click();
    QTRY_VERIFY((box = window.findChild<QMessageBox *>(QStringLiteral("confirmDelete"))) != nullptr);
    for (QAbstractButton *b : box->buttons()) {
        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
            b->click();
    }
    QTRY_COMPARE(table->model()->rowCount(), 0);
    QCOMPARE(stack.repository().projects()->size(), 0);
}

void TestMainWindow::searchFiltersProjects()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    for (const demo::DemoProject &p : demo::demoProjects())
        QVERIFY(stack.repository().createProject(p.name, p.modelName, p.architecture, p.id));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 3);
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    auto *search = window.findChild<QLineEdit *>(QStringLiteral("projectSearch"));
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, QStringLiteral("llama"));
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("Code Gen API"));
}

void TestMainWindow::changesElsewhereReachTheWindow()
{
    // Built as the app builds it: a host that follows the engine. A project created on another connection
    // (as the CLI does) appears without a timer: SQLite's change counter tells the engine.
    test::TestStack stack;
    QVERIFY(stack.start());
    stack.createProject(QStringLiteral("There before"));
    ui::WindowHost host(stack.databasePath(), m_clock, stack.engine().counters());
    host.follow(stack.engine());
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(host.window()));
    host.window()->showPage(ui::MainWindow::ProjectsPageIndex);
    auto *table = host.window()->findChild<QTableView *>(QStringLiteral("projectTable"));
    QVERIFY(table);
    QTRY_COMPARE(table->model()->rowCount(), 1); // the first read is done
    QSignalSpy changed(&stack.engine(), &services::Engine::databaseChanged);
    stack.createProject(QStringLiteral("Made by the CLI"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, 3000);
    QVERIFY(!changed.isEmpty());
}

void TestMainWindow::livePushReachesTheWindow()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    storage::LiveFeed &feed = stack.engine().liveFeed();
    QVERIFY(stack.repository().setSetting(QStringLiteral("ingest.rateLimitPerSecond"), QStringLiteral("0")));
    const test::CreatedProject project = stack.createProject(QStringLiteral("Live"));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    connect(&feed, &storage::LiveFeed::samplesCommitted, &window, &ui::MainWindow::refresh);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ui::KpiCard *tokens = window.dashboard()->findChildren<ui::KpiCard *>().first();
    QTRY_COMPARE(tokens->valueText(), QStringLiteral("–"));
    QCOMPARE(window.dashboard()->kvCacheChart()->pointCount(), 0);
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(project.id, 4321), project.apiKey).status, 200);
    // Well inside the five-second poll: the commit itself triggers the update.
    QTRY_COMPARE_WITH_TIMEOUT(tokens->valueText(), QLocale().toString(4321), 1500);
    QTRY_COMPARE_WITH_TIMEOUT(window.dashboard()->kvCacheChart()->pointCount(), 1, 1500); // and the chart
}

void TestMainWindow::sidebarCompactsWhenNarrow()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
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
    window.resize(1024, 640);
    QTRY_VERIFY(!sidebar->item(0)->text().isEmpty());
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

void TestMainWindow::projectPageShowsEverything()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    const QString chatbot = demo::demoProjects().first().id;
    QSqlQuery insert(stack.repository().database());
    QVERIFY(insert.exec(
        QStringLiteral("INSERT INTO automated_actions (id, project_id, ts, action_type, details, status) "
                       "VALUES ('action-123', '%1', %2, 'Cache Pruning', "
                       "'Cleared 50 LFU cache entries due to exceeding 90% memory threshold.', "
                       "'success')")
            .arg(chatbot)
            .arg(m_clock.nowMs())));
    QVERIFY(insert.exec(
        QStringLiteral(
            "INSERT INTO recommendations (id, project_id, generated_at, title, description, "
            "memory_saving_percent, speed_increase_percent, status, details) VALUES ('rec-xyz', '%1', "
            "%2, 'KV Cache "
            "Quantization Recommended', 'Model GPT-4 shows high KV cache usage. Implementing "
            "8-bit quantization could reduce cache size by approx. 30% without significant "
            "performance degradation.', 30, 5, 'pending', NULL)")
            .arg(chatbot)
            .arg(m_clock.nowMs())));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(ui::MainWindow::ProjectsPageIndex);
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 3);
    // Opening from the list (Enter or double-click) shows the project's page.
    table->setCurrentIndex(table->model()->index(0, 0));
    Q_EMIT table->activated(table->model()->index(0, 0));
    ui::ProjectPage *page = window.projectPage();
    QTRY_VERIFY(page->isVisible());
    QCOMPARE(page->projectId(), chatbot);
    // Chatbot v2 reports the engine fields too: one chart per reported metric.
    QTRY_COMPARE(page->charts().size(), 12);
    for (ui::TimeSeriesChart *chart : page->charts())
        QVERIFY(chart->pointCount() > 0 && chart->pointCount() <= 3 * chart->pointBudget());
    const QList<ui::KpiCard *> cards = page->findChildren<ui::KpiCard *>();
    QCOMPARE(cards.size(), 5);
    QVERIFY(cards.first()->valueText() != QStringLiteral("–"));
    grab(window, QStringLiteral("project-dashboard-en"));

    // The brief's sample recommendation (a row as older versions stored it) and the analytics' own cards.
    page->tabs()->setCurrentIndex(ui::ProjectPage::RecommendationsTab);
    const auto cardFor = [page](const QString &property, const QString &value) -> QFrame * {
        for (QFrame *f : page->findChildren<QFrame *>(QStringLiteral("recommendationCard"))) {
            if (f->property(property.toLatin1().constData()).toString() == value)
                return f;
        }
        return nullptr;
    };
    QFrame *card = nullptr;
    QTRY_VERIFY((card = cardFor(QStringLiteral("recommendationId"), QStringLiteral("rec-xyz"))) != nullptr);
    // Chatbot v2 (llama.cpp, Llama 3.1 8B, -c 16384 -np 4, f16): q8_0 saves 46.9 % with the exact flags and
    // its source; the score shows its parts.
    QFrame *quant = cardFor(QStringLiteral("rule"), QStringLiteral("kv_quantization"));
    QVERIFY(quant);
    const QList<QLineEdit *> commands =
        quant->findChildren<QLineEdit *>(QStringLiteral("recommendationCommand"));
    QVERIFY(!commands.isEmpty());
    QCOMPARE(commands.first()->text(), QStringLiteral("-fa on -ctk q8_0 -ctv q8_0"));
    QVERIFY(quant->findChild<QLabel *>(QStringLiteral("recommendationImpact"))
                ->text()
                .contains(QStringLiteral("46.9")));
    QVERIFY(quant->findChild<QLabel *>(QStringLiteral("recommendationSource"))
                ->text()
                .contains(QStringLiteral("7412")));
    QVERIFY(cardFor(QStringLiteral("rule"), QStringLiteral("right_size_context")));
    QVERIFY(page->scorePanel()->scoreText().contains(QStringLiteral("/ 100")));
    QVERIFY(card->isVisible());
    QVERIFY(card->isVisible());
    const QList<QLabel *> texts = card->findChildren<QLabel *>();
    const bool titled = std::any_of(texts.begin(), texts.end(), [](QLabel *l) {
        return l->text().contains(QStringLiteral("KV Cache Quantization Recommended"));
    });
    QVERIFY(titled);
    const bool impact = std::any_of(texts.begin(), texts.end(), [](QLabel *l) {
        return l->text().contains(QStringLiteral("Estimated Memory Saving: 30 %"));
    });
    QVERIFY(impact);
    grab(window, QStringLiteral("project-recommendations-en"));
    card->findChild<QPushButton *>(QStringLiteral("applyRecommendation"))->click();
    const auto statusOf = [&stack, &chatbot](const QString &id) {
        const QList<model::Recommendation> all = stack.repository().recommendations(chatbot).value();
        for (const model::Recommendation &r : all) {
            if (r.id == id)
                return std::optional(r.status);
        }
        return std::optional<model::RecommendationStatus>();
    };
    QTRY_VERIFY(statusOf(QStringLiteral("rec-xyz")) == model::RecommendationStatus::Applied);
    QTRY_VERIFY((card = cardFor(QStringLiteral("recommendationId"), QStringLiteral("rec-xyz"))) != nullptr &&
                card->findChild<QLabel *>(QStringLiteral("recommendationStatus"))->text() ==
                    QStringLiteral("Applied"));
    QVERIFY(!card->findChild<QPushButton *>(QStringLiteral("applyRecommendation")));

    // What if: q8_0 instead of f16 at the same context and slots halves the memory, and more sequences
    // fit in today's 2 GiB.
    page->tabs()->setCurrentIndex(ui::ProjectPage::WhatIfTab);
    ui::WhatIfPanel *whatIf = page->whatIf();
    QTRY_COMPARE(whatIf->cellText(0, 0),
                 QLocale().formattedDataSize(qint64(2) << 30, 2, QLocale::DataSizeIecFormat));
    auto *cacheK = whatIf->findChild<QComboBox *>(QStringLiteral("whatIfCacheK"));
    auto *cacheV = whatIf->findChild<QComboBox *>(QStringLiteral("whatIfCacheV"));
    cacheK->setCurrentIndex(cacheK->findData(QStringLiteral("q8_0")));
    cacheV->setCurrentIndex(cacheV->findData(QStringLiteral("q8_0")));
    QCOMPARE(whatIf->cellText(1, 1), QLocale().toString(69632)); // 32 layers × 2 × 1024 × 34 / 32
    QVERIFY(whatIf->cellText(0, 2).contains(QStringLiteral("46.9")));
    QVERIFY(whatIf->cellText(3, 1).toInt() > whatIf->cellText(3, 0).toInt());
    grab(window, QStringLiteral("project-whatif-en"));

    page->tabs()->setCurrentIndex(ui::ProjectPage::ActionLogTab);
    auto *actions = page->findChild<QTableWidget *>(QStringLiteral("actionLog"));
    QTRY_COMPARE(actions->rowCount(), 1);
    QCOMPARE(actions->item(0, 1)->text(), QStringLiteral("Cache Pruning"));
    QCOMPARE(actions->item(0, 3)->text(), QStringLiteral("Success"));

    // The metrics log fetches a page at a time.
    page->tabs()->setCurrentIndex(ui::ProjectPage::MetricsLogTab);
    ui::SampleLogModel *log = page->logModel();
    QAbstractItemModelTester tester(log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY(log->rowCount() >= ui::SampleLogModel::kPageSize);
    QVERIFY(log->rowCount() < 720 || !log->canFetchMore({})); // not all at once
    const auto fetchAll = [log] {
        if (log->canFetchMore({}))
            log->fetchMore({});
        return log->rowCount() == 720;
    };
    QTRY_VERIFY(fetchAll());
    QTRY_VERIFY(!log->canFetchMore({}));
    QVERIFY(log->index(0, 0).data(ui::SampleLogModel::RawValueRole).toLongLong() >
            log->index(719, 0).data(ui::SampleLogModel::RawValueRole).toLongLong()); // newest first
    grab(window, QStringLiteral("project-metrics-log-en"));

    // CSV export of the range, streamed by the storage thread.
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("chatbot.csv"));
    services::AsyncRepository exporter(stack.databasePath(), m_clock);
    QSignalSpy exported(&exporter, &services::AsyncRepository::samplesExported);
    exporter.exportSamplesCsv(chatbot, 0, m_clock.nowMs() + 60'000, csv);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.first().at(1).toLongLong(), 720);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 721);
    QVERIFY(lines.first().startsWith(
        "projectId,projectName,timestamp,tokensProcessed,kvCacheSizeKB,memoryUsageGB"));
    QVERIFY(lines.at(1).contains("Z,")); // ISO 8601 UTC
}

void TestMainWindow::automationAlertsReachTheWindow()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("Alerting"));
    model::AutomationSettings limits;
    limits.enabled = true;
    limits.dryRun = true;
    QVERIFY(stack.repository().setAutomation(project.id, limits));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
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
}

void TestMainWindow::sourcesFromTheProjectPage()
{
    // A replayed llama-server added from the Settings tab; the scraper (as the app runs it) reads it; the
    // source shows Up and the dashboard tab shows its four slots.
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveLlamaCaptures(server, "during_slots_06.json", "during_metrics_06.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("Local llama"));
    stack.startScraping();
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openProject(project.id);
    ui::ProjectPage *page = window.projectPage();
    page->tabs()->setCurrentIndex(ui::ProjectPage::SettingsTab);
    auto *url = page->findChild<QLineEdit *>(QStringLiteral("sourceUrl"));
    auto *add = page->findChild<QPushButton *>(QStringLiteral("addSourceButton"));
    auto *error = page->findChild<QLabel *>(QStringLiteral("sourceError"));
    url->setText(QStringLiteral("localhost8080"));
    add->click();
    QTRY_VERIFY(error->isVisible());
    QVERIFY(stack.repository().sources(project.id)->isEmpty());
    url->setText(QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
    add->click();
    QTRY_COMPARE(stack.repository().sources(project.id)->size(), 1);
    auto *sources = page->findChild<QTableWidget *>(QStringLiteral("sourceTable"));
    const auto stateText = [&] {
        page->reload();
        return sources->rowCount() == 1 && sources->item(0, 1) ? sources->item(0, 1)->text() : QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(stateText().startsWith(QStringLiteral("Up")), 15000);
    // "Find servers on this machine" finds it on its port and fills in the form.
    qputenv("CACHEWISE_DISCOVER_PORTS", QByteArray::number(server.port()) + ":llama.cpp");
    url->clear();
    page->findChild<QPushButton *>(QStringLiteral("discoverSourcesButton"))->click();
    auto *found = page->findChild<QLabel *>(QStringLiteral("discoveredSources"));
    QTRY_VERIFY(found->text().startsWith(QStringLiteral("Found: llama.cpp")));
    QCOMPARE(url->text(), QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
    qunsetenv("CACHEWISE_DISCOVER_PORTS");
    grab(window, QStringLiteral("project-sources-en"));
    page->tabs()->setCurrentIndex(ui::ProjectPage::DashboardTab);
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), page->slotsTable()->rowCount() == 4), 15000);
    QVERIFY(page->slotsTable()->isVisible());
    grab(window, QStringLiteral("project-slots-en"));
}

void TestMainWindow::unifiedServerAsksOnThePage()
{
    // llama-server started as most people start it (-c 4096, no -np: 4 slots, one shared cache) for a project
    // described with the defaults (-c 4096 -np 1): the page shows the contradiction and asks, above every
    // tab; the answer makes the runtime match the server and the notices go.
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveUnifiedLlamaCaptures(server, "slots_after_load.json", "metrics_after_load.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("Local llama"));
    analysis::KvConfig config;
    config.context = 4096;
    config.parallel = 1;
    QVERIFY(stack.repository().setRuntime(
        project.id, analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")), config)));
    QVERIFY(stack.repository().addSource(test::sourceAt(project.id, server.port())));
    stack.startScraping();
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.resize(1024, 640);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openProject(project.id);
    ui::ProjectPage *page = window.projectPage();
    auto *notices = page->findChild<ui::SourceNotices *>(QStringLiteral("sourceNotices"));
    QVERIFY(notices);
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), notices->count() == 2), 15000);
    QVERIFY(notices->isVisible());
    QStringList texts;
    for (QLabel *l : notices->findChildren<QLabel *>(QStringLiteral("sourceNoticeText")))
        texts << l->text();
    QVERIFY2(texts.join(QLatin1Char('\n')).contains(QStringLiteral("describe 1 × 4,096")),
             qPrintable(texts.join(QLatin1Char('\n'))));
    QVERIFY(texts.join(QLatin1Char('\n')).contains(QStringLiteral("4 slots of 4,096 tokens each")));
    grab(window, QStringLiteral("project-unified-question-en"));
    ui::applyTheme(*qApp, QStringLiteral("dark"));
    grab(window, QStringLiteral("project-unified-question-dark-en"));
    ui::applyTheme(*qApp, QStringLiteral("light"));

    auto *shared = notices->findChild<QPushButton *>(QStringLiteral("answerUnified"));
    QVERIFY(shared && shared->isVisible());
    shared->click();
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().runtime(project.id).value()->unified, 5000);
    const model::ProjectRuntime runtime = *stack.repository().runtime(project.id).value();
    QCOMPARE(runtime.parallel, 4);
    QCOMPARE(runtime.context, 4096);
    QCOMPARE(stack.repository().sources(project.id)->first().kvLayout, model::KvLayout::Unified);
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), notices->count() == 0), 15000);
    QVERIFY(!notices->isVisible());
    // The slots' use is their share of the one cache.
    page->tabs()->setCurrentIndex(ui::ProjectPage::DashboardTab);
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), page->slotsTable()->rowCount() == 4), 15000);
    auto *slotTable = page->slotsTable()->findChild<QTableWidget *>(QStringLiteral("slotTable"));
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), slotTable->item(0, 1) && slotTable->item(0, 1)->text().endsWith(
                                                                           QStringLiteral("shared"))),
                             15000);
    grab(window, QStringLiteral("project-unified-answered-en"));

    // The same question in Turkish.
    QVERIFY(stack.repository().setRuntime(
        project.id, analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")), config)));
    QVERIFY(stack.repository().setSourceKvLayout(stack.repository().sources(project.id)->first().id,
                                                 model::KvLayout::Unknown));
    ui::installTranslations(*qApp, "tr");
    ui::MainWindow turkish(stack.databasePath(), m_clock, stack.listener().counters());
    turkish.resize(1024, 640);
    turkish.show();
    QVERIFY(QTest::qWaitForWindowExposed(&turkish));
    turkish.openProject(project.id);
    auto *sorular = turkish.projectPage()->findChild<ui::SourceNotices *>(QStringLiteral("sourceNotices"));
    QTRY_VERIFY_WITH_TIMEOUT((turkish.projectPage()->reload(), sorular->count() == 2), 15000);
    QCOMPARE(sorular->findChild<QPushButton *>(QStringLiteral("answerUnified"))->text(),
             QStringLiteral("Paylaşılan tek cache"));
    grab(turkish, QStringLiteral("project-unified-question-tr"));
    ui::applyTheme(*qApp, QStringLiteral("dark"));
    grab(turkish, QStringLiteral("project-unified-question-dark-tr"));
    ui::applyTheme(*qApp, QStringLiteral("light"));
    ui::installTranslations(*qApp, "en");
}

void TestMainWindow::latencyPercentilesOfAvLlmSource()
{
    // A vLLM server (its documented /metrics, replayed) read by the scraper: the dashboard tab shows the
    // p50/p95/p99 the scrape computed from its histograms.
    test::ReplayServer server;
    QVERIFY(server.listen());
    server.serve("/metrics", 200, test::testData(QStringLiteral("prometheus/vllm-fixture.txt")));
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("vLLM server"));
    QVERIFY(stack.repository().addSource(test::sourceAt(project.id, server.port(), model::Engine::Vllm)));
    stack.startScraping();
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openProject(project.id);
    ui::ProjectPage *page = window.projectPage();
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), page->latencyTable()->rowCount() == 1), 15000);
    QVERIFY(page->latencyTable()->isVisible());
    auto *table = page->latencyTable()->findChild<QTableWidget *>(QStringLiteral("latencyTable"));
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("Time to first token"));
    QVERIFY2(table->item(0, 1)->text().endsWith(QStringLiteral(" ms")),
             qPrintable(table->item(0, 1)->text()));
    QVERIFY(!page->slotsTable()->isVisible()); // no slots: not a llama-server
    grab(window, QStringLiteral("project-latency-en"));
}

void TestMainWindow::projectPageManagesKeys()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(stack.repository().setSetting(QStringLiteral("ingest.rateLimitPerSecond"), QStringLiteral("0")));
    const test::CreatedProject project = stack.createProject(QStringLiteral("Keys"));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.setListening(QStringLiteral("http://127.0.0.1:%1").arg(stack.port()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openProject(project.id);
    ui::ProjectPage *page = window.projectPage();
    page->tabs()->setCurrentIndex(ui::ProjectPage::SettingsTab);
    auto *keys = page->findChild<QTableWidget *>(QStringLiteral("keyTable"));
    QTRY_COMPARE(keys->rowCount(), 1);
    auto *snippet = page->findChild<QPlainTextEdit *>(QStringLiteral("pushSnippet"));
    QVERIFY(snippet->toPlainText().contains(project.id));
    QVERIFY(
        snippet->toPlainText().contains(QStringLiteral("http://127.0.0.1:%1/api/metrics").arg(stack.port())));
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("emptyMetrics")) != nullptr);
    QTRY_VERIFY(page->findChild<QLabel *>(QStringLiteral("emptyRecommendations"))->parentWidget() != nullptr);
    page->tabs()->setCurrentIndex(ui::ProjectPage::RecommendationsTab);
    QTRY_VERIFY(page->findChild<QLabel *>(QStringLiteral("emptyRecommendations"))->isVisible());
    page->tabs()->setCurrentIndex(ui::ProjectPage::SettingsTab);

    // Automated management: the brief's message for text that is no number, storage's limits, then saved.
    auto *maxCache = page->findChild<QLineEdit *>(QStringLiteral("maxCachePercent"));
    auto *maxLatency = page->findChild<QLineEdit *>(QStringLiteral("maxLatencyIncreasePercent"));
    auto *saveAutomation = page->findChild<QPushButton *>(QStringLiteral("saveAutomationButton"));
    auto *cacheError = page->findChild<QLabel *>(QStringLiteral("maxCacheError"));
    QTRY_COMPARE(maxCache->text(), QStringLiteral("90"));
    maxCache->setText(QStringLiteral("ninety"));
    saveAutomation->click();
    QVERIFY(cacheError->isVisible());
    QCOMPARE(cacheError->text(), QStringLiteral("Please enter a valid number."));
    maxCache->setText(QStringLiteral("150"));
    saveAutomation->click();
    QVERIFY(cacheError->isVisible());
    QCOMPARE(cacheError->text(), QStringLiteral("Enter a percentage above 0 and at most 100."));
    QCOMPARE(stack.repository().automation(project.id)->maxCachePercent, 90.0); // refused: nothing stored
    maxCache->setText(QStringLiteral("85"));
    maxLatency->setText(QStringLiteral("25"));
    page->findChild<QCheckBox *>(QStringLiteral("automationEnabled"))->setChecked(true);
    QSignalSpy messages(page, &ui::ProjectPage::message);
    saveAutomation->click();
    // Saved, and the form shows what was stored.
    QTRY_VERIFY(std::any_of(messages.begin(), messages.end(), [](const QList<QVariant> &m) {
        return m.first().toString() == QStringLiteral("Automated management settings saved");
    }));
    QVERIFY(stack.repository().automation(project.id)->enabled);
    QCOMPARE(stack.repository().automation(project.id)->maxCachePercent, 85.0);
    QCOMPARE(stack.repository().automation(project.id)->maxLatencyIncreasePercent, 25.0);
    QVERIFY(!cacheError->isVisible());

    // Webhook: a URL that is not http(s) is refused by storage and shown; a valid one is stored.
    auto *webhookUrl = page->findChild<QLineEdit *>(QStringLiteral("webhookUrl"));
    auto *automationError = page->findChild<QLabel *>(QStringLiteral("automationError"));
    webhookUrl->setText(QStringLiteral("ftp://example.org/hook"));
    page->findChild<QPushButton *>(QStringLiteral("generateWebhookSecret"))->click();
    QVERIFY(page->findChild<QLineEdit *>(QStringLiteral("webhookSecret"))->text().size() >= 16);
    saveAutomation->click();
    QTRY_VERIFY(automationError->isVisible());
    QVERIFY(automationError->text().contains(QStringLiteral("http")));
    QVERIFY(stack.repository().automation(project.id)->webhookUrl.isEmpty());
    webhookUrl->setText(QStringLiteral("https://example.org/hook"));
    page->findChild<QSpinBox *>(QStringLiteral("cooldownSeconds"))->setValue(120);
    saveAutomation->click();
    QTRY_COMPARE(stack.repository().automation(project.id)->webhookUrl,
                 QStringLiteral("https://example.org/hook"));
    QCOMPARE(stack.repository().automation(project.id)->cooldownSeconds, 120);

    // Engine and model: a real GGUF header read off the GUI thread, a corrupt file refused with a
    // message, a quantized V cache without flash attention refused before saving, then saved.
    auto *editor = page->findChild<ui::RuntimeEditor *>(QStringLiteral("runtimeEditor"));
    auto *model = editor->findChild<QComboBox *>(QStringLiteral("runtimeModel"));
    auto *runtimeError = editor->findChild<QLabel *>(QStringLiteral("runtimeError"));
    auto *notDescribed = editor->findChild<QLabel *>(QStringLiteral("runtimeNotDescribed"));
    QVERIFY(notDescribed->isVisible()); // nothing saved yet: the form shows suggestions
    QTemporaryDir files;
    const QString corrupt = files.filePath(QStringLiteral("broken.gguf"));
    {
        QFile f(corrupt);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("GGUF\x03\x00\x00\x00garbage");
    }
    editor->readModelFile(corrupt);
    QTRY_VERIFY(runtimeError->isVisible());
    QVERIFY(runtimeError->text().contains(QStringLiteral("broken.gguf")));
    editor->readModelFile(test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf")));
    QTRY_VERIFY(model->currentText().contains(QStringLiteral("(from file)")));
    QVERIFY(!runtimeError->isVisible());
    editor->findChild<QComboBox *>(QStringLiteral("runtimeCacheV"))->setCurrentText(QStringLiteral("q8_0"));
    editor->findChild<QCheckBox *>(QStringLiteral("runtimeFlashAttention"))->setChecked(false);
    editor->findChild<QPushButton *>(QStringLiteral("saveRuntimeButton"))->click();
    QVERIFY(runtimeError->isVisible());
    QVERIFY(!stack.repository().runtime(project.id)->has_value());
    editor->findChild<QCheckBox *>(QStringLiteral("runtimeFlashAttention"))->setChecked(true);
    editor->findChild<QSpinBox *>(QStringLiteral("runtimeContext"))->setValue(8192);
    editor->findChild<QPushButton *>(QStringLiteral("saveRuntimeButton"))->click();
    QTRY_VERIFY(stack.repository().runtime(project.id)->has_value());
    QTRY_VERIFY(!notDescribed->isVisible());
    const model::ProjectRuntime saved = *stack.repository().runtime(project.id).value();
    QCOMPARE(saved.context, 8192);
    QCOMPARE(saved.cacheTypeV, model::CacheType::Q8_0);
    QVERIFY(saved.modelJson.contains("\"kvHeads\":32"));

    page->findChild<QPushButton *>(QStringLiteral("createKeyButton"))->click();
    auto *newKey = page->findChild<QLineEdit *>(QStringLiteral("newKey"));
    QTRY_VERIFY(newKey->text().startsWith(QStringLiteral("cw_")));
    QTRY_COMPARE(keys->rowCount(), 2);
    grab(window, QStringLiteral("project-settings-en"));
    // The key shown works at once.
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(project.id), newKey->text()).status, 200);

    // Revoke the new key (row 1, the list is oldest first) after confirming.
    keys->setCurrentCell(1, 0);
    page->findChild<QPushButton *>(QStringLiteral("revokeKeyButton"))->click();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = page->findChild<QMessageBox *>(QStringLiteral("confirmRevoke"))) != nullptr);
    for (QAbstractButton *b : box->buttons()) {
        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
            b->click();
    }
    QTRY_COMPARE(keys->item(1, 4)->text(), QStringLiteral("Revoked"));
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(project.id), newKey->text()).status, 401);
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(project.id), project.apiKey).status, 200);
}

void TestMainWindow::metricsLogOnAMillionSamples()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("Big"));
    {
        // One million raw rows, written directly in one statement: this is about reading them.
        QSqlQuery q(stack.repository().database());
        QVERIFY(q.prepare(
            QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999) "
                           "INSERT INTO metric_samples (project_id, ts, tokens_processed, kv_cache_size_kb, "
                           "memory_usage_gb, "
                           "inference_time_ms) SELECT ?, ? + i * 50, i, 480000, 2.7, 550 FROM n")));
        q.addBindValue(project.id);
        q.addBindValue(m_clock.nowMs() - 1'000'000LL * 50);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    services::AsyncRepository repository(stack.databasePath(), m_clock);
    // No QAbstractItemModelTester here: it calls fetchMore() itself and would page through everything
    // (it runs on this model in projectPageShowsEverything).
    ui::SampleLogModel model(repository);
    QElapsedTimer timer;
    timer.start();
    model.setQuery(project.id, 0, m_clock.nowMs() + 1, true);
    QTRY_COMPARE(model.rowCount(), ui::SampleLogModel::kPageSize);
    qInfo("first page of a million-row log in %lld ms", timer.elapsed());
    QCOMPARE(
        model.index(0, ui::SampleLogModel::TokensColumn).data(ui::SampleLogModel::RawValueRole).toLongLong(),
        999'999);
    // Pages continue where the last ended, however deep; only what was scrolled to is held.
    for (int page = 1; page < 5; ++page) {
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), (page + 1) * ui::SampleLogModel::kPageSize);
    }
    QCOMPARE(model.index(model.rowCount() - 1, ui::SampleLogModel::TokensColumn)
                 .data(ui::SampleLogModel::RawValueRole)
                 .toLongLong(),
             1'000'000 - 5 * ui::SampleLogModel::kPageSize);
}

void TestMainWindow::projectModelIsSound()
{
    ui::ProjectTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    services::ProjectOverview a;
    a.project.id = QStringLiteral("a");
    a.project.name = QStringLiteral("Alpha");
    a.stats.sampleCount = 12;
    a.stats.lastTimestampMs = 1'705'312'800'000;
    services::ProjectOverview b = a;
    b.project.name = QStringLiteral("Beta");
    b.stats.lastTimestampMs.reset();
    model.setProjects({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ui::ProjectTableModel::SamplesColumn)
                 .data(ui::ProjectTableModel::RawValueRole)
                 .toLongLong(),
             12);
    QCOMPARE(model.index(1, ui::ProjectTableModel::LastSampleColumn)
                 .data(ui::ProjectTableModel::RawValueRole)
                 .toLongLong(),
             -1);
    model.setProjects({});
    QCOMPARE(model.rowCount(), 0);
}

void TestMainWindow::listenerStates()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    auto counters = std::make_shared<ingest::IngestCounters>();
    ui::MainWindow window(stack.databasePath(), m_clock, counters);
    auto *label = window.findChild<QLabel *>(QStringLiteral("listenerState"));
    QVERIFY(label);
    window.setListening(QStringLiteral("http://127.0.0.1:4318"));
    QVERIFY(label->text().contains(QStringLiteral("127.0.0.1:4318")));
    window.setListenFailed(QStringLiteral("cannot listen on 127.0.0.1:4318: address in use"));
    QVERIFY(label->toolTip().contains(QStringLiteral("address in use")));
    counters->samplesAccepted = 42;
    auto *rate = window.findChild<QLabel *>(QStringLiteral("listenerRate"));
    QTRY_VERIFY(rate->text().startsWith(QStringLiteral("42")));
}

void TestMainWindow::settingsSwitchThemeAndLanguage()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    auto *settings = window.findChild<ui::SettingsPage *>(QStringLiteral("settingsPage"));
    QTRY_VERIFY(settings->isVisible());
    auto *theme = settings->findChild<QComboBox *>(QStringLiteral("themeChoice"));
    auto *language = settings->findChild<QComboBox *>(QStringLiteral("languageChoice"));
    auto *reduced = settings->findChild<QCheckBox *>(QStringLiteral("reducedMotion"));
    QTRY_COMPARE(theme->currentData().toString(), QStringLiteral("system"));

    theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
    QVERIFY(ui::theme::isDark());
    QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 64);
    QTRY_COMPARE(stack.repository().setting(QStringLiteral("ui.theme")).value(), QStringLiteral("dark"));
    reduced->setChecked(true);
    QVERIFY(ui::theme::reducedMotion());
    QTRY_COMPARE(stack.repository().setting(QStringLiteral("ui.reducedMotion")).value(), QStringLiteral("1"));
    language->setCurrentIndex(language->findData(QStringLiteral("tr")));
    QTRY_COMPARE(stack.repository().setting(QStringLiteral("ui.language")).value(), QStringLiteral("tr"));
    grab(window, QStringLiteral("settings-dark-en"));
    window.showPage(ui::MainWindow::DashboardPageIndex);
    QTRY_VERIFY(currentStateOf(window.dashboard())->findChild<ui::KpiCard *>());
    grab(window, QStringLiteral("dashboard-dark-en"));

    theme->setCurrentIndex(theme->findData(QStringLiteral("light")));
    reduced->setChecked(false);
    QVERIFY(!ui::theme::isDark());
}

void TestMainWindow::exportsFromTheWindow()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
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

void TestMainWindow::settingsMapOpenTelemetryNames()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(ui::MainWindow::SettingsPageIndex);
    auto *settings = window.findChild<ui::SettingsPage *>(QStringLiteral("settingsPage"));
    auto *attribute = settings->findChild<QLineEdit *>(QStringLiteral("otlpProjectAttribute"));
    auto *name = settings->findChild<QLineEdit *>(QStringLiteral("otlpName"));
    auto *field = settings->findChild<QComboBox *>(QStringLiteral("otlpField"));
    auto *names = settings->findChild<QTableWidget *>(QStringLiteral("otlpNames"));
    QTRY_COMPARE(attribute->text(), QStringLiteral("service.name"));
    // The user's own name, as the CLI's `otlp map` would save it.
    name->setText(QStringLiteral("my_app.kv.blocks"));
    field->setCurrentIndex(field->findData(QStringLiteral("kv_cache_kib")));
    settings->findChild<QPushButton *>(QStringLiteral("otlpMapButton"))->click();
    QTRY_COMPARE(names->rowCount(), 1);
    QCOMPARE(names->item(0, 0)->text(), QStringLiteral("my_app.kv.blocks"));
    QCOMPARE(names->item(0, 1)->text(), QStringLiteral("KV cache size (KiB)"));
    QCOMPARE(stack.repository().otlpNames()->first().second, QStringLiteral("kv_cache_kib"));
    // Which attribute names the project; a value with a space is refused and nothing changes.
    attribute->setText(QStringLiteral("k8s.deployment.name"));
    Q_EMIT attribute->editingFinished();
    QTRY_COMPARE(stack.repository().setting(storage::setting::OtlpProjectAttribute).value(),
                 QStringLiteral("k8s.deployment.name"));
    attribute->setText(QStringLiteral("not valid"));
    Q_EMIT attribute->editingFinished();
    QCOMPARE(attribute->text(), QStringLiteral("k8s.deployment.name")); // back to what is saved
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("Not saved")));
    QCOMPARE(stack.repository().setting(storage::setting::OtlpProjectAttribute).value(),
             QStringLiteral("k8s.deployment.name"));
    grab(window, QStringLiteral("settings-otlp-en"));
    names->selectRow(0);
    settings->findChild<QPushButton *>(QStringLiteral("otlpUnmapButton"))->click();
    QTRY_COMPARE(names->rowCount(), 0);
    QVERIFY(stack.repository().otlpNames()->isEmpty());
}

void TestMainWindow::everyControlTakesKeyboardFocus()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
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
    ui::WindowHost host(stack.databasePath(), m_clock, stack.listener().counters());
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
    QTRY_COMPARE(stack.repository().setting(QStringLiteral("ui.language")).value(), QStringLiteral("tr"));
    ui::installTranslations(*qApp, "en");
}

void TestMainWindow::speaksTurkish()
{
    ui::installTranslations(*qApp, "tr");
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    ui::MainWindow window(stack.databasePath(), m_clock, stack.listener().counters());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
    QCOMPARE(sidebar->item(0)->text(), QStringLiteral("Kontrol Paneli"));
    QCOMPARE(sidebar->item(1)->text(), QStringLiteral("Projeler"));
    QCOMPARE(sidebar->item(2)->text(), QStringLiteral("Ayarlar"));
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
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
