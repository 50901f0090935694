// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace cachewise {
class Clock;
}
namespace cachewise::services {
class Engine;
}

namespace cachewise::ui {

// Renders every page (dashboard, projects, a project's tabs, settings) in English and Turkish,
// light and dark, to PNG files in `folder`, waiting on the event loop while pages load.
// Returns the files written, or an empty list with `error` set.
QStringList renderScreenshots(services::Engine &engine, const Clock &clock, const QString &listenerUrl,
                              const QString &folder, QString *error);

} // namespace cachewise::ui
