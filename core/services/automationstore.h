// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/automation/automationengine.h"
#include "core/automation/automationstore.h"

#include <QString>

#include <memory>

namespace cachewise {
class Clock;
}

namespace cachewise::services {

// Opens automation's store over the database at `databasePath` (one connection per store).
automation::StoreOpener databaseAutomationStore(QString databasePath, const Clock &clock);

// An automation engine with the executors this version has (webhook, the engines' actions), over the
// database: the one engine that judges every sample, pushed or scraped.
std::shared_ptr<automation::AutomationEngine> makeAutomationEngine(const QString &databasePath,
                                                                   const Clock &clock);

} // namespace cachewise::services
