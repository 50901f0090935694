// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/skeleton.h"

#include "ui/theme.h"

#include <QPainter>
#include <QPainterPath>
#include <QVariantAnimation>

namespace cachewise::ui {

SkeletonView::SkeletonView(Shape shape, QWidget *parent)
    : QWidget(parent), m_shape(shape), m_text(tr("Fetching data...")), m_pulse(new QVariantAnimation(this))
{
    setObjectName(QStringLiteral("loadingState"));
    setAccessibleName(m_text);
    m_pulse->setStartValue(0.55);
    m_pulse->setKeyValueAt(0.5, 1.0);
    m_pulse->setEndValue(0.55);
    m_pulse->setDuration(1400);
    m_pulse->setLoopCount(-1);
    connect(m_pulse, &QVariantAnimation::valueChanged, this, [this](const QVariant &value) {
        m_phase = value.toReal();
        update();
    });
}

void SkeletonView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!theme::reducedMotion())
        m_pulse->start();
}

void SkeletonView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_pulse->stop();
    m_phase = 1.0;
}

void SkeletonView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QColor block = theme::isDark() ? QColor(0x3A, 0x3A, 0x3C) : QColor(0xE5, 0xE5, 0xEA);
    block.setAlphaF(m_phase);
    painter.setPen(Qt::NoPen);
    painter.setBrush(block);
    const QRectF area = QRectF(rect()).adjusted(4, 4, -4, -4);
    const qreal gap = 12;
    const qreal textHeight = fontMetrics().height() + 8;
    if (m_shape == Shape::Dashboard) {
        const qreal cardHeight = std::min<qreal>(88, area.height() * 0.2);
        const qreal cardWidth = (area.width() - 4 * gap) / 5;
        for (int i = 0; i < 5; ++i)
            painter.drawRoundedRect(
                QRectF(area.left() + i * (cardWidth + gap), area.top(), cardWidth, cardHeight), 10, 10);
        const qreal chartTop = area.top() + cardHeight + gap;
        const qreal chartHeight = area.bottom() - textHeight - chartTop;
        const qreal chartWidth = (area.width() - gap) / 2;
        for (int i = 0; i < 2; ++i)
            painter.drawRoundedRect(
                QRectF(area.left() + i * (chartWidth + gap), chartTop, chartWidth, chartHeight), 10, 10);
    } else {
        const qreal row = 28;
        for (qreal y = area.top(); y + row < area.bottom() - textHeight; y += row + 8)
            painter.drawRoundedRect(QRectF(area.left(), y, area.width(), row), 6, 6);
    }
    painter.setPen(theme::secondaryText());
    painter.drawText(QRectF(area.left(), area.bottom() - textHeight, area.width(), textHeight),
                     Qt::AlignCenter, m_text);
}

} // namespace cachewise::ui
