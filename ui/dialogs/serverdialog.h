// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncservers.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace cachewise::ui {

// A new llama-server for a project: the model from the library, the executable, the KV flags, the port; the
// exact command line and what llama-server would refuse are shown as the fields change, and Add stays off
// while it would refuse. The page adds it (AsyncServers::addServer); a refusal comes back with showError().
class ServerDialog final : public QDialog
{
    Q_OBJECT

public:
    ServerDialog(QWidget *parent, const services::ServersSnapshot &snapshot, const QString &projectId = {});

    model::ServerProfile profile() const;
    void showError(const QString &message);
    QPushButton *addButton() const { return m_add; }
    QString commandLine() const;
    QStringList problems() const { return m_problems; }
    // For tests and the model table's "New server…": choose a model by its path.
    void selectModel(const QString &path);

Q_SIGNALS:
    void addRequested(const cachewise::model::ServerProfile &profile);

private:
    void update();
    std::optional<analysis::ModelArch> chosenModel() const;

    QList<servers::ModelFile> m_models;
    QComboBox *m_project;
    QComboBox *m_model;
    QComboBox *m_executable;
    QSpinBox *m_context;
    QSpinBox *m_parallel;
    QCheckBox *m_unified;
    QComboBox *m_typeK;
    QComboBox *m_typeV;
    QComboBox *m_flashAttention;
    QSpinBox *m_gpuLayers;
    QSpinBox *m_threads;
    QSpinBox *m_port;
    QLineEdit *m_extra;
    QPlainTextEdit *m_command;
    QLabel *m_problemLabel;
    QLabel *m_error;
    QPushButton *m_add;
    QStringList m_problems;
};

} // namespace cachewise::ui
