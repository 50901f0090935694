// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"
#include "ui/metrictext.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QFormLayout;
class QGridLayout;
class QLabel;
class QPushButton;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QVBoxLayout;

namespace cachewise {
class Clock;
}
namespace cachewise::services {
class AsyncServers;
}

namespace cachewise::ui {

class ActionLogPanel;
class KpiCard;
class MetricsLogPanel;
class ProjectDashboardPanel;
class ProjectSettingsPanel;
class RecommendationsPanel;
class RowsModel;
class RuntimeEditor;
class ScorePanel;
class LatencyTable;
class SlotsTable;
class SourceNotices;
class SourcesPanel;
class WhatIfPanel;
class SampleLogModel;
class TimeSeriesChart;

// One project: its dashboard (KPIs and a chart per reported metric), recommendations, settings
// (model details, API keys, the push snippet), the raw metrics log and the action log. The tabs that are
// classes of their own (ui/pages/project/) get their part of each snapshot from here.
class ProjectPage final : public QWidget
{
    Q_OBJECT

public:
    enum Tab
    {
        DashboardTab,
        RecommendationsTab,
        SettingsTab,
        MetricsLogTab,
        ActionLogTab,
        WhatIfTab
    };

    ProjectPage(services::AsyncRepository &repository, const Clock &clock, QWidget *parent = nullptr);

    void showProject(const QString &projectId);
    const QString &projectId() const { return m_projectId; }
    void reload();
    void setListenerUrl(const QString &url);
    // Apply and Revert restart the project's managed llama-server through `servers`.
    void setServerAccess(services::AsyncServers *servers);
    RecommendationsPanel *recommendationsPanel() const { return m_recommendationsTab; }
    QTabWidget *tabs() const { return m_tabs; }
    QList<TimeSeriesChart *> charts() const;
    SampleLogModel *logModel() const;
    WhatIfPanel *whatIf() const { return m_whatIf; }
    ScorePanel *scorePanel() const;
    SlotsTable *slotsTable() const;
    LatencyTable *latencyTable() const;
    ProjectDashboardPanel *dashboardPanel() const { return m_dashboardTab; }
    // The range the charts show now: the header's choice up to now, or a range dragged on a chart.
    std::pair<qint64, qint64> shownRange() const;
    // Shows [fromMs, toMs) instead of the header's range until reset (or another range is chosen).
    void zoomTo(qint64 fromMs, qint64 toMs);
    void resetZoom();

Q_SIGNALS:
    void backRequested();
    void editRequested(const cachewise::model::Project &project);
    void message(const QString &text);
    // Export… on this project over the range shown.
    void exportRequested(const QStringList &projectIds, qint64 fromMs, qint64 toMs, const QString &baseName);
    // Launch a llama-server for this project (the Models & servers page).
    void newServerRequested(const QString &projectId);

private:
    void show(const services::ProjectSnapshot &snapshot);

    services::AsyncRepository &m_repository;
    const Clock &m_clock;
    QString m_projectId;
    model::Project m_project;
    QLabel *m_title;
    QComboBox *m_range;
    QTabWidget *m_tabs;
    ProjectDashboardPanel *m_dashboardTab;
    ProjectSettingsPanel *m_settingsTab;
    RecommendationsPanel *m_recommendationsTab;
    MetricsLogPanel *m_logTab;
    ActionLogPanel *m_actionTab;
    WhatIfPanel *m_whatIf;
    SourceNotices *m_notices;
    std::optional<model::ProjectRuntime> m_shownRuntime; // as the last snapshot had it
    std::optional<std::pair<qint64, qint64>> m_zoom;     // a range dragged on a chart
    QLabel *m_zoomLabel;
    QPushButton *m_zoomReset;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace cachewise::ui
