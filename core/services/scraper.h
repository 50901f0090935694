// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/enums.h"

#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace cachewise {
class Clock;
}
namespace cachewise::storage {
class MetricWriter;
}
namespace cachewise::automation {
class AutomationEngine;
}

namespace cachewise::services {

class ScraperWorker;

// Reads every enabled source (project_sources) on its own schedule, on a thread of its own: the UI and
// the listener never wait for a server. Each scrape becomes a sample for the source's project through
// the shared writer; the source's state (up, or down with the reason, last scrape, latency) is stored
// and signalled. A server that stops answering is retried with exponential backoff (at most a minute);
// a restarted one starts new counter baselines. Sources added, changed or removed elsewhere (CLI, UI)
// are picked up when reload() is called (the Engine calls it when the database changed elsewhere).
class SourceScraper final : public QObject
{
    Q_OBJECT

public:
    SourceScraper(const QString &databasePath, storage::MetricWriter &writer, const Clock &clock,
                  QObject *parent = nullptr);
    ~SourceScraper() override;

    // Scraped samples also go through the projects' automation (set before start()).
    void setAutomation(std::shared_ptr<automation::AutomationEngine> engine);
    void start();
    // Reads the sources again; returns at once.
    void reload();

Q_SIGNALS:
    void stateChanged(const QString &sourceId, model::SourceState state, const QString &reason);
    // The sources were read (at start, and each time reload() asked): how many are enabled.
    void sourcesRead(int enabled);

private:
    QThread *m_thread;
    ScraperWorker *m_worker;
};

} // namespace cachewise::services
