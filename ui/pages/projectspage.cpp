// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/projectspage.h"

#include "ui/dialogs/confirmdialog.h"
#include "ui/dialogs/projectdialog.h"
#include "ui/models/projecttablemodel.h"
#include "ui/widgets/skeleton.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace cachewise::ui {

ProjectsPage::ProjectsPage(services::AsyncRepository &repository, QWidget *parent)
    : QWidget(parent), m_repository(repository), m_model(new ProjectTableModel(this)),
      m_proxy(new QSortFilterProxyModel(this)), m_search(new QLineEdit(this)), m_table(new QTableView(this)),
      m_stack(new QStackedWidget(this)), m_edit(new QPushButton(tr("Edit"), this)),
      m_delete(new QPushButton(tr("Delete"), this))
{
    setObjectName(QStringLiteral("projectsPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("Projects"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    header->addWidget(title);
    header->addStretch();
    m_search->setObjectName(QStringLiteral("projectSearch"));
    m_search->setPlaceholderText(tr("Search projects"));
    m_search->setAccessibleName(tr("Search projects"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    header->addWidget(m_search);
    auto *create = new QPushButton(tr("New Project"), this);
    create->setObjectName(QStringLiteral("newProjectButton"));
    create->setToolTip(tr("Create a project (Ctrl+N)"));
    m_edit->setObjectName(QStringLiteral("editProjectButton"));
    m_delete->setObjectName(QStringLiteral("deleteProjectButton"));
    header->addWidget(create);
    header->addWidget(m_edit);
    header->addWidget(m_delete);
    layout->addLayout(header);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ProjectTableModel::RawValueRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_table->setObjectName(QStringLiteral("projectTable"));
    m_table->setAccessibleName(tr("Projects"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ProjectTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ProjectTableModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT openRequested(index.data(ProjectTableModel::ProjectIdRole).toString());
    });

    auto *loading = new SkeletonView(SkeletonView::Shape::Table, this);
    auto *empty = new QLabel(tr("No projects yet. Create one!"), this);
    empty->setObjectName(QStringLiteral("emptyState"));
    empty->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(loading);
    m_stack->addWidget(empty);
    m_stack->addWidget(m_table);
    layout->addWidget(m_stack, 1);

    connect(create, &QPushButton::clicked, this, &ProjectsPage::createProject);
    connect(m_edit, &QPushButton::clicked, this, &ProjectsPage::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &ProjectsPage::deleteSelected);
    auto updateButtons = [this] {
        const bool selected = !selectedId().isEmpty();
        m_edit->setEnabled(selected);
        m_delete->setEnabled(selected);
    };
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, updateButtons);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, updateButtons);
    updateButtons();

    connect(&m_repository, &services::AsyncRepository::projectSaved, this,
            [this](const model::Project &project, bool created) {
                if (m_dialog) {
                    m_dialog->accept();
                    m_dialog->deleteLater();
                }
                Q_EMIT changed(created ? tr("Project created: %1").arg(project.name)
                                       : tr("Project saved: %1").arg(project.name));
            });
    connect(&m_repository, &services::AsyncRepository::projectRefused, this,
            [this](const QString &field, const QString &message) {
                if (m_dialog)
                    m_dialog->showError(field, message);
            });
    connect(&m_repository, &services::AsyncRepository::projectDeleted, this,
            [this](const QString &) { Q_EMIT changed(tr("Project deleted")); });
}

void ProjectsPage::setProjects(const QList<services::ProjectOverview> &projects)
{
    const QString selected = selectedId();
    m_projects = projects;
    m_model->setProjects(projects);
    m_stack->setCurrentIndex(projects.isEmpty() ? 1 : 2);
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (m_proxy->index(row, 0).data(ProjectTableModel::ProjectIdRole).toString() == selected)
            m_table->selectRow(row);
    }
}

QString ProjectsPage::selectedId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ProjectTableModel::ProjectIdRole).toString();
}

void ProjectsPage::openDialog(ProjectDialog *dialog)
{
    if (m_dialog)
        m_dialog->deleteLater();
    m_dialog = dialog;
    connect(dialog, &ProjectDialog::submitted, this, [this, dialog](const model::Project &p) {
        if (dialog->isEdit())
            m_repository.updateProject(p);
        else
            m_repository.createProject(p.name, p.modelName, p.modelArchitecture);
    });
    connect(dialog, &QDialog::rejected, dialog, &QObject::deleteLater);
    dialog->open();
}

void ProjectsPage::createProject()
{
    openDialog(new ProjectDialog(this));
}

void ProjectsPage::editSelected()
{
    const QString id = selectedId();
    for (const services::ProjectOverview &p : std::as_const(m_projects)) {
        if (p.project.id == id)
            return editProject(p.project);
    }
}

void ProjectsPage::editProject(const model::Project &project)
{
    auto *dialog = new ProjectDialog(this);
    dialog->setProject(project);
    openDialog(dialog);
}

void ProjectsPage::deleteSelected()
{
    const QString id = selectedId();
    QString name;
    for (const services::ProjectOverview &p : std::as_const(m_projects))
        name = p.project.id == id ? p.project.name : name;
    if (id.isEmpty())
        return;
    // The name must be typed: Enter alone never deletes a project.
    auto *box = new ConfirmDialog(
        this, tr("Delete"),
        tr("Delete the project \"%1\" and all its metrics, keys and logs? This cannot be undone.").arg(name),
        tr("Delete"), name);
    box->setObjectName(QStringLiteral("confirmDelete"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QDialog::accepted, this, [this, id] { m_repository.deleteProject(id); });
    box->open();
}

void ProjectsPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

} // namespace cachewise::ui
