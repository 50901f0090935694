// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/theme.h"

namespace cachewise::ui::theme {

namespace {
bool g_dark = false;
bool g_reducedMotion = false;
} // namespace

bool isDark()
{
    return g_dark;
}

void setDark(bool dark)
{
    g_dark = dark;
}

bool reducedMotion()
{
    return g_reducedMotion;
}

void setReducedMotion(bool reduced)
{
    g_reducedMotion = reduced;
}

QColor seriesColor(int index)
{
    // Categorical, apart from the colours that mean a state (accent green = good, warning orange, danger
    // red): a green or red line would read as a verdict. Mid lightness, so each shows on white and on the
    // dark surface.
    static const QColor colors[] = {primary(),
                                    QColor(0xAF, 0x52, 0xDE),  // purple
                                    QColor(0x30, 0xB0, 0xC7),  // teal
                                    QColor(0x5E, 0x5C, 0xE6),  // indigo
                                    QColor(0xA2, 0x84, 0x5E),  // brown
                                    QColor(0xD1, 0x47, 0x9B),  // magenta
                                    QColor(0x6C, 0x7A, 0x89),  // slate
                                    QColor(0xC9, 0xA2, 0x27)}; // gold
    constexpr int count = int(sizeof(colors) / sizeof(colors[0]));
    return colors[((index % count) + count) % count];
}

} // namespace cachewise::ui::theme
