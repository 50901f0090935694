// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/units.h"

#include <QWidget>

class QBarCategoryAxis;
class QBarSeries;
class QChart;
class QChartView;
class QValueAxis;

namespace cachewise::ui {

// One bar per category (for example inference time per project), replaced in bulk.
class BarChart final : public QWidget
{
    Q_OBJECT

public:
    explicit BarChart(const QString &title, Unit unit, QWidget *parent = nullptr);
    ~BarChart() override;

    void setBars(const QStringList &categories, const QList<double> &values, const QColor &color);
    int barCount() const;
    QString valueAxisTitle() const;

protected:
    // A theme switched in Settings reaches the chart at once, not at its next data.
    void changeEvent(QEvent *event) override;

private:
    Unit m_unit;
    QChart *m_chart;
    int m_styleKey = -1;
    QChartView *m_view;
    QBarSeries *m_series;
    QBarCategoryAxis *m_categoryAxis;
    QValueAxis *m_valueAxis;
};

} // namespace cachewise::ui
