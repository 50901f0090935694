// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ingest/ingesthandler.h"
#include "ui/report/exportjob.h"

#include <QHash>
#include <QMainWindow>

#include <memory>

class QLabel;
class QListWidget;
class QSystemTrayIcon;
class QStackedWidget;
class QTimer;

namespace cachewise {
class Clock;
}
namespace cachewise::services {
class AsyncServers;
class Engine;
} // namespace cachewise::services

namespace cachewise::ui {

class DashboardPage;
class ProjectPage;
class ProjectsPage;
class ServersPage;
class SettingsPage;
class AccountPage;

// The main window: a sidebar of pages, a header with the listener's state, a status bar.
// Storage is reached through an AsyncRepository and the counters are atomics: nothing here waits
// on disk or network.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    enum Page
    {
        DashboardPageIndex,
        ProjectsPageIndex,
        ServersPageIndex,
        SettingsPageIndex,
        AccountPageIndex,
        ProjectPageIndex, // one project; reached from the lists, not the sidebar
    };

    // Reads the engine's database, writes through its writer, shows its listener's counters.
    MainWindow(services::Engine &engine, const Clock &clock, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setListening(const QString &url);
    void setListenFailed(const QString &message);
    // Re-reads what the pages show, in the background (connected to the live feed).
    void refresh();
    void showPage(int page);
    void openProject(const QString &projectId);
    // A project's automation crossed a threshold: a desktop notification (system tray, where there is
    // one) and the status bar.
    void showAlert(const QString &projectId, const QString &rule, bool dryRun);
    const QString &lastAlert() const { return m_lastAlert; }
    DashboardPage *dashboard() const { return m_dashboard; }
    ProjectsPage *projects() const { return m_projects; }
    ProjectPage *projectPage() const { return m_projectPage; }
    ServersPage *serversPage() const { return m_servers; }
    AccountPage *accountPage() const { return m_account; }

    // Export…: the dialog, then startExport().
    void exportData(const QStringList &projectIds, qint64 fromMs, qint64 toMs, const QString &baseName);
    // Runs an export off the GUI thread with a progress dialog that can cancel it; when it is written, a
    // notification with "Open" (the status bar, and the system tray where there is one).
    ExportJob *startExport(ExportJob::Format format, const QStringList &projectIds, qint64 fromMs,
                           qint64 toMs, const QString &path);
    const QString &lastExport() const { return m_lastExport; }

Q_SIGNALS:
    // The user picked another language: whoever owns the window builds it anew in that language.
    void languageChangeRequested(const QString &language);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    // A theme switched in Settings recolours the sidebar's line icons.
    void changeEvent(QEvent *event) override;
    // A click on the header's sync state opens the Account page.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateRates();
    void setSidebarCompact(bool compact);
    void fadeIn(QWidget *page);

    std::shared_ptr<const ingest::IngestCounters> m_counters;
    services::Engine &m_engine;
    services::AsyncRepository *m_repository;
    QString m_listenerUrl;
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    DashboardPage *m_dashboard;
    ProjectsPage *m_projects;
    services::AsyncServers *m_serverAccess;
    ProjectPage *m_projectPage;
    ServersPage *m_servers;
    SettingsPage *m_settings;
    AccountPage *m_account;
    QLabel *m_listenerLabel;
    QLabel *m_syncLabel;
    QLabel *m_rateLabel;
    QTimer *m_rateTimer;
    static constexpr int kTimeTickMs = 60'000;
    QTimer *m_refreshTimer; // the time tick
    quint64 m_lastSamples = 0;
    QHash<QString, QString> m_projectNames; // id → name, from the last dashboard read
    QSystemTrayIcon *m_tray = nullptr;
    QString m_lastAlert;
    QString m_lastExport;
    QWidget *m_exportDone = nullptr;
    QLabel *m_exportDoneLabel = nullptr;
    QTimer *m_exportDoneTimer = nullptr;
    const Clock &m_clock;
};

} // namespace cachewise::ui
