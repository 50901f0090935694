// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/charts/barchart.h"

#include "ui/charts/chartstyle.h"
#include "ui/theme.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace cachewise::ui {

BarChart::BarChart(const QString &title, Unit unit, QWidget *parent)
    : QWidget(parent), m_unit(unit), m_chart(new QChart), m_view(new QChartView(m_chart, this)),
      m_series(new QBarSeries), m_categoryAxis(new QBarCategoryAxis), m_valueAxis(new QValueAxis)
{
    m_chart->setTitle(title);
    m_chart->legend()->hide();
    m_styleKey = styleChart(m_chart);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->addSeries(m_series);
    m_chart->addAxis(m_categoryAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_series->attachAxis(m_categoryAxis);
    m_series->attachAxis(m_valueAxis);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTruncateLabels(false);
    m_valueAxis->setTitleText(axisScale(unit).title); // every chart names its unit
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setAccessibleName(title);
    m_view->setMinimumHeight(220);
    connect(m_series, &QBarSeries::hovered, this, [this](bool state, int index, QBarSet *set) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(
            QCursor::pos(),
            QStringLiteral("%1: %2").arg(m_categoryAxis->at(index), formatValue(set->at(index), m_unit)),
            m_view);
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

BarChart::~BarChart() = default;

void BarChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange || m_styleKey == theme::styleKey())
        return;
    QList<QColor> colors;
    for (QBarSet *set : m_series->barSets())
        colors << set->color();
    m_styleKey = styleChart(m_chart);
    const QList<QBarSet *> sets = m_series->barSets();
    for (qsizetype i = 0; i < sets.size() && i < colors.size(); ++i) {
        sets[i]->setColor(colors[i]);
        sets[i]->setBorderColor(colors[i]);
    }
}

QString BarChart::valueAxisTitle() const
{
    return m_valueAxis->titleText();
}

int BarChart::barCount() const
{
    const QList<QBarSet *> sets = m_series->barSets();
    return sets.isEmpty() ? 0 : int(sets.first()->count());
}

void BarChart::setBars(const QStringList &categories, const QList<double> &values, const QColor &color)
{
    if (m_styleKey != theme::styleKey())
        m_styleKey = styleChart(m_chart);
    m_series->clear();
    auto *set = new QBarSet(m_chart->title());
    set->setColor(color);
    set->setBorderColor(color);
    set->append(values);
    m_series->append(set);
    m_categoryAxis->clear();
    m_categoryAxis->append(categories);
    const double top = values.isEmpty() ? 1.0 : *std::max_element(values.begin(), values.end()) * 1.15;
    m_valueAxis->setRange(0, top > 0 ? top : 1.0);
    m_valueAxis->applyNiceNumbers();
}

} // namespace cachewise::ui
