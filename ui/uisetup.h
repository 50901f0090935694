// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QApplication;
class QCoreApplication;

namespace cachewise::ui {

// Loads the translation for the chosen language ("system", "en" or "tr").
void installTranslations(QCoreApplication &app, const char *language = "system");
// The product's palette and font (Inter when installed).
void applyTheme(QApplication &app);

} // namespace cachewise::ui
