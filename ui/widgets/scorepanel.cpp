// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/scorepanel.h"

#include "core/common/units.h"
#include "ui/theme.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QVBoxLayout>

namespace cachewise::ui {

ScorePanel::ScorePanel(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("scorePanel"));
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Optimization score"), this);
    title->setObjectName(QStringLiteral("sectionTitle"));
    m_value = new QLabel(this);
    m_value->setObjectName(QStringLiteral("scoreValue"));
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    m_value->setFont(big);
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("scoreHint"));
    m_hint->setWordWrap(true);
    m_parts = new QGridLayout;
    layout->addWidget(title);
    layout->addWidget(m_value);
    layout->addWidget(m_hint);
    layout->addLayout(m_parts);
}

QString ScorePanel::scoreText() const
{
    return m_value->text();
}

void ScorePanel::setScore(const model::OptimizationScore &score, bool configured)
{
    while (QLayoutItem *item = m_parts->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (!configured) {
        m_value->setText(QStringLiteral("–"));
        m_hint->setText(tr("Describe how this project runs its model (Settings → Engine and model) to get a "
                           "score and recommendations."));
        return;
    }
    m_value->setText(score.score ? tr("%1 / 100").arg(formatDecimal(*score.score, 0)) : QStringLiteral("–"));
    m_hint->setText(score.score
                        ? tr("Each part is measured over the last 24 hours; parts without data are left out.")
                        : tr("Not enough data for a score yet."));
    int row = 0;
    for (const model::ScorePart &part : score.parts) {
        auto *name = new QLabel(analysis::scorePartName(part.id), this);
        auto *bar = new QProgressBar(this);
        bar->setObjectName(QStringLiteral("scorePart_%1").arg(part.id));
        bar->setRange(0, int(part.weight));
        bar->setTextVisible(true);
        bar->setAccessibleName(analysis::scorePartName(part.id));
        if (part.value) {
            const int points = int(std::lround(*part.value * part.weight));
            bar->setValue(points);
            bar->setFormat(tr("%1 of %2").arg(points).arg(int(part.weight)));
        } else {
            bar->setValue(0);
            bar->setFormat(tr("not measured"));
            bar->setEnabled(false);
        }
        m_parts->addWidget(name, row, 0);
        m_parts->addWidget(bar, row, 1);
        ++row;
    }
}

} // namespace cachewise::ui
