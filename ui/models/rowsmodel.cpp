// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/rowsmodel.h"

#include <QHash>
#include <QHeaderView>
#include <QTableView>

namespace cachewise::ui {

RowsModel::RowsModel(QStringList headers, QObject *parent)
    : QAbstractTableModel(parent), m_headers(std::move(headers))
{}

void RowsModel::setRows(QList<Row> rows)
{
    // Keys must be unique for the diff; a repeated key gets the position appended.
    QHash<QString, int> seen;
    for (Row &r : rows) {
        const int n = seen[r.key]++;
        if (n > 0)
            r.key += QStringLiteral("#%1").arg(n);
    }
    QHash<QString, int> wanted;
    for (int i = 0; i < rows.size(); ++i)
        wanted.insert(rows.at(i).key, i);
    // Gone rows go first, from the bottom so indexes stay valid.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (wanted.contains(m_rows.at(i).key))
            continue;
        beginRemoveRows({}, i, i);
        m_rows.removeAt(i);
        endRemoveRows();
    }
    // Then every position in turn: the same row (changed or not), one moved up from below, or a new one.
    for (int i = 0; i < rows.size(); ++i) {
        Row &next = rows[i];
        if (i < m_rows.size() && m_rows.at(i).key == next.key) {
            if (!(m_rows.at(i) == next)) {
                m_rows[i] = std::move(next);
                Q_EMIT dataChanged(index(i, 0), index(i, std::max(0, columnCount() - 1)));
            }
            continue;
        }
        int from = -1;
        for (int j = i + 1; j < m_rows.size(); ++j) {
            if (m_rows.at(j).key == next.key) {
                from = j;
                break;
            }
        }
        if (from >= 0) {
            beginMoveRows({}, from, from, {}, i);
            m_rows.move(from, i);
            endMoveRows();
            if (!(m_rows.at(i) == next)) {
                m_rows[i] = std::move(next);
                Q_EMIT dataChanged(index(i, 0), index(i, std::max(0, columnCount() - 1)));
            }
        } else {
            beginInsertRows({}, i, i);
            m_rows.insert(i, std::move(next));
            endInsertRows();
        }
    }
}

QString RowsModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).key : QString();
}

int RowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RowsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant RowsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == KeyRole)
        return row.key;
    if (index.column() >= row.cells.size())
        return {};
    const Cell &cell = row.cells.at(index.column());
    switch (role) {
    case Qt::DisplayRole: return cell.text;
    case Qt::ToolTipRole: return cell.toolTip.isEmpty() ? QVariant() : QVariant(cell.toolTip);
    case Qt::ForegroundRole: return cell.foreground.isValid() ? QVariant(cell.foreground) : QVariant();
    case Qt::TextAlignmentRole: return cell.alignment ? QVariant::fromValue(cell.alignment) : QVariant();
    default: return {};
    }
}

QVariant RowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || section < 0)
        return {};
    if (orientation == Qt::Horizontal)
        return section < m_headers.size() ? QVariant(m_headers.at(section)) : QVariant();
    return m_keysAsRowTitles && section < m_rows.size() ? QVariant(m_rows.at(section).key) : QVariant();
}

QTableView *makeRowsView(QWidget *parent, const QString &objectName, RowsModel *model)
{
    auto *view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    return view;
}

QString currentKey(const QTableView *view)
{
    const QModelIndex current = view->currentIndex();
    return current.isValid() ? current.data(RowsModel::KeyRole).toString() : QString();
}

} // namespace cachewise::ui
