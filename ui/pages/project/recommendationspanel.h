// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QList>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QVBoxLayout;

namespace cachewise::ui {

class ScorePanel;

// A project's Recommendations tab: the optimization score with its parts, how much data the analysis had,
// and a card per recommendation (apply, dismiss, copy its flags).
class RecommendationsPanel final : public QWidget
{
    Q_OBJECT

public:
    RecommendationsPanel(services::AsyncRepository &repository, QWidget *parent = nullptr);

    void show(const services::ProjectSnapshot &snapshot);
    ScorePanel *scorePanel() const { return m_score; }

Q_SIGNALS:
    void message(const QString &text);

private:
    void showRecommendations(const QList<model::Recommendation> &recommendations,
                             const QHash<QString, model::RuntimeChange> &appliedChanges);
    // Asks (flags, what changes in the runtime), then copies the flags and marks it applied.
    void confirmApply(const QString &recommendationId);

    services::AsyncRepository &m_repository;
    std::optional<model::ProjectRuntime> m_runtime;
    QList<model::Recommendation> m_recommendations;
    ScorePanel *m_score;
    QLabel *m_dataStatus;
    QStackedWidget *m_stack;
    QVBoxLayout *m_list;
};

} // namespace cachewise::ui
