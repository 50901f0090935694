// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/clock.h"
#include "core/common/result.h"
#include "core/services/engine.h"
#include "core/storage/settings.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

class QSocketNotifier;

namespace cachewise::app {

struct Options
{
    QString dataDir;
    QString listen; // HOST:PORT; empty: the listen.address setting
    bool allowRemote = false;
    bool demo = false;
    bool headless = false;
};

// One CacheWise process: the data folder, the admin token, the listen address, the Engine (every
// service, wired) and the demo; the GUI is added on top by main(). Stops cleanly on SIGINT/SIGTERM: stop
// accepting, commit and answer what is in flight, exit 0.
class Application final : public QObject
{
    Q_OBJECT

public:
    Application(Options options, QObject *parent = nullptr);
    ~Application() override;

    // Checks --listen, makes the data folder and the admin token: databasePath() is known after it.
    Result<void> prepare();
    // Opens the database (prepare() first if not done), loads the demo if asked, starts the writer and the
    // listener (which reports through listening()/listenFailed()).
    Result<void> start();
    void shutdown();

    services::Engine &engine() { return *m_engine; }
    const Clock &clock() const { return m_clock; }
    const QString &databasePath() const { return m_databasePath; }
    const Options &options() const { return m_options; }
    // The ui.language setting as read at start: "system", "en" or "tr".
    const QString &uiLanguage() const { return m_uiLanguage; }
    const QString &uiTheme() const { return m_uiTheme; }
    bool uiReducedMotion() const { return m_uiReducedMotion; }

Q_SIGNALS:
    void listening(const QString &url);
    void listenFailed(const QString &message, cachewise::ErrorKind kind);
    void finished(int exitCode);

private:
    Result<void> loadDemo();
    Result<storage::HostPort> listenAddress(const QString &spec) const;
    void watchSignals();

    Options m_options;
    SystemClock m_clock;
    QString m_databasePath;
    QString m_adminToken;
    bool m_prepared = false;
    QString m_uiLanguage = QStringLiteral("system");
    QString m_uiTheme = QStringLiteral("system");
    bool m_uiReducedMotion = false;
    services::Engine *m_engine;
    QSocketNotifier *m_signalNotifier = nullptr;
    bool m_stopping = false;
    int m_exitCode = 0;
};

} // namespace cachewise::app
