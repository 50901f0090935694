// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/kpicard.h"

#include "core/common/units.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <cmath>

namespace cachewise::ui {

KpiCard::KpiCard(const QString &title, QWidget *parent)
    : QFrame(parent), m_title(new QLabel(title, this)), m_value(new QLabel(this)), m_trend(new QLabel(this))
{
    setObjectName(QStringLiteral("kpiCard"));
    setAccessibleName(title);
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(120);
    m_title->setObjectName(QStringLiteral("kpiTitle"));
    m_value->setObjectName(QStringLiteral("kpiValue"));
    m_trend->setObjectName(QStringLiteral("kpiTrend"));
    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.6);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_trend);
    setEmpty();
}

void KpiCard::setValue(const QString &value, double trendPercent, bool higherIsBetter)
{
    m_value->setText(value);
    if (!std::isfinite(trendPercent)) {
        m_trend->setText(tr("no earlier data"));
        m_trend->setStyleSheet(QStringLiteral("color: #8E8E93;"));
        return;
    }
    const bool up = trendPercent >= 0;
    const bool good = std::abs(trendPercent) < 0.05 || up == higherIsBetter;
    m_trend->setText(tr("%1 %2 %").arg(up ? QStringLiteral("▲") : QStringLiteral("▼"),
                                       formatDecimal(std::abs(trendPercent), 1)));
    m_trend->setToolTip(tr("Change against the previous period of the same length"));
    m_trend->setStyleSheet(good ? QStringLiteral("color: #34C759;") : QStringLiteral("color: #FF9500;"));
}

void KpiCard::setEmpty()
{
    m_value->setText(QStringLiteral("–"));
    m_trend->setText(tr("No metrics yet"));
    m_trend->setStyleSheet(QStringLiteral("color: #8E8E93;"));
    m_trend->setToolTip(QString());
}

void KpiCard::setNotMeasured()
{
    m_value->setText(QStringLiteral("–"));
    m_trend->setText(tr("Not measured"));
    m_trend->setStyleSheet(QStringLiteral("color: #8E8E93;"));
    m_trend->setToolTip(tr("The samples in this range do not report this figure (llama-server, for example, "
                           "reports no request latency)."));
}

void KpiCard::setNoted(const QString &value, const QString &note, const QString &toolTip)
{
    m_value->setText(value);
    m_trend->setText(note);
    m_trend->setStyleSheet(QStringLiteral("color: #8E8E93;"));
    m_trend->setToolTip(toolTip);
}

QString KpiCard::valueText() const
{
    return m_value->text();
}

QString KpiCard::trendText() const
{
    return m_trend->text();
}

} // namespace cachewise::ui
