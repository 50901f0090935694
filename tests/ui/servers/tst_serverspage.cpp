// SPDX-License-Identifier: GPL-3.0-or-later
// Models & servers in the window, against the test llama-server the build makes: the library scanned from
// real and generated GGUF headers, a server added in the dialog (llama-server's refusals shown before it is
// added), started, watched, its log filtered, copied and saved, its process charted on the project page, a
// recommendation applied to it and reverted from the card, and CacheWise's own event log.
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/eventlog.h"
#include "core/common/logging.h"
#include "core/common/units.h"
#include "core/servers/process.h"
#include "core/services/servermanager.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"
#include "tests/support/cli.h"
#include "tests/support/ggufwriter.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"
#include "tests/support/uitest.h"
#include "ui/charts/timeserieschart.h"
#include "ui/dialogs/serverapplydialog.h"
#include "ui/dialogs/serverdialog.h"
#include "ui/language.h"
#include "ui/mainwindow.h"
#include "ui/pages/project/recommendationspanel.h"
#include "ui/pages/projectpage.h"
#include "ui/pages/serverspage.h"
#include "ui/theme.h"
#include "ui/uisetup.h"
#include "ui/widgets/logview.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;

namespace {

QString standIn()
{
    return QFileInfo(qEnvironmentVariable("CACHEWISE_STAND_IN")).absoluteFilePath();
}

QPushButton *buttonNamed(QWidget *in, const QString &name)
{
    return in->findChild<QPushButton *>(name);
}

// The top-level widget of type T that is shown, or null.
template <class T> T *shownDialog()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *d = qobject_cast<T *>(w); d && d->isVisible())
            return d;
    }
    return nullptr;
}

QString cell(const QTableView *view, int row, int column)
{
    return view->model()->index(row, column).data().toString();
}

int rowWithKey(const QTableView *view, const QString &key)
{
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (view->model()->index(row, 0).data(Qt::UserRole).toString() == key)
            return row;
    }
    return -1;
}

// A window on a fresh stack with one project and a model folder holding a real header, a generated one whose
// head size no quantized cache fits, and a cut file.
struct Fixture
{
    test::TestStack stack;
    QTemporaryDir models;
    QString projectId;
    std::unique_ptr<ui::MainWindow> window;

    bool start(const Clock &clock)
    {
        if (!stack.start())
            return false;
        projectId = stack.createProject(QStringLiteral("Local")).id;
        QDir().mkpath(models.filePath(QStringLiteral("a")));
        if (!QFile::copy(test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf")),
                         models.filePath(QStringLiteral("a/llama.gguf"))))
            return false;
        if (!test::GgufWriter::llama("Odd", 4, 8, 2, 80, 8192)
                 .writeTo(models.filePath(QStringLiteral("odd.gguf"))))
            return false;
        QFile cut(models.filePath(QStringLiteral("cut.gguf")));
        if (!cut.open(QIODevice::WriteOnly) || cut.write(QByteArray("GGUF\3\0\0\0", 8)) != 8)
            return false;
        cut.close();
        auto &settings = stack.repository().settings();
        if (!settings.set(storage::setting::ModelFolders, models.path()) ||
            !settings.set(storage::setting::ModelUsualFolders, QStringLiteral("0")))
            return false;
        window = std::make_unique<ui::MainWindow>(stack.engine(), clock);
        window->resize(1024, 640);
        window->show();
        return QTest::qWaitForWindowExposed(window.get());
    }

    ~Fixture()
    {
        window.reset();
        stack.stop();
        test::killProcessesUsing(QFileInfo(stack.databasePath()).absolutePath());
    }
};

} // namespace

class TestServersPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        installEventLog();
        ui::applyTheme(*qApp);
        QVERIFY2(QFileInfo(standIn()).isExecutable(),
                 "CACHEWISE_STAND_IN must name cachewise-test-llama-server");
    }
    void libraryServerLogAndUsage();
    void applyAndRevertFromTheCard();
    void aServerHeldIsLeftAlone();
    void logViewFiltersFollowsAndSaves();
    void speaksTurkishInTheDark();

private:
    // Adds a server for the fixture's project in the dialog (-c 4096 -np 10) and starts it; its id.
    QString addAndStart(Fixture &f, ui::ServersPage *page);
    SystemClock m_clock;
};

