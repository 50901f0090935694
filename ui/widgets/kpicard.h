// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;

namespace cachewise::ui {

// One key figure: its title, value and change against the previous period.
class KpiCard final : public QFrame
{
    Q_OBJECT

public:
    explicit KpiCard(const QString &title, QWidget *parent = nullptr);

    // trendPercent: change in percent, or NaN when there is nothing to compare with.
    // higherIsBetter decides whether a rise is shown in green or orange.
    void setValue(const QString &value, double trendPercent, bool higherIsBetter);
    void setEmpty();
    // Samples arrived, but none of them reports this figure.
    void setNotMeasured();
    // A figure that has no earlier period to compare with: a grey note says what it is (or why it is
    // missing), the tooltip more.
    void setNoted(const QString &value, const QString &note, const QString &toolTip);
    QString valueText() const;
    QString trendText() const;

private:
    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_trend;
};

} // namespace cachewise::ui
