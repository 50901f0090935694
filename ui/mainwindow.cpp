// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/common/units.h"
#include "core/services/asyncrepository.h"
#include "core/services/asyncservers.h"
#include "core/services/engine.h"
#include "core/services/syncservice.h"
#include "core/storage/metricwriter.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/dialogs/newkeydialog.h"
#include "ui/pages/accountpage.h"
#include "ui/pages/dashboardpage.h"
#include "ui/pages/projectpage.h"
#include "ui/pages/projectspage.h"
#include "ui/pages/serverspage.h"
#include "ui/pages/settingspage.h"
#include "ui/theme.h"
#include "ui/widgets/getstarted.h"
#include "ui/widgets/lineicon.h"
#include "ui/widgets/wheelguard.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QGraphicsOpacityEffect>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressDialog>
#include <QPropertyAnimation>
#include <QPushButton>
#include <QResizeEvent>
#include <QShortcut>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {
constexpr int kCompactBelowWidth = 1100; // at 1024 px the pages need the sidebar's width
}

MainWindow::MainWindow(services::Engine &engine, const Clock &clock, QWidget *parent)
    : QMainWindow(parent), m_counters(engine.counters()), m_engine(engine),
      m_repository(
          new services::AsyncRepository(engine.databasePath(), engine.writer().writes(), clock, this)),
      m_sidebar(new QListWidget(this)), m_pages(new QStackedWidget(this)),
      m_dashboard(new DashboardPage(*m_repository, clock, this)),
      m_projects(new ProjectsPage(*m_repository, this)),
      m_serverAccess(new services::AsyncServers(engine.databasePath(),
                                                QFileInfo(engine.databasePath()).absolutePath(),
                                                engine.writer().writes(), engine.servers(), clock, this)),
      m_projectPage(new ProjectPage(*m_repository, clock, this)),
      m_servers(new ServersPage(*m_serverAccess, this)),
      m_settings(new SettingsPage(*m_repository, QFileInfo(engine.databasePath()).absolutePath(), this)),
      m_account(new AccountPage(*engine.sync(), this)), m_listenerLabel(new QLabel(this)),
      m_syncLabel(new QLabel(this)), m_rateLabel(new QLabel(this)), m_rateTimer(new QTimer(this)),
      m_refreshTimer(new QTimer(this)), m_clock(clock)
{
    WheelGuard::install(); // before the pages are polished (shown)
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("CacheWise AI"));
    resize(1280, 800);

    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setIconSize(QSize(20, 20));
    // The list never needs to scroll; auto-scroll would shift it when the selection moves.
    m_sidebar->setAutoScroll(false);
    m_sidebar->setSpacing(2);
    m_sidebar->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const struct
    {
        QString text;
        QString icon;
    } pages[] = {{tr("Dashboard"), QStringLiteral("dashboard")},
                 {tr("Projects"), QStringLiteral("projects")},
                 {tr("Models & Servers"), QStringLiteral("servers")},
                 {tr("Settings"), QStringLiteral("settings")},
                 {tr("Account"), QStringLiteral("account")}};
    for (const auto &p : pages) {
        auto *item =
            new QListWidgetItem(lineIcon(p.icon, palette().color(QPalette::WindowText)), p.text, m_sidebar);
        item->setData(Qt::UserRole, p.icon);
        item->setToolTip(p.text);
        item->setSizeHint(QSize(0, 36));
        item->setData(Qt::AccessibleTextRole, p.text);
    }
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    // Inside a project *Projects* is the current row already: a click still goes back to the list.
    connect(m_sidebar, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { showPage(m_sidebar->row(item)); });

    m_pages->addWidget(m_dashboard);
    m_pages->addWidget(m_projects);
    m_pages->addWidget(m_servers);
    m_pages->addWidget(m_settings);
    m_pages->addWidget(m_account);
    m_pages->addWidget(m_projectPage);
    connect(m_pages, &QStackedWidget::currentChanged, this,
            [this](int index) { fadeIn(m_pages->widget(index)); });

    auto *central = new QWidget(this);
    auto *outer = new QHBoxLayout(central);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    outer->addWidget(m_sidebar);
    auto *main = new QVBoxLayout;
    main->setContentsMargins(24, 12, 24, 12);
    main->setSpacing(12);
    auto *header = new QHBoxLayout;
    auto *brand = new QLabel(tr("CacheWise AI"), central);
    brand->setObjectName(QStringLiteral("brand"));
    header->addWidget(brand);
    header->addStretch();
    m_listenerLabel->setObjectName(QStringLiteral("listenerState"));
    m_listenerLabel->setText(tr("Listener starting…"));
    m_rateLabel->setObjectName(QStringLiteral("listenerRate"));
    m_rateLabel->setStyleSheet(QStringLiteral("color: #8E8E93;"));
    // Sync's last result, when an account is set: a click opens the Account page.
    m_syncLabel->setObjectName(QStringLiteral("syncState"));
    m_syncLabel->setCursor(Qt::PointingHandCursor);
    m_syncLabel->installEventFilter(this);
    m_syncLabel->hide();
    header->addWidget(m_syncLabel);
    header->addSpacing(16);
    header->addWidget(m_listenerLabel);
    header->addSpacing(16);
    header->addWidget(m_rateLabel);
    main->addLayout(header);
    main->addWidget(m_pages, 1);
    outer->addLayout(main, 1);
    setCentralWidget(central);
    statusBar()->setObjectName(QStringLiteral("statusBar"));

    // The dashboard's read carries every project's overview: the list takes it from there instead of
    // reading the same statistics a second time.
    connect(m_repository, &services::AsyncRepository::dashboardLoaded, m_projects,
            [this](const services::DashboardSnapshot &snapshot) {
                m_projects->setProjects(snapshot.projects);
                m_projectNames.clear();
                for (const services::ProjectOverview &p : snapshot.projects)
                    m_projectNames.insert(p.project.id, p.project.name);
            });
    connect(m_repository, &services::AsyncRepository::failed, this,
            [this](const QString &message) { statusBar()->showMessage(tr("Error: %1").arg(message)); });
    connect(m_projects, &ProjectsPage::changed, this, [this](const QString &message) {
        statusBar()->showMessage(message, 5000);
        refresh();
    });
    connect(m_projects, &ProjectsPage::openRequested, this, &MainWindow::openProject);
    connect(m_projectPage, &ProjectPage::backRequested, this, [this] { showPage(ProjectsPageIndex); });
    connect(m_projectPage, &ProjectPage::editRequested, m_projects, &ProjectsPage::editProject);
    connect(m_projectPage, &ProjectPage::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_dashboard, &DashboardPage::openRequested, this, &MainWindow::openProject);
    connect(m_dashboard, &DashboardPage::allProjectsRequested, this, [this] { showPage(ProjectsPageIndex); });
    connect(m_dashboard, &DashboardPage::exportRequested, this, &MainWindow::exportData);
    connect(m_projectPage, &ProjectPage::exportRequested, this, &MainWindow::exportData);
    connect(m_servers, &ServersPage::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_servers, &ServersPage::openProjectRequested, this, &MainWindow::openProject);
    m_projectPage->setServerAccess(m_serverAccess);
    connect(m_projectPage, &ProjectPage::newServerRequested, this, [this](const QString &projectId) {
        showPage(ServersPageIndex);
        m_servers->newServer(projectId);
    });
    // A server's state changed (the manager's thread said so): the page shows it at once.
    connect(&m_engine, &services::Engine::serverStateChanged, this, [this] {
        if (m_pages->currentWidget() == m_servers)
            m_servers->reload();
        if (m_pages->currentWidget() == m_projectPage)
            m_projectPage->reload();
    });
    connect(engine.sync(), &services::SyncService::statusChanged, this,
            [this](const services::SyncStatus &status) {
                QString tip;
                bool failed = false;
                const QString text = AccountPage::headerText(status, &tip, &failed);
                m_syncLabel->setVisible(!text.isEmpty());
                m_syncLabel->setText(text);
                m_syncLabel->setToolTip(tip.isEmpty() ? tr("Hosted account: open the Account page") : tip);
                m_syncLabel->setStyleSheet(failed ? QStringLiteral("color: #FF3B30;") : QString());
                // What another device sent is in the database now: the pages read it again.
                if (!status.running && status.loaded)
                    refresh();
            });
    connect(m_account, &AccountPage::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_settings, &SettingsPage::appearanceChanged, this, &MainWindow::refresh);
    connect(m_settings, &SettingsPage::languageChanged, this, &MainWindow::languageChangeRequested);
    connect(m_settings, &SettingsPage::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_dashboard, &DashboardPage::createProjectRequested, this, [this] {
        showPage(ProjectsPageIndex);
        m_projects->createProject();
    });
    // The ways in from an empty window: sample data (loaded off this thread), a server found here, and
    // every project made in the window comes with its key, shown once with snippets.
    connect(m_dashboard, &DashboardPage::sampleDataRequested, this, [this] {
        m_dashboard->getStarted()->setSampleDataLoading(true);
        m_engine.loadSampleDataInBackground();
    });
    connect(&m_engine, &services::Engine::sampleDataLoaded, this, [this](const QString &error) {
        m_dashboard->getStarted()->setSampleDataLoading(false, error);
        statusBar()->showMessage(error.isEmpty() ? tr("Sample projects loaded") : tr("Error: %1").arg(error),
                                 8000);
        refresh();
    });
    connect(m_dashboard, &DashboardPage::serverChosen, this, [this](const sources::FoundServer &server) {
        model::Source source;
        source.engine = server.engine;
        source.baseUrl = server.url;
        const QString name =
            QStringLiteral("%1 %2").arg(model::name(server.engine), QUrl(server.url).authority());
        m_repository->createProject(name, server.detail, QString(), source);
    });
    connect(m_repository, &services::AsyncRepository::projectCreated, this,
            [this](const model::Project &project, const model::NewApiKey &key) {
                auto *dialog = new NewKeyDialog(this, project, key, m_listenerUrl);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                connect(dialog, &NewKeyDialog::copied, this,
                        [this](const QString &text) { statusBar()->showMessage(text, 5000); });
                openProject(project.id);
                dialog->open();
            });

    // Keyboard: pages, new project, search, full screen.
    for (int i = 0; i < m_sidebar->count(); ++i) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this);
        connect(shortcut, &QShortcut::activated, this, [this, i] { showPage(i); });
    }
    connect(new QShortcut(QKeySequence::New, this), &QShortcut::activated, this, [this] {
        showPage(ProjectsPageIndex);
        m_projects->createProject();
    });
    connect(new QShortcut(QKeySequence::Find, this), &QShortcut::activated, this, [this] {
        showPage(ProjectsPageIndex);
        m_projects->focusSearch();
    });
    connect(new QShortcut(QKeySequence::FullScreen, this), &QShortcut::activated, this,
            [this] { isFullScreen() ? showNormal() : showFullScreen(); });
    connect(new QShortcut(QKeySequence(Qt::Key_F11), this), &QShortcut::activated, this,
            [this] { isFullScreen() ? showNormal() : showFullScreen(); });

    // Whoever builds the window calls refresh() when samples arrive or the database changed (the Engine
    // says so); this tick only moves time ranges such as "Last hour" along while nothing changes.
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refresh);
    connect(m_rateTimer, &QTimer::timeout, this, &MainWindow::updateRates);
    m_refreshTimer->start(kTimeTickMs);
    m_rateTimer->start(1000);
    showPage(DashboardPageIndex);
    refresh();
    updateRates();
}

