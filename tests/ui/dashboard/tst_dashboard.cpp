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
    QCOMPARE(kv->valueAxisTitle(), QStringLiteral("MiB"));
    auto *states = dashboard->findChild<QTableView *>(QStringLiteral("projectStates"));
    QCOMPARE(states->model()->rowCount(), 3);
    grab(window, QStringLiteral("dashboard-en"));

    // In % of capacity: every project that reports its KV share or capacity, each between 0 and 100 %.
    QVERIFY(!dashboard->kvShareChart()->isVisible());
    dashboard->kvPercentToggle()->setChecked(true);
    ui::TimeSeriesChart *share = dashboard->kvShareChart();
    QVERIFY(share->isVisible() && !kv->isVisible());
    QCOMPARE(share->valueAxisTitle(), QStringLiteral("%"));
    QVERIFY(!share->lineNames().isEmpty());
    QVERIFY(share->lineNames().contains(QStringLiteral("Chatbot v2")));
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
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.engine(), m_clock);
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
