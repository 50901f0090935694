// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/automation/actionexecutor.h"
#include "core/automation/automationstore.h"
#include "core/automation/policy.h"
#include "core/model/types.h"

#include <QHash>
#include <QJsonArray>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace cachewise {
class Clock;
}

namespace cachewise::automation {

struct Alert
{
    QString projectId;
    QString rule;
    QString message; // English, one line
    bool dryRun = false;
};

// Applies each project's automation settings to its committed samples. For every decision it logs an
// alert and then either a dry-run entry, or a pending directive that goes back to the client in the
// reply to POST /api/metrics and to every executor that applies (webhook). Thread-safe; its store is
// opened by the first thread that calls it (the storage writer's, where replies are sent).
class AutomationEngine
{
public:
    AutomationEngine(StoreOpener openStore, const Clock &clock);
    ~AutomationEngine();

    void addExecutor(std::unique_ptr<ActionExecutor> executor);
    // Called for every alert, on the evaluating thread.
    void setAlertHandler(std::function<void(const Alert &)> handler);

    // The directives for the client (JSON array, empty when nothing is due or the project's
    // automation is off or in dry-run). Never fails the request: storage errors are logged.
    QJsonArray samplesCommitted(const QString &projectId, const QList<model::MetricSample> &samples);
    // Each project's limits are read once and kept: call this when they may have changed (right after a
    // write of this process touched them, on the writer's thread, and when another process committed).
    // Takes no lock, so a write made while samples are judged may call it.
    void forgetSettings() { m_settingsGeneration.fetch_add(1); }

private:
    bool ensureOpen();
    // Turns a decision into an alert where nothing can act on it: the engine of a scraped project
    // cannot change its batching at run time, or llama-server refused to erase slots until it restarts.
    static void holdBack(Decision &decision, const std::optional<model::Source> &server);
    ProjectState &stateFor(const QString &projectId);

    std::mutex m_mutex;
    LazyStore m_store;
    const Clock &m_clock;
    Policy m_policy;
    QHash<QString, ProjectState> m_states;
    QHash<QString, model::AutomationSettings> m_settings; // read so far, by project
    quint64 m_settingsRead = 0;                           // the generation m_settings belongs to
    std::atomic<quint64> m_settingsGeneration{0};
    std::vector<std::unique_ptr<ActionExecutor>> m_executors;
    std::function<void(const Alert &)> m_alertHandler;
};

} // namespace cachewise::automation