QString TestServersPage::addAndStart(Fixture &f, ui::ServersPage *page)
{
    QTabWidget *tabs = page->findChild<QTabWidget *>(QStringLiteral("serversTabs"));
    tabs->setCurrentIndex(ui::ServersPage::ModelsTab);
    buttonNamed(page, QStringLiteral("scanModelsButton"))->click();
    [&] {
        QTRY_COMPARE_WITH_TIMEOUT(page->modelTable()->model()->rowCount(), 3, 10000);
    }();
    tabs->setCurrentIndex(ui::ServersPage::ServersTab);
    buttonNamed(page, QStringLiteral("newServerButton"))->click();
    ui::ServerDialog *dialog = page->serverDialog();
    if (!dialog)
        return {};
    dialog->findChild<QComboBox *>(QStringLiteral("serverExecutable"))->setCurrentText(standIn());
    dialog->selectModel(f.models.filePath(QStringLiteral("a/llama.gguf")));
    dialog->findChild<QSpinBox *>(QStringLiteral("serverContext"))->setValue(4096);
    dialog->findChild<QSpinBox *>(QStringLiteral("serverParallel"))->setValue(10);
    if (!dialog->addButton()->isEnabled())
        return {};
    dialog->addButton()->click();
    QString id;
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(!page->serverDialog(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(page->serverTable()->model()->rowCount(), 1, 10000);
    }();
    id = page->serverTable()->model()->index(0, 0).data(Qt::UserRole).toString();
    page->selectServer(id);
    buttonNamed(page, QStringLiteral("startServerButton"))->click();
    return id;
}

void TestServersPage::libraryServerLogAndUsage()
{
    Fixture f;
    QVERIFY(f.start(m_clock));
    ui::MainWindow &window = *f.window;
    window.showPage(ui::MainWindow::ServersPageIndex);
    ui::ServersPage *page = window.serversPage();
    QVERIFY(page->isVisible());
    QTRY_VERIFY(page->loaded());
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("noServers"))->isVisible());

    // The library: three files, each header's facts, the cut one with its reason; the KV column is
    // CacheWise's model at the context, slots and type chosen above it.
    QTabWidget *tabs = page->findChild<QTabWidget *>(QStringLiteral("serversTabs"));
    tabs->setCurrentIndex(ui::ServersPage::ModelsTab);
    buttonNamed(page, QStringLiteral("scanModelsButton"))->click();
    QTableView *models = page->modelTable();
    QTRY_COMPARE_WITH_TIMEOUT(models->model()->rowCount(), 3, 10000);
    QTRY_VERIFY(page->findChild<QLabel *>(QStringLiteral("scanResult"))
                    ->text()
                    .startsWith(QStringLiteral("Models found: 3 · headers read: 3")));
    const int llama = rowWithKey(models, f.models.filePath(QStringLiteral("a/llama.gguf")));
    const int odd = rowWithKey(models, f.models.filePath(QStringLiteral("odd.gguf")));
    const int cut = rowWithKey(models, f.models.filePath(QStringLiteral("cut.gguf")));
    QVERIFY(llama >= 0 && odd >= 0 && cut >= 0);
    QCOMPARE(cell(models, odd, 1), QStringLiteral("llama"));
    QCOMPARE(cell(models, odd, 3), QStringLiteral("Q4_K_M"));
    QCOMPARE(cell(models, odd, 5), QStringLiteral("4"));
    QCOMPARE(cell(models, odd, 6), QStringLiteral("2"));
    QCOMPARE(cell(models, odd, 7), QStringLiteral("80"));
    QVERIFY2(!cell(models, cut, 11).isEmpty(), "a cut header is listed with its reason");
    QCOMPARE(cell(models, cut, 1), QStringLiteral("—"));
    const auto kvAt = [&](qint64 context, int parallel) {
        const auto arch = analysis::modelFromGgufFile(f.models.filePath(QStringLiteral("odd.gguf")));
        analysis::KvConfig config;
        config.context = context;
        config.parallel = parallel;
        return formatBytes(double(analysis::estimateKv(arch.value(), config)->totalBytes));
    };
    QCOMPARE(cell(models, odd, 9), kvAt(8192, 1));
    page->findChild<QSpinBox *>(QStringLiteral("libraryContext"))->setValue(32768);
    page->findChild<QSpinBox *>(QStringLiteral("libraryParallel"))->setValue(4);
    QCOMPARE(cell(models, odd, 9), kvAt(32768, 4));
    QVERIFY(cell(models, odd, 9) != kvAt(8192, 1));
    test::grab(window, QStringLiteral("servers-models-1024-en-light"));

    // The dialog explains what llama-server would refuse before anything is added.
    tabs->setCurrentIndex(ui::ServersPage::ServersTab);
    buttonNamed(page, QStringLiteral("newServerButton"))->click();
    QPointer<ui::ServerDialog> dialog = page->serverDialog();
    QVERIFY(dialog && dialog->isVisible());
    dialog->findChild<QComboBox *>(QStringLiteral("serverExecutable"))->setCurrentText(standIn());
    dialog->selectModel(f.models.filePath(QStringLiteral("odd.gguf")));
    auto *typeK = dialog->findChild<QComboBox *>(QStringLiteral("serverCacheTypeK"));
    auto *typeV = dialog->findChild<QComboBox *>(QStringLiteral("serverCacheTypeV"));
    auto *fa = dialog->findChild<QComboBox *>(QStringLiteral("serverFlashAttention"));
    QVERIFY(dialog->addButton()->isEnabled());
    typeV->setCurrentIndex(typeV->findText(QStringLiteral("q8_0")));
    QCOMPARE(fa->currentData().toInt(), int(model::FlashAttention::On)); // a quantized V needs it
    QVERIFY(!dialog->addButton()->isEnabled()); // 80 is no multiple of q8_0's block of 32
    QVERIFY2(dialog->problems().join(QLatin1Char(' ')).contains(QStringLiteral("80")),
             qPrintable(dialog->problems().join(QLatin1Char(' '))));
    fa->setCurrentIndex(fa->findData(int(model::FlashAttention::Off)));
    typeV->setCurrentIndex(typeV->findText(QStringLiteral("f16")));
    typeK->setCurrentIndex(typeK->findText(QStringLiteral("f16")));
    QVERIFY(dialog->addButton()->isEnabled());
    dialog->findChild<QLineEdit *>(QStringLiteral("serverExtraArgs"))->setText(QStringLiteral("--port 9999"));
    QVERIFY(!dialog->addButton()->isEnabled()); // a flag the profile sets itself
    dialog->findChild<QLineEdit *>(QStringLiteral("serverExtraArgs"))->setText(QStringLiteral("--temp 0.2"));
    QVERIFY(dialog->commandLine().contains(QStringLiteral("--metrics")));
    QVERIFY(dialog->commandLine().contains(QStringLiteral("--temp 0.2")));
    test::grab(*dialog, QStringLiteral("server-dialog-en-light"));
    // A port another program holds is refused when added, and the dialog says why and stays open.
    dialog->findChild<QSpinBox *>(QStringLiteral("serverPort"))->setValue(f.stack.port());
    dialog->addButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->findChild<QLabel *>(QStringLiteral("serverError"))->isVisible(), 10000);
    QVERIFY(dialog->isVisible());
    QCOMPARE(page->serverTable()->model()->rowCount(), 0);
    auto profiles = f.stack.repository().servers().list();
    QVERIFY(profiles && profiles->isEmpty());
    dialog->findChild<QPushButton *>(QStringLiteral("serverCancel"))->click();
    QTRY_VERIFY(!page->serverDialog());

    // Added and started: ready, its pid, the exact command line, the allocation it logged next to
    // CacheWise's.
    const QString id = addAndStart(f, page);
    QVERIFY(!id.isEmpty());
    QTableView *servers = page->serverTable();
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Ready"), 30000);
    QVERIFY(cell(servers, 0, 4).toLongLong() > 0);
    QCOMPARE(cell(servers, 0, 1), QStringLiteral("Local"));
    const QString command =
        page->findChild<QPlainTextEdit *>(QStringLiteral("serverCommandLine"))->toPlainText();
    QVERIFY2(command.startsWith(standIn()) && command.contains(QStringLiteral("-c 4096 -np 10")) &&
                 command.contains(QStringLiteral("--slot-save-path")),
             qPrintable(command));
    QTRY_VERIFY_WITH_TIMEOUT(page->kvText().contains(QStringLiteral("Logged by llama-server")), 15000);
    QVERIFY2(page->kvText().count(QStringLiteral("%1 MiB (K f16 %2 MiB, V f16 %2 MiB; 512 cells, 32 layers)")
                                      .arg(formatDecimal(2560, 2), formatDecimal(1280, 2))) == 2,
             qPrintable(page->kvText()));
    QVERIFY2(page->kvText().contains(QStringLiteral("they agree")), qPrintable(page->kvText()));
    QVERIFY(!buttonNamed(page, QStringLiteral("startServerButton"))->isEnabled());
    QVERIFY(!buttonNamed(page, QStringLiteral("removeServerButton"))->isEnabled());

    // Its log, as llama.cpp wrote it, with levels.
    ui::LogView *log = page->serverLog();
    QTRY_VERIFY_WITH_TIMEOUT(log->shownText()
                                 .join(QLatin1Char('\n'))
                                 .contains(QStringLiteral("llama_kv_cache: size = 2560.00 MiB")),
                             15000);
    QVERIFY(log->shownText().join(QLatin1Char('\n')).contains(QStringLiteral(" info ")));

    // The process's readings (CPU needs two, five seconds apart), in the table and on the project's page.
    QTRY_VERIFY_WITH_TIMEOUT(cell(servers, 0, 6) != QStringLiteral("—"), 30000);
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("serverProcess"))
                ->text()
                .contains(QStringLiteral("no NVIDIA GPU to read")));
    test::grab(window, QStringLiteral("servers-1024-en-light"));
    model::MetricSample sample;
    sample.projectId = f.projectId;
    sample.timestampMs = m_clock.nowMs();
    sample.setValue(model::Metric::TokensProcessed, 100);
    sample.setValue(model::Metric::KvCacheSizeKB, 1024);
    QCOMPARE(test::writeAndWait(f.stack.writer(), {sample}).accepted, 1);
    window.openProject(f.projectId);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (ui::TimeSeriesChart *chart : window.projectPage()->charts()) {
                if (chart->title() == QStringLiteral("llama-server Memory (no NVIDIA GPU to read)") &&
                    chart->pointCount() > 0)
                    return true;
            }
            return false;
        }(),
        10000);
    const auto charts = window.projectPage()->charts();
    QVERIFY(std::any_of(charts.begin(), charts.end(), [](ui::TimeSeriesChart *c) {
        return c->title() == QStringLiteral("llama-server CPU (100 % = one core)") && c->pointCount() > 0;
    }));
    test::grab(window, QStringLiteral("project-server-usage-1024-en-light"));

    // A crash: the manager starts it again; Stop stops it; then it can be removed.
    window.showPage(ui::MainWindow::ServersPageIndex);
    const qint64 pid = cell(servers, 0, 4).toLongLong();
    auto stored = f.stack.repository().servers().get(id);
    QVERIFY(stored && stored->has_value());
    QVERIFY(test::crashStandIn((*stored)->port));
    QTRY_VERIFY_WITH_TIMEOUT(cell(servers, 0, 4).toLongLong() > 0 && cell(servers, 0, 4).toLongLong() != pid,
                             30000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Ready"), 30000);
    buttonNamed(page, QStringLiteral("stopServerButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Stopped"), 30000);
    QTRY_VERIFY(buttonNamed(page, QStringLiteral("removeServerButton"))->isEnabled());

    // The event log holds what the parts logged (the manager's lines among them).
    page->showTab(ui::ServersPage::EventLogTab);
    qCWarning(lcServices) << "event log check"; // info lines are off in the test environment
    QTRY_VERIFY2_WITH_TIMEOUT(page->eventLog()
                                  ->shownText()
                                  .join(QLatin1Char('\n'))
                                  .contains(QStringLiteral("cachewise.services: event log check")),
                              qPrintable(page->eventLog()->shownText().mid(0, 5).join(QLatin1Char('\n'))),
                              5000);
    test::grab(window, QStringLiteral("servers-eventlog-1024-en-light"));
}

