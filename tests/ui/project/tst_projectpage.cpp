// SPDX-License-Identifier: GPL-3.0-or-later
// A project's page: KPIs and charts, latency, keys, sources, the layout question, the metrics log.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/model/actiondetails.h"
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
#include "ui/dialogs/applydialog.h"
#include "ui/dialogs/confirmdialog.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/dialogs/projectdialog.h"
#include "ui/mainwindow.h"
#include "ui/metrictext.h"
#include "ui/models/projecttablemodel.h"
#include "ui/models/samplelogmodel.h"
#include "ui/pages/dashboardpage.h"
#include "ui/pages/project/actionlogpanel.h"
#include "ui/pages/project/projectdashboardpanel.h"
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
#include "ui/widgets/sourcespanel.h"
#include "ui/windowhost.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace cachewise;
using test::currentStateOf;
using test::grab;

class TestProjectPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::applyTheme(*qApp); }
    void projectPageShowsEverything();
    void chartsBelongToTheirMetrics();
    void whatIfSpeaksTheProjectsEngine();
    void latencyPercentilesOfAvLlmSource();
    void projectPageManagesKeys();
    void sourcesFromTheProjectPage();
    void unifiedServerAsksOnThePage();
    void metricsLogOnAMillionSamples();

private:
    SystemClock m_clock;
};

