// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/automationstore.h"

#include "core/automation/engineexecutor.h"
#include "core/automation/webhook.h"
#include "core/storage/repository.h"
#include "core/storage/writes.h"

namespace cachewise::services {
namespace {

class DatabaseAutomationStore final : public automation::AutomationStore
{
public:
    // Reads on a connection of its own; writes through `writes` (the writer's connection).
    DatabaseAutomationStore(const Clock &clock, storage::Writes writes)
        : m_repository(clock), m_writes(std::move(writes))
    {}

    Result<void> open(const QString &path) { return m_repository.open(path); }

    Result<model::AutomationSettings> automation(const QString &projectId) override
    {
        return m_repository.actions().automation(projectId);
    }
    Result<QList<model::ActionLogEntry>> actions(const QString &projectId, int limit) override
    {
        return m_repository.actions().list(projectId, limit);
    }
    Result<QList<model::Source>> sources(const QString &projectId) override
    {
        return m_repository.sources().list(projectId);
    }
    Result<model::ActionLogEntry> addAction(const model::ActionLogEntry &entry) override
    {
        return storage::writeThrough(m_writes,
                                     [&](storage::Repository &w) { return w.actions().add(entry); });
    }
    Result<bool> updateActionStatus(const QString &actionId, model::ActionStatus status,
                                    const QJsonArray &phrases) override
    {
        return storage::writeThrough(m_writes, [&](storage::Repository &w) {
            return w.actions().setStatus(actionId, status, phrases);
        });
    }
    Result<void> recordSourceEraseRefused(const QString &sourceId, qint64 atMs) override
    {
        return storage::writeThrough(
            m_writes, [&](storage::Repository &w) { return w.sources().recordEraseRefused(sourceId, atMs); });
    }

private:
    storage::Repository m_repository;
    storage::Writes m_writes;
};

} // namespace

automation::StoreOpener databaseAutomationStore(QString databasePath, const Clock &clock,
                                                storage::Writes writes)
{
    return [path = std::move(databasePath), &clock,
            writes]() -> Result<std::unique_ptr<automation::AutomationStore>> {
        auto store = std::make_unique<DatabaseAutomationStore>(clock, writes);
        if (auto opened = store->open(path); !opened)
            return opened.error();
        return std::unique_ptr<automation::AutomationStore>(std::move(store));
    };
}

std::shared_ptr<automation::AutomationEngine>
makeAutomationEngine(const QString &databasePath, const Clock &clock, const storage::Writes &writes)
{
    auto engine = std::make_shared<automation::AutomationEngine>(
        databaseAutomationStore(databasePath, clock, writes), clock);
    engine->addExecutor(std::make_unique<automation::WebhookExecutor>(
        databaseAutomationStore(databasePath, clock, writes), clock));
    engine->addExecutor(std::make_unique<automation::EngineExecutor>(
        databaseAutomationStore(databasePath, clock, writes), clock));
    return engine;
}

} // namespace cachewise::services