void TestServersPage::applyAndRevertFromTheCard()
{
    Fixture f;
    QVERIFY(f.start(m_clock));
    ui::MainWindow &window = *f.window;
    window.showPage(ui::MainWindow::ServersPageIndex);
    ui::ServersPage *page = window.serversPage();
    const QString id = addAndStart(f, page);
    QVERIFY(!id.isEmpty());
    QTableView *servers = page->serverTable();
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Ready"), 30000);
    const qint64 pidBefore = cell(servers, 0, 4).toLongLong();

    // A pending recommendation, as analysis stores one.
    analysis::Finding finding;
    finding.rule = QStringLiteral("kv_quantization");
    finding.memorySavingPercent = 46.9;
    finding.apply = {QStringLiteral("-ctk q8_0"), QStringLiteral("-ctv q8_0"), QStringLiteral("-fa on")};
    finding.change = {{QStringLiteral("cacheTypeK"), QStringLiteral("q8_0")},
                      {QStringLiteral("cacheTypeV"), QStringLiteral("q8_0")},
                      {QStringLiteral("flashAttention"), true}};
    finding.params = {{QStringLiteral("from"), QStringLiteral("f16/f16")},
                      {QStringLiteral("to"), QStringLiteral("q8_0")},
                      {QStringLiteral("engine"), QStringLiteral("llama.cpp")}};
    model::Recommendation r = analysis::recommendationRecord(finding, m_clock.nowMs());
    r.projectId = f.projectId;
    auto stored = f.stack.repository().recommendations().replace(f.projectId, {r});
    QVERIFY(stored && stored->size() == 1);
    const QString recommendationId = stored->first().id;

    window.openProject(f.projectId);
    window.projectPage()->tabs()->setCurrentIndex(ui::ProjectPage::RecommendationsTab);
    ui::RecommendationsPanel *panel = window.projectPage()->recommendationsPanel();
    QPushButton *apply = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((apply = buttonNamed(panel, QStringLiteral("applyRecommendation"))) != nullptr,
                             10000);
    apply->click();
    ui::ServerApplyDialog *confirm = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((confirm = shownDialog<ui::ServerApplyDialog>()) != nullptr, 10000);
    const QString before =
        confirm->findChild<QPlainTextEdit *>(QStringLiteral("serverCommandBefore"))->toPlainText();
    const QString after =
        confirm->findChild<QPlainTextEdit *>(QStringLiteral("serverCommandAfter"))->toPlainText();
    QVERIFY2(before.contains(QStringLiteral("-ctk f16 -ctv f16 -fa auto")), qPrintable(before));
    QVERIFY2(after.contains(QStringLiteral("-ctk q8_0 -ctv q8_0 -fa on")), qPrintable(after));
    test::grab(*confirm, QStringLiteral("server-apply-en-light"));
    confirm->confirmButton()->click();
    QVERIFY(!panel->applyingId().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(panel->applyingId().isEmpty(), 60000);
    QVERIFY2(window.statusBar()->currentMessage().contains(
                 QStringLiteral("Applied; llama-server runs with the new flags")),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("2560.00 MiB → 1360.00 MiB")),
             qPrintable(window.statusBar()->currentMessage()));
    auto profile = f.stack.repository().servers().get(id);
    QVERIFY(profile && profile->has_value());
    QCOMPARE((*profile)->cacheTypeV, model::CacheType::Q8_0);
    auto rec = f.stack.repository().recommendations().get(recommendationId);
    QCOMPARE((*rec)->status, model::RecommendationStatus::Applied);

    // The manager watches the new server again: a crash of it is restarted.
    window.showPage(ui::MainWindow::ServersPageIndex);
    QTRY_VERIFY_WITH_TIMEOUT(
        cell(servers, 0, 4).toLongLong() > 0 && cell(servers, 0, 4).toLongLong() != pidBefore, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Ready"), 15000);
    const qint64 applied = cell(servers, 0, 4).toLongLong();
    QVERIFY(test::crashStandIn((*profile)->port));
    QTRY_VERIFY_WITH_TIMEOUT(
        cell(servers, 0, 4).toLongLong() > 0 && cell(servers, 0, 4).toLongLong() != applied, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Ready"), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(
        page->kvText().contains(QStringLiteral("%1 MiB (K q8_0").arg(formatDecimal(1360, 2))), 15000);

    // Undo on the card reverts on the server the same way.
    window.openProject(f.projectId);
    window.projectPage()->tabs()->setCurrentIndex(ui::ProjectPage::RecommendationsTab);
    QPushButton *undo = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((undo = buttonNamed(panel, QStringLiteral("undoRecommendation"))) != nullptr,
                             10000);
    undo->click();
    QTRY_VERIFY_WITH_TIMEOUT((confirm = shownDialog<ui::ServerApplyDialog>()) != nullptr, 10000);
    QVERIFY(confirm->findChild<QPlainTextEdit *>(QStringLiteral("serverCommandAfter"))
                ->toPlainText()
                .contains(QStringLiteral("-ctk f16 -ctv f16")));
    confirm->confirmButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(panel->applyingId().isEmpty(), 60000);
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("1360.00 MiB → 2560.00 MiB")),
             qPrintable(window.statusBar()->currentMessage()));
    profile = f.stack.repository().servers().get(id);
    QCOMPARE((*profile)->cacheTypeV, model::CacheType::F16);
    rec = f.stack.repository().recommendations().get(recommendationId);
    QCOMPARE((*rec)->status, model::RecommendationStatus::Pending);

    // Flags the server fails with: the old server comes back and the card stays pending.
    qputenv("CACHEWISE_STAND_IN_REFUSE_FLAG", "q8_0"); // the new cache type; f16 still loads
    QTRY_VERIFY_WITH_TIMEOUT((apply = buttonNamed(panel, QStringLiteral("applyRecommendation"))) != nullptr,
                             10000);
    apply->click();
    QTRY_VERIFY_WITH_TIMEOUT((confirm = shownDialog<ui::ServerApplyDialog>()) != nullptr, 10000);
    confirm->confirmButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(panel->applyingId().isEmpty(), 60000);
    qunsetenv("CACHEWISE_STAND_IN_REFUSE_FLAG");
    QVERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("Not changed:")),
             qPrintable(window.statusBar()->currentMessage()));
    rec = f.stack.repository().recommendations().get(recommendationId);
    QCOMPARE((*rec)->status, model::RecommendationStatus::Pending);
    profile = f.stack.repository().servers().get(id);
    QCOMPARE((*profile)->cacheTypeV, model::CacheType::F16);
}

