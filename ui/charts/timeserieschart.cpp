// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/charts/timeserieschart.h"

#include "ui/charts/chartstyle.h"
#include "ui/theme.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFontMetrics>
#include <QLegendMarker>
#include <QLineSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cachewise::ui {

// Axes show plain numbers, so large units are scaled for the axis (axisScale); tooltips show exact values.
TimeSeriesChart::TimeSeriesChart(const QString &title, Unit unit, QWidget *parent)
    : QWidget(parent), m_unit(unit), m_chart(new QChart), m_view(new QChartView(this)),
      m_timeAxis(new QDateTimeAxis), m_valueAxis(new QValueAxis)
{
    m_chart->setTitle(title);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_styleKey = styleChart(m_chart);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    m_timeAxis->setTickCount(6);
    m_timeAxis->setTruncateLabels(false);
    // A real range before the first layout: Qt 6.4 draws no time labels or grid at all when the
    // axis is first laid out with its default (epoch) range, even after setRange() later.
    const QDateTime now = QDateTime::currentDateTime();
    m_timeAxis->setRange(now.addSecs(-3600), now);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTruncateLabels(false);
    m_valueAxis->setMinorTickCount(0);
    m_valueAxis->setTitleText(axisScale(unit).title);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_view->setChart(m_chart); // after the axes exist
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setAccessibleName(title);
    m_view->setMinimumHeight(220);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

TimeSeriesChart::~TimeSeriesChart() = default;

int TimeSeriesChart::pointBudget() const
{
    return std::max(64, int(2 * std::max(m_chart->plotArea().width(), qreal(width()) * 0.8)));
}

int TimeSeriesChart::pointCount() const
{
    int n = 0;
    for (const QAbstractSeries *s : m_chart->series())
        n += int(static_cast<const QLineSeries *>(s)->count());
    return n;
}

QString TimeSeriesChart::title() const
{
    return m_chart->title();
}

QStringList TimeSeriesChart::lineNames() const
{
    QStringList names;
    for (const QAbstractSeries *s : m_chart->series())
        names << s->name();
    return names;
}

QString TimeSeriesChart::valueAxisTitle() const
{
    return m_valueAxis->titleText();
}

int TimeSeriesChart::timeTickCount() const
{
    return m_timeAxis->tickCount();
}

void TimeSeriesChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange || m_styleKey == theme::styleKey())
        return;
    // Qt's chart theme resets the series' pens: each line keeps its own colour.
    QList<QPen> pens;
    for (const QAbstractSeries *s : m_chart->series())
        pens << static_cast<const QLineSeries *>(s)->pen();
    m_styleKey = styleChart(m_chart);
    const QList<QAbstractSeries *> series = m_chart->series();
    for (qsizetype i = 0; i < series.size() && i < pens.size(); ++i)
        static_cast<QLineSeries *>(series[i])->setPen(pens[i]);
}

void TimeSeriesChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitTimeTicks();
}

void TimeSeriesChart::fitTimeTicks()
{
    // A label ("23:59", "02 Dec") needs its text's width and a gap; the plot is narrower than the widget.
    const QFontMetrics metrics(m_timeAxis->labelsFont());
    const int label = metrics.horizontalAdvance(QStringLiteral("00 MMM")) + 24;
    const int plot = width() - 72; // the value axis's labels and title, and the margins
    const int ticks = std::clamp(plot / label + 1, 2, 6);
    if (m_timeAxis->tickCount() != ticks)
        m_timeAxis->setTickCount(ticks);
}

QString TimeSeriesChart::valueText(double v) const
{
    return formatValue(v, m_unit);
}

void TimeSeriesChart::setLines(const QList<Line> &lines, qint64 fromMs, qint64 toMs)
{
    if (m_styleKey != theme::styleKey())
        m_styleKey = styleChart(m_chart);
    // Series are kept and their points replaced in one call each; new names add series.
    QList<QAbstractSeries *> existing = m_chart->series();
    double lowest = 0;
    double highest = 0;
    bool any = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const Line &line = lines[i];
        QLineSeries *series = i < existing.size() ? static_cast<QLineSeries *>(existing[i]) : nullptr;
        if (!series) {
            series = new QLineSeries;
            m_chart->addSeries(series);
            series->attachAxis(m_timeAxis);
            series->attachAxis(m_valueAxis);
            connect(series, &QLineSeries::hovered, this, [this, series](const QPointF &point, bool state) {
                if (!state) {
                    QToolTip::hideText();
                    return;
                }
                QToolTip::showText(
                    QCursor::pos(),
                    QStringLiteral("%1\n%2: %3")
                        .arg(formatDateTime(qint64(point.x())), series->name(), valueText(point.y())),
                    m_view);
            });
        }
        series->setName(line.name);
        QPen pen(line.color);
        pen.setWidthF(2.0);
        series->setPen(pen);
        QList<QPointF> points;
        points.reserve(line.points.size());
        const double divisor = axisScale(m_unit).divisor;
        for (const SeriesPoint &p : line.points) {
            const double y = p.value / divisor;
            points.append(QPointF(double(p.timestampMs), y));
            lowest = any ? std::min(lowest, y) : y;
            highest = any ? std::max(highest, y) : y;
            any = true;
        }
        series->replace(points);
    }
    for (qsizetype i = lines.size(); i < existing.size(); ++i) {
        m_chart->removeSeries(existing[i]);
        delete existing[i];
    }
    const QString format =
        toMs - fromMs > 36LL * 3600 * 1000 ? QStringLiteral("dd MMM") : QStringLiteral("HH:mm");
    if (m_timeAxis->format() != format)
        m_timeAxis->setFormat(format);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    fitTimeTicks();
    const double top = any ? highest * 1.1 : 1.0;
    m_valueAxis->setRange(std::min(0.0, lowest), top > 0 ? top : 1.0);
    m_valueAxis->applyNiceNumbers();
    // As many decimals as the tick step needs, so small ranges (a flat 0, a ratio) do not label every
    // tick with the same rounded number.
    const double step = (m_valueAxis->max() - m_valueAxis->min()) / std::max(1, m_valueAxis->tickCount() - 1);
    const int decimals = step > 0 ? std::clamp(int(std::ceil(-std::log10(step))), 0, 3) : 0;
    const QString labels = QStringLiteral("%.%1f").arg(decimals);
    if (m_valueAxis->labelFormat() != labels)
        m_valueAxis->setLabelFormat(labels);
}

} // namespace cachewise::ui