MainWindow::~MainWindow() = default;

void MainWindow::showPage(int page)
{
    if (page >= 0 && page < m_sidebar->count()) {
        m_sidebar->setCurrentRow(page);
        m_pages->setCurrentIndex(page); // also when the row was already current (back from a project)
    }
}

void MainWindow::openProject(const QString &projectId)
{
    m_projectPage->showProject(projectId);
    {
        const QSignalBlocker blocker(m_sidebar); // the project page belongs under Projects
        m_sidebar->setCurrentRow(ProjectsPageIndex);
    }
    m_pages->setCurrentWidget(m_projectPage);
}

void MainWindow::refresh()
{
    m_dashboard->reload();
    if (m_pages->currentWidget() == m_projectPage)
        m_projectPage->reload();
    if (m_pages->currentWidget() == m_servers)
        m_servers->reload();
}

void MainWindow::fadeIn(QWidget *page)
{
    if (!page || theme::reducedMotion() || !isVisible())
        return;
    // A short fade between pages; the effect is removed after, as it slows chart painting.
    auto *effect = new QGraphicsOpacityEffect(page);
    page->setGraphicsEffect(effect);
    auto *fade = new QPropertyAnimation(effect, "opacity", effect);
    fade->setDuration(150);
    fade->setStartValue(0.0);
    fade->setEndValue(1.0);
    connect(fade, &QPropertyAnimation::finished, page, [page] { page->setGraphicsEffect(nullptr); });
    fade->start();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    for (int i = 0; i < m_sidebar->count(); ++i) {
        QListWidgetItem *item = m_sidebar->item(i);
        item->setIcon(lineIcon(item->data(Qt::UserRole).toString(), palette().color(QPalette::WindowText)));
    }
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_syncLabel && event->type() == QEvent::MouseButtonRelease) {
        showPage(AccountPageIndex);
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    qCDebug(lcUi) << "window shown";
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    setSidebarCompact(event->size().width() < kCompactBelowWidth);
}

