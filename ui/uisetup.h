// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/language.h"

#include <QString>

class QApplication;

namespace cachewise::ui {

// The product's palette and font (Inter when installed). theme: "system", "light" or "dark";
// "system" follows the platform's palette. Returns whether the dark variant is in use.
bool applyTheme(QApplication &app, const QString &theme = QStringLiteral("system"));
// The window icon, and the desktop file name that ties windows to the installed .desktop entry.
void applyIdentity(QApplication &app);

} // namespace cachewise::ui
