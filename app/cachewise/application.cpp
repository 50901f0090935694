// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cachewise/application.h"

#include "core/analysis/projectanalysis.h"
#include "core/common/logging.h"
#include "core/common/paths.h"
#include "core/services/engine.h"
#include "core/services/projectanalysis.h"
#include "core/services/projects.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <future>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace cachewise::app {
namespace {

#ifdef Q_OS_UNIX
int g_signalFds[2] = {-1, -1};

extern "C" void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFds[0], &byte, 1);
}
#endif

} // namespace

Application::Application(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_engine(new services::Engine(m_clock, this))
{
    connect(m_engine, &services::Engine::listening, this, &Application::listening);
    connect(m_engine, &services::Engine::listenFailed, this, &Application::listenFailed);
    connect(m_engine, &services::Engine::stopped, this, [this] { Q_EMIT finished(m_exitCode); });
}

Application::~Application() = default;

Result<void> Application::prepare()
{
    // A --listen that will be refused is refused before anything is created on disk.
    if (!m_options.listen.isEmpty()) {
        if (auto address = listenAddress(m_options.listen); !address)
            return address.error();
    }
    auto dir = paths::ensureDataDir(m_options.dataDir);
    if (!dir)
        return dir.error();
    m_databasePath = paths::databaseFile(dir.value());
    auto token = paths::loadOrCreateAdminToken(dir.value());
    if (!token)
        return token.error();
    m_adminToken = token.value();
    m_prepared = true;
    return {};
}

Result<void> Application::start()
{
    if (!m_prepared) {
        if (auto r = prepare(); !r)
            return r;
    }
    QString listenSpec = m_options.listen;
    {
        // Opening once here migrates the file before any other thread touches it.
        storage::Repository repository(m_clock);
        if (auto r = repository.open(m_databasePath); !r)
            return r;
        if (auto language = repository.settings().value(storage::setting::UiLanguage))
            m_uiLanguage = language.value();
        if (auto theme = repository.settings().value(storage::setting::UiTheme))
            m_uiTheme = theme.value();
        if (auto reduced = repository.settings().value(storage::setting::UiReducedMotion))
            m_uiReducedMotion = reduced.value() == QLatin1String("1");
        if (listenSpec.isEmpty()) {
            auto setting = repository.settings().value(storage::setting::ListenAddress);
            if (!setting)
                return setting.error();
            listenSpec = setting.value();
        }
    }
    auto address = listenAddress(listenSpec);
    if (!address)
        return address.error();
    services::EngineConfig config;
    config.databasePath = m_databasePath;
    config.address = address->address;
    config.port = address->port;
    config.adminToken = m_adminToken;
    if (auto r = m_engine->start(config); !r)
        return r;
    if (m_options.demo) {
        if (auto r = loadDemo(); !r)
            return r;
    }
    watchSignals();
    return {};
}

Result<storage::HostPort> Application::listenAddress(const QString &spec) const
{
    const auto parsed = storage::parseHostPort(spec);
    if (!parsed)
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("--listen wants HOST:PORT with an IP address, for example 127.0.0.1:4318 "
                           "(got '%1')")
                .arg(spec));
    if (!parsed->address.isLoopback() && !m_options.allowRemote)
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("%1 is not a loopback address: other machines could push to it. Pass "
                           "--allow-remote to bind it anyway (and protect it with keys and a firewall)")
                .arg(parsed->address.toString()));
    return *parsed;
}

void Application::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcApp) << "stopping: no new connections, committing what is in flight";
    m_engine->stop();
}

Result<void> Application::loadDemo()
{
    if (auto r = services::loadSampleData(m_engine->writer(), m_databasePath, m_clock); !r)
        return r;
    qCInfo(lcApp) << "demo projects loaded";
    return {};
}

void Application::watchSignals()
{
#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0) {
        qCWarning(lcApp) << "cannot watch termination signals";
        return;
    }
    m_signalNotifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, this);
    connect(m_signalNotifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalFds[1], &byte, 1);
        shutdown();
    });
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
#endif
}

} // namespace cachewise::app
