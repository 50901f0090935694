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

AxisScale axisScale(Unit unit)
{
    switch (unit) {
    case Unit::KibiBytes: return {1024.0, QStringLiteral("MiB")};
    case Unit::GibiBytes: return {1.0, QStringLiteral("GiB")};
    case Unit::Milliseconds: return {1.0, QStringLiteral("ms")};
    case Unit::Ratio: return {0.01, QStringLiteral("%")};
    default: return {1.0, QString()};
    }
}

} // namespace cachewise::ui
