// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCoreApplication;

namespace cachewise::ui {

// Loads the translation for the chosen language ("system", "en" or "tr"); the window's and the reports'
// texts are compiled into the reports library.
void installTranslations(QCoreApplication &app, const char *language = "system");

} // namespace cachewise::ui
