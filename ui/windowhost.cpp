// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/windowhost.h"

#include "core/services/engine.h"
#include "core/storage/livefeed.h"
#include "ui/mainwindow.h"
#include "ui/uisetup.h"

#include <QCoreApplication>
#include <QTimer>

namespace cachewise::ui {

WindowHost::WindowHost(services::Engine &engine, const Clock &clock, QObject *parent)
    : QObject(parent), m_engine(engine), m_clock(clock)
{
    build();
    follow(engine);
}

WindowHost::~WindowHost() = default;

void WindowHost::build()
{
    const bool again = m_window != nullptr;
    const QRect geometry = again ? m_window->geometry() : QRect();
    const bool visible = again && m_window->isVisible();
    m_window = std::make_unique<MainWindow>(m_engine, m_clock);
    connect(m_window.get(), &MainWindow::languageChangeRequested, this, [this](const QString &language) {
        // Later: the old window is still inside its own signal.
        QTimer::singleShot(0, this, [this, language] {
            installTranslations(*QCoreApplication::instance(), language.toLatin1().constData());
            build();
        });
    });
    if (!m_listenerUrl.isEmpty())
        m_window->setListening(m_listenerUrl);
    if (again) {
        m_window->setGeometry(geometry);
        m_window->showPage(MainWindow::SettingsPageIndex);
        if (visible)
            m_window->show();
        Q_EMIT rebuilt();
    }
}

void WindowHost::show()
{
    m_window->show();
}

void WindowHost::setListening(const QString &url)
{
    m_listenerUrl = url;
    m_window->setListening(url);
}

void WindowHost::setListenFailed(const QString &message)
{
    m_window->setListenFailed(message);
}

void WindowHost::follow(services::Engine &engine)
{
    connect(&engine.liveFeed(), &storage::LiveFeed::samplesCommitted, this, &WindowHost::refresh);
    connect(&engine, &services::Engine::changed, this, &WindowHost::refresh);
    connect(&engine, &services::Engine::changedElsewhere, this, &WindowHost::refresh);
    connect(&engine, &services::Engine::sourceStateChanged, this, &WindowHost::refresh);
    connect(&engine, &services::Engine::alert, this, &WindowHost::showAlert);
    connect(&engine, &services::Engine::listening, this, &WindowHost::setListening);
    connect(&engine, &services::Engine::listenFailed, this,
            [this](const QString &message) { setListenFailed(message); });
}

void WindowHost::refresh()
{
    m_window->refresh();
}

void WindowHost::showAlert(const QString &projectId, const QString &rule, const QString &, bool dryRun)
{
    m_window->showAlert(projectId, rule, dryRun);
}

} // namespace cachewise::ui
