// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/actionlogpanel.h"

#include "core/common/units.h"
#include "ui/metrictext.h"
#include "ui/models/rowsmodel.h"
#include "ui/theme.h"

#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace cachewise::ui {

ActionLogPanel::ActionLogPanel(QWidget *parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)),
      m_rows(new RowsModel({tr("Timestamp"), tr("Action Type"), tr("Details"), tr("Status")}, this)),
      m_table(makeRowsView(this, QStringLiteral("actionLog"), m_rows))
{
    // Details take the width left and wrap: a decision with its outcome is a long sentence.
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    auto *empty = new QLabel(tr("No automated actions yet."), this);
    empty->setObjectName(QStringLiteral("emptyActions"));
    empty->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(empty);
    m_stack->addWidget(m_table);
    layout->addWidget(m_stack);
}

void ActionLogPanel::setActions(const QList<model::ActionLogEntry> &actions)
{
    // The state's colour: done green, failed red, waiting or alerting orange, only logged grey.
    const auto statusColor = [](model::ActionStatus status) {
        switch (status) {
        case model::ActionStatus::Success: return theme::accent(); // the brief's green
        case model::ActionStatus::Error:
        case model::ActionStatus::Failed: return theme::danger();
        case model::ActionStatus::Pending:
        case model::ActionStatus::Alert: return theme::warning();
        case model::ActionStatus::DryRun:
        case model::ActionStatus::Skipped: break;
        }
        return theme::secondaryText();
    };
    m_stack->setCurrentIndex(actions.isEmpty() ? 0 : 1);
    QList<RowsModel::Row> rows;
    for (const model::ActionLogEntry &a : actions) {
        RowsModel::Cell status{actionStatusText(a.status)};
        const QString details = actionDetailsText(a);
        status.foreground = statusColor(a.status);
        rows.append({a.id,
                     {{formatDateTime(a.timestampMs)},
                      {actionTypeText(a.actionType), a.actionType},
                      {details, details},
                      status}});
    }
    m_rows->setRows(std::move(rows));
}

} // namespace cachewise::ui
