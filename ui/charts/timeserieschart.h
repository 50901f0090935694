// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/decimation.h"
#include "core/common/units.h"

#include <QColor>
#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QResizeEvent;
class QValueAxis;

namespace cachewise::ui {

// A line chart over time: one line per named series, points replaced in bulk on every update,
// exact values in a tooltip on hover. Qt Charts stays inside ui/charts.
class TimeSeriesChart final : public QWidget
{
    Q_OBJECT

public:
    struct Line
    {
        QString name;
        QColor color;
        QList<SeriesPoint> points;
    };

    explicit TimeSeriesChart(const QString &title, Unit unit, QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    void setLines(const QList<Line> &lines, qint64 fromMs, qint64 toMs);
    // Points a line may have: about twice the plot's pixel width.
    int pointBudget() const;
    int pointCount() const; // drawn now, all lines
    // What it shows, as drawn: its title, the legend's names, the value axis's title.
    QString title() const;
    QStringList lineNames() const;
    QString valueAxisTitle() const;
    // Time labels on the axis now: as many as fit whole at the chart's width (never cut to "1…").
    int timeTickCount() const;

protected:
    void resizeEvent(QResizeEvent *event) override;
    // A theme switched in Settings reaches the chart at once, not at its next data.
    void changeEvent(QEvent *event) override;

private:
    QString valueText(double v) const;
    void fitTimeTicks();

    Unit m_unit;
    QChart *m_chart;
    int m_styleKey = -1;
    QChartView *m_view;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
};

} // namespace cachewise::ui
