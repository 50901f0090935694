// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/recommendationspanel.h"

#include "core/analysis/recommender.h"
#include "core/common/units.h"
#include "ui/dialogs/applydialog.h"
#include "ui/dialogs/serverapplydialog.h"
#include "ui/metrictext.h"
#include "ui/widgets/recommendationcard.h"
#include "ui/widgets/scorepanel.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonDocument>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

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
    connect(&m_repository, &services::AsyncRepository::recommendationApplied, this,
            [this](const QString &, bool applied, bool runtimeChanged) {
                if (!applied)
                    Q_EMIT message(runtimeChanged ? tr("Undone: the project's runtime is back as it was.")
                                                  : tr("Undone: the recommendation is pending again."));
                else
                    Q_EMIT message(runtimeChanged
                                       ? tr("Marked as applied and the runtime updated. Restart your "
                                            "server with the copied flags.")
                                       : tr("Marked as applied."));
            });
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
    m_runtime = snapshot.runtime;
    m_server = snapshot.server;
    showRecommendations(snapshot.recommendations, snapshot.appliedChanges);
}

void RecommendationsPanel::showRecommendations(const QList<model::Recommendation> &recommendations,
                                               const QHash<QString, model::RuntimeChange> &appliedChanges)
{
    m_recommendations = recommendations;
    while (m_list->count() > 1) {
        QLayoutItem *item = m_list->takeAt(0);
        delete item->widget();
        delete item;
    }
    m_stack->setCurrentIndex(recommendations.isEmpty() ? 0 : 1);
    for (const model::Recommendation &r : recommendations) {
        const auto applied = appliedChanges.find(r.id);
        auto *card = new RecommendationCard(r, applied == appliedChanges.end()
                                                   ? std::nullopt
                                                   : std::optional<model::RuntimeChange>(*applied));
        connect(card, &RecommendationCard::applyRequested, this, [this](const QString &id) {
            if (!m_applying.isEmpty())
                return Q_EMIT message(tr("llama-server is being restarted; wait until it is ready."));
            if (m_server && m_servers)
                m_servers->planApply(id, false); // then applyPlanned, or applyRefused
            else
                confirmApply(id);
        });
        connect(card, &RecommendationCard::undoRequested, this, [this](const QString &id) {
            if (!m_applying.isEmpty())
                return Q_EMIT message(tr("llama-server is being restarted; wait until it is ready."));
            if (m_server && m_servers)
                m_servers->planApply(id, true);
            else
                m_repository.undoRecommendation(id);
        });
        connect(card, &RecommendationCard::statusRequested, this,
                [this](const QString &id, model::RecommendationStatus status) {
                    m_repository.setRecommendationStatus(id, status);
                });
        connect(card, &RecommendationCard::copied, this,
                [this] { Q_EMIT message(tr("Command copied to the clipboard")); });
        m_list->insertWidget(m_list->count() - 1, card);
    }
}

void RecommendationsPanel::setServerAccess(services::AsyncServers *servers)
{
    if (m_servers)
        disconnect(m_servers, nullptr, this, nullptr);
    m_servers = servers;
    if (!servers)
        return;
    const auto mine = [this](const QString &recommendationId) {
        return std::any_of(m_recommendations.cbegin(), m_recommendations.cend(),
                           [&](const model::Recommendation &r) { return r.id == recommendationId; });
    };
    connect(servers, &services::AsyncServers::applyPlanned, this,
            [this, mine](const services::ServerApplyPlan &plan, bool revert) {
                if (mine(plan.recommendation.id))
                    confirmServerChange(plan, revert);
            });
    connect(servers, &services::AsyncServers::applyRefused, this,
            [this, mine](const QString &id, const QString &reason) {
                if (!mine(id))
                    return;
                const auto found = std::find_if(m_recommendations.cbegin(), m_recommendations.cend(),
                                                [&](const model::Recommendation &r) { return r.id == id; });
                if (found->status == model::RecommendationStatus::Pending) {
                    // Nothing the server's flags can take (or llama-server would refuse it): as for a
                    // server CacheWise does not launch, the flags to copy and the record.
                    Q_EMIT message(tr("Not applied to the server: %1").arg(reason));
                    confirmApply(id);
                } else {
                    Q_EMIT message(tr("Not reverted on the server: %1").arg(reason));
                }
            });
    connect(servers, &services::AsyncServers::applyFinished, this,
            [this](const QString &id, bool revert, const services::FlagChange &change) {
                if (id != m_applying)
                    return;
                m_applying.clear();
                Q_EMIT message(change.restarted
                                   ? (revert ? tr("Reverted; llama-server runs with the previous flags. %1")
                                             : tr("Applied; llama-server runs with the new flags. %1"))
                                         .arg(change.effect)
                                   : (revert
                                          ? tr("Reverted; llama-server was not running and starts with the "
                                               "previous flags next time.")
                                          : tr("Applied; llama-server was not running and starts with the "
                                               "new flags next time.")));
                Q_EMIT changed();
            });
    connect(servers, &services::AsyncServers::applyFailed, this,
            [this](const QString &id, bool, const QString &reason) {
                if (id != m_applying)
                    return;
                m_applying.clear();
                Q_EMIT message(tr("Not changed: %1").arg(reason));
                Q_EMIT changed();
            });
}

void RecommendationsPanel::confirmServerChange(const services::ServerApplyPlan &plan, bool revert)
{
    const QJsonObject details = QJsonDocument::fromJson(plan.recommendation.details).object();
    const QString title =
        details.isEmpty() ? plan.recommendation.title : analysis::renderRecommendation(details).title;
    auto *dialog = new ServerApplyDialog(window(), title, plan.commandBefore, plan.commandAfter, revert);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, plan, revert] {
        if (!m_servers || !m_applying.isEmpty())
            return;
        m_applying = plan.recommendation.id;
        m_servers->apply(plan, revert);
        Q_EMIT message(revert ? tr("Restarting llama-server with the previous flags…")
                              : tr("Restarting llama-server with the new flags…"));
    });
    dialog->open();
}

void RecommendationsPanel::confirmApply(const QString &recommendationId)
{
    const auto found = std::find_if(m_recommendations.cbegin(), m_recommendations.cend(),
                                    [&](const model::Recommendation &r) { return r.id == recommendationId; });
    if (found == m_recommendations.cend())
        return;
    const QJsonObject details = QJsonDocument::fromJson(found->details).object();
    const QStringList flags = analysis::applyFlags(details);
    QStringList changes;
    if (m_runtime) {
        if (const auto after = analysis::runtimeAfter(*m_runtime, details))
            changes = runtimeChangeLines(*m_runtime, *after);
    }
    const QString title = details.isEmpty() ? found->title : analysis::renderRecommendation(details).title;
    auto *dialog = new ApplyRecommendationDialog(window(), title, flags, changes);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, recommendationId, flags] {
        if (!flags.isEmpty())
            QApplication::clipboard()->setText(flags.join(QLatin1Char('\n')));
        m_repository.markRecommendationApplied(recommendationId);
    });
    dialog->open();
}

} // namespace cachewise::ui
