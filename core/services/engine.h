// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/http/message.h"
#include "core/ingest/backend.h"
#include "core/model/enums.h"
#include "core/model/metric.h"
#include "core/storage/changes.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace cachewise {
class Clock;
}
namespace cachewise::automation {
class AutomationEngine;
}
namespace cachewise::ingest {
class Listener;
struct IngestCounters;
} // namespace cachewise::ingest
namespace cachewise::storage {
class LiveFeed;
class MetricWriter;
} // namespace cachewise::storage

namespace cachewise::services {

class AnalysisService;
class DatabaseIngestBackend;
class ServerManager;
class SourceScraper;
class SyncService;

struct EngineConfig
{
    QString databasePath;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 4318; // 0: any free port
    QString adminToken;
    http::Limits limits;
    bool takeLimitsFromSettings = true; // the body limit from the settings, followed while running
    bool scrape = true;                 // read the configured sources
    bool analyse = true;                // recompute recommendations as data arrives
    int analysisIntervalMs = 60'000;
    bool manageServers = true; // keep the llama-servers of the data folder alive (services/servermanager.h)
    bool sync = true;          // sync with the hosted account, when one is set (services/syncservice.h)
};

// The composition root: one per process that serves (the window, --headless, the tests' stack). Owns
// the sample writer and its live feed, the one automation engine, the listener and its backend, the
// scraper and the analysis thread, and wires them. Every write of this process goes through the writer
// (MetricWriter::write), so what changed is published as it happens: samples committed (through the live
// feed, coalesced) and changed() with what the stores noted; changedElsewhere() when another process (the
// CLI) committed, which SQLite's change counter tells the writer within a quarter second. The backend's
// settings and the scraper's sources are read again on those events, never on a timer.
class Engine final : public QObject
{
    Q_OBJECT

public:
    explicit Engine(const Clock &clock, QObject *parent = nullptr);
    ~Engine() override;

    // Starts the writer, the backend, the scraper and analysis at once (errors are returned); the
    // listener's outcome arrives as listening() or listenFailed().
    Result<void> start(const EngineConfig &config);
    // Starts reading the configured sources, if start() did not (config.scrape false); the scraper.
    SourceScraper &startScraper();
    // Stops the scraper and the listener (requests in flight are committed and answered), then the
    // writer; emits stopped(). Idempotent.
    void stop();

    storage::MetricWriter &writer() { return *m_writer; }
    storage::LiveFeed &liveFeed() { return *m_liveFeed; }
    ingest::Listener &listener() { return *m_listener; }
    std::shared_ptr<const ingest::IngestCounters> counters() const;
    // Null unless config.analyse.
    AnalysisService *analysis() { return m_analysis.get(); }
    // Null unless config.scrape.
    SourceScraper *scraper() { return m_scraper.get(); }
    // Null unless config.manageServers.
    ServerManager *servers() { return m_servers.get(); }
    // Null unless config.sync.
    SyncService *sync() { return m_sync.get(); }
    std::shared_ptr<automation::AutomationEngine> automation() const { return m_automation; }
    // The listener's limits and OpenTelemetry names as they apply now (any thread, no I/O).
    ingest::IngestSettings listenerSettings() const;
    const QString &databasePath() const { return m_config.databasePath; }
    // loadSampleData() on a thread of its own (the window must not wait); sampleDataLoaded when done.
    void loadSampleDataInBackground();

Q_SIGNALS:
    void listening(const QString &url);
    void listenFailed(const QString &message, cachewise::ErrorKind kind);
    void stopped();
    // This process changed something, now committed: a project, key, setting, source, runtime, the
    // automation's limits, a recommendation, an action in the log, or samples removed.
    void changed(const cachewise::storage::Change &change);
    // Another process (the CLI) committed: anything may have changed.
    void changedElsewhere();
    // A scraped source went up or down, or its reason changed.
    void sourceStateChanged(const QString &sourceId, cachewise::model::SourceState state,
                            const QString &reason);
    // A project crossed one of its automation thresholds (dryRun: only logged); pushes and scrapes.
    void alert(const QString &projectId, const QString &rule, const QString &message, bool dryRun);
    // A llama-server CacheWise launched changed state (starting, loading, ready, stopped, crashed, …).
    void serverStateChanged(const QString &profileId, cachewise::model::ServerState state,
                            const QString &reason);
    // loadSampleDataInBackground() finished; `error` is empty when it worked.
    void sampleDataLoaded(const QString &error);

private:
    void announceChangeElsewhere();
    void announceChanges(const storage::Changes &changes);

    const Clock &m_clock;
    EngineConfig m_config;
    std::unique_ptr<storage::MetricWriter> m_writer;
    storage::LiveFeed *m_liveFeed;
    std::shared_ptr<automation::AutomationEngine> m_automation;
    std::unique_ptr<DatabaseIngestBackend> m_ingest;
    std::unique_ptr<ingest::Listener> m_listener;
    std::unique_ptr<AnalysisService> m_analysis;
    std::unique_ptr<SourceScraper> m_scraper;
    std::unique_ptr<ServerManager> m_servers;
    std::unique_ptr<SyncService> m_sync;
    std::shared_ptr<std::atomic_bool> m_changePending;
    // What the writer's thread tells to forget what they hold in memory (set once both exist).
    struct HeldInMemory
    {
        std::atomic<automation::AutomationEngine *> automation{nullptr};
        std::atomic<DatabaseIngestBackend *> ingest{nullptr};
        void forget(bool keys, bool automationLimits);
    };
    std::shared_ptr<HeldInMemory> m_held = std::make_shared<HeldInMemory>();
    bool m_started = false;
    bool m_loadingSampleData = false;
    QPointer<QThread> m_sampleLoader;
    bool m_stopping = false;
};

} // namespace cachewise::services
