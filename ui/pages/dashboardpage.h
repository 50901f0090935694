// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"
#include "core/sources/discovery.h"

#include <QWidget>

#include <optional>
#include <utility>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace cachewise {
class Clock;
}

namespace cachewise::ui {

class RowsModel;

class BarChart;
class GetStartedPanel;
class KpiCard;
class TimeSeriesChart;

// The overview of all projects: KPI cards with trends, KV cache size over time per project,
// inference time per project, and each project's state.
class DashboardPage final : public QWidget
{
    Q_OBJECT

public:
    DashboardPage(services::AsyncRepository &repository, const Clock &clock, QWidget *parent = nullptr);

    void reload();
    qint64 rangeMs() const;
    TimeSeriesChart *kvCacheChart() const { return m_kvChart; }
    // The same in % of each project's capacity (so one large project does not flatten the others).
    TimeSeriesChart *kvShareChart() const { return m_kvShareChart; }
    QCheckBox *kvPercentToggle() const { return m_kvPercent; }
    // The range shown: the header's choice up to now, or a range dragged on the KV chart.
    std::pair<qint64, qint64> shownRange() const;
    BarChart *inferenceChart() const { return m_inferenceChart; }

    GetStartedPanel *getStarted() const { return m_getStarted; }

Q_SIGNALS:
    void createProjectRequested();
    void sampleDataRequested();
    void allProjectsRequested();
    // A server found on this machine, to be read into a project of its own.
    void serverChosen(const cachewise::sources::FoundServer &server);
    void openRequested(const QString &projectId);
    // Export… of every project over the range shown.
    void exportRequested(const QStringList &projectIds, qint64 fromMs, qint64 toMs, const QString &baseName);

private:
    void show(const services::DashboardSnapshot &snapshot);

    services::AsyncRepository &m_repository;
    const Clock &m_clock;
    QComboBox *m_range;
    QStackedWidget *m_stack;
    GetStartedPanel *m_getStarted;
    QList<KpiCard *> m_cards;
    TimeSeriesChart *m_kvChart;
    TimeSeriesChart *m_kvShareChart;
    QStackedWidget *m_kvCharts;
    QCheckBox *m_kvPercent;
    std::optional<std::pair<qint64, qint64>> m_zoom;
    QPushButton *m_zoomReset;
    BarChart *m_inferenceChart;
    RowsModel *m_stateRows;
    QTableView *m_states;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace cachewise::ui
