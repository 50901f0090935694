// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
    // Follows the engine: the window reads again when samples are committed, when this process changed
    // something (Engine::changed), when another process did (Engine::changedElsewhere) and when a
    // source's state changed; it shows the listener's state and automation's alerts.
    WindowHost(services::Engine &engine, const Clock &clock, QObject *parent = nullptr);
    ~WindowHost() override;

    MainWindow *window() const { return m_window.get(); }
    void show();
    void setListening(const QString &url);
    void setListenFailed(const QString &message);
    void refresh();
    void showAlert(const QString &projectId, const QString &rule, const QString &message, bool dryRun);

Q_SIGNALS:
    void rebuilt();

private:
    void build();
    void follow(services::Engine &engine);

    services::Engine &m_engine;
    const Clock &m_clock;
    std::unique_ptr<MainWindow> m_window;
    QString m_listenerUrl;
};

} // namespace cachewise::ui
