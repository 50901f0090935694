// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/projectdashboardpanel.h"

#include "core/common/units.h"
#include "ui/charts/timeserieschart.h"
#include "ui/metrictext.h"
#include "ui/theme.h"
#include "ui/widgets/getstarted.h"
#include "ui/widgets/kpicard.h"
#include "ui/widgets/kpirow.h"
#include "ui/widgets/skeleton.h"
#include "ui/widgets/sourcespanel.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace cachewise::ui {

ProjectDashboardPanel::ProjectDashboardPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget(this);
    auto *loading = new SkeletonView(SkeletonView::Shape::Dashboard, this);
    // No samples yet: the ways in for this project (its server, or its code).
    auto *empty = new GetStartedPanel(GetStartedPanel::Scope::Project, this);
    empty->setObjectName(QStringLiteral("emptyMetrics"));
    connect(empty, &GetStartedPanel::serverChosen, this, &ProjectDashboardPanel::serverChosen);
    connect(empty, &GetStartedPanel::sendMetricsRequested, this, &ProjectDashboardPanel::snippetsRequested);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto *cards = new QHBoxLayout;
    m_cards = makeKpiCards(content);
    for (KpiCard *card : std::as_const(m_cards))
        cards->addWidget(card);
    contentLayout->addLayout(cards);
    m_kvPercent = new QCheckBox(tr("KV cache as % of capacity"), content);
    m_kvPercent->setObjectName(QStringLiteral("kvPercentToggle"));
    m_kvPercent->setToolTip(tr("Draw the KV cache in use as a share of what the engine allocated, with the "
                               "automation limit; otherwise in bytes next to the allocation."));
    m_kvPercent->hide();
    connect(m_kvPercent, &QCheckBox::toggled, this, &ProjectDashboardPanel::showCharts);
    contentLayout->addWidget(m_kvPercent, 0, Qt::AlignRight);
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

    m_snapshot = snapshot;
    showCharts();
}

namespace {

// The key of the KV chart in % of capacity among the charts kept by metric.
constexpr int kKvPercent = 1000;
// The charts of the managed llama-server's process.
constexpr int kServerMemory = 1001;
constexpr int kServerCpu = 1002;

// Each runtime change as a marker: what changed, and whether it was undone.
QList<TimeSeriesChart::Marker> runtimeMarkers(const QList<model::RuntimeChange> &changes)
{
    QList<TimeSeriesChart::Marker> out;
    for (const model::RuntimeChange &c : changes) {
        if (!c.before)
            continue; // the first description changes nothing that was measured
        TimeSeriesChart::Marker m;
        m.timeMs = c.changedAtMs;
        const QString what = c.recommendationId.isEmpty()
                                 ? ProjectDashboardPanel::tr("Runtime changed")
                                 : ProjectDashboardPanel::tr("Recommendation applied");
        m.label = c.undoneAtMs ? ProjectDashboardPanel::tr("%1 (undone)").arg(what) : what;
        QStringList lines{m.label};
        lines << runtimeChangeLines(*c.before, c.after);
        m.detail = lines.join(QLatin1Char('\n'));
        out << m;
    }
    return out;
}

} // namespace

TimeSeriesChart *ProjectDashboardPanel::chartFor(int key, const QString &title, Unit unit,
                                                 const QString &description)
{
    TimeSeriesChart *chart = m_chartByMetric.value(key);
    if (!chart) {
        chart = new TimeSeriesChart(title, unit);
        chart->setObjectName(QStringLiteral("projectChart"));
        chart->setProperty("metric", key);
        chart->setToolTip(description);
        chart->setMinimumHeight(240);
        connect(chart, &TimeSeriesChart::rangeSelected, this, &ProjectDashboardPanel::rangeSelected);
        connect(chart, &TimeSeriesChart::rangeReset, this, &ProjectDashboardPanel::rangeReset);
        m_chartByMetric.insert(key, chart);
    }
    chart->setTitle(title);
    return chart;
}

