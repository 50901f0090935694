// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ingest/ingesthandler.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QStackedWidget;
class QTableView;
class QTimer;

namespace cachewise {
class Clock;
}
namespace cachewise::storage {
class BackgroundReader;
}

namespace cachewise::ui {

class ProjectTableModel;

// The main window: the listener's state in the header, the projects with their activity.
// Reads go through a BackgroundReader; the counters are atomics: nothing here waits on disk.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(const QString &databasePath, const Clock &clock,
               std::shared_ptr<const ingest::IngestCounters> counters, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setListening(const QString &url);
    void setListenFailed(const QString &message, const QString &code);
    // Re-reads the projects in the background (connected to the live feed of committed samples).
    void refresh();

private:
    void updateRates();

    std::shared_ptr<const ingest::IngestCounters> m_counters;
    storage::BackgroundReader *m_reader;
    ProjectTableModel *m_model;
    QLabel *m_listenerLabel;
    QLabel *m_rateLabel;
    QStackedWidget *m_stack;
    QTableView *m_table;
    QTimer *m_rateTimer;
    QTimer *m_refreshTimer;
    quint64 m_lastSamples = 0;
    quint64 m_lastErrors = 0;
    bool m_loadedOnce = false;
};

} // namespace cachewise::ui
