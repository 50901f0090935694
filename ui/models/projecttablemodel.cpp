// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/projecttablemodel.h"

#include "core/common/units.h"

#include <QDateTime>
#include <QLocale>

namespace cachewise::ui {

ProjectTableModel::ProjectTableModel(QObject *parent) : QAbstractTableModel(parent) {}

int ProjectTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_projects.size());
}

int ProjectTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const services::ProjectOverview &row = m_projects.at(index.row());
    if (role == ProjectIdRole)
        return row.project.id;
    if (role == Qt::TextAlignmentRole && index.column() == SamplesColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != RawValueRole && role != Qt::ToolTipRole)
        return {};
    const bool raw = role == RawValueRole;
    switch (index.column()) {
    case NameColumn: return row.project.name;
    case ModelColumn: return row.project.modelName;
    case ArchitectureColumn: return row.project.modelArchitecture;
    case SamplesColumn:
        return raw ? QVariant(row.stats.sampleCount) : QVariant(formatCount(row.stats.sampleCount));
    case LastSampleColumn:
        if (!row.stats.lastTimestampMs)
            return raw ? QVariant(qint64(-1)) : QVariant(tr("No metrics yet"));
        if (raw)
            return *row.stats.lastTimestampMs;
        return formatDateTime(*row.stats.lastTimestampMs);
    default: return {};
    }
}

QVariant ProjectTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Project Name");
    case ModelColumn: return tr("Model Name");
    case ArchitectureColumn: return tr("Model Architecture");
    case SamplesColumn: return tr("Samples");
    case LastSampleColumn: return tr("Last Sample");
    default: return {};
    }
}

void ProjectTableModel::setProjects(const QList<services::ProjectOverview> &projects)
{
    // Replaced in bulk: the list is small and arrives whole from the reader.
    beginResetModel();
    m_projects = projects;
    endResetModel();
}

} // namespace cachewise::ui
