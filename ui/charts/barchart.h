// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/units.h"

#include <QWidget>

class QBarCategoryAxis;
class QHorizontalBarSeries;
class QChart;
class QChartView;
class QValueAxis;

namespace cachewise::ui {

// One horizontal bar per category (for example inference time per project), replaced in bulk: names
// read whole on the left at any width (a long one is shortened, with the whole name on hover).
class BarChart final : public QWidget
{
    Q_OBJECT

public:
    explicit BarChart(const QString &title, Unit unit, QWidget *parent = nullptr);
    ~BarChart() override;

    void setBars(const QStringList &categories, const QList<double> &values, const QColor &color);
    int barCount() const;
    // The names on the category axis, top to bottom, as drawn.
    QStringList categoryLabels() const;
    QString valueAxisTitle() const;

protected:
    // A theme switched in Settings reaches the chart at once, not at its next data.
    void changeEvent(QEvent *event) override;

private:
    Unit m_unit;
    QChart *m_chart;
    int m_styleKey = -1;
    QChartView *m_view;
    QHorizontalBarSeries *m_series;
    QStringList m_categories; // whole, top to bottom
    QBarCategoryAxis *m_categoryAxis;
    QValueAxis *m_valueAxis;
};

} // namespace cachewise::ui
