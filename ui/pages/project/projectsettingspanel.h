// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableView;

namespace cachewise::ui {

class RowsModel;
class RuntimeEditor;
class SourcesPanel;

// A project's Settings tab: model details, the engine and model the KV figures are computed from, the
// sources scraped for it, automated management's limits, its API keys and the snippet to push with.
class ProjectSettingsPanel final : public QWidget
{
    Q_OBJECT

public:
    ProjectSettingsPanel(services::AsyncRepository &repository, QWidget *parent = nullptr);

    void showProject(const QString &projectId);
    void show(const services::ProjectSnapshot &snapshot);
    void setListenerUrl(const QString &url);
    // The next snapshot's runtime replaces what the editor shows (it was changed elsewhere).
    void showStoredRuntimeNext() { m_runtimeLoadedFor.clear(); }

Q_SIGNALS:
    void message(const QString &text);
    void editRequested(const cachewise::model::Project &project);
    // Something was saved: the page should read the project again.
    void reloadRequested();
    void newServerRequested();

private:
    void showKeys(const QList<model::ApiKey> &keys);
    void updateSnippet();
    void saveAutomation();
    void showAutomation(const model::AutomationSettings &settings);

    services::AsyncRepository &m_repository;
    QString m_projectId;
    QString m_listenerUrl = QStringLiteral("http://127.0.0.1:4318");
    model::Project m_project;
    RowsModel *m_keyRows;
    QTableView *m_keys;
    QLineEdit *m_newKey;
    QWidget *m_newKeyBox;
    QPlainTextEdit *m_snippet;
    QComboBox *m_snippetKind;
    QCheckBox *m_automationEnabled;
    QCheckBox *m_automationDryRun;
    QLineEdit *m_maxCache;
    QLineEdit *m_maxLatency;
    QLabel *m_maxCacheError;
    QLabel *m_maxLatencyError;
    QLineEdit *m_hysteresis;
    QSpinBox *m_cooldown;
    QLineEdit *m_webhookUrl;
    QLineEdit *m_webhookSecret;
    QLabel *m_automationError;
    RuntimeEditor *m_runtime;
    QString m_runtimeLoadedFor;
    SourcesPanel *m_sources;
    bool m_automationLoaded = false;
    QString m_loadedAutomationFor;
};

} // namespace cachewise::ui