// While an apply holds a server, the manager neither restarts nor records its exit; released, it watches
// what runs then.
void TestServersPage::aServerHeldIsLeftAlone()
{
    Fixture f;
    QVERIFY(f.start(m_clock));
    f.window->showPage(ui::MainWindow::ServersPageIndex);
    ui::ServersPage *page = f.window->serversPage();
    const QString id = addAndStart(f, page);
    QVERIFY(!id.isEmpty());
    QTableView *servers = page->serverTable();
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Ready"), 30000);
    auto recorded = f.stack.repository().servers().process(id);
    QVERIFY(recorded && recorded->has_value() && (*recorded)->pid);
    const servers::ProcessHandle first{*(*recorded)->pid, (*recorded)->processIdentity};

    services::ServerManager *manager = f.stack.engine().servers();
    QVERIFY(manager);
    manager->hold(id);
    QVERIFY(servers::killProcess(first));
    QTRY_VERIFY(!servers::isRunning(first));
    QTest::qWait(3000); // unheld, the manager records the crash and restarts it after 1 s
    recorded = f.stack.repository().servers().process(id);
    QCOMPARE((*recorded)->state, model::ServerState::Ready);
    QCOMPARE(*(*recorded)->pid, first.pid);

    // Released: a server started meanwhile by someone else is taken over, and its crash restarted.
    manager->release(id);
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Stopped"), 15000); // its process is gone
    QTRY_VERIFY(buttonNamed(page, QStringLiteral("startServerButton"))->isEnabled());
    buttonNamed(page, QStringLiteral("startServerButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(
        cell(servers, 0, 4).toLongLong() > 0 && cell(servers, 0, 4).toLongLong() != first.pid, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(servers, 0, 3), QStringLiteral("Ready"), 30000);
    const qint64 second = cell(servers, 0, 4).toLongLong();
    auto profile = f.stack.repository().servers().get(id);
    QVERIFY(test::crashStandIn((*profile)->port));
    QTRY_VERIFY_WITH_TIMEOUT(
        cell(servers, 0, 4).toLongLong() > 0 && cell(servers, 0, 4).toLongLong() != second, 30000);
}

void TestServersPage::logViewFiltersFollowsAndSaves()
{
    ui::LogView view(QStringLiteral("test"));
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QList<ui::LogView::Line> lines;
    for (int i = 0; i < 200; ++i)
        lines << ui::LogView::Line{QString::number(i),
                                   i % 50 == 0   ? ui::LogView::Level::Error
                                   : i % 10 == 0 ? ui::LogView::Level::Warning
                                   : i % 2 == 0  ? ui::LogView::Level::Info
                                                 : ui::LogView::Level::None,
                                   QStringLiteral("line %1").arg(i)};
    view.setLines(lines);
    QCOMPARE(view.lineCount(), 200);
    QCOMPARE(view.shownCount(), 200);
    view.setLevelFilter(ui::LogView::Level::Warning);
    QCOMPARE(view.shownCount(), 20); // every tenth; a line without a level counts as info
    view.setLevelFilter(ui::LogView::Level::Error);
    QCOMPARE(view.shownCount(), 4);
    view.setLevelFilter(ui::LogView::Level::Debug);
    view.setTextFilter(QStringLiteral("LINE 19"));
    QCOMPARE(view.shownCount(), 11); // 19, 190…199
    view.setTextFilter(QString());

    // Following keeps the newest line in view; the oldest go past kMaxLines.
    QVERIFY(view.following());
    QList<ui::LogView::Line> more;
    for (int i = 0; i < ui::LogView::kMaxLines; ++i)
        more << ui::LogView::Line{QString(), ui::LogView::Level::Info, QStringLiteral("more %1").arg(i)};
    view.appendLines(more);
    QCOMPARE(view.lineCount(), ui::LogView::kMaxLines);
    QVERIFY(view.shownText().constFirst().endsWith(QStringLiteral("more 0")));
    QTRY_COMPARE(view.table()->verticalScrollBar()->value(), view.table()->verticalScrollBar()->maximum());

    // Copy: every line shown (the filter's), or the selection.
    view.setTextFilter(QStringLiteral("more 4999"));
    buttonNamed(&view, QStringLiteral("logCopy"))->click();
    const QStringList copied = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(copied.size(), view.shownCount());
    QVERIFY(copied.contains(QStringLiteral("info more 4999")));

    // Save: the lines shown, written off the GUI thread; a folder that cannot be written says why.
    QTemporaryDir dir;
    QSignalSpy saved(&view, &ui::LogView::saved);
    view.saveTo(dir.filePath(QStringLiteral("out.log")));
    QTRY_COMPARE(saved.count(), 1);
    QFile file(dir.filePath(QStringLiteral("out.log")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts), copied);
    QSignalSpy failed(&view, &ui::LogView::saveFailed);
    view.saveTo(dir.filePath(QStringLiteral("no/such/folder/out.log")));
    QTRY_COMPARE(failed.count(), 1);
}

void TestServersPage::speaksTurkishInTheDark()
{
    ui::installTranslations(*qApp, "tr");
    ui::applyTheme(*qApp, QStringLiteral("dark"));
    {
        Fixture f;
        QVERIFY(f.start(m_clock));
        ui::MainWindow &window = *f.window;
        window.showPage(ui::MainWindow::ServersPageIndex);
        ui::ServersPage *page = window.serversPage();
        QTRY_VERIFY(page->loaded());
        QCOMPARE(page->findChild<QTabWidget *>(QStringLiteral("serversTabs"))->tabText(0),
                 QStringLiteral("Sunucular"));
        const QString id = addAndStart(f, page);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(cell(page->serverTable(), 0, 3), QStringLiteral("Hazır"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(page->kvText().contains(QStringLiteral("birbirini tutuyor")), 15000);
        test::grab(window, QStringLiteral("servers-1024-tr-dark"));
        page->showTab(ui::ServersPage::ModelsTab);
        test::grab(window, QStringLiteral("servers-models-1024-tr-dark"));
        buttonNamed(page, QStringLiteral("stopServerButton"))->click();
        page->showTab(ui::ServersPage::ServersTab);
        QTRY_COMPARE_WITH_TIMEOUT(cell(page->serverTable(), 0, 3), QStringLiteral("Durduruldu"), 30000);
    }
    ui::installTranslations(*qApp, "en");
    ui::applyTheme(*qApp, QStringLiteral("light"));
}

QTEST_MAIN(TestServersPage)
#include "tst_serverspage.moc"
