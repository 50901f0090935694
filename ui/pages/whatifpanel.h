// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"
#include "core/storage/types.h"

#include <QWidget>

#include <array>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QStackedWidget;
class QTableView;

namespace cachewise::ui {

class RowsModel;

// What changing the cache type, the context or the number of slots would do for this project:
// KV memory, bytes per token, context per sequence and how many sequences fit in a memory budget,
// each against the project's current configuration. Pure arithmetic on the GUI thread (no I/O).
class WhatIfPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit WhatIfPanel(QWidget *parent = nullptr);

    void setRuntime(const std::optional<model::ProjectRuntime> &runtime);
    // The table's text, row by row (for tests and screenshots).
    QString cellText(int row, int column) const;

private:
    void recompute();

    QStackedWidget *m_stack;
    QComboBox *m_cacheK;
    QComboBox *m_cacheV;
    QSpinBox *m_context;
    QSpinBox *m_parallel;
    QDoubleSpinBox *m_budget;
    static constexpr int kRows = 4;
    static constexpr int kColumns = 3; // now, what if, difference
    using Grid = std::array<std::array<QString, kColumns>, kRows>;
    void showGrid(const Grid &grid);

    RowsModel *m_rows;
    QTableView *m_table;
    QLabel *m_logLine;
    QLabel *m_note;
    std::optional<analysis::ModelArch> m_model;
    analysis::KvConfig m_current;
    QString m_loadedFor;
};

} // namespace cachewise::ui
