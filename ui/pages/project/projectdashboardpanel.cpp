// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/projectdashboardpanel.h"

#include "core/common/units.h"
#include "ui/charts/timeserieschart.h"
#include "ui/metrictext.h"
#include "ui/theme.h"
#include "ui/widgets/kpicard.h"
#include "ui/widgets/kpirow.h"
#include "ui/widgets/sourcespanel.h"

#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace cachewise::ui {

ProjectDashboardPanel::ProjectDashboardPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget(this);
    auto *loading = new QLabel(tr("Fetching data..."), this);
    loading->setAlignment(Qt::AlignCenter);
    auto *empty = new QLabel(tr("No metrics available for this project."), this);
    empty->setObjectName(QStringLiteral("emptyMetrics"));
    empty->setAlignment(Qt::AlignCenter);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto *cards = new QHBoxLayout;
    m_cards = makeKpiCards(content);
    for (KpiCard *card : std::as_const(m_cards))
        cards->addWidget(card);
    contentLayout->addLayout(cards);
    auto *scroll = new QScrollArea(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *grid = new QWidget(scroll);
    m_chartGrid = new QGridLayout(grid);
    m_chartGrid->setContentsMargins(0, 0, 0, 0);
    m_chartGrid->setColumnStretch(0, 1);
    m_chartGrid->setColumnStretch(1, 1);
    scroll->setWidget(grid);
    auto *middle = new QHBoxLayout;
    middle->addWidget(scroll, 1);
    auto *infoBox = new QFrame(content);
    infoBox->setObjectName(QStringLiteral("kpiCard"));
    infoBox->setMinimumWidth(240);
    m_info = new QFormLayout(infoBox);
    auto *side = new QVBoxLayout;
    side->addWidget(infoBox);
    m_slots = new SlotsTable(content);
    side->addWidget(m_slots);
    m_latency = new LatencyTable(content);
    side->addWidget(m_latency);
    side->addStretch();
    middle->addLayout(side);
    contentLayout->addLayout(middle, 1);

    m_stack->addWidget(loading);
    m_stack->addWidget(empty);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);
}

void ProjectDashboardPanel::showLoading()
{
    m_stack->setCurrentIndex(0);
}

int ProjectDashboardPanel::pointBudget() const
{
    return m_charts.isEmpty() ? 600 : m_charts.first()->pointBudget();
}

void ProjectDashboardPanel::show(const services::ProjectSnapshot &snapshot)
{
    const model::Project &project = snapshot.overview.project;
    m_slots->setProcessedData(snapshot.latestProcessedData);
    m_latency->setProcessedData(snapshot.latestProcessedData);
    while (m_info->rowCount() > 0)
        m_info->removeRow(0);
    const storage::ProjectStats &stats = snapshot.overview.stats;
    m_info->addRow(tr("Project Name"), new QLabel(project.name));
    m_info->addRow(tr("Model Name"), new QLabel(project.modelName));
    m_info->addRow(tr("Model Architecture"), new QLabel(project.modelArchitecture));
    m_info->addRow(tr("Created"), new QLabel(formatDateTime(project.createdAtMs)));
    m_info->addRow(tr("Samples"), new QLabel(formatCount(stats.sampleCount)));
    m_info->addRow(
        tr("Last Sample"),
        new QLabel(stats.lastTimestampMs ? formatDateTime(*stats.lastTimestampMs) : tr("No metrics yet")));

    if (stats.sampleCount == 0) {
        m_stack->setCurrentIndex(1);
        return;
    }
    m_stack->setCurrentIndex(2);
    ScoreFigure score;
    score.score = snapshot.score.score;
    score.scoredProjects = snapshot.score.score ? 1 : 0;
    score.describedProjects = snapshot.runtime ? 1 : 0;
    showKpis(m_cards, snapshot.current, snapshot.previous, score);

    // One chart per metric this project reports, in the table's order. A chart belongs to its metric
    // (title, unit, meaning), so another project's metrics never land under its title.
    int index = 0;
    m_charts.clear();
    for (const model::MetricInfo &info : model::metricTable()) {
        TimeSeriesChart *chart = m_chartByMetric.value(int(info.metric));
        const auto found = snapshot.series.constFind(int(info.metric));
        if (found == snapshot.series.constEnd()) {
            if (chart)
                chart->hide();
            continue;
        }
        if (!chart) {
            chart = new TimeSeriesChart(metricTitle(info.metric), unitOf(info.metric));
            chart->setObjectName(QStringLiteral("projectChart"));
            chart->setProperty("metric", int(info.metric));
            chart->setToolTip(metricDescription(info.metric));
            chart->setMinimumHeight(240);
            m_chartByMetric.insert(int(info.metric), chart);
        }
        m_chartGrid->addWidget(chart, index / 2, index % 2); // moves it when the set of charts changed
        chart->setLines({{metricTitle(info.metric), theme::seriesColor(int(info.metric)), found.value()}},
                        snapshot.fromMs, snapshot.toMs);
        chart->show();
        m_charts << chart;
        ++index;
    }
}

} // namespace cachewise::ui
