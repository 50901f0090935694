// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/projectdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {

QLabel *errorLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setStyleSheet(QStringLiteral("color: #FF3B30;"));
    label->setWordWrap(true);
    label->hide();
    return label;
}

} // namespace

ProjectDialog::ProjectDialog(QWidget *parent)
    : QDialog(parent), m_name(new QLineEdit(this)), m_model(new QLineEdit(this)),
      m_architecture(new QComboBox(this)), m_nameError(errorLabel(this, QStringLiteral("nameError"))),
      m_modelError(errorLabel(this, QStringLiteral("modelError"))),
      m_generalError(errorLabel(this, QStringLiteral("generalError")))
{
    setObjectName(QStringLiteral("projectDialog"));
    setWindowTitle(tr("New Project"));
    setMinimumWidth(420);
    m_name->setObjectName(QStringLiteral("projectName"));
    m_name->setAccessibleName(tr("Project Name"));
    // No maxLength: a longer name pasted in would be cut without a word; storage refuses it by name.
    m_model->setObjectName(QStringLiteral("modelName"));
    m_model->setAccessibleName(tr("Model Name"));
    m_model->setPlaceholderText(QStringLiteral("Llama-3.1-8B"));
    m_architecture->setObjectName(QStringLiteral("modelArchitecture"));
    m_architecture->setAccessibleName(tr("Model Architecture"));
    m_architecture->setEditable(true);
    m_architecture->addItems(
        {QStringLiteral("Decoder-only Transformer"), QStringLiteral("Encoder-Decoder Transformer"),
         QStringLiteral("Mixture of Experts"), QStringLiteral("Hybrid (attention + state space)")});

    auto *form = new QFormLayout;
    form->addRow(tr("Project Name"), m_name);
    form->addRow(QString(), m_nameError);
    form->addRow(tr("Model Name"), m_model);
    form->addRow(QString(), m_modelError);
    form->addRow(tr("Model Architecture"), m_architecture);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setText(tr("Add Project"));
    buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ProjectDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_generalError);
    layout->addWidget(buttons);
}

void ProjectDialog::setProject(const model::Project &project)
{
    m_project = project;
    setWindowTitle(tr("Edit"));
    m_save->setText(tr("Save Changes"));
    m_name->setText(project.name);
    m_model->setText(project.modelName);
    m_architecture->setCurrentText(project.modelArchitecture);
}

void ProjectDialog::clearErrors()
{
    for (QLabel *label : {m_nameError, m_modelError, m_generalError})
        label->hide();
}

void ProjectDialog::showError(const QString &field, const QString &message)
{
    QLabel *label = field == QLatin1String("name")        ? m_nameError
                    : field == QLatin1String("modelName") ? m_modelError
                                                          : m_generalError;
    label->setText(message);
    label->show();
    m_save->setEnabled(true);
}

void ProjectDialog::submit()
{
    clearErrors();
    bool ok = true;
    if (m_name->text().trimmed().isEmpty()) {
        showError(QStringLiteral("name"), tr("Project Name is required."));
        ok = false;
    }
    if (m_model->text().trimmed().isEmpty()) {
        showError(QStringLiteral("modelName"), tr("Model Name is required."));
        ok = false;
    }
    if (!ok) {
        (m_name->text().trimmed().isEmpty() ? m_name : m_model)->setFocus();
        return;
    }
    model::Project p = m_project;
    p.name = m_name->text().trimmed();
    p.modelName = m_model->text().trimmed();
    p.modelArchitecture = m_architecture->currentText().trimmed();
    m_save->setEnabled(false); // until storage answers
    Q_EMIT submitted(p);
}

} // namespace cachewise::ui
