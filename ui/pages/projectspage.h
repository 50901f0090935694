// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QPointer>
#include <QWidget>

class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace cachewise::ui {

class ProjectDialog;
class ProjectTableModel;

// All projects: search, sort, create, edit and delete (with confirmation).
class ProjectsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectsPage(services::AsyncRepository &repository, QWidget *parent = nullptr);

    void setProjects(const QList<services::ProjectOverview> &projects);
    void createProject();
    void editSelected();
    void editProject(const cachewise::model::Project &project);
    void deleteSelected();
    void focusSearch();
    ProjectTableModel *model() const { return m_model; }

Q_SIGNALS:
    void changed(const QString &message);
    void openRequested(const QString &projectId);

private:
    QString selectedId() const;
    void openDialog(ProjectDialog *dialog);

    services::AsyncRepository &m_repository;
    ProjectTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_search;
    QTableView *m_table;
    QStackedWidget *m_stack;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QPointer<ProjectDialog> m_dialog;
    QList<services::ProjectOverview> m_projects;
};

} // namespace cachewise::ui