void MainWindow::setSidebarCompact(bool compact)
{
    // Below 1100 px the sidebar keeps only its icons; names stay in tooltips.
    for (int i = 0; i < m_sidebar->count(); ++i) {
        QListWidgetItem *item = m_sidebar->item(i);
        item->setText(compact ? QString() : item->data(Qt::AccessibleTextRole).toString());
    }
    m_sidebar->setFixedWidth(compact ? 52 : 190);
}

void MainWindow::setListening(const QString &url)
{
    // Style before text, so the label's size hint is measured in the final font.
    m_listenerLabel->setStyleSheet(QStringLiteral("color: #34C759; font-weight: 600;"));
    m_listenerLabel->setText(tr("Listening on %1").arg(url));
    m_listenerUrl = url;
    m_projectPage->setListenerUrl(url);
    m_settings->setListenerUrl(url);
    m_listenerLabel->setToolTip(QString());
}

void MainWindow::setListenFailed(const QString &message)
{
    m_listenerLabel->setStyleSheet(QStringLiteral("color: #FF3B30; font-weight: 600;"));
    m_listenerLabel->setText(tr("Listener stopped"));
    m_listenerLabel->setToolTip(message);
    statusBar()->showMessage(tr("Error: %1").arg(message));
}

void MainWindow::updateRates()
{
    const quint64 samples = m_counters->samplesAccepted.load();
    const quint64 errors = m_counters->clientErrors.load() + m_counters->serverErrors.load();
    m_rateLabel->setText(tr("%1 samples/s · %2 errors")
                             .arg(formatCount(qint64(samples - m_lastSamples)))
                             .arg(formatCount(qint64(errors))));
    m_lastSamples = samples;
}

