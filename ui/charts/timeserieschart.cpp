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
#include <QHelpEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cachewise::ui {

// The chart's view: draws the markers, the reference lines, the hover crosshair with its readout and
// the drag selection over the plot, in scene coordinates (the chart sits at the scene's origin).
class ChartView final : public QChartView
{
public:
    explicit ChartView(TimeSeriesChart *owner) : QChartView(owner), m_owner(owner) { setMouseTracking(true); }

    QRectF plot() const { return chart()->mapToScene(chart()->plotArea()).boundingRect(); }
    double xOf(qint64 timeMs) const
    {
        const QRectF p = plot();
        const double from = double(m_owner->m_timeAxis->min().toMSecsSinceEpoch());
        const double to = double(m_owner->m_timeAxis->max().toMSecsSinceEpoch());
        return to > from ? p.left() + (double(timeMs) - from) / (to - from) * p.width() : p.left();
    }
    qint64 timeOf(double sceneX) const
    {
        const QRectF p = plot();
        const double from = double(m_owner->m_timeAxis->min().toMSecsSinceEpoch());
        const double to = double(m_owner->m_timeAxis->max().toMSecsSinceEpoch());
        const double share = p.width() > 0 ? std::clamp((sceneX - p.left()) / p.width(), 0.0, 1.0) : 0.0;
        return qint64(std::llround(from + share * (to - from)));
    }
    double yOf(double axisValue) const
    {
        const QRectF p = plot();
        const double low = m_owner->m_valueAxis->min();
        const double high = m_owner->m_valueAxis->max();
        return high > low ? p.bottom() - (axisValue - low) / (high - low) * p.height() : p.bottom();
    }

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override
    {
        QChartView::drawForeground(painter, rect);
        const QRectF p = plot();
        if (p.isEmpty())
            return;
        painter->save();
        painter->setClipRect(p);
        drawAreaFill(painter, p);
        painter->setClipRect(p.adjusted(-1, -40, 1, 1));
        QFont small = font();
        if (small.pointSizeF() > 0)
            small.setPointSizeF(small.pointSizeF() * 0.9);
        else
            small.setPixelSize(std::max(9, small.pixelSize() * 9 / 10));
        painter->setFont(small);
        const QFontMetrics metrics(small);
        for (const TimeSeriesChart::ReferenceLine &r : std::as_const(m_owner->m_references)) {
            const double y = yOf(r.value / m_owner->m_scale.divisor);
            if (y < p.top() || y > p.bottom())
                continue;
            painter->setPen(QPen(r.color, 1.2, Qt::DashLine));
            painter->drawLine(QPointF(p.left(), y), QPointF(p.right(), y));
            const QString text = metrics.elidedText(r.label, Qt::ElideRight, int(p.width()) - 8);
            const int textWidth = metrics.horizontalAdvance(text);
            // Above its line, or below it at the plot's top; on the plot's background so lines do not cross
            // it.
            const double top = y - metrics.height() - 2 < p.top() ? y + 2 : y - metrics.height() - 2;
            const QRectF label(p.right() - textWidth - 8, top, textWidth + 6, metrics.height());
            QColor background = palette().color(QPalette::Base);
            background.setAlpha(210);
            painter->fillRect(label, background);
            painter->setPen(r.color);
            painter->drawText(label, Qt::AlignCenter, text);
        }
        const QColor markerColor = theme::secondary();
        for (const TimeSeriesChart::Marker &m : std::as_const(m_owner->m_markers)) {
            const double x = xOf(m.timeMs);
            if (x < p.left() || x > p.right())
                continue;
            painter->setPen(QPen(markerColor, 1.2, Qt::DashLine));
            painter->drawLine(QPointF(x, p.top()), QPointF(x, p.bottom()));
            const QString text = metrics.elidedText(m.label, Qt::ElideRight, 160);
            const double flagWidth = metrics.horizontalAdvance(text) + 8;
            // The flag hangs right of its line, or left of it near the plot's right edge.
            const double flagX = x + 2 + flagWidth > p.right() ? x - 2 - flagWidth : x + 2;
            const QRectF flag(flagX, p.top() + 2, flagWidth, metrics.height() + 2);
            QColor flagColor = markerColor;
            flagColor.setAlpha(215); // the line under it stays visible
            painter->fillRect(flag, flagColor);
            painter->setPen(Qt::white);
            painter->drawText(flag, Qt::AlignCenter, text);
        }
        if (m_dragStartX && std::abs(*m_dragStartX - m_dragX) > 2) {
            const QRectF band(QPointF(std::min(*m_dragStartX, m_dragX), p.top()),
                              QPointF(std::max(*m_dragStartX, m_dragX), p.bottom()));
            QColor fill = theme::accent();
            fill.setAlpha(40);
            painter->fillRect(band, fill);
        } else if (m_hoverX) {
            drawReadout(painter, p, metrics);
        }
        painter->restore();
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        const QPointF scene = mapToScene(event->position().toPoint());
        const QRectF p = plot();
        if (m_dragStartX)
            m_dragX = std::clamp(scene.x(), p.left(), p.right());
        m_hoverX = p.contains(scene) ? std::optional<double>(scene.x()) : std::nullopt;
        m_hoverY = scene.y();
        viewport()->update();
        QChartView::mouseMoveEvent(event);
    }
    void mousePressEvent(QMouseEvent *event) override
    {
        const QPointF scene = mapToScene(event->position().toPoint());
        if (event->button() == Qt::LeftButton && plot().contains(scene)) {
            m_dragStartX = scene.x();
            m_dragX = scene.x();
        }
        QChartView::mousePressEvent(event);
    }
    void mouseReleaseEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::LeftButton && m_dragStartX) {
            const double from = std::min(*m_dragStartX, m_dragX);
            const double to = std::max(*m_dragStartX, m_dragX);
            m_dragStartX.reset();
            viewport()->update();
            if (to - from >= 8)
                Q_EMIT m_owner->rangeSelected(timeOf(from), timeOf(to));
        }
        QChartView::mouseReleaseEvent(event);
    }
    void mouseDoubleClickEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::LeftButton)
            Q_EMIT m_owner->rangeReset();
        QChartView::mouseDoubleClickEvent(event);
    }
    // The chart's description shows over its title and legend; over the plot the crosshair speaks.
    bool viewportEvent(QEvent *event) override
    {
        if (event->type() == QEvent::ToolTip &&
            plot().contains(mapToScene(static_cast<QHelpEvent *>(event)->pos()))) {
            event->accept();
            return true;
        }
        return QChartView::viewportEvent(event);
    }
    void leaveEvent(QEvent *event) override
    {
        m_hoverX.reset();
        viewport()->update();
        QChartView::leaveEvent(event);
    }

