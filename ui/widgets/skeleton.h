// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QVariantAnimation;

namespace cachewise::ui {

// What a page looks like while its first read is on the way: grey blocks where the key figures and the
// charts will be, pulsing gently (still when the user asked for reduced motion), with the brief's
// "Fetching data..." under them for those who do not see the blocks.
class SkeletonView final : public QWidget
{
    Q_OBJECT

public:
    enum class Shape
    {
        Dashboard, // a row of cards, then charts
        Table,     // rows of a list
    };
    SkeletonView(Shape shape, QWidget *parent = nullptr);

    QString text() const { return m_text; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    Shape m_shape;
    QString m_text;
    qreal m_phase = 1.0;
    QVariantAnimation *m_pulse;
};

} // namespace cachewise::ui
