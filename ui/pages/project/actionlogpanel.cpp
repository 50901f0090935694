// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/actionlogpanel.h"

#include "core/common/units.h"
#include "ui/models/rowsmodel.h"

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
    const auto statusText = [](model::ActionStatus status) {
        switch (status) {
        case model::ActionStatus::Success: return tr("Success");
        case model::ActionStatus::Error: return tr("Error");
        case model::ActionStatus::Failed: return tr("Failed");
        case model::ActionStatus::Pending: return tr("Waiting for acknowledgement");
        case model::ActionStatus::DryRun: return tr("Dry run");
        case model::ActionStatus::Alert: return tr("Alert");
        case model::ActionStatus::Skipped: return tr("Skipped");
        }
        return model::name(status);
    };
    m_stack->setCurrentIndex(actions.isEmpty() ? 0 : 1);
    QList<RowsModel::Row> rows;
    for (const model::ActionLogEntry &a : actions)
        rows.append(
            {a.id, {{formatDateTime(a.timestampMs)}, {a.actionType}, {a.details}, {statusText(a.status)}}});
    m_rows->setRows(std::move(rows));
}

} // namespace cachewise::ui
