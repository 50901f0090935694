// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QAbstractTableModel>

namespace cachewise::ui {

// Projects with their sample counts and latest activity, as read by services::AsyncRepository.
class ProjectTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        ModelColumn,
        ArchitectureColumn,
        SamplesColumn,
        LastSampleColumn,
        ColumnCount
    };
    enum Role
    {
        RawValueRole = Qt::UserRole + 1, // numbers and times as numbers, for sorting
        ProjectIdRole,
    };

    explicit ProjectTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setProjects(const QList<services::ProjectOverview> &projects);

private:
    QList<services::ProjectOverview> m_projects;
};

} // namespace cachewise::ui
