// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/recommendationspanel.h"

#include "core/common/units.h"
#include "ui/widgets/recommendationcard.h"
#include "ui/widgets/scorepanel.h"

#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace cachewise::ui {

RecommendationsPanel::RecommendationsPanel(services::AsyncRepository &repository, QWidget *parent)
    : QWidget(parent), m_repository(repository)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    m_score = new ScorePanel(content);
    layout->addWidget(m_score);
    m_dataStatus = new QLabel(content);
    m_dataStatus->setObjectName(QStringLiteral("analysisStatus"));
    m_dataStatus->setWordWrap(true);
    layout->addWidget(m_dataStatus);
    m_stack = new QStackedWidget(content);
    auto *empty = new QLabel(tr("No recommendations available at this time."), content);
    empty->setObjectName(QStringLiteral("emptyRecommendations"));
    empty->setAlignment(Qt::AlignCenter);
    auto *listHolder = new QWidget(content);
    m_list = new QVBoxLayout(listHolder);
    m_list->setContentsMargins(0, 0, 0, 0);
    m_list->addStretch();
    m_stack->addWidget(empty);
    m_stack->addWidget(listHolder);
    layout->addWidget(m_stack, 1);
    scroll->setWidget(content);
    outer->addWidget(scroll);
}

void RecommendationsPanel::show(const services::ProjectSnapshot &snapshot)
{
    m_score->setScore(snapshot.score, snapshot.runtime.has_value());
    if (!snapshot.runtime)
        m_dataStatus->setText(QString());
    else if (snapshot.minutesCollected < snapshot.minutesRequired)
        m_dataStatus->setText(tr("%1 of %2 minutes of data collected: recommendations follow once there is "
                                 "enough.")
                                  .arg(formatDecimal(snapshot.minutesCollected, 0),
                                       formatDecimal(snapshot.minutesRequired, 0)));
    else
        m_dataStatus->setText(tr("Recomputed as data arrives, from the last 24 hours (%1 minutes of data).")
                                  .arg(formatDecimal(snapshot.minutesCollected, 0)));
    showRecommendations(snapshot.recommendations);
}

void RecommendationsPanel::showRecommendations(const QList<model::Recommendation> &recommendations)
{
    while (m_list->count() > 1) {
        QLayoutItem *item = m_list->takeAt(0);
        delete item->widget();
        delete item;
    }
    m_stack->setCurrentIndex(recommendations.isEmpty() ? 0 : 1);
    for (const model::Recommendation &r : recommendations) {
        auto *card = new RecommendationCard(r);
        connect(card, &RecommendationCard::statusRequested, this,
                [this](const QString &id, model::RecommendationStatus status) {
                    m_repository.setRecommendationStatus(id, status);
                });
        connect(card, &RecommendationCard::copied, this,
                [this] { Q_EMIT message(tr("Command copied to the clipboard")); });
        m_list->insertWidget(m_list->count() - 1, card);
    }
}

} // namespace cachewise::ui
