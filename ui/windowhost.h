// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ingest/ingesthandler.h"

#include <QObject>
#include <QString>

#include <memory>

namespace cachewise {
class Clock;
}

namespace cachewise::services {
class Engine;
}

namespace cachewise::ui {

class MainWindow;

// Owns the main window and builds it anew, in place, when the user picks another language
// (every label is created translated, so a new window is the simple, complete retranslation).
class WindowHost final : public QObject
{
    Q_OBJECT

public:
    WindowHost(QString databasePath, const Clock &clock,
               std::shared_ptr<const ingest::IngestCounters> counters, QObject *parent = nullptr);
    ~WindowHost() override;

    MainWindow *window() const { return m_window.get(); }
    void show();
    // Follows the engine: the window reads again when samples are committed, when the database changed
    // elsewhere and when a source's state changed; shows the listener's state and automation's alerts.
    void follow(services::Engine &engine);
    void setListening(const QString &url);
    void setListenFailed(const QString &message);
    void refresh();
    void showAlert(const QString &projectId, const QString &rule, const QString &message, bool dryRun);

Q_SIGNALS:
    void rebuilt();

private:
    void build();

    QString m_databasePath;
    const Clock &m_clock;
    std::shared_ptr<const ingest::IngestCounters> m_counters;
    std::unique_ptr<MainWindow> m_window;
    QString m_listenerUrl;
};

} // namespace cachewise::ui
