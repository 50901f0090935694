// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

class QTableView;
class QWidget;

namespace cachewise::ui {

// A read-only table of rows that each have a key (a source's id, a key's id, a metric's name). setRows()
// changes the table in place: rows that stayed and changed emit dataChanged, new ones rowsInserted,
// gone ones rowsRemoved, reordered ones rowsMoved; so selection, focus and scrolling survive a refresh.
class RowsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int KeyRole = Qt::UserRole; // the row's key, on every cell

    struct Cell
    {
        // A plain text cell converts from its text.
        Cell(QString text_ = {}, QString toolTip_ = {}, QColor foreground_ = {},
             Qt::Alignment alignment_ = {})
            : text(std::move(text_)), toolTip(std::move(toolTip_)), foreground(foreground_),
              alignment(alignment_)
        {}
        QString text;
        QString toolTip;
        QColor foreground; // invalid: the view's own
        Qt::Alignment alignment = {};
        bool operator==(const Cell &) const = default;
    };
    struct Row
    {
        QString key;
        QList<Cell> cells;
        bool operator==(const Row &) const = default;
    };

    explicit RowsModel(QStringList headers, QObject *parent = nullptr);

    void setRows(QList<Row> rows);
    // The vertical header shows each row's key (a fixed grid whose rows are named, such as What If's).
    void setKeysAsRowTitles(bool on) { m_keysAsRowTitles = on; }
    const QList<Row> &rows() const { return m_rows; }
    // The key of a row, or empty when there is none.
    QString keyAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QStringList m_headers;
    QList<Row> m_rows;
    bool m_keysAsRowTitles = false;
};

// A table view as the pages show data: no row numbers, columns sized to their contents, one row selected.
QTableView *makeRowsView(QWidget *parent, const QString &objectName, RowsModel *model);
// The key of the view's current row, or empty.
QString currentKey(const QTableView *view);

} // namespace cachewise::ui
