// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace cachewise::ui {

// One of the app's line icons (resources/icons/ui/NAME.svg, drawn with currentColor) in `color`, and in
// `selectedColor` where a view draws it selected: one style everywhere, readable in both themes.
QIcon lineIcon(const QString &name, const QColor &color, const QColor &selectedColor = Qt::white);

} // namespace cachewise::ui
