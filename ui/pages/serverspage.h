// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncservers.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;

namespace cachewise::ui {

class LogView;
class RowsModel;
class ServerDialog;

// Models & servers: the llama-servers CacheWise launches (state, process, the exact command line, the KV
// allocation each logged next to CacheWise's own figure, its log; start, stop, restart, add, remove), the
// model library (what each .gguf header says and its KV cache at a chosen context; scan, add a folder), and
// CacheWise's own event log. Everything is read through AsyncServers, off the GUI thread.
class ServersPage final : public QWidget
{
    Q_OBJECT

public:
    enum Tab
    {
        ServersTab,
        ModelsTab,
        EventLogTab,
    };

    ServersPage(services::AsyncServers &servers, QWidget *parent = nullptr);
    ~ServersPage() override;

    void reload();
    void showTab(Tab tab);
    // A new server for the project (from the project page, or the table's button).
    void newServer(const QString &projectId = {});
    void selectServer(const QString &profileId);
    QString selectedServer() const;
    const services::ServersSnapshot &snapshot() const { return m_snapshot; }
    bool loaded() const { return m_loaded; }
    QTableView *serverTable() const { return m_serverTable; }
    QTableView *modelTable() const { return m_modelTable; }
    LogView *serverLog() const { return m_serverLog; }
    LogView *eventLog() const { return m_eventLog; }
    ServerDialog *serverDialog() const;
    QString kvText() const;

Q_SIGNALS:
    void message(const QString &text);
    void openProjectRequested(const QString &projectId);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildServersTab();
    QWidget *buildModelsTab();
    QWidget *buildEventLogTab();
    void show(const services::ServersSnapshot &snapshot);
    void showModels();
    void showDetails();
    void updateButtons();
    void pollLogs();
    std::optional<services::ServerRow> row(const QString &profileId) const;

    services::AsyncServers &m_servers;
    services::ServersSnapshot m_snapshot;
    bool m_loaded = false;
    QTabWidget *m_tabs;
    // Servers
    RowsModel *m_serverRows;
    QTableView *m_serverTable;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_restart;
    QPushButton *m_remove;
    QPushButton *m_openProject;
    QLabel *m_noServers;
    QSplitter *m_split; // the table, the selected server's details and its log
    QLabel *m_state;
    QPlainTextEdit *m_command;
    QLabel *m_kv;
    QLabel *m_process;
    LogView *m_serverLog;
    QString m_logShown;         // the server whose log the view holds
    QString m_pendingSelection; // a server just added: selected once the table has it
    int m_pollCount = 0;
    // Models
    RowsModel *m_modelRows;
    QTableView *m_modelTable;
    QLabel *m_folders;
    QLabel *m_scanResult;
    QSpinBox *m_atContext;
    QSpinBox *m_atParallel;
    QComboBox *m_atType;
    // Event log
    LogView *m_eventLog;
    quint64 m_eventSequence = 0;
    QTimer *m_poll;
    QPointer<ServerDialog> m_dialog;
};

} // namespace cachewise::ui
