// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/engine.h"

#include "core/automation/automationengine.h"
#include "core/common/logging.h"
#include "core/ingest/listener.h"
#include "core/services/analysisservice.h"
#include "core/services/automationstore.h"
#include "core/services/ingestbackend.h"
#include "core/services/projects.h"
#include "core/services/scraper.h"
#include "core/services/servermanager.h"
#include "core/services/syncservice.h"
#include "core/storage/livefeed.h"
#include "core/storage/metricwriter.h"

#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <algorithm>

namespace cachewise::services {

Engine::Engine(const Clock &clock, QObject *parent)
    : QObject(parent), m_clock(clock), m_liveFeed(new storage::LiveFeed(250, 50'000, this)),
      m_changePending(std::make_shared<std::atomic_bool>(false))
{}

void Engine::HeldInMemory::forget(bool keys, bool automationLimits)
{
    if (keys) {
        if (DatabaseIngestBackend *backend = ingest.load())
            backend->forgetKeys();
    }
    if (automationLimits) {
        if (automation::AutomationEngine *engine = automation.load())
            engine->forgetSettings();
    }
}

Engine::~Engine()
{
    m_scraper.reset();  // no more scrapes reach the writer
    m_servers.reset();  // nor the servers' states
    m_listener.reset(); // answers or drops what is in flight before the writer goes
    m_sync.reset();     // a round in flight writes through the writer
    if (m_sampleLoader)
        m_sampleLoader->wait(); // it writes through the writer
    if (m_writer)
        m_writer->stop();
    m_held->ingest = nullptr;
    m_held->automation = nullptr;
    m_analysis.reset();
    m_ingest.reset();
}

std::shared_ptr<const ingest::IngestCounters> Engine::counters() const
{
    return m_listener->counters();
}

ingest::IngestSettings Engine::listenerSettings() const
{
    return m_ingest ? m_ingest->settings() : ingest::IngestSettings{};
}

Result<void> Engine::start(const EngineConfig &config)
{
    m_config = config;
    m_writer = std::make_unique<storage::MetricWriter>(config.databasePath, m_clock);
    m_liveFeed->attach(*m_writer);
    // Writer thread: coalesce into one queued emission however often it fires before the event loop runs.
    // On the writer's thread, before the next batch is judged: what is held in memory and may have changed is
    // forgotten (keys for the listener, each project's automation limits), then the window is told.
    m_writer->setChangeObserver([held = m_held, pending = m_changePending, self = QPointer<Engine>(this)] {
        held->forget(true, true); // another process (the CLI) may have changed anything
        if (pending->exchange(true))
            return;
        QMetaObject::invokeMethod(
            self,
            [self] {
                if (self)
                    self->announceChangeElsewhere();
            },
            Qt::QueuedConnection);
    });
    m_writer->setWriteObserver(
        [held = m_held, self = QPointer<Engine>(this)](const storage::Changes &changes) {
            const auto touched = [&changes](std::initializer_list<storage::ChangeKind> kinds) {
                return std::any_of(changes.cbegin(), changes.cend(), [&kinds](const storage::Change &c) {
                    return std::find(kinds.begin(), kinds.end(), c.kind) != kinds.end();
                });
            };
            held->forget(touched({storage::ChangeKind::Key, storage::ChangeKind::Project}),
                         touched({storage::ChangeKind::Automation, storage::ChangeKind::Project}));
            QMetaObject::invokeMethod(
                self,
                [self, changes] {
                    if (self)
                        self->announceChanges(changes);
                },
                Qt::QueuedConnection);
        });
    if (auto r = m_writer->start(); !r)
        return r;

    m_automation = makeAutomationEngine(config.databasePath, m_clock, m_writer->writes());
    m_ingest = std::make_unique<DatabaseIngestBackend>(config.databasePath, *m_writer, m_automation, m_clock);
    m_held->automation = m_automation.get();
    m_held->ingest = m_ingest.get();
    connect(m_ingest.get(), &DatabaseIngestBackend::alert, this, &Engine::alert);
    if (auto r = m_ingest->start(); !r)
        return r;
    if (config.analyse) {
        m_analysis = std::make_unique<AnalysisService>(config.databasePath, m_writer->writes(), m_clock,
                                                       config.analysisIntervalMs);
        connect(m_liveFeed, &storage::LiveFeed::samplesCommitted, m_analysis.get(),
                &AnalysisService::samplesCommitted);
    }
    if (config.scrape)
        startScraper();
    if (config.manageServers) {
        m_servers = std::make_unique<ServerManager>(
            config.databasePath, QFileInfo(config.databasePath).absolutePath(), *m_writer, m_clock);
        connect(m_servers.get(), &ServerManager::serverStateChanged, this, &Engine::serverStateChanged);
        connect(
            m_servers.get(), &ServerManager::serverGaveUp, this,
            [this](const QString &projectId, const QString &, const QString &lines) {
                Q_EMIT alert(
                    projectId, QStringLiteral("server"),
                    QStringLiteral("llama-server keeps crashing and is no longer restarted:\n%1").arg(lines),
                    false);
            });
        m_servers->start();
    }

    if (config.sync) {
        m_sync = std::make_unique<SyncService>(config.databasePath, m_writer->writes(), m_clock);
        connect(this, &Engine::changed, m_sync.get(), [sync = m_sync.get()](const storage::Change &change) {
            if (change.kind != storage::ChangeKind::Samples &&
                change.kind != storage::ChangeKind::ModelLibrary)
                sync->noteLocalChange();
        });
        connect(this, &Engine::changedElsewhere, m_sync.get(), &SyncService::noteLocalChange);
        m_sync->start();
    }

    m_listener = std::make_unique<ingest::Listener>(*m_ingest, m_clock);
    connect(m_listener.get(), &ingest::Listener::listening, this, &Engine::listening);
    connect(m_listener.get(), &ingest::Listener::failed, this, &Engine::listenFailed);
    connect(m_listener.get(), &ingest::Listener::stopped, this, [this] {
        if (!m_stopping)
            return;
        m_writer->stop();
        Q_EMIT stopped();
    });
    ingest::ListenerConfig listen;
    listen.address = config.address;
    listen.port = config.port;
    listen.adminToken = config.adminToken;
    listen.limits = config.limits;
    listen.takeLimitsFromSettings = config.takeLimitsFromSettings;
    m_listener->start(listen);
    m_started = true;
    return {};
}

SourceScraper &Engine::startScraper()
{
    if (!m_scraper) {
        m_scraper = std::make_unique<SourceScraper>(m_config.databasePath, *m_writer, m_clock);
        m_scraper->setAutomation(m_automation);
        connect(m_scraper.get(), &SourceScraper::stateChanged, this, &Engine::sourceStateChanged);
        m_scraper->start();
    }
    return *m_scraper;
}

void Engine::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_scraper.reset();
    if (m_servers)
        m_servers->shutdown(); // stops them, or leaves them running (servers.stopOnQuit)
    if (m_listener)
        m_listener->stop(); // stopped() follows once the listener has drained
    else
        Q_EMIT stopped();
}

void Engine::announceChangeElsewhere()
{
    m_changePending->store(false);
    qCDebug(lcServices) << "another process changed the database: settings and sources are read again";
    if (m_ingest)
        m_ingest->reloadSettings();
    if (m_scraper)
        m_scraper->reload();
    if (m_servers)
        m_servers->reload();
    Q_EMIT changedElsewhere();
}

void Engine::announceChanges(const storage::Changes &changes)
{
    bool settings = false;
    bool sources = false;
    bool servers = false;
    storage::Changes told;
    for (const storage::Change &change : changes) {
        settings = settings || change.kind == storage::ChangeKind::Setting;
        sources = sources || change.kind == storage::ChangeKind::Source ||
                  change.kind == storage::ChangeKind::Runtime || change.kind == storage::ChangeKind::Project;
        const bool repeated = std::any_of(told.cbegin(), told.cend(), [&](const storage::Change &t) {
            return t.kind == change.kind && t.projectId == change.projectId && t.id == change.id;
        });
        if (repeated)
            continue;
        servers = servers || change.kind == storage::ChangeKind::Server;
        told << change;
        qCDebug(lcServices) << "changed:" << storage::name(change.kind) << change.projectId << change.id;
        Q_EMIT changed(change);
    }
    if (settings && m_ingest) {
        qCDebug(lcServices) << "a setting changed: the listener's settings are read again";
        m_ingest->reloadSettings();
    }
    if (servers && m_servers)
        m_servers->reload();
    if (sources && m_scraper) {
        qCDebug(lcServices) << "a project, source or runtime changed: the scraper reads its sources again";
        m_scraper->reload();
    }
}

void Engine::loadSampleDataInBackground()
{
    if (m_loadingSampleData || !m_writer)
        return;
    m_loadingSampleData = true;
    QThread *worker = QThread::create([this] {
        auto loaded = loadSampleData(*m_writer, m_config.databasePath, m_clock);
        const QString error = loaded ? QString() : loaded.errorMessage();
        QMetaObject::invokeMethod(this, [this, error] {
            m_loadingSampleData = false;
            Q_EMIT sampleDataLoaded(error);
        });
    });
    worker->setObjectName(QStringLiteral("cachewise-sample-data"));
    m_sampleLoader = worker;
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

} // namespace cachewise::services
