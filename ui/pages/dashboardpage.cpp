// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/dashboardpage.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/common/units.h"
#include "ui/charts/barchart.h"
#include "ui/charts/timeserieschart.h"
#include "ui/models/rowsmodel.h"
#include "ui/theme.h"
#include "ui/widgets/getstarted.h"
#include "ui/widgets/kpicard.h"
#include "ui/widgets/kpirow.h"
#include "ui/widgets/skeleton.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace cachewise::ui {
namespace {

using model::Metric;

} // namespace

DashboardPage::DashboardPage(services::AsyncRepository &repository, const Clock &clock, QWidget *parent)
    : QWidget(parent), m_repository(repository), m_clock(clock),
      m_range(makeRangeChoice(this, QStringLiteral("dashboardRange"))), m_stack(new QStackedWidget(this)),
      m_kvChart(new TimeSeriesChart(tr("KV Cache Size"), unitOf(Metric::KvCacheSizeKB), this)),
      m_kvShareChart(new TimeSeriesChart(tr("KV Cache Used (% of Capacity)"), Unit::Ratio, this)),
      m_inferenceChart(new BarChart(tr("Inference Time"), unitOf(Metric::InferenceTimeMs), this)),
      m_stateRows(
          new RowsModel({tr("Project Name"), tr("Model Name"), tr("Last Sample"), tr("State")}, this)),
      m_states(makeRowsView(this, QStringLiteral("projectStates"), m_stateRows))
{
    setObjectName(QStringLiteral("dashboardPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("Dashboard"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    header->addWidget(title);
    header->addStretch();
    m_zoomReset = new QPushButton(tr("Reset Zoom"), this);
    m_zoomReset->setObjectName(QStringLiteral("dashboardZoomReset"));
    m_zoomReset->setToolTip(tr("Back to the chosen range (or double-click the chart)"));
    m_zoomReset->hide();
    const auto resetZoom = [this] {
        m_zoom.reset();
        m_zoomReset->hide();
        reload();
    };
    connect(m_zoomReset, &QPushButton::clicked, this, resetZoom);
    header->addWidget(m_zoomReset);
    connect(m_range, &QComboBox::currentIndexChanged, this, resetZoom);
    header->addWidget(m_range);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setObjectName(QStringLiteral("dashboardExportButton"));
    exportButton->setToolTip(tr("A PDF or HTML report of every project, or their samples as CSV or JSON"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const auto [from, to] = shownRange();
        Q_EMIT exportRequested({}, from, to + 1, QStringLiteral("cachewise-report"));
    });
    header->addWidget(exportButton);
    layout->addLayout(header);

    auto *loading = new SkeletonView(SkeletonView::Shape::Dashboard, this);

    m_getStarted = new GetStartedPanel(GetStartedPanel::Scope::App, this);
    m_getStarted->setObjectName(QStringLiteral("emptyState"));
    connect(m_getStarted, &GetStartedPanel::sendMetricsRequested, this,
            &DashboardPage::createProjectRequested);
    connect(m_getStarted, &GetStartedPanel::sampleDataRequested, this, &DashboardPage::sampleDataRequested);
    connect(m_getStarted, &GetStartedPanel::serverChosen, this, &DashboardPage::serverChosen);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(12);
    auto *cards = new QHBoxLayout;
    cards->setSpacing(12);
    m_cards = makeKpiCards(content);
    for (KpiCard *card : std::as_const(m_cards))
        cards->addWidget(card);
    contentLayout->addLayout(cards);
    // KV in bytes or in % of each project's capacity; dragging across either zooms into that range.
    auto *kvBox = new QVBoxLayout;
    m_kvPercent = new QCheckBox(tr("% of capacity"), content);
    m_kvPercent->setObjectName(QStringLiteral("dashboardKvPercent"));
    m_kvPercent->setToolTip(
        tr("Each project's KV cache in use as a share of what its engine allocated, so one "
           "large project does not flatten the others. Projects that report neither a "
           "capacity nor a usage share are left out."));
    kvBox->addWidget(m_kvPercent, 0, Qt::AlignRight);
    m_kvCharts = new QStackedWidget(content);
    m_kvCharts->addWidget(m_kvChart);
    m_kvCharts->addWidget(m_kvShareChart);
    kvBox->addWidget(m_kvCharts, 1);
    connect(m_kvPercent, &QCheckBox::toggled, m_kvCharts, &QStackedWidget::setCurrentIndex);
    connect(m_kvPercent, &QCheckBox::toggled, this, &DashboardPage::reload); // the shares are read when shown
    for (TimeSeriesChart *chart : {m_kvChart, m_kvShareChart}) {
        connect(chart, &TimeSeriesChart::rangeSelected, this, [this](qint64 fromMs, qint64 toMs) {
            if (toMs - fromMs < 1000)
                return;
            m_zoom = std::pair{fromMs, toMs};
            m_zoomReset->show();
            reload();
        });
        connect(chart, &TimeSeriesChart::rangeReset, m_zoomReset, &QPushButton::click);
    }
    auto *charts = new QHBoxLayout;
    charts->addLayout(kvBox, 3);
    charts->addWidget(m_inferenceChart, 2);
    contentLayout->addLayout(charts, 1);
    m_states->setAccessibleName(tr("Project states"));
    m_states->setSelectionMode(QAbstractItemView::SingleSelection);
    m_states->setMaximumHeight(180);
    m_states->setToolTip(tr("Double-click a project to open it"));
    connect(m_states, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT openRequested(index.data(RowsModel::KeyRole).toString());
    });
    // The projects' states, with the brief's ways on: one project's details, or all projects.
    auto *statesHeader = new QHBoxLayout;
    auto *statesTitle = new QLabel(tr("Projects"), content);
    statesTitle->setObjectName(QStringLiteral("sectionTitle"));
    statesHeader->addWidget(statesTitle);
    statesHeader->addStretch();
    auto *details = new QPushButton(tr("See Details"), content);
    details->setObjectName(QStringLiteral("seeDetails"));
    details->setToolTip(tr("Open the selected project"));
    details->setEnabled(false);
    connect(m_states->selectionModel(), &QItemSelectionModel::selectionChanged, details,
            [this, details] { details->setEnabled(!currentKey(m_states).isEmpty()); });
    connect(details, &QPushButton::clicked, this, [this] {
        if (const QString id = currentKey(m_states); !id.isEmpty())
            Q_EMIT openRequested(id);
    });
    statesHeader->addWidget(details);
    auto *all = new QPushButton(tr("View All Projects"), content);
    all->setObjectName(QStringLiteral("viewAllProjects"));
    connect(all, &QPushButton::clicked, this, &DashboardPage::allProjectsRequested);
    statesHeader->addWidget(all);
    contentLayout->addLayout(statesHeader);
    contentLayout->addWidget(m_states);

    m_stack->addWidget(loading);
    m_stack->addWidget(m_getStarted);
    m_stack->addWidget(content);
    layout->addWidget(m_stack, 1);

    connect(&m_repository, &services::AsyncRepository::dashboardLoaded, this, [this](const auto &snapshot) {
        m_loading = false;
        show(snapshot);
        if (m_reloadAgain) {
            m_reloadAgain = false;
            reload();
        }
    });
    connect(&m_repository, &services::AsyncRepository::failed, this, [this] { m_loading = false; });
}

qint64 DashboardPage::rangeMs() const
{
    return m_range->currentData().toLongLong();
}

void DashboardPage::reload()
{
    if (m_loading) {
        m_reloadAgain = true; // one more read once this one is in: never a queue of them
        return;
    }
    m_loading = true;
    const auto [from, to] = shownRange();
    m_repository.loadDashboard(from, to, m_kvChart->pointBudget(), m_kvPercent->isChecked());
}

std::pair<qint64, qint64> DashboardPage::shownRange() const
{
    if (m_zoom)
        return *m_zoom;
    const qint64 now = m_clock.nowMs();
    return {now - rangeMs(), now};
}

void DashboardPage::show(const services::DashboardSnapshot &snapshot)
{
    if (snapshot.projects.isEmpty()) {
        m_stack->setCurrentIndex(1);
        return;
    }
    m_stack->setCurrentIndex(2);
    ScoreFigure score;
    score.meanOfProjects = true;
    score.scoredProjects = int(snapshot.scores.size());
    score.describedProjects = snapshot.describedProjects;
    if (!snapshot.scores.isEmpty()) {
        double sum = 0;
        for (const double s : snapshot.scores)
            sum += s;
        score.score = sum / double(snapshot.scores.size());
    }
    showKpis(m_cards, snapshot.current, snapshot.previous, score);

    QList<TimeSeriesChart::Line> lines;
    QList<TimeSeriesChart::Line> shares;
    QStringList names;
    QList<double> inference;
    for (qsizetype i = 0; i < snapshot.projects.size(); ++i) {
        const services::ProjectOverview &p = snapshot.projects[i];
        lines << TimeSeriesChart::Line{p.project.name, theme::seriesColor(int(i)),
                                       snapshot.kvCacheSeries.value(p.project.id)};
        if (const auto share = snapshot.kvShareSeries.constFind(p.project.id);
            share != snapshot.kvShareSeries.cend())
            shares << TimeSeriesChart::Line{p.project.name, theme::seriesColor(int(i)), *share};
        names << p.project.name;
        inference << snapshot.inferenceTime.value(p.project.id).mean;
    }
    m_kvChart->setLines(lines, snapshot.fromMs, snapshot.toMs);
    if (lcUi().isDebugEnabled()) {
        qint64 newest = 0;
        for (const TimeSeriesChart::Line &line : std::as_const(lines))
            newest = line.points.isEmpty() ? newest : std::max(newest, line.points.last().timestampMs);
        qCDebug(lcUi).nospace() << "dashboard shows " << snapshot.projects.size()
                                << " projects, KV cache samples up to " << newest;
    }
    m_kvShareChart->setReferenceLines({{1.0, tr("Capacity"), theme::secondaryText()}});
    m_kvShareChart->setLines(shares, snapshot.fromMs, snapshot.toMs);
    m_inferenceChart->setBars(names, inference, theme::primary());

    QList<RowsModel::Row> rows;
    for (const services::ProjectOverview &p : snapshot.projects) {
        QString last = tr("No metrics yet");
        QString state = tr("Waiting for metrics");
        if (p.stats.lastTimestampMs) {
            last = formatDateTime(*p.stats.lastTimestampMs);
            const qint64 age = m_clock.nowMs() - *p.stats.lastTimestampMs;
            state = age < 60'000 ? tr("Receiving") : tr("Idle");
        }
        rows.append({p.project.id, {{p.project.name}, {p.project.modelName}, {last}, {state}}});
    }
    m_stateRows->setRows(std::move(rows));
    // Rows that arrived while the table was hidden (the loading state) were measured at no width.
    for (int column = 0; column + 1 < m_stateRows->columnCount(); ++column) // the last one stretches
        m_states->resizeColumnToContents(column);
}

} // namespace cachewise::ui
