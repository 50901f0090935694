// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/types.h"

#include <QList>
#include <QWidget>

class QStackedWidget;
class QTableView;

namespace cachewise::ui {

class RowsModel;

// A project's Action Log tab: what automated management did, newest first, or a line saying nothing yet.
class ActionLogPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ActionLogPanel(QWidget *parent = nullptr);

    void setActions(const QList<model::ActionLogEntry> &actions);

private:
    QStackedWidget *m_stack;
    RowsModel *m_rows;
    QTableView *m_table;
};

} // namespace cachewise::ui