void MainWindow::showAlert(const QString &projectId, const QString &rule, bool dryRun)
{
    const QString name = m_projectNames.value(projectId, projectId);
    QString text;
    if (rule == QLatin1String("server")) {
        // A llama-server CacheWise launched crashed too often (services/servermanager.h).
        text = tr("%1: llama-server keeps crashing and is no longer restarted; its last lines are in the "
                  "action log.")
                   .arg(name);
    } else {
        text = rule == QLatin1String("latency") ? tr("%1: inference time is above its limit.").arg(name)
                                                : tr("%1: the KV cache is above its limit.").arg(name);
        text += QLatin1Char(' ') + (dryRun ? tr("Dry run: the decision is only in the action log.")
                                           : tr("A directive went to the client; see the action log."));
    }
    m_lastAlert = text;
    statusBar()->showMessage(text, 15000);
    // A desktop notification where the platform has a tray; the status bar always.
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            m_tray->setToolTip(QStringLiteral("CacheWise"));
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this, projectId] {
                openProject(projectId);
                showNormal();
                raise();
            });
        }
        m_tray->show();
        m_tray->showMessage(rule == QLatin1String("server") ? tr("Local servers")
                                                            : tr("Automated management"),
                            text, dryRun ? QSystemTrayIcon::Information : QSystemTrayIcon::Warning, 10000);
    }
    if (m_projectPage->projectId() == projectId)
        m_projectPage->reload();
}

