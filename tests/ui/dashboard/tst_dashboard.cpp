// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard: the demo, the empty state, live pushes.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/services/projectanalysis.h"
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
#include "ui/dialogs/newkeydialog.h"
#include "ui/dialogs/projectdialog.h"
#include "ui/language.h"
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
#include "ui/widgets/getstarted.h"
#include "ui/widgets/kpicard.h"
#include "ui/widgets/runtimeeditor.h"
#include "ui/widgets/scorepanel.h"
#include "ui/widgets/skeleton.h"
#include "ui/widgets/sourcespanel.h"
#include "ui/windowhost.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace cachewise;
using test::currentStateOf;
using test::grab;

class TestDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::applyTheme(*qApp); }
    void dashboardShowsDemoData();
    void emptyDashboardInvitesToCreate();
    void skeletonWhileLoading();
    void firstRunInTurkishAndDark();
    void livePushReachesTheWindow();

private:
    SystemClock m_clock;
};

void TestDashboard::dashboardShowsDemoData()
{
    test::DemoWindow app;
    QVERIFY(app.start(m_clock));
    test::TestStack &stack = app.stack();
    ui::MainWindow &window = app.window();
    ui::DashboardPage *dashboard = window.dashboard();
    QTRY_VERIFY(currentStateOf(dashboard) && currentStateOf(dashboard)->findChild<ui::KpiCard *>());
    const QList<ui::KpiCard *> cards = dashboard->findChildren<ui::KpiCard *>();
    QCOMPARE(cards.size(), 5);
    auto *scoreCard = dashboard->findChild<ui::KpiCard *>(QStringLiteral("scoreCard"));
    QVERIFY(scoreCard);
    for (ui::KpiCard *card : cards) {
        QVERIFY2(card->valueText() != QStringLiteral("–"), qPrintable(card->accessibleName()));
        if (card != scoreCard)
            QVERIFY2(card->trendText().contains(QLatin1Char('%')), qPrintable(card->trendText()));
    }
    // One score: the mean of the score each project's page shows (computed, never the pushed field).
    double sum = 0;
    for (const demo::DemoProject &p : demo::demoProjects()) {
        auto analysed = services::analyseProject(stack.repository(), p.id, m_clock.nowMs());
        QVERIFY(analysed && analysed->score.score);
        sum += *analysed->score.score;
    }
    QCOMPARE(scoreCard->valueText(), QStringLiteral("%1 / 100").arg(formatDecimal(sum / 3, 0)));
    QCOMPARE(scoreCard->trendText(), QStringLiteral("mean of 3 projects, last 24 h"));
    // One line per project, never more points than about twice the plot's width.
    ui::TimeSeriesChart *kv = dashboard->kvCacheChart();
    QVERIFY(kv->pointCount() > 0);
    QVERIFY2(kv->pointCount() <= 3 * kv->pointBudget(), qPrintable(QString::number(kv->pointCount())));
    QCOMPARE(dashboard->inferenceChart()->barCount(), 3);
    // Whole names, in the projects' order (not cut to "Chatbot ..." under narrow bars).
    QCOMPARE(dashboard->inferenceChart()->categoryLabels(),
             (QStringList{QStringLiteral("Chatbot v2"), QStringLiteral("Code Gen API"),
                          QStringLiteral("Image Captioning")}));
    // Every chart names its unit.
    QCOMPARE(dashboard->inferenceChart()->valueAxisTitle(), QStringLiteral("ms"));
    QCOMPARE(kv->valueAxisTitle(), QStringLiteral("GiB")); // up to 6 GiB: counted in GiB, as the KPIs
    auto *states = dashboard->findChild<QTableView *>(QStringLiteral("projectStates"));
    QCOMPARE(states->model()->rowCount(), 3);
    grab(window, QStringLiteral("dashboard-en"));

    // In % of capacity: every project that reports its KV share or capacity, each between 0 and 100 %.
    QVERIFY(!dashboard->kvShareChart()->isVisible());
    QVERIFY(dashboard->kvShareChart()->lineNames().isEmpty()); // not read while hidden
    dashboard->kvPercentToggle()->setChecked(true);
    ui::TimeSeriesChart *share = dashboard->kvShareChart();
    QVERIFY(share->isVisible() && !kv->isVisible());
    QCOMPARE(share->valueAxisTitle(), QStringLiteral("%"));
    QTRY_VERIFY(share->lineNames().contains(QStringLiteral("Chatbot v2"))); // read once shown
    QCOMPARE(share->referenceLines().first().label, QStringLiteral("Capacity"));
    const auto readout = share->readoutAt(share->timeAtViewX(share->plotWidget()->width() / 2));
    QVERIFY(readout && !readout->lines.isEmpty());
    QVERIFY2(readout->lines.first().endsWith(QLatin1Char('%')), qPrintable(readout->lines.first()));
    grab(window, QStringLiteral("dashboard-kv-percent-en"));
    dashboard->kvPercentToggle()->setChecked(false);
    QVERIFY(kv->isVisible());

    // Dragging across the KV chart zooms the whole dashboard into that range; a double click resets it.
    const auto [rangeFrom, rangeTo] = dashboard->shownRange();
    QWidget *plot = kv->plotWidget();
    const int x = plot->width() / 2;
    const int y = plot->height() / 2;
    QTest::mousePress(plot, Qt::LeftButton, {}, QPoint(x - 40, y));
    QTest::mouseMove(plot, QPoint(x + 40, y));
    QTest::mouseRelease(plot, Qt::LeftButton, {}, QPoint(x + 40, y));
    const auto [zoomFrom, zoomTo] = dashboard->shownRange();
    QVERIFY(zoomFrom > rangeFrom && zoomTo < rangeTo && zoomTo > zoomFrom);
    QVERIFY(dashboard->findChild<QPushButton *>(QStringLiteral("dashboardZoomReset"))->isVisible());
    QTest::mouseDClick(plot, Qt::LeftButton, {}, QPoint(x, y));
    QCOMPARE(dashboard->shownRange().second - dashboard->shownRange().first, rangeTo - rangeFrom);

    // See Details opens the selected project; View All Projects the list.
    auto *details = dashboard->findChild<QPushButton *>(QStringLiteral("seeDetails"));
    QVERIFY(!details->isEnabled());
    states->setCurrentIndex(states->model()->index(1, 0));
    QVERIFY(details->isEnabled());
    details->click();
    QTRY_COMPARE(window.projectPage()->projectId(), demo::demoProjects().at(1).id);
    QVERIFY(window.projectPage()->isVisible());
    window.showPage(ui::MainWindow::DashboardPageIndex);
    dashboard->findChild<QPushButton *>(QStringLiteral("viewAllProjects"))->click();
    QVERIFY(window.projects()->isVisible());

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

void TestDashboard::emptyDashboardInvitesToCreate()
{
    // An empty database offers three ways in, each one step.
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveLlamaCaptures(server, "during_slots_06.json", "during_metrics_06.txt");
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.engine(), m_clock);
    window.setListening(QStringLiteral("http://127.0.0.1:%1").arg(stack.port()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(currentStateOf(window.dashboard())->objectName(), QStringLiteral("emptyState"));
    ui::GetStartedPanel *ways = window.dashboard()->getStarted();
    grab(window, QStringLiteral("dashboard-empty-en"));

    // 1. Send metrics from your code: a project with its key, shown once with snippets that work.
    ways->findChild<QPushButton *>(QStringLiteral("sendMetricsButton"))->click();
    ui::ProjectDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<ui::ProjectDialog *>(QStringLiteral("projectDialog"))) != nullptr);
    dialog->findChild<QLineEdit *>(QStringLiteral("projectName"))->setText(QStringLiteral("My app"));
    dialog->findChild<QLineEdit *>(QStringLiteral("modelName"))
        ->setText(QStringLiteral("Llama-3.1-8B-Instruct"));
    dialog->findChild<QPushButton *>(QStringLiteral("saveButton"))->click();
    ui::NewKeyDialog *keyDialog = nullptr;
    QTRY_VERIFY((keyDialog = window.findChild<ui::NewKeyDialog *>()) != nullptr && keyDialog->isVisible());
    const QString key = keyDialog->keyText();
    const QString projectId = window.projectPage()->projectId();
    QCOMPARE(stack.repository().projects().get(projectId).value()->name, QStringLiteral("My app"));
    QCOMPARE(stack.repository().keys().list(projectId)->size(), 1);
    QVERIFY(key.startsWith(stack.repository().keys().list(projectId)->first().prefix));
    QCOMPARE(keyDialog->snippetKind()->count(), 3);
    QVERIFY(keyDialog->snippetText().contains(
        QStringLiteral("http://127.0.0.1:%1/api/metrics").arg(stack.port())));
    QVERIFY(keyDialog->snippetText().contains(QStringLiteral("Bearer ") + key));
    keyDialog->snippetKind()->setCurrentIndex(2);
    QVERIFY(keyDialog->snippetText().contains(QStringLiteral("/v1/metrics")));
    QVERIFY(keyDialog->snippetText().contains(key));
    grab(*keyDialog, QStringLiteral("new-key-en"));
    keyDialog->findChild<QPushButton *>(QStringLiteral("newKeyDone"))->click();
    // The new project's empty dashboard offers its server or its code (the Settings tab's keys and snippets).
    ui::ProjectPage *page = window.projectPage();
    QTRY_VERIFY(page->findChild<ui::GetStartedPanel *>(QStringLiteral("emptyMetrics")) &&
                page->findChild<ui::GetStartedPanel *>(QStringLiteral("emptyMetrics"))->isVisible());
    auto *projectWays = page->findChild<ui::GetStartedPanel *>(QStringLiteral("emptyMetrics"));
    QVERIFY(!projectWays->findChild<QPushButton *>(QStringLiteral("sampleDataButton")));
    grab(window, QStringLiteral("project-empty-en"));
    projectWays->findChild<QPushButton *>(QStringLiteral("sendMetricsButton"))->click();
    QCOMPARE(page->tabs()->currentIndex(), int(ui::ProjectPage::SettingsTab));
    // The key in the snippet is the project's: a push with it is stored and the dashboard shows it.
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(projectId, 1000), key).status, 200);
    page->tabs()->setCurrentIndex(ui::ProjectPage::DashboardTab);
    QTRY_VERIFY((page->reload(), !projectWays->isVisible() && !page->charts().isEmpty()));

    // 2. Connect a running server: the ports tried are named; what answered is added as a project and source.
    window.showPage(ui::MainWindow::DashboardPageIndex);
    QVERIFY(ways->findChild<QLabel *>(QStringLiteral("findServersTitle")));
    qputenv("CACHEWISE_DISCOVER_PORTS", QByteArray::number(server.port()) + ":llama.cpp");
    ways->findServers();
    QTRY_COMPARE(ways->serversText()->text(), QStringLiteral("Found on this machine:"));
    QPushButton *add = nullptr;
    QTRY_VERIFY((add = ways->findChild<QPushButton *>(QStringLiteral("addFoundServer"))) != nullptr);
    add->click();
    QTRY_VERIFY((keyDialog = window.findChild<ui::NewKeyDialog *>()) != nullptr && keyDialog->isVisible());
    const QString serverProject = window.projectPage()->projectId();
    QVERIFY(serverProject != projectId);
    const auto sources = stack.repository().sources().list(serverProject);
    QCOMPARE(sources->size(), 1);
    QCOMPARE(sources->first().baseUrl, QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
    keyDialog->findChild<QPushButton *>(QStringLiteral("newKeyDone"))->click();
    // LM Studio (a stand-in serving its documentation's model list) is named with its loaded model; it has
    // nothing to read, so the way offered is to push from code, not a source. Tried on the new project's
    // own empty dashboard, which offers the same ways.
    test::ReplayServer lmStudio;
    QVERIFY(lmStudio.listen());
    lmStudio.serve("/api/v0/models", 200, test::testData(QStringLiteral("lmstudio/api_v0_models.json")));
    test::ReplayServer openAiOnly; // another server's OpenAI-style list is not taken for LM Studio
    QVERIFY(openAiOnly.listen());
    openAiOnly.serve("/api/v0/models", 200, R"({"object":"list","data":[{"id":"m","object":"model"}]})");
    qputenv("CACHEWISE_DISCOVER_PORTS", QByteArray::number(lmStudio.port()) + ":lmstudio," +
                                            QByteArray::number(openAiOnly.port()) + ":lmstudio");
    auto *serverWays = window.projectPage()->findChild<ui::GetStartedPanel *>(QStringLiteral("emptyMetrics"));
    QTRY_VERIFY(serverWays->isVisible());
    serverWays->findServers();
    QPushButton *push = nullptr;
    QTRY_VERIFY((push = serverWays->findChild<QPushButton *>(QStringLiteral("pushFromFoundServer"))) !=
                nullptr);
    QCOMPARE(serverWays->findChildren<QPushButton *>(QStringLiteral("pushFromFoundServer")).size(), 1);
    QVERIFY(!serverWays->findChild<QPushButton *>(QStringLiteral("addFoundServer")));
    bool named = false;
    for (const QLabel *label : serverWays->findChildren<QLabel *>())
        named |=
            label->text() ==
            QStringLiteral("LM Studio http://127.0.0.1:%1 · meta-llama-3.1-8b-instruct").arg(lmStudio.port());
    QVERIFY(named);
    grab(window, QStringLiteral("project-empty-lmstudio-en"));
    push->click();
    QCOMPARE(window.projectPage()->tabs()->currentIndex(), int(ui::ProjectPage::SettingsTab)); // its keys
    QCOMPARE(stack.repository().sources().list(serverProject)->size(), 1); // no source added for it
    qputenv("CACHEWISE_DISCOVER_PORTS", QByteArray::number(server.port()) + ":llama.cpp");
    // Nothing answering: it says which ports it tried and which flags a server needs.
    const quint16 port = server.port();
    server.close();
    ways->findServers();
    QTRY_VERIFY(ways->serversText()->text().startsWith(
        QStringLiteral("Nothing answered on %1 (llama.cpp)").arg(port)));
    QVERIFY(ways->serversText()->text().contains(QStringLiteral("--metrics --slots")));
    qunsetenv("CACHEWISE_DISCOVER_PORTS");
    ways->findChild<QPushButton *>(QStringLiteral("sampleDataButton"))->click();
    // 3. Explore with sample data, loaded off the window's thread.
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().projects().list()->size() == 5, 20000);
    QTRY_VERIFY(stack.repository().samples().stats(demo::demoProjects().first().id)->sampleCount > 0);
    window.refresh();
    QTRY_COMPARE(window.dashboard()->kvCacheChart()->lineNames().size(), 5);
}

