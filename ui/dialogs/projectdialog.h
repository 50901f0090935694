// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace cachewise::ui {

// Create or edit a project. Checks the fields inline with the product brief's messages; the
// caller stores the project and calls accept() or showError() with the storage's answer.
class ProjectDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit ProjectDialog(QWidget *parent = nullptr);

    void setProject(const model::Project &project); // edit mode
    const model::Project &project() const { return m_project; }
    bool isEdit() const { return !m_project.id.isEmpty(); }
    // field: "name", "modelName", "modelArchitecture", or empty for a general error.
    void showError(const QString &field, const QString &message);

Q_SIGNALS:
    void submitted(const cachewise::model::Project &project);

private:
    void submit();
    void clearErrors();

    model::Project m_project;
    QLineEdit *m_name;
    QLineEdit *m_model;
    QComboBox *m_architecture;
    QLabel *m_nameError;
    QLabel *m_modelError;
    QLabel *m_generalError;
    QPushButton *m_save;
};

} // namespace cachewise::ui