void TestProjectPage::projectPageShowsEverything()
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
            "INSERT INTO automated_actions (id, project_id, ts, action_type, details, status) "
            "VALUES ('action-124', '%1', %2, 'evict_lru', 'Slots 2 and 3 would be erased.', 'dry_run')")
            .arg(chatbot)
            .arg(m_clock.nowMs() - 1000)));
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
    ui::MainWindow window(stack.engine(), m_clock);
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
    QTRY_COMPARE(page->charts().size(), 10); // KV in use, allocated and their share are one chart
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
    // One score: the key figure is the computed one the Recommendations tab explains, not the pushed field
    // (shown apart as the Reported Score chart).
    auto *scoreCard = page->findChild<ui::KpiCard *>(QStringLiteral("scoreCard"));
    QVERIFY(scoreCard);
    QCOMPARE(scoreCard->valueText(), page->scorePanel()->scoreText());
    QCOMPARE(scoreCard->trendText(), QStringLiteral("last 24 hours"));
    bool reportedChart = false;
    for (ui::TimeSeriesChart *chart : page->charts())
        reportedChart = reportedChart || chart->title() == QStringLiteral("Reported Score");
    QVERIFY(reportedChart);
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
    // Mark as applied asks first, saying the server is not restarted; an old row without a change only
    // changes its status.
    const auto confirmApply = [&window](QFrame *on) -> ui::ApplyRecommendationDialog * {
        on->findChild<QPushButton *>(QStringLiteral("applyRecommendation"))->click();
        ui::ApplyRecommendationDialog *dialog = nullptr;
        (void)QTest::qWaitFor([&] {
            dialog = window.findChild<ui::ApplyRecommendationDialog *>();
            return dialog && dialog->isVisible();
        });
        return dialog;
    };
    ui::ApplyRecommendationDialog *dialog = confirmApply(card);
    QVERIFY(dialog);
    QVERIFY(dialog->confirmButton()->isDefault());
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("applyRuntimeChanges"))->text(),
             QStringLiteral("The project's runtime stays as it is: CacheWise does not model this setting."));
    dialog->confirmButton()->click();
    const auto statusOf = [&stack, &chatbot](const QString &id) {
        const QList<model::Recommendation> all = stack.repository().recommendations().list(chatbot).value();
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
    QVERIFY(card->findChild<QPushButton *>(QStringLiteral("undoRecommendation")));

    // The quantization advice: the dialog shows the flags and what changes in the runtime; confirming copies
    // the flags, updates the runtime, logs it and marks the moment on every chart; Undo puts it back.
    QTRY_VERIFY((quant = cardFor(QStringLiteral("rule"), QStringLiteral("kv_quantization"))) != nullptr);
    dialog = confirmApply(quant);
    QVERIFY(dialog);
    QCOMPARE(dialog->findChild<QPlainTextEdit *>(QStringLiteral("applyFlags"))->toPlainText(),
             QStringLiteral("-fa on -ctk q8_0 -ctv q8_0\nLLAMA_ARG_FLASH_ATTN=on LLAMA_ARG_CACHE_TYPE_K=q8_0 "
                            "LLAMA_ARG_CACHE_TYPE_V=q8_0"));
    const QString changeText = dialog->findChild<QLabel *>(QStringLiteral("applyRuntimeChanges"))->text();
    QVERIFY2(changeText.contains(QStringLiteral("K cache type: f16 → q8_0")) &&
                 changeText.contains(QStringLiteral("V cache type: f16 → q8_0")),
             qPrintable(changeText));
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("applyRestartNote"))
                ->text()
                .contains(QStringLiteral("does not restart your server")));
    grab(*dialog, QStringLiteral("apply-recommendation-en"));
    const QString quantId = quant->property("recommendationId").toString();
    dialog->confirmButton()->click();
    QTRY_VERIFY(statusOf(quantId) == model::RecommendationStatus::Applied);
    QCOMPARE(QApplication::clipboard()->text().section(QLatin1Char('\n'), 0, 0),
             QStringLiteral("-fa on -ctk q8_0 -ctv q8_0"));
    QCOMPARE(stack.repository().runtimes().get(chatbot).value()->cacheTypeK, model::CacheType::Q8_0);
    QCOMPARE(stack.repository().actions().list(chatbot, 1)->first().actionType,
             QStringLiteral("recommendation_applied"));
    QTRY_VERIFY((quant = cardFor(QStringLiteral("recommendationId"), quantId)) != nullptr &&
                quant->findChild<QLabel *>(QStringLiteral("recommendationRuntimeChange")) != nullptr);
    QVERIFY(quant->findChild<QLabel *>(QStringLiteral("recommendationRuntimeChange"))
                ->text()
                .contains(QStringLiteral("f16 → q8_0")));
    QTRY_VERIFY(!page->charts().isEmpty() &&
                std::all_of(page->charts().cbegin(), page->charts().cend(), [](auto *c) {
                    return !c->markers().isEmpty() &&
                           c->markers().last().label == QStringLiteral("Recommendation applied");
                }));
    QVERIFY(
        page->charts().first()->markers().last().detail.contains(QStringLiteral("K cache type: f16 → q8_0")));
    quant->findChild<QPushButton *>(QStringLiteral("undoRecommendation"))->click();
    QTRY_VERIFY(statusOf(quantId) == model::RecommendationStatus::Pending);
    QCOMPARE(stack.repository().runtimes().get(chatbot).value()->cacheTypeK, model::CacheType::F16);
    QTRY_VERIFY(page->charts().first()->markers().size() >= 2 &&
                page->charts().first()->markers().at(page->charts().first()->markers().size() - 2).label ==
                    QStringLiteral("Recommendation applied (undone)"));

    // What if: q8_0 instead of f16 at the same context and slots halves the memory, and more sequences
    // fit in today's 2 GiB.
    page->tabs()->setCurrentIndex(ui::ProjectPage::WhatIfTab);
    ui::WhatIfPanel *whatIf = page->whatIf();
    QTRY_COMPARE(whatIf->cellText(0, 0),
                 QLocale().formattedDataSize(qint64(2) << 30, 2, QLocale::DataSizeIecFormat));
    auto *cacheK = whatIf->findChild<QComboBox *>(QStringLiteral("whatIfCacheK"));
    auto *cacheV = whatIf->findChild<QComboBox *>(QStringLiteral("whatIfCacheV"));
    QCOMPARE(cacheK->findData(QStringLiteral("fp8")), -1); // llama.cpp has no fp8 cache
    QCOMPARE(cacheK->count(), 9);
    cacheK->setCurrentIndex(cacheK->findData(QStringLiteral("q8_0")));
    cacheV->setCurrentIndex(cacheV->findData(QStringLiteral("q8_0")));
    QCOMPARE(whatIf->cellText(1, 1), QLocale().toString(69632)); // 32 layers × 2 × 1024 × 34 / 32
    QVERIFY(whatIf->cellText(0, 2).contains(QStringLiteral("46.9")));
    QVERIFY(whatIf->cellText(3, 1).toInt() > whatIf->cellText(3, 0).toInt());
    grab(window, QStringLiteral("project-whatif-en"));

    page->tabs()->setCurrentIndex(ui::ProjectPage::ActionLogTab);
    auto *actions = page->findChild<QTableView *>(QStringLiteral("actionLog"));
    // The demo's entry, the two seeded here, and what marking applied and undoing logged.
    QTRY_COMPARE(actions->model()->rowCount(), 6);
    const auto rowOf = [actions](const QString &type) {
        for (int row = 0; row < actions->model()->rowCount(); ++row) {
            if (test::cellText(actions, row, 1) == type)
                return row;
        }
        return -1;
    };
    QVERIFY(rowOf(QStringLiteral("Recommendation marked applied")) >= 0);
    QVERIFY(rowOf(QStringLiteral("Recommendation undone")) >= 0);
    // Types and states in words, states in their colours; a type written by a client stays as written.
    const int pruning = rowOf(QStringLiteral("Cache Pruning"));
    QVERIFY(pruning >= 0);
    QCOMPARE(test::cellText(actions, pruning, 2),
             QStringLiteral("Cleared 50 LFU cache entries due to exceeding 90% memory threshold."));
    QVERIFY(test::cellText(actions, rowOf(QStringLiteral("Recommendation marked applied")), 2)
                .startsWith(QStringLiteral("Marked applied: ")));
    QCOMPARE(test::cellText(actions, pruning, 3), QStringLiteral("Success"));
    QCOMPARE(actions->model()->index(pruning, 3).data(Qt::ForegroundRole).value<QColor>(),
             ui::theme::accent());
    const int evict = rowOf(QStringLiteral("Erase least recently used slots"));
    QVERIFY(evict >= 0);
    QCOMPARE(actions->model()->index(evict, 1).data(Qt::ToolTipRole).toString(), QStringLiteral("evict_lru"));
    QCOMPARE(test::cellText(actions, evict, 3), QStringLiteral("Dry run"));
    QCOMPARE(actions->model()->index(evict, 3).data(Qt::ForegroundRole).value<QColor>(),
             ui::theme::secondaryText());

    // In Turkish: what automation wrote is said again from its phrases; what was stored as text stays.
    model::ActionLogEntry alert;
    alert.projectId = chatbot;
    alert.actionType = QStringLiteral("threshold_crossed");
    alert.rule = QStringLiteral("latency");
    alert.status = model::ActionStatus::Alert;
    alert.phrases = {model::phrase::latency(true, 41.5, 4, 38.3, 30, 20), // 42 ms: whole ms from 10 on,
                     model::phrase::restartToChangeBatching(model::Engine::LlamaCpp)};
    QVERIFY(stack.repository().actions().add(alert));
    ui::installTranslations(*qApp, "tr");
    {
        ui::ActionLogPanel turkish;
        turkish.setActions(stack.repository().actions().list(chatbot, 50).value());
        turkish.resize(1024, 400);
        turkish.show();
        QVERIFY(QTest::qWaitForWindowExposed(&turkish));
        auto *rows = turkish.findChild<QTableView *>(QStringLiteral("actionLog"));
        QCOMPARE(test::cellText(rows, 0, 1), QStringLiteral("Eşik aşıldı"));
        QVERIFY2(test::cellText(rows, 0, 2)
                     .startsWith(QStringLiteral("4 istek çalışırken çıktı tokenı başına süre")),
                 qPrintable(test::cellText(rows, 0, 2)));
        QVERIFY(test::cellText(rows, 0, 2).contains(QStringLiteral("42 ms")));
        QVERIFY(
            test::cellText(rows, 0, 2).contains(QStringLiteral("llama-server bunu çalışırken değiştiremez")));
        bool storedText = false;
        for (int row = 0; row < rows->model()->rowCount(); ++row)
            storedText |= test::cellText(rows, row, 2) == QLatin1String("Slots 2 and 3 would be erased.");
        QVERIFY(storedText);
        grab(turkish, QStringLiteral("project-action-log-tr"));
    }
    ui::installTranslations(*qApp, "en");

    // The metrics log follows the header's range and fetches a page at a time.
    page->tabs()->setCurrentIndex(ui::ProjectPage::MetricsLogTab);
    ui::SampleLogModel *log = page->logModel();
    QAbstractItemModelTester tester(log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY(log->rowCount() > 0 && !log->isLoading());
    QVERIFY(log->rowCount() < 720);                                                   // the last hour of two
    page->findChild<QComboBox *>(QStringLiteral("projectRange"))->setCurrentIndex(2); // last 24 hours
    // Every metric the project reports has its column, the engine's too; the others are hidden.
    auto *logView = page->findChild<QTableView *>(QStringLiteral("metricsLog"));
    const int capacity = ui::SampleLogModel::columnOf(model::Metric::KvCacheCapacityKB);
    QCOMPARE(log->headerData(capacity, Qt::Horizontal).toString(), QStringLiteral("KV Cache Capacity"));
    QTRY_VERIFY(!logView->isColumnHidden(capacity));
    const auto stats = stack.repository().samples().stats(chatbot).value();
    for (const model::MetricInfo &info : model::metricTable())
        QCOMPARE(logView->isColumnHidden(ui::SampleLogModel::columnOf(info.metric)),
                 stats.metrics[model::metricIndex(info.metric)].count == 0);
    QTRY_VERIFY(log->rowCount() >= ui::SampleLogModel::kPageSize);
    QVERIFY(log->rowCount() < 720 || !log->canFetchMore({})); // not all at once
    const auto fetchAll = [log] {
        if (log->canFetchMore({}))
            log->fetchMore({});
        return log->rowCount() >= 720;
    };
    QTRY_VERIFY(fetchAll());
    QTRY_VERIFY(!log->canFetchMore({}));
    QCOMPARE(log->rowCount(), 720); // each page once
    QVERIFY(log->index(0, 0).data(ui::SampleLogModel::RawValueRole).toLongLong() >
            log->index(719, 0).data(ui::SampleLogModel::RawValueRole).toLongLong()); // newest first
    grab(window, QStringLiteral("project-metrics-log-en"));

    // CSV export of the range, streamed by the storage thread.
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("chatbot.csv"));
    services::AsyncRepository exporter(stack.databasePath(), stack.writer().writes(), m_clock);
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

