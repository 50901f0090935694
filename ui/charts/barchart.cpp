// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/charts/barchart.h"

#include "ui/charts/chartstyle.h"
#include "ui/theme.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHorizontalBarSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace cachewise::ui {

BarChart::BarChart(const QString &title, Unit unit, QWidget *parent)
    : QWidget(parent), m_unit(unit), m_chart(new QChart), m_view(new QChartView(m_chart, this)),
      m_series(new QHorizontalBarSeries), m_categoryAxis(new QBarCategoryAxis), m_valueAxis(new QValueAxis)
{
    m_chart->setTitle(title);
    m_chart->legend()->hide();
    m_styleKey = styleChart(m_chart);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->addSeries(m_series);
    m_chart->addAxis(m_categoryAxis, Qt::AlignLeft);
    m_chart->addAxis(m_valueAxis, Qt::AlignBottom);
    m_categoryAxis->setTruncateLabels(false); // names are shortened here, to a length that fits
    m_series->attachAxis(m_categoryAxis);
    m_series->attachAxis(m_valueAxis);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTruncateLabels(false);
    m_valueAxis->setTitleText(axisScale(unit).title); // every chart names its unit
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setAccessibleName(title);
    m_view->setMinimumHeight(220);
    connect(m_series, &QHorizontalBarSeries::hovered, this, [this](bool state, int index, QBarSet *set) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(),
                           QStringLiteral("%1: %2").arg(m_categories.value(m_categories.size() - 1 - index),
                                                        formatValue(set->at(index), m_unit)),
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

QStringList BarChart::categoryLabels() const
{
    QStringList labels = m_categoryAxis->categories();
    std::reverse(labels.begin(), labels.end());
    return labels;
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
    // Qt draws the first category at the bottom: reversed, the first is on top as in every list.
    m_categories = categories;
    auto *set = new QBarSet(m_chart->title());
    set->setColor(color);
    set->setBorderColor(color);
    QStringList shown;
    for (qsizetype i = categories.size() - 1; i >= 0; --i) {
        set->append(values.value(i));
        // Unique, so two names alike in their first characters stay two bars.
        QString name = categories[i].size() > 18 ? categories[i].left(17) + QChar(0x2026) : categories[i];
        while (shown.contains(name))
            name += QChar(0x200B);
        shown << name;
    }
    m_series->append(set);
    m_categoryAxis->clear();
    m_categoryAxis->append(shown);
    const double top = values.isEmpty() ? 1.0 : *std::max_element(values.begin(), values.end()) * 1.15;
    m_valueAxis->setRange(0, top > 0 ? top : 1.0);
    m_valueAxis->applyNiceNumbers();
}

} // namespace cachewise::ui
