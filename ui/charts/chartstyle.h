// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/metrictext.h"

class QChart;

namespace cachewise::ui {

// Light or dark chart colours and animation as the app's theme and reduced-motion choice say.
// Returns theme::styleKey() as applied, so a chart restyles only when it changes.
int styleChart(QChart *chart);

} // namespace cachewise::ui
