// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ingest/ingesthandler.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace cachewise {
class Clock;
}

namespace cachewise::ui {

// Renders every page (dashboard, projects, a project's tabs, settings) in English and Turkish,
// light and dark, to PNG files in `folder`, waiting on the event loop while pages load.
// Returns the files written, or an empty list with `error` set.
QStringList renderScreenshots(const QString &databasePath, const Clock &clock,
                              std::shared_ptr<const ingest::IngestCounters> counters,
                              const QString &listenerUrl, const QString &folder, QString *error);

} // namespace cachewise::ui