private:
    // A subtle gradient under a chart's only line (several lines would cover each other).
    void drawAreaFill(QPainter *painter, const QRectF &p)
    {
        if (m_owner->m_lines.size() != 1 || m_owner->m_lines.first().points.size() < 2)
            return;
        const TimeSeriesChart::Line &line = m_owner->m_lines.first();
        const double baseline = std::clamp(yOf(0.0), p.top(), p.bottom());
        QPainterPath area;
        area.moveTo(xOf(line.points.first().timestampMs), baseline);
        for (const SeriesPoint &point : line.points)
            area.lineTo(xOf(point.timestampMs), yOf(point.value / m_owner->m_scale.divisor));
        area.lineTo(xOf(line.points.last().timestampMs), baseline);
        area.closeSubpath();
        QLinearGradient gradient(0, p.top(), 0, p.bottom());
        QColor top = line.color;
        top.setAlpha(theme::isDark() ? 70 : 55);
        QColor bottom = line.color;
        bottom.setAlpha(0);
        gradient.setColorAt(0, top);
        gradient.setColorAt(1, bottom);
        painter->setPen(Qt::NoPen);
        painter->fillPath(area, gradient);
    }

    void drawReadout(QPainter *painter, const QRectF &p, const QFontMetrics &metrics)
    {
        const auto readout = m_owner->readoutAt(timeOf(*m_hoverX));
        QStringList lines;
        double x = *m_hoverX;
        if (readout) {
            x = xOf(readout->timeMs);
            lines << formatDateTime(readout->timeMs) << readout->lines;
            painter->setPen(QPen(theme::secondaryText(), 1));
            painter->drawLine(QPointF(x, p.top()), QPointF(x, p.bottom()));
            for (const TimeSeriesChart::Line &line : std::as_const(m_owner->m_lines)) {
                const auto nearest = nearestPoint(line.points, readout->timeMs);
                if (!nearest || nearest->timestampMs != readout->timeMs)
                    continue;
                const QPointF dot(x, yOf(nearest->value / m_owner->m_scale.divisor));
                painter->setPen(QPen(theme::isDark() ? QColor(0x1C, 0x1C, 0x1E) : QColor(Qt::white), 1.5));
                painter->setBrush(line.color);
                painter->drawEllipse(dot, 4, 4);
            }
        }
        for (const TimeSeriesChart::Marker &m : std::as_const(m_owner->m_markers)) {
            if (std::abs(xOf(m.timeMs) - *m_hoverX) <= 4)
                lines << m.detail.split(QLatin1Char('\n'));
        }
        if (lines.isEmpty())
            return;
        int width = 0;
        for (const QString &line : std::as_const(lines))
            width = std::max(width, metrics.horizontalAdvance(line));
        const QSizeF size(width + 16, lines.size() * metrics.height() + 10);
        QPointF at(x + 12, std::clamp(m_hoverY - size.height() / 2, p.top(), p.bottom() - size.height()));
        if (at.x() + size.width() > p.right())
            at.setX(x - 12 - size.width());
        painter->setClipping(false);
        const QRectF box(at, size);
        painter->setPen(QPen(theme::secondaryText(), 1));
        painter->setBrush(palette().color(QPalette::Base));
        painter->drawRoundedRect(box, 6, 6);
        painter->setPen(palette().color(QPalette::Text));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QFont f = painter->font();
            f.setBold(i == 0 && readout);
            painter->setFont(f);
            painter->drawText(
                QPointF(box.left() + 8, box.top() + 5 + metrics.ascent() + i * metrics.height()), lines[i]);
        }
    }

    static std::optional<SeriesPoint> nearestPoint(const QList<SeriesPoint> &points, qint64 timeMs)
    {
        if (points.isEmpty())
            return std::nullopt;
        const auto after = std::lower_bound(points.cbegin(), points.cend(), timeMs,
                                            [](const SeriesPoint &p, qint64 t) { return p.timestampMs < t; });
        if (after == points.cend())
            return points.last();
        if (after == points.cbegin())
            return *after;
        const auto before = std::prev(after);
        return timeMs - before->timestampMs <= after->timestampMs - timeMs ? *before : *after;
    }

    friend class TimeSeriesChart;
    TimeSeriesChart *m_owner;
    std::optional<double> m_hoverX;
    double m_hoverY = 0;
    std::optional<double> m_dragStartX;
    double m_dragX = 0;
};

