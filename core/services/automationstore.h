// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/automation/automationengine.h"
#include "core/automation/automationstore.h"
#include "core/storage/writes.h"

#include <QString>

#include <memory>

namespace cachewise {
class Clock;
}

namespace cachewise::services {

// Opens automation's store over the database at `databasePath`: it reads on a connection of its own and
// writes through `writes` (the writer's connection, so the log's entries reach the Engine as events).
automation::StoreOpener databaseAutomationStore(QString databasePath, const Clock &clock,
                                                storage::Writes writes);

// An automation engine with the executors this version has (webhook, the engines' actions), over the
// database: the one engine that judges every sample, pushed or scraped.
std::shared_ptr<automation::AutomationEngine>
makeAutomationEngine(const QString &databasePath, const Clock &clock, const storage::Writes &writes);

} // namespace cachewise::services