void MainWindow::exportData(const QStringList &projectIds, qint64 fromMs, qint64 toMs,
                            const QString &baseName)
{
    auto *dialog = new ExportDialog(baseName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, projectIds, fromMs, toMs] {
        startExport(dialog->format(), projectIds, fromMs, toMs, dialog->path());
    });
    dialog->open();
}

ExportJob *MainWindow::startExport(ExportJob::Format format, const QStringList &projectIds, qint64 fromMs,
                                   qint64 toMs, const QString &path)
{
    auto *job = new ExportJob(*m_repository, this);
    auto *progress = new QProgressDialog(tr("Exporting…"), tr("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("exportProgress"));
    progress->setWindowTitle(tr("Export"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300); // quick exports finish before it appears
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(job, &ExportJob::progress, progress, &QProgressDialog::setLabelText);
    connect(progress, &QProgressDialog::canceled, job, &ExportJob::cancel);
    const auto done = [job, progress] {
        progress->close();
        job->deleteLater();
    };
    connect(job, &ExportJob::finished, this, [this, done](const QString &written) {
        done();
        m_lastExport = written;
        if (!m_exportDone) {
            m_exportDone = new QWidget(this);
            m_exportDone->setObjectName(QStringLiteral("exportDone"));
            auto *row = new QHBoxLayout(m_exportDone);
            row->setContentsMargins(0, 0, 0, 0);
            m_exportDoneLabel = new QLabel(m_exportDone);
            auto *open = new QPushButton(tr("Open"), m_exportDone);
            open->setObjectName(QStringLiteral("exportOpenButton"));
            connect(open, &QPushButton::clicked, this, [this] {
                QDesktopServices::openUrl(QUrl::fromLocalFile(m_lastExport));
                m_exportDone->hide();
            });
            row->addWidget(m_exportDoneLabel);
            row->addWidget(open);
            statusBar()->addPermanentWidget(m_exportDone);
            m_exportDoneTimer = new QTimer(this);
            m_exportDoneTimer->setSingleShot(true);
            connect(m_exportDoneTimer, &QTimer::timeout, m_exportDone, &QWidget::hide);
        }
        m_exportDoneLabel->setText(tr("Exported to %1").arg(QFileInfo(written).fileName()));
        m_exportDoneLabel->setToolTip(written);
        m_exportDone->show();
        m_exportDoneTimer->start(30'000);
        if (m_tray)
            m_tray->showMessage(tr("Export finished"), written);
    });
    connect(job, &ExportJob::failed, this, [this, done](const QString &message) {
        done();
        statusBar()->showMessage(tr("The export failed: %1").arg(message), 15'000);
    });
    connect(job, &ExportJob::cancelled, this, [this, done] {
        done();
        statusBar()->showMessage(tr("Export cancelled; nothing was written"), 8000);
    });
    job->start(format, projectIds, fromMs, toMs, m_clock.nowMs(), path, QLocale());
    return job;
}

} // namespace cachewise::ui
