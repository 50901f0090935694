// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/units.h"

class QChart;

namespace cachewise::ui {

// Light or dark chart colours and animation as the app's theme and reduced-motion choice say.
// Returns theme::styleKey() as applied, so a chart restyles only when it changes.
int styleChart(QChart *chart);

// How a unit's values are scaled on a value axis, and the axis title ("MiB" for KiB values…).
struct AxisScale
{
    double divisor;
    QString title;
};
AxisScale axisScale(Unit unit);

} // namespace cachewise::ui