void TestDashboard::skeletonWhileLoading()
{
    // Before the first read: blocks where the cards and charts will be, and the brief's words under them.
    ui::SkeletonView skeleton(ui::SkeletonView::Shape::Dashboard);
    skeleton.resize(1000, 600);
    skeleton.show();
    QVERIFY(QTest::qWaitForWindowExposed(&skeleton));
    QCOMPARE(skeleton.accessibleName(), QStringLiteral("Fetching data..."));
    const QImage image = skeleton.grab().toImage();
    const QColor background = image.pixelColor(2, 2);
    const QColor card = image.pixelColor(100, 40);   // the first card
    const QColor chart = image.pixelColor(250, 300); // the first chart
    QVERIFY2(card != background && chart != background,
             qPrintable(card.name() + QLatin1Char('/') + background.name()));
    QVERIFY(image.pixelColor(500, 300) == background); // the gap between the two charts
    grab(skeleton, QStringLiteral("skeleton-en"));
}

void TestDashboard::firstRunInTurkishAndDark()
{
    // The ways in and the new key's dialog in Turkish, light and dark, at 1024x640: the brief's words, and
    // nothing cut.
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::installTranslations(*qApp, "tr");
    {
        ui::MainWindow window(stack.engine(), m_clock);
        window.setListening(QStringLiteral("http://127.0.0.1:%1").arg(stack.port()));
        window.resize(1024, 640);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(currentStateOf(window.dashboard())->objectName(), QStringLiteral("emptyState"));
        ui::GetStartedPanel *ways = window.dashboard()->getStarted();
        QCOMPARE(ways->findChild<QPushButton *>(QStringLiteral("findServersButton"))->text(),
                 QStringLiteral("Sunucuları Bul"));
        QCOMPARE(ways->findChild<QPushButton *>(QStringLiteral("sampleDataButton"))->text(),
                 QStringLiteral("Örnek Verileri Yükle"));
        // Every way's button shows whole at this width.
        for (QPushButton *button : ways->findChildren<QPushButton *>())
            QVERIFY2(button->width() >= button->sizeHint().width(), qPrintable(button->text()));
        grab(window, QStringLiteral("first-run-tr"));
        ui::applyTheme(*qApp, QStringLiteral("dark"));
        grab(window, QStringLiteral("first-run-dark-tr"));
        ui::applyTheme(*qApp, QStringLiteral("light"));
    }
    model::Project project;
    project.id = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01");
    project.name = QStringLiteral("Sohbet");
    model::NewApiKey key;
    key.secret = QStringLiteral("cw_example_secret");
    ui::NewKeyDialog dialog(nullptr, project, key, QStringLiteral("http://127.0.0.1:4318"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Proje Oluşturuldu"));
    grab(dialog, QStringLiteral("new-key-tr"));
    ui::installTranslations(*qApp, "en");
}

void TestDashboard::livePushReachesTheWindow()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    storage::LiveFeed &feed = stack.engine().liveFeed();
    QVERIFY(
        stack.repository().settings().set(QStringLiteral("ingest.rateLimitPerSecond"), QStringLiteral("0")));
    const test::CreatedProject project = stack.createProject(QStringLiteral("Live"));
    ui::MainWindow window(stack.engine(), m_clock);
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

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
