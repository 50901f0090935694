// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/decimation.h"
#include "core/common/units.h"

#include <QImage>
#include <QLocale>
#include <QString>

namespace cachewise::ui {

// A report's line chart, painted with QPainter alone (no widgets), so it can be drawn on any thread:
// title, a value axis with nice steps in the metric's unit, a time axis over [fromMs, toMs), the line.
// `scale` multiplies the pixels for print (2 gives about 300 dpi across an A4 page's text width).
QImage renderReportChart(const QList<SeriesPoint> &points, const QString &title, Unit unit, qint64 fromMs,
                         qint64 toMs, const QColor &color, QSize size, qreal scale, const QLocale &locale);

} // namespace cachewise::ui
