// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/units.h"
#include "core/services/asyncrepository.h"
#include "core/sources/discovery.h"

#include <QHash>
#include <QList>
#include <QWidget>

class QCheckBox;
class QFormLayout;
class QGridLayout;
class QStackedWidget;

namespace cachewise::ui {

class KpiCard;
class LatencyTable;
class SlotsTable;
class TimeSeriesChart;

// A project's Dashboard tab: the KPI cards, one chart per metric the project reports, the project's facts,
// and the slots and latency percentiles of its llama-server or vLLM (when scraped).
class ProjectDashboardPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectDashboardPanel(QWidget *parent = nullptr);

    // "Fetching data…" until the next snapshot.
    void showLoading();
    void show(const services::ProjectSnapshot &snapshot);

    QList<TimeSeriesChart *> charts() const { return m_charts; }
    // How many points a chart draws at its width (what the next read should ask for).
    int pointBudget() const;
    SlotsTable *slotsTable() const { return m_slots; }
    LatencyTable *latencyTable() const { return m_latency; }
    QCheckBox *kvPercentToggle() const { return m_kvPercent; }

Q_SIGNALS:
    // Dragged across a chart / double-clicked one (the page zooms its range or resets it).
    void rangeSelected(qint64 fromMs, qint64 toMs);
    void rangeReset();
    // From the empty state: a server found on this machine to read this project from; the keys and
    // snippets (the Settings tab).
    void serverChosen(const cachewise::sources::FoundServer &server);
    void snippetsRequested();

private:
    void showCharts();
    TimeSeriesChart *chartFor(int key, const QString &title, Unit unit, const QString &description);

    QStackedWidget *m_stack;
    QList<KpiCard *> m_cards;
    QGridLayout *m_chartGrid;
    QList<TimeSeriesChart *> m_charts;             // shown now, in order
    QHash<int, TimeSeriesChart *> m_chartByMetric; // every chart made, by model::Metric (and kKvPercent)
    QCheckBox *m_kvPercent;
    services::ProjectSnapshot m_snapshot; // the last shown, drawn again when the KV view switches
    QFormLayout *m_info;
    SlotsTable *m_slots;
    LatencyTable *m_latency;
};

} // namespace cachewise::ui
