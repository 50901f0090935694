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
    static const QColor colors[] = {primary(),
                                    accent(),
                                    warning(),
                                    secondary(),
                                    danger(),
                                    QColor(0xAF, 0x52, 0xDE),
                                    QColor(0x5E, 0x5C, 0xE6),
                                    QColor(0xA2, 0x84, 0x5E)};
    constexpr int count = int(sizeof(colors) / sizeof(colors[0]));
    return colors[((index % count) + count) % count];
}

} // namespace cachewise::ui::theme
