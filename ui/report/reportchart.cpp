// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/report/reportchart.h"

#include "ui/metrictext.h"

#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace cachewise::ui {
namespace {

// A "nice" step (1, 2 or 5 × 10^n) that splits `span` into about `ticks` parts.
double niceStep(double span, int ticks)
{
    const double raw = span / std::max(1, ticks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (raw <= m * magnitude)
            return m * magnitude;
    }
    return 10.0 * magnitude;
}

} // namespace

QImage renderReportChart(const QList<SeriesPoint> &points, const QString &title, Unit unit, qint64 fromMs,
                         qint64 toMs, const QColor &color, QSize size, qreal scale, const QLocale &locale)
{
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPixelSize(11);
    p.setFont(font);
    const QColor text(0x1C, 0x1C, 0x1E);
    const QColor muted(0x8E, 0x8E, 0x93);
    const QColor grid(0xE5, 0xE5, 0xEA);

    double largest = 0;
    for (const SeriesPoint &pt : points)
        largest = std::max(largest, pt.value);
    const AxisScale axis = axisScale(unit, largest);
    double top = 0;
    double bottom = 0;
    for (const SeriesPoint &pt : points) {
        top = std::max(top, pt.value / axis.divisor);
        bottom = std::min(bottom, pt.value / axis.divisor);
    }
    if (top <= bottom)
        top = bottom + 1;
    const double step = niceStep(top - bottom, 5);
    top = std::ceil(top / step) * step;
    bottom = std::floor(bottom / step) * step;
    const int decimals = std::clamp(int(std::ceil(-std::log10(step))), 0, 3);

    // Title above, axis labels left and below.
    QFont titleFont = font;
    titleFont.setPixelSize(14);
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.setPen(text);
    const QString heading = axis.title.isEmpty() ? title : QStringLiteral("%1 (%2)").arg(title, axis.title);
    p.drawText(QRectF(0, 0, size.width(), 24), Qt::AlignLeft | Qt::AlignVCenter, heading);
    p.setFont(font);
    const QFontMetricsF metrics(font);
    double labelWidth = 0;
    for (double v = bottom; v <= top + step / 2; v += step)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(formatDecimal(v, decimals, locale)));
    const QRectF plot(labelWidth + 12, 32, size.width() - labelWidth - 20, size.height() - 32 - 26);

    p.setPen(QPen(grid, 1));
    for (double v = bottom; v <= top + step / 2; v += step) {
        const double y = plot.bottom() - (v - bottom) / (top - bottom) * plot.height();
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(muted);
        p.drawText(QRectF(0, y - 8, labelWidth + 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                   formatDecimal(v, decimals, locale));
    }
    const qint64 span = std::max<qint64>(1, toMs - fromMs);
    const QString timeFormat = span > 36LL * 3'600'000 ? QStringLiteral("d MMM") : QStringLiteral("HH:mm");
    for (int i = 0; i <= 5; ++i) {
        const qint64 t = fromMs + span * i / 5;
        const double x = plot.left() + plot.width() * i / 5.0;
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(muted);
        // The last label ends at the plot's right edge instead of running past the image.
        const QRectF label =
            i == 5 ? QRectF(x - 80, plot.bottom() + 4, 80, 18) : QRectF(x - 40, plot.bottom() + 4, 80, 18);
        p.drawText(label, (i == 5 ? Qt::AlignRight : Qt::AlignHCenter) | Qt::AlignTop,
                   formatDateTime(t, timeFormat, locale));
    }
    p.setPen(QPen(muted, 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());

    if (points.isEmpty()) {
        p.setPen(muted);
        p.drawText(plot, Qt::AlignCenter, QStringLiteral("–"));
        return image;
    }
    QPainterPath line;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const double x = plot.left() + double(points[i].timestampMs - fromMs) / double(span) * plot.width();
        const double y =
            plot.bottom() - (points[i].value / axis.divisor - bottom) / (top - bottom) * plot.height();
        const QPointF at(std::clamp(x, plot.left(), plot.right()), y);
        if (i == 0)
            line.moveTo(at);
        else
            line.lineTo(at);
    }
    p.setClipRect(plot.adjusted(-2, -2, 2, 2));
    p.setPen(QPen(color, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPath(line);
    if (points.size() == 1) {
        p.setBrush(color);
        p.drawEllipse(line.currentPosition(), 3, 3);
    }
    return image;
}

} // namespace cachewise::ui