// Axes show plain numbers, so large units are scaled for the axis (axisScale); tooltips show exact values.
TimeSeriesChart::TimeSeriesChart(const QString &title, Unit unit, QWidget *parent)
    : QWidget(parent), m_unit(unit), m_scale(axisScale(unit)), m_chart(new QChart),
      m_view(new ChartView(this)), m_timeAxis(new QDateTimeAxis), m_valueAxis(new QValueAxis)
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

void TimeSeriesChart::setTitle(const QString &title)
{
    if (m_chart->title() != title) {
        m_chart->setTitle(title);
        m_view->setAccessibleName(title);
    }
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

QString TimeSeriesChart::valueLabelFormat() const
{
    return m_valueAxis->labelFormat();
}

std::pair<double, double> TimeSeriesChart::valueRange() const
{
    return {m_valueAxis->min(), m_valueAxis->max()};
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

void TimeSeriesChart::setMarkers(const QList<Marker> &markers)
{
    m_markers = markers;
    m_view->viewport()->update();
}

void TimeSeriesChart::setReferenceLines(const QList<ReferenceLine> &lines)
{
    m_references = lines;
    m_view->viewport()->update();
}

QWidget *TimeSeriesChart::plotWidget() const
{
    return m_view->viewport();
}

qint64 TimeSeriesChart::timeAtViewX(int x) const
{
    return m_view->timeOf(m_view->mapToScene(QPoint(x, 0)).x());
}

std::optional<TimeSeriesChart::HoverReadout> TimeSeriesChart::readoutAt(qint64 timeMs) const
{
    // The nearest point of any line decides the moment; each line shows its point at that moment.
    std::optional<qint64> snapped;
    for (const Line &line : m_lines) {
        if (const auto p = ChartView::nearestPoint(line.points, timeMs);
            p && (!snapped || std::abs(p->timestampMs - timeMs) < std::abs(*snapped - timeMs)))
            snapped = p->timestampMs;
    }
    if (!snapped)
        return std::nullopt;
    HoverReadout out;
    out.timeMs = *snapped;
    for (const Line &line : m_lines) {
        const auto p = ChartView::nearestPoint(line.points, *snapped);
        if (p && p->timestampMs == *snapped)
            out.lines << QStringLiteral("%1: %2").arg(line.name, valueText(p->value));
    }
    return out;
}

void TimeSeriesChart::setLines(const QList<Line> &lines, qint64 fromMs, qint64 toMs)
{
    m_lines = lines;
    if (m_styleKey != theme::styleKey())
        m_styleKey = styleChart(m_chart);
    // Series are kept and their points replaced in one call each; new names add series.
    QList<QAbstractSeries *> existing = m_chart->series();
    // One unit for the axis, by the largest value of any line (the reference lines count too).
    double largest = 0;
    for (const Line &line : lines) {
        for (const SeriesPoint &p : line.points)
            largest = std::max(largest, p.value);
    }
    for (const ReferenceLine &r : std::as_const(m_references))
        largest = std::max(largest, r.value);
    m_scale = axisScale(m_unit, largest);
    if (m_valueAxis->titleText() != m_scale.title)
        m_valueAxis->setTitleText(m_scale.title);
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
        }
        series->setName(line.name);
        // A lone sample has no segment to draw: it shows as a dot.
        series->setPointsVisible(line.points.size() == 1);
        QPen pen(line.color);
        pen.setWidthF(2.0);
        series->setPen(pen);
        QList<QPointF> points;
        points.reserve(line.points.size());
        const double divisor = m_scale.divisor;
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
    // Counts (requests, preemptions) are whole: a small range gets a tick per unit, never 0.5.
    const bool whole = m_unit == Unit::Count && std::max(top, 1.0) <= 5;
    m_valueAxis->setTickType(whole ? QValueAxis::TicksDynamic : QValueAxis::TicksFixed);
    if (whole) {
        m_valueAxis->setTickAnchor(0);
        m_valueAxis->setTickInterval(1);
        m_valueAxis->setRange(std::min(0.0, std::floor(lowest)), std::max(1.0, std::ceil(top)));
    } else {
        m_valueAxis->setRange(std::min(0.0, lowest), top > 0 ? top : 1.0);
        m_valueAxis->applyNiceNumbers();
    }
    // As many decimals as the tick step needs, so small ranges (a flat 0, a ratio) do not label every
    // tick with the same rounded number.
    const double step =
        whole ? 1.0 : (m_valueAxis->max() - m_valueAxis->min()) / std::max(1, m_valueAxis->tickCount() - 1);
    const int decimals = step > 0 ? std::clamp(int(std::ceil(-std::log10(step))), 0, 3) : 0;
    const QString labels = QStringLiteral("%.%1f").arg(decimals);
    if (m_valueAxis->labelFormat() != labels)
        m_valueAxis->setLabelFormat(labels);
    // Qt 6.4 sizes the axis for the labels it had before a range or format change, so a title beside
    // longer labels is drawn over them; setting the title again makes it measure the new ones.
    m_valueAxis->setTitleText(QString());
    m_valueAxis->setTitleText(m_scale.title);
}

} // namespace cachewise::ui