namespace {

// The titles a value axis of `unit` may have: sizes in the binary unit their magnitude needs.
QStringList axisTitles(Unit unit)
{
    switch (unit) {
    case Unit::KibiBytes: return {QStringLiteral("KiB"), QStringLiteral("MiB"), QStringLiteral("GiB")};
    case Unit::GibiBytes: return {QStringLiteral("MiB"), QStringLiteral("GiB")};
    default: return {ui::axisScale(unit).title};
    }
}

} // namespace

void TestProjectPage::chartsBelongToTheirMetrics()
{
    // A project that pushes five fields, then one that reports twelve, then the first again: every chart
    // shown carries its own metric's title, legend and unit, never its neighbour's.
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    const QString full = demo::demoProjects().first().id;
    const test::CreatedProject brief = stack.createProject(QStringLiteral("Brief"));
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    QCOMPARE(client.postJson("/api/metrics", test::usageJson(brief.id, 0.5), brief.apiKey).status, 200);
    ui::MainWindow window(stack.engine(), m_clock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ui::ProjectPage *page = window.projectPage();
    const auto checkCharts = [page]() -> QString {
        QList<ui::TimeSeriesChart *> visible;
        for (ui::TimeSeriesChart *chart :
             page->findChildren<ui::TimeSeriesChart *>(QStringLiteral("projectChart")))
            if (!chart->isHidden())
                visible << chart;
        if (visible.size() != page->charts().size())
            return QStringLiteral("%1 charts shown, %2 listed")
                .arg(visible.size())
                .arg(page->charts().size());
        for (ui::TimeSeriesChart *chart : visible) {
            const auto metric = model::Metric(chart->property("metric").toInt());
            if (metric == model::Metric::KvCacheSizeKB && chart->lineNames().size() == 2) {
                // In use beside allocated: one chart of the two.
                if (chart->title() != QStringLiteral("KV Cache: In Use and Allocated") ||
                    chart->lineNames() !=
                        QStringList{QStringLiteral("In use"), QStringLiteral("Allocated")} ||
                    chart->valueAxisTitle() != QStringLiteral("GiB")) // 2 GiB allocated: in GiB, as the KPIs
                    return QStringLiteral("KV chart '%1' (%2)")
                        .arg(chart->title(), chart->lineNames().join(u'/'));
                continue;
            }
            const QString title = ui::metricTitle(metric);
            if (chart->title() != title || chart->lineNames() != QStringList{title} ||
                !axisTitles(unitOf(metric)).contains(chart->valueAxisTitle()))
                return QStringLiteral("chart '%1' (legend %2, axis '%3') shows %4")
                    .arg(chart->title(), chart->lineNames().join(QLatin1Char('/')), chart->valueAxisTitle(),
                         title);
        }
        return {};
    };
    // The brief's project pushes the KV cache's share too: it is the KV chart's % view, not a chart apart.
    window.openProject(brief.id);
    QTRY_COMPARE(page->charts().size(), 4);
    QCOMPARE(checkCharts(), QString());
    window.openProject(full);
    QTRY_COMPARE(page->charts().size(), 10);
    QCOMPARE(checkCharts(), QString());

    // Counts of a few (requests running) are labelled in whole numbers, one tick each.
    bool countChart = false;
    for (ui::TimeSeriesChart *chart : page->charts()) {
        if (chart->property("metric").toInt() != int(model::Metric::RequestsRunning))
            continue;
        countChart = true;
        QCOMPARE(chart->valueLabelFormat(), QStringLiteral("%.0f"));
        QCOMPARE(chart->valueRange().first, 0.0);
        QCOMPARE(chart->valueRange().second, std::ceil(chart->valueRange().second));
    }
    QVERIFY(countChart);

    // The KV chart in % of capacity: the capacity and, once automation is on, its limit drawn across it.
    QCheckBox *percent = page->dashboardPanel()->kvPercentToggle();
    QVERIFY(percent->isVisible());
    const auto percentChart = [page]() -> ui::TimeSeriesChart * {
        for (ui::TimeSeriesChart *chart : page->charts()) {
            if (chart->property("metric").toInt() == 1000)
                return chart;
        }
        return nullptr;
    };
    percent->setChecked(true);
    QVERIFY(percentChart());
    QCOMPARE(percentChart()->title(), QStringLiteral("KV Cache Used (% of Capacity)"));
    QCOMPARE(percentChart()->valueAxisTitle(), QStringLiteral("%"));
    QCOMPARE(page->charts().size(), 10);
    QCOMPARE(percentChart()->referenceLines().size(), 1);
    QCOMPARE(percentChart()->referenceLines().first().label, QStringLiteral("Capacity"));
    model::AutomationSettings automation;
    automation.enabled = true;
    automation.maxCachePercent = 85;
    QVERIFY(storage::writeThrough(stack.writer().writes(), [&](storage::Repository &w) {
        return w.actions().setAutomation(full, automation);
    }));
    page->reload();
    QTRY_COMPARE(percentChart()->referenceLines().size(), 2);
    QCOMPARE(percentChart()->referenceLines().last().label, QStringLiteral("Automation limit 85 %"));
    QCOMPARE(percentChart()->referenceLines().last().value, 0.85);
    percent->setChecked(false);
    QVERIFY(!percentChart());

    // Hovering reads every line of a chart at the nearest moment: its time and values in the chart's unit.
    ui::TimeSeriesChart *kv = nullptr;
    for (ui::TimeSeriesChart *chart : page->charts()) {
        if (chart->property("metric").toInt() == int(model::Metric::KvCacheSizeKB))
            kv = chart;
    }
    QVERIFY(kv);
    const int middle = kv->plotWidget()->width() / 2;
    const auto readout = kv->readoutAt(kv->timeAtViewX(middle));
    QVERIFY(readout);
    QCOMPARE(readout->lines.size(), 2);
    QVERIFY2(readout->lines.at(0).startsWith(QStringLiteral("In use: ")) &&
                 readout->lines.at(0).contains(QStringLiteral("iB")),
             qPrintable(readout->lines.join(u'|')));
    QVERIFY(readout->lines.at(1).startsWith(QStringLiteral("Allocated: ")));
    QTest::mouseMove(kv->plotWidget(), QPoint(middle, kv->plotWidget()->height() / 2));
    grab(*kv, QStringLiteral("chart-hover-en"));

    // Dragging across a chart shows that range; a double click (or Reset Zoom) goes back.
    const auto [rangeFrom, rangeTo] = page->shownRange();
    QWidget *plot = kv->plotWidget();
    const int y = plot->height() / 2;
    const qint64 dragFrom = kv->timeAtViewX(middle - 60);
    const qint64 dragTo = kv->timeAtViewX(middle + 60);
    QTest::mousePress(plot, Qt::LeftButton, {}, QPoint(middle - 60, y));
    QTest::mouseMove(plot, QPoint(middle, y));
    QTest::mouseMove(plot, QPoint(middle + 60, y));
    QTest::mouseRelease(plot, Qt::LeftButton, {}, QPoint(middle + 60, y));
    QCOMPARE(page->shownRange(), (std::pair{dragFrom, dragTo}));
    QVERIFY(dragFrom > rangeFrom && dragTo < rangeTo && dragTo > dragFrom);
    auto *reset = page->findChild<QPushButton *>(QStringLiteral("zoomReset"));
    QVERIFY(reset->isVisible());
    QTRY_VERIFY(std::abs(page->charts().first()->timeAtViewX(plot->width() / 2) - (dragFrom + dragTo) / 2) <
                (dragTo - dragFrom) / 10);
    QTest::mouseDClick(plot, Qt::LeftButton, {}, QPoint(middle, y));
    QVERIFY(!reset->isVisible());
    QVERIFY(page->shownRange().second - page->shownRange().first == rangeTo - rangeFrom);

    window.openProject(brief.id);
    QTRY_COMPARE(page->charts().size(), 4);
    QCOMPARE(checkCharts(), QString());

    // Time labels are never cut short: a narrow chart (1024×640) shows fewer of them, a wide one six.
    const auto ticksOf = [page] {
        QStringList ticks;
        for (ui::TimeSeriesChart *chart : page->charts())
            ticks << QStringLiteral("%1 at %2 px").arg(chart->timeTickCount()).arg(chart->width());
        return ticks.join(QStringLiteral(", "));
    };
    window.resize(1920, 1080);
    QTRY_VERIFY(std::all_of(page->charts().cbegin(), page->charts().cend(),
                            [](ui::TimeSeriesChart *c) { return c->timeTickCount() == 6; }));
    grab(window, QStringLiteral("project-dashboard-1920-en"));
    window.resize(1024, 640);
    QTRY_VERIFY2(std::all_of(page->charts().cbegin(), page->charts().cend(),
                             [](ui::TimeSeriesChart *c) { return c->timeTickCount() < 6; }),
                 qPrintable(ticksOf()));
    grab(window, QStringLiteral("project-dashboard-1024-en"));
}

void TestProjectPage::whatIfSpeaksTheProjectsEngine()
{
    // The demo's vLLM project: What If offers vLLM's --kv-cache-dtype values only, one for K and V, and
    // shows the flags vLLM would be started with, not a llama-server log line.
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    const QString vllm = demo::demoProjects().at(1).id;
    QCOMPARE(stack.repository().runtimes().get(vllm).value()->engine, model::Engine::Vllm);
    ui::MainWindow window(stack.engine(), m_clock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openProject(vllm);
    ui::ProjectPage *page = window.projectPage();
    page->tabs()->setCurrentIndex(ui::ProjectPage::WhatIfTab);
    ui::WhatIfPanel *whatIf = page->whatIf();
    QTRY_VERIFY(whatIf->cellText(1, 0) != QString() && whatIf->cellText(1, 0) != QStringLiteral("–"));
    auto *cacheK = whatIf->findChild<QComboBox *>(QStringLiteral("whatIfCacheK"));
    auto *cacheV = whatIf->findChild<QComboBox *>(QStringLiteral("whatIfCacheV"));
    QStringList offered;
    for (int i = 0; i < cacheK->count(); ++i)
        offered << cacheK->itemText(i);
    QCOMPARE(offered,
             (QStringList{QStringLiteral("float16"), QStringLiteral("bfloat16"), QStringLiteral("fp8")}));
    QCOMPARE(cacheK->currentText(), QStringLiteral("bfloat16"));
    QVERIFY(!cacheV->isEnabled());
    cacheK->setCurrentIndex(cacheK->findData(QStringLiteral("fp8")));
    QCOMPARE(cacheV->currentData().toString(), QStringLiteral("fp8"));
    const qint64 before = QLocale().toLongLong(whatIf->cellText(1, 0));
    const qint64 after = QLocale().toLongLong(whatIf->cellText(1, 1));
    QCOMPARE(after * 2, before); // one byte per element instead of two
    auto *line = whatIf->findChild<QLabel *>(QStringLiteral("whatIfLogLine"));
    QVERIFY2(line->text().contains(QStringLiteral("--kv-cache-dtype fp8")), qPrintable(line->text()));
    QVERIFY(!line->text().contains(QStringLiteral("llama")));
    window.resize(1024, 640);
    grab(window, QStringLiteral("project-whatif-vllm-en"));
}

void TestProjectPage::latencyPercentilesOfAvLlmSource()
{
    // A vLLM server (its documented /metrics, replayed) read by the scraper: the dashboard tab shows the
    // p50/p95/p99 the scrape computed from its histograms.
    test::ReplayServer server;
    QVERIFY(server.listen());
    server.serve("/metrics", 200, test::testData(QStringLiteral("prometheus/vllm-fixture.txt")));
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("vLLM server"));
    QVERIFY(stack.repository().sources().add(test::sourceAt(project.id, server.port(), model::Engine::Vllm)));
    stack.startScraping();
    ui::MainWindow window(stack.engine(), m_clock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openProject(project.id);
    ui::ProjectPage *page = window.projectPage();
    // A snapshot is one state of the database: once the table has its row, the tab shows it.
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), page->latencyTable()->rowCount() == 1), 15000);
    QVERIFY(page->latencyTable()->isVisible());
    auto *table = page->latencyTable()->findChild<QTableView *>(QStringLiteral("latencyTable"));
    QCOMPARE(test::cellText(table, 0, 0), QStringLiteral("Time to first token"));
    QVERIFY2(test::cellText(table, 0, 1).endsWith(QStringLiteral(" ms")),
             qPrintable(test::cellText(table, 0, 1)));
    QVERIFY(!page->slotsTable()->isVisible()); // no slots: not a llama-server
    grab(window, QStringLiteral("project-latency-en"));
}

