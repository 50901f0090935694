// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>

namespace cachewise::ui::theme {

// The product's palette (product brief).
inline QColor primary()
{
    return QColor(0x00, 0x7A, 0xFF);
}
inline QColor secondary()
{
    return QColor(0x5A, 0xC8, 0xFA);
}
inline QColor accent()
{
    return QColor(0x34, 0xC7, 0x59);
}
inline QColor warning()
{
    return QColor(0xFF, 0x95, 0x00);
}
inline QColor danger()
{
    return QColor(0xFF, 0x3B, 0x30);
}
inline QColor secondaryText()
{
    return QColor(0x8E, 0x8E, 0x93);
}

// Whether the dark variant is in use (set by applyTheme); charts follow it.
bool isDark();
void setDark(bool dark);
// Whether fades and chart animations are off (the user's reduced-motion choice).
bool reducedMotion();
void setReducedMotion(bool reduced);
// Changes whenever darkness or reduced motion does.
inline int styleKey()
{
    return (isDark() ? 1 : 0) | (reducedMotion() ? 2 : 0);
}

// Distinct colours for one line per project, starting with the palette's own.
QColor seriesColor(int index);

} // namespace cachewise::ui::theme