void ProjectDashboardPanel::showCharts()
{
    const services::ProjectSnapshot &snapshot = m_snapshot;
    using model::Metric;
    const auto seriesOf = [&snapshot](Metric m) {
        return snapshot.series.value(int(m));
    };
    const QList<SeriesPoint> used = seriesOf(Metric::KvCacheSizeKB);
    const QList<SeriesPoint> allocated = seriesOf(Metric::KvCacheCapacityKB);
    QList<SeriesPoint> share = seriesOf(Metric::KvCacheUsageRatio);
    if (share.isEmpty())
        share = shareOf(used, allocated);
    // In use and allocated are one chart; with the share known it can be drawn in % of capacity instead.
    const bool kvChart = !used.isEmpty();
    m_kvPercent->setVisible(kvChart && !share.isEmpty());
    const bool percentView = m_kvPercent->isVisible() && m_kvPercent->isChecked();
    const QList<TimeSeriesChart::Marker> markers = runtimeMarkers(snapshot.runtimeChanges);
    // The automation's limit on the KV cache, where it acts (in the chart's unit).
    const bool limited = snapshot.automation.enabled;
    const auto limitLine = [&snapshot](double value) {
        return TimeSeriesChart::ReferenceLine{
            value, tr("Automation limit %1 %").arg(formatDecimal(snapshot.automation.maxCachePercent, 0)),
            theme::warning()};
    };
    const double limitShare = snapshot.automation.maxCachePercent / 100.0;

    // One chart per metric this project reports, in the table's order. A chart belongs to its metric
    // (title, unit, meaning), so another project's metrics never land under its title.
    int index = 0;
    m_charts.clear();
    QList<int> shown;
    for (const model::MetricInfo &info : model::metricTable()) {
        const auto found = snapshot.series.constFind(int(info.metric));
        if (found == snapshot.series.constEnd())
            continue;
        int key = int(info.metric);
        if (kvChart && (info.metric == Metric::KvCacheCapacityKB || info.metric == Metric::KvCacheUsageRatio))
            continue; // drawn in the KV chart (allocated beside in use; the share as its % view)
        TimeSeriesChart *chart = nullptr;
        QList<TimeSeriesChart::Line> lines{
            {metricTitle(info.metric), theme::seriesColor(int(info.metric)), *found}};
        QList<TimeSeriesChart::ReferenceLine> references;
        if (info.metric == Metric::KvCacheSizeKB && percentView) {
            key = kKvPercent;
            chart = chartFor(key, tr("KV Cache Used (% of Capacity)"), Unit::Ratio,
                             metricDescription(Metric::KvCacheUsageRatio));
            lines = {{tr("In use"), theme::seriesColor(int(Metric::KvCacheSizeKB)), share}};
            references << TimeSeriesChart::ReferenceLine{1.0, tr("Capacity"), theme::secondaryText()};
            if (limited)
                references << limitLine(limitShare);
        } else if (info.metric == Metric::KvCacheSizeKB) {
            const QString title =
                allocated.isEmpty() ? metricTitle(info.metric) : tr("KV Cache: In Use and Allocated");
            chart = chartFor(key, title, unitOf(info.metric), metricDescription(info.metric));
            if (!allocated.isEmpty()) {
                lines = {{tr("In use"), theme::seriesColor(int(Metric::KvCacheSizeKB)), *found},
                         // The allocation in the palette's neutral slate, apart from the purple in use.
                         {tr("Allocated"), theme::seriesColor(6), allocated}};
                if (limited)
                    references << limitLine(allocated.last().value * limitShare);
            }
        } else {
            chart =
                chartFor(key, metricTitle(info.metric), unitOf(info.metric), metricDescription(info.metric));
            if (info.metric == Metric::KvCacheUsageRatio && limited)
                references << limitLine(limitShare);
        }
        m_chartGrid->addWidget(chart, index / 2, index % 2); // moves it when the set of charts changed
        chart->setReferenceLines(references);                // first: the axis's unit counts them
        chart->setLines(lines, snapshot.fromMs, snapshot.toMs);
        chart->setMarkers(markers);
        chart->show();
        m_charts << chart;
        shown << key;
        ++index;
    }
    // The llama-server CacheWise launches for the project: its process next to the KV charts.
    if (snapshot.server) {
        QList<SeriesPoint> resident;
        QList<SeriesPoint> gpu;
        QList<SeriesPoint> cpu;
        for (const model::ServerUsage &u : snapshot.serverUsage) {
            resident << SeriesPoint{u.timestampMs, double(u.residentBytes) / 1024.0};
            if (u.gpuBytes)
                gpu << SeriesPoint{u.timestampMs, double(*u.gpuBytes) / 1024.0};
            cpu << SeriesPoint{u.timestampMs, u.cpuPercent / 100.0};
        }
        const bool noGpu = gpu.isEmpty();
        TimeSeriesChart *memory = chartFor(
            kServerMemory,
            noGpu ? tr("llama-server Memory (no NVIDIA GPU to read)") : tr("llama-server Memory"),
            Unit::KibiBytes,
            tr("The resident memory of the llama-server process CacheWise launched, and its GPU memory where "
               "an NVIDIA driver reports it; read every 5 seconds."));
        QList<TimeSeriesChart::Line> memoryLines{{tr("Resident memory"), theme::seriesColor(2), resident}};
        if (!noGpu)
            memoryLines << TimeSeriesChart::Line{tr("GPU memory"), theme::seriesColor(4), gpu};
        TimeSeriesChart *processor =
            chartFor(kServerCpu, tr("llama-server CPU (100 % = one core)"), Unit::Ratio,
                     tr("CPU time the llama-server process used, as a share of one core; read every 5 "
                        "seconds."));
        for (const auto &[chart, lines] :
             {std::pair{memory, memoryLines},
              std::pair{processor, QList<TimeSeriesChart::Line>{{tr("CPU"), theme::seriesColor(3), cpu}}}}) {
            m_chartGrid->addWidget(chart, index / 2, index % 2);
            chart->setReferenceLines({});
            chart->setLines(lines, snapshot.fromMs, snapshot.toMs);
            chart->setMarkers(markers);
            chart->show();
            m_charts << chart;
            shown << (chart == memory ? kServerMemory : kServerCpu);
            ++index;
        }
    }
    for (auto it = m_chartByMetric.cbegin(); it != m_chartByMetric.cend(); ++it) {
        if (!shown.contains(it.key()))
            it.value()->hide();
    }
}

} // namespace cachewise::ui
