// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/recommender.h"

#include <QFrame>

class QGridLayout;
class QLabel;

namespace cachewise::ui {

// The optimization score with its parts, so a user sees why it is 62 and not 90.
class ScorePanel final : public QFrame
{
    Q_OBJECT

public:
    explicit ScorePanel(QWidget *parent = nullptr);
    // configured: the project describes its engine; otherwise a hint replaces the score.
    void setScore(const model::OptimizationScore &score, bool configured);
    QString scoreText() const;

private:
    QLabel *m_value;
    QLabel *m_hint;
    QGridLayout *m_parts;
};

} // namespace cachewise::ui