void TestProjectPage::projectPageManagesKeys()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(
        stack.repository().settings().set(QStringLiteral("ingest.rateLimitPerSecond"), QStringLiteral("0")));
    const test::CreatedProject project = stack.createProject(QStringLiteral("Keys"));
    ui::MainWindow window(stack.engine(), m_clock);
    window.setListening(QStringLiteral("http://127.0.0.1:%1").arg(stack.port()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openProject(project.id);
    ui::ProjectPage *page = window.projectPage();
    page->tabs()->setCurrentIndex(ui::ProjectPage::SettingsTab);
    auto *keys = page->findChild<QTableView *>(QStringLiteral("keyTable"));
    QTRY_COMPARE(keys->model()->rowCount(), 1);
    auto *snippet = page->findChild<QPlainTextEdit *>(QStringLiteral("pushSnippet"));
    QVERIFY(snippet->toPlainText().contains(project.id));
    QVERIFY(
        snippet->toPlainText().contains(QStringLiteral("http://127.0.0.1:%1/api/metrics").arg(stack.port())));
    QVERIFY(page->findChild<ui::GetStartedPanel *>(QStringLiteral("emptyMetrics")) != nullptr);
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
    QCOMPARE(stack.repository().actions().automation(project.id)->maxCachePercent,
             90.0); // refused: nothing stored
    maxCache->setText(QStringLiteral("85"));
    maxLatency->setText(QStringLiteral("25"));
    page->findChild<QCheckBox *>(QStringLiteral("automationEnabled"))->setChecked(true);
    QSignalSpy messages(page, &ui::ProjectPage::message);
    saveAutomation->click();
    // Saved, and the form shows what was stored.
    QTRY_VERIFY(std::any_of(messages.begin(), messages.end(), [](const QList<QVariant> &m) {
        return m.first().toString() == QStringLiteral("Automated management settings saved");
    }));
    QVERIFY(stack.repository().actions().automation(project.id)->enabled);
    QCOMPARE(stack.repository().actions().automation(project.id)->maxCachePercent, 85.0);
    QCOMPARE(stack.repository().actions().automation(project.id)->maxLatencyIncreasePercent, 25.0);
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
    QVERIFY(stack.repository().actions().automation(project.id)->webhookUrl.isEmpty());
    webhookUrl->setText(QStringLiteral("https://example.org/hook"));
    page->findChild<QSpinBox *>(QStringLiteral("cooldownSeconds"))->setValue(120);
    saveAutomation->click();
    QTRY_COMPARE(stack.repository().actions().automation(project.id)->webhookUrl,
                 QStringLiteral("https://example.org/hook"));
    QCOMPARE(stack.repository().actions().automation(project.id)->cooldownSeconds, 120);

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
    // Only what the engine takes: vLLM has one --kv-cache-dtype (float16, bfloat16, fp8), V follows K;
    // back on llama.cpp both boxes offer its nine types and no fp8.
    auto *engineBox = editor->findChild<QComboBox *>(QStringLiteral("runtimeEngine"));
    auto *kBox = editor->findChild<QComboBox *>(QStringLiteral("runtimeCacheK"));
    auto *vBox = editor->findChild<QComboBox *>(QStringLiteral("runtimeCacheV"));
    const auto itemsOf = [](QComboBox *box) {
        QStringList items;
        for (int i = 0; i < box->count(); ++i)
            items << box->itemText(i);
        return items;
    };
    QCOMPARE(kBox->findData(QStringLiteral("fp8")), -1);
    // Scrolling over the form changes nothing; the wheel changes a box only once it has the focus.
    const auto wheelOver = [](QWidget *w) {
        QWheelEvent e(QPointF(5, 5), w->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(w, &e);
    };
    const int typeBefore = kBox->currentIndex();
    const int contextBefore = editor->findChild<QSpinBox *>(QStringLiteral("runtimeContext"))->value();
    wheelOver(kBox);
    wheelOver(editor->findChild<QSpinBox *>(QStringLiteral("runtimeContext")));
    QCOMPARE(kBox->currentIndex(), typeBefore);
    QCOMPARE(editor->findChild<QSpinBox *>(QStringLiteral("runtimeContext"))->value(), contextBefore);
    QCOMPARE(kBox->focusPolicy(), Qt::StrongFocus);
    window.activateWindow();
    kBox->setFocus();
    QTRY_VERIFY(kBox->hasFocus());
    wheelOver(kBox);
    QVERIFY(kBox->currentIndex() != typeBefore);
    kBox->setCurrentIndex(typeBefore);
    engineBox->setCurrentIndex(engineBox->findData(QStringLiteral("vllm")));
    QCOMPARE(itemsOf(kBox),
             (QStringList{QStringLiteral("float16"), QStringLiteral("bfloat16"), QStringLiteral("fp8")}));
    QVERIFY(!vBox->isEnabled());
    kBox->setCurrentIndex(kBox->findData(QStringLiteral("fp8")));
    QCOMPARE(vBox->currentData().toString(), QStringLiteral("fp8"));
    engineBox->setCurrentIndex(engineBox->findData(QStringLiteral("ollama")));
    QCOMPARE(itemsOf(kBox),
             (QStringList{QStringLiteral("f16"), QStringLiteral("q8_0"), QStringLiteral("q4_0")}));
    QCOMPARE(kBox->currentData().toString(), QStringLiteral("f16")); // fp8 is not Ollama's
    engineBox->setCurrentIndex(engineBox->findData(QStringLiteral("llama.cpp")));
    QVERIFY(vBox->isEnabled());
    QCOMPARE(kBox->count(), 9);
    QCOMPARE(vBox->findData(QStringLiteral("fp8")), -1);
    vBox->setCurrentText(QStringLiteral("q8_0"));
    editor->findChild<QCheckBox *>(QStringLiteral("runtimeFlashAttention"))->setChecked(false);
    editor->findChild<QPushButton *>(QStringLiteral("saveRuntimeButton"))->click();
    QVERIFY(runtimeError->isVisible());
    QVERIFY(!stack.repository().runtimes().get(project.id)->has_value());
    editor->findChild<QCheckBox *>(QStringLiteral("runtimeFlashAttention"))->setChecked(true);
    editor->findChild<QSpinBox *>(QStringLiteral("runtimeContext"))->setValue(8192);
    editor->findChild<QPushButton *>(QStringLiteral("saveRuntimeButton"))->click();
    QTRY_VERIFY(stack.repository().runtimes().get(project.id)->has_value());
    QTRY_VERIFY(!notDescribed->isVisible());
    const model::ProjectRuntime saved = *stack.repository().runtimes().get(project.id).value();
    QCOMPARE(saved.context, 8192);
    QCOMPARE(saved.cacheTypeV, model::CacheType::Q8_0);
    QVERIFY(saved.modelJson.contains("\"kvHeads\":32"));

    page->findChild<QPushButton *>(QStringLiteral("createKeyButton"))->click();
    auto *newKey = page->findChild<QLineEdit *>(QStringLiteral("newKey"));
    QTRY_VERIFY(newKey->text().startsWith(QStringLiteral("cw_")));
    QTRY_COMPARE(keys->model()->rowCount(), 2);
    grab(window, QStringLiteral("project-settings-en"));
    // The key shown works at once.
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(project.id), newKey->text()).status, 200);

    // Revoke the new key (row 1, the list is oldest first) after confirming.
    keys->setCurrentIndex(keys->model()->index(1, 0));
    page->findChild<QPushButton *>(QStringLiteral("revokeKeyButton"))->click();
    ui::ConfirmDialog *box = nullptr;
    QTRY_VERIFY((box = page->findChild<ui::ConfirmDialog *>(QStringLiteral("confirmRevoke"))) != nullptr);
    QVERIFY(box->cancelButton()->isDefault());
    box->actionButton()->click();
    QTRY_COMPARE(test::cellText(keys, 1, 4), QStringLiteral("Revoked"));
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(project.id), newKey->text()).status, 401);
    QCOMPARE(client.postJson("/api/metrics", test::sampleJson(project.id), project.apiKey).status, 200);
}

