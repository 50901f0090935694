// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/decimation.h"
#include "core/common/units.h"
#include "ui/metrictext.h"

#include <QColor>
#include <QWidget>

#include <optional>

class QChart;
class QChartView;
class QDateTimeAxis;
class QResizeEvent;
class QValueAxis;

namespace cachewise::ui {

class ChartView;

// A line chart over time: one line per named series, points replaced in bulk on every update. Hovering
// shows a crosshair with the time and every line's value there; markers note events (a runtime change),
// reference lines a limit (capacity, a threshold); dragging across the plot asks for that time range,
// a double click for the range back. Qt Charts stays inside ui/charts.
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
    // A moment drawn as a dashed vertical line with a short label; `detail` shows on hover.
    struct Marker
    {
        qint64 timeMs = 0;
        QString label;
        QString detail;
    };
    // A value drawn as a horizontal line across the plot, with its label (in the chart's unit).
    struct ReferenceLine
    {
        double value = 0;
        QString label;
        QColor color;
    };
    // What the crosshair shows at a moment: the time and each line's nearest value there.
    struct HoverReadout
    {
        qint64 timeMs = 0;
        QStringList lines; // "name: value"
    };

    explicit TimeSeriesChart(const QString &title, Unit unit, QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    void setLines(const QList<Line> &lines, qint64 fromMs, qint64 toMs);
    void setMarkers(const QList<Marker> &markers);
    // Before setLines(): the value axis's unit is chosen for the lines and these together.
    void setReferenceLines(const QList<ReferenceLine> &lines);
    // What hovering at `timeMs` shows (the nearest point of each line), or nothing without data.
    std::optional<HoverReadout> readoutAt(qint64 timeMs) const;
    QList<Marker> markers() const { return m_markers; }
    QList<ReferenceLine> referenceLines() const { return m_references; }
    // The time shown at a horizontal position of the view (for tests and the view).
    qint64 timeAtViewX(int x) const;
    QWidget *plotWidget() const;
    // Points a line may have: about twice the plot's pixel width.
    int pointBudget() const;
    int pointCount() const; // drawn now, all lines
    // What it shows, as drawn: its title, the legend's names, the value axis's title.
    QString title() const;
    void setTitle(const QString &title);
    QStringList lineNames() const;
    QString valueAxisTitle() const;
    // Time labels on the axis now: as many as fit whole at the chart's width (never cut to "1…").
    int timeTickCount() const;
    // The value axis's labels as drawn ("%.0f": whole numbers) and its range.
    QString valueLabelFormat() const;
    std::pair<double, double> valueRange() const;

Q_SIGNALS:
    // The user dragged across [fromMs, toMs) (wider than a few pixels).
    void rangeSelected(qint64 fromMs, qint64 toMs);
    // The user double-clicked the plot: back to the page's range.
    void rangeReset();

protected:
    void resizeEvent(QResizeEvent *event) override;
    // A theme switched in Settings reaches the chart at once, not at its next data.
    void changeEvent(QEvent *event) override;

private:
    friend class ChartView;
    QString valueText(double v) const;
    void fitTimeTicks();

    Unit m_unit;
    AxisScale m_scale; // per the largest value drawn
    QChart *m_chart;
    int m_styleKey = -1;
    ChartView *m_view;
    QList<Line> m_lines;
    QList<Marker> m_markers;
    QList<ReferenceLine> m_references;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
};

} // namespace cachewise::ui
