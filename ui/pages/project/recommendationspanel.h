// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"
#include "core/services/asyncservers.h"

#include <QList>
#include <QPointer>
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
    // With a managed llama-server, Apply and Undo restart it with the flags (AsyncServers::apply).
    void setServerAccess(services::AsyncServers *servers);
    // The restart in progress, by recommendation id (empty when none).
    const QString &applyingId() const { return m_applying; }

Q_SIGNALS:
    void message(const QString &text);
    // A server change finished: the page reads the project again.
    void changed();

private:
    void showRecommendations(const QList<model::Recommendation> &recommendations,
                             const QHash<QString, model::RuntimeChange> &appliedChanges);
    // Asks (flags, what changes in the runtime), then copies the flags and marks it applied.
    void confirmApply(const QString &recommendationId);
    // On the managed server: the plan (before/after command lines), then the restart.
    void confirmServerChange(const services::ServerApplyPlan &plan, bool revert);

    services::AsyncRepository &m_repository;
    std::optional<model::ProjectRuntime> m_runtime;
    std::optional<model::ServerProfile> m_server;
    QPointer<services::AsyncServers> m_servers;
    QString m_applying;
    QList<model::Recommendation> m_recommendations;
    ScorePanel *m_score;
    QLabel *m_dataStatus;
    QStackedWidget *m_stack;
    QVBoxLayout *m_list;
};

} // namespace cachewise::ui