void TestProjectPage::sourcesFromTheProjectPage()
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
    ui::MainWindow window(stack.engine(), m_clock);
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
    QVERIFY(stack.repository().sources().list(project.id)->isEmpty());
    url->setText(QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
    add->click();
    QTRY_COMPARE(stack.repository().sources().list(project.id)->size(), 1);
    auto *sources = page->findChild<QTableView *>(QStringLiteral("sourceTable"));
    const auto stateText = [&] {
        page->reload();
        return sources->model()->rowCount() == 1 && sources->model()->rowCount() > 0
                   ? test::cellText(sources, 0, 1)
                   : QString();
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

void TestProjectPage::unifiedServerAsksOnThePage()
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
    QVERIFY(stack.repository().runtimes().set(
        project.id, analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")), config)));
    QVERIFY(stack.repository().sources().add(test::sourceAt(project.id, server.port())));
    stack.startScraping();
    ui::MainWindow window(stack.engine(), m_clock);
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
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().runtimes().get(project.id).value()->unified, 5000);
    const model::ProjectRuntime runtime = *stack.repository().runtimes().get(project.id).value();
    QCOMPARE(runtime.parallel, 4);
    QCOMPARE(runtime.context, 4096);
    QCOMPARE(stack.repository().sources().list(project.id)->first().kvLayout, model::KvLayout::Unified);
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), notices->count() == 0), 15000);
    QVERIFY(!notices->isVisible());
    // The slots' use is their share of the one cache.
    page->tabs()->setCurrentIndex(ui::ProjectPage::DashboardTab);
    QTRY_VERIFY_WITH_TIMEOUT((page->reload(), page->slotsTable()->rowCount() == 4), 15000);
    auto *slotTable = page->slotsTable()->findChild<QTableView *>(QStringLiteral("slotTable"));
    QTRY_VERIFY_WITH_TIMEOUT(
        (page->reload(), slotTable->model()->rowCount() > 0 &&
                             test::cellText(slotTable, 0, 1).endsWith(QStringLiteral("shared"))),
        15000);
    grab(window, QStringLiteral("project-unified-answered-en"));

    // The same question in Turkish.
    QVERIFY(stack.repository().runtimes().set(
        project.id, analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")), config)));
    QVERIFY(stack.repository().sources().setKvLayout(
        stack.repository().sources().list(project.id)->first().id, model::KvLayout::Unknown));
    ui::installTranslations(*qApp, "tr");
    ui::MainWindow turkish(stack.engine(), m_clock);
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

void TestProjectPage::metricsLogOnAMillionSamples()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject project = stack.createProject(QStringLiteral("Big"));
    {
        // One million raw rows, written straight into the store: this is about reading them.
        const qint64 first = m_clock.nowMs() - 1'000'000LL * 50;
        QString error;
        QVERIFY2(test::insertSamples(
                     stack.repository(), 1'000'000,
                     [&](qint64 i) {
                         model::MetricSample s;
                         s.projectId = project.id;
                         s.timestampMs = first + i * 50;
                         s.setValue(model::Metric::TokensProcessed, double(i));
                         s.setValue(model::Metric::KvCacheSizeKB, 480000);
                         s.setValue(model::Metric::MemoryUsageGB, 2.7);
                         s.setValue(model::Metric::InferenceTimeMs, 550);
                         return s;
                     },
                     &error),
                 qPrintable(error));
    }
    services::AsyncRepository repository(stack.databasePath(), stack.writer().writes(), m_clock);
    // No QAbstractItemModelTester here: it calls fetchMore() itself and would page through everything
    // (it runs on this model in projectPageShowsEverything).
    ui::SampleLogModel model(repository);
    QElapsedTimer timer;
    timer.start();
    model.setQuery(project.id, 0, m_clock.nowMs() + 1, true);
    QTRY_COMPARE(model.rowCount(), ui::SampleLogModel::kPageSize);
    qInfo("first page of a million-row log in %lld ms", timer.elapsed());
    QCOMPARE(model.index(0, ui::SampleLogModel::columnOf(model::Metric::TokensProcessed))
                 .data(ui::SampleLogModel::RawValueRole)
                 .toLongLong(),
             999'999);
    // Pages continue where the last ended, however deep; only what was scrolled to is held.
    for (int page = 1; page < 5; ++page) {
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), (page + 1) * ui::SampleLogModel::kPageSize);
    }
    QCOMPARE(model.index(model.rowCount() - 1, ui::SampleLogModel::columnOf(model::Metric::TokensProcessed))
                 .data(ui::SampleLogModel::RawValueRole)
                 .toLongLong(),
             1'000'000 - 5 * ui::SampleLogModel::kPageSize);
}

QTEST_MAIN(TestProjectPage)
#include "tst_projectpage.moc"
