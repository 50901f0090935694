// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/charts/chartstyle.h"

#include "ui/theme.h"

#include <QChart>

namespace cachewise::ui {

int styleChart(QChart *chart)
{
    const bool dark = theme::isDark();
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(dark ? QColor(0x2C, 0x2C, 0x2E) : QColor(0xFF, 0xFF, 0xFF));
    chart->setBackgroundRoundness(8);
    chart->setAnimationOptions(theme::reducedMotion() ? QChart::NoAnimation : QChart::SeriesAnimations);
    chart->setAnimationDuration(250);
    return theme::styleKey();
}

} // namespace cachewise::ui
