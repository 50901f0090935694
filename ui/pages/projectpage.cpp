// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/projectpage.h"

#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/common/random.h"
#include "core/common/units.h"
#include "ui/charts/timeserieschart.h"
#include "ui/models/rowsmodel.h"
#include "ui/models/samplelogmodel.h"
#include "ui/pages/project/actionlogpanel.h"
#include "ui/pages/project/metricslogpanel.h"
#include "ui/pages/project/projectdashboardpanel.h"
#include "ui/pages/project/projectsettingspanel.h"
#include "ui/pages/project/recommendationspanel.h"
#include "ui/pages/whatifpanel.h"
#include "ui/theme.h"
#include "ui/widgets/kpicard.h"
#include "ui/widgets/kpirow.h"
#include "ui/widgets/recommendationcard.h"
#include "ui/widgets/runtimeeditor.h"
#include "ui/widgets/scorepanel.h"
#include "ui/widgets/sourcespanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace cachewise::ui {

ProjectPage::ProjectPage(services::AsyncRepository &repository, const Clock &clock, QWidget *parent)
    : QWidget(parent), m_repository(repository), m_clock(clock), m_title(new QLabel(this)),
      m_range(makeRangeChoice(this, QStringLiteral("projectRange"))), m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("projectPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    auto *back = new QPushButton(tr("← Projects"), this);
    back->setObjectName(QStringLiteral("backButton"));
    back->setFlat(true);
    connect(back, &QPushButton::clicked, this, &ProjectPage::backRequested);
    header->addWidget(back);
    m_title->setObjectName(QStringLiteral("pageTitle"));
    header->addWidget(m_title);
    header->addStretch();
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setObjectName(QStringLiteral("zoomRange"));
    m_zoomLabel->hide();
    header->addWidget(m_zoomLabel);
    m_zoomReset = new QPushButton(tr("Reset Zoom"), this);
    m_zoomReset->setObjectName(QStringLiteral("zoomReset"));
    m_zoomReset->setToolTip(tr("Back to the chosen range (or double-click a chart)"));
    m_zoomReset->hide();
    connect(m_zoomReset, &QPushButton::clicked, this, &ProjectPage::resetZoom);
    header->addWidget(m_zoomReset);
    connect(m_range, &QComboBox::currentIndexChanged, this, &ProjectPage::resetZoom); // replaces a drag
    header->addWidget(m_range);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setObjectName(QStringLiteral("projectExportButton"));
    exportButton->setToolTip(tr("A PDF or HTML report of this project, or its samples as CSV or JSON"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const auto [from, to] = shownRange();
        Q_EMIT exportRequested({m_projectId}, from, to + 1, m_project.name);
    });
    header->addWidget(exportButton);
    layout->addLayout(header);

    // What the project's servers showed that the user should know or answer, above every tab.
    m_notices = new SourceNotices(this);
    m_notices->setObjectName(QStringLiteral("sourceNotices"));
    layout->addWidget(m_notices);
    connect(m_notices, &SourceNotices::layoutAnswered, this,
            [this](const QString &sourceId, model::KvLayout kvLayout, int slots, qint64 slotContext) {
                m_repository.setSourceKvLayout(sourceId, kvLayout);
                // A llama.cpp runtime is made to match the server, so the recommendations see the same cache.
                if (m_shownRuntime && m_shownRuntime->engine == model::Engine::LlamaCpp) {
                    m_settingsTab->showStoredRuntimeNext();
                    m_repository.saveRuntime(
                        m_projectId, analysis::runtimeWithSlots(*m_shownRuntime, slots, slotContext,
                                                                kvLayout == model::KvLayout::Unified));
                }
            });
    connect(m_notices, &SourceNotices::restartAcknowledged, &m_repository,
            &services::AsyncRepository::acknowledgeSourceRestart);

    m_tabs->setObjectName(QStringLiteral("projectTabs"));
    m_dashboardTab = new ProjectDashboardPanel(this);
    connect(m_dashboardTab, &ProjectDashboardPanel::rangeSelected, this, &ProjectPage::zoomTo);
    connect(m_dashboardTab, &ProjectDashboardPanel::rangeReset, this, &ProjectPage::resetZoom);
    connect(m_dashboardTab, &ProjectDashboardPanel::serverChosen, this,
            [this](const sources::FoundServer &server) {
                model::Source source;
                source.projectId = m_projectId;
                source.engine = server.engine;
                source.baseUrl = server.url;
                m_repository.addSource(source);
                Q_EMIT message(tr("Reading %1 for this project").arg(server.url));
            });
    connect(m_dashboardTab, &ProjectDashboardPanel::snippetsRequested, this,
            [this] { m_tabs->setCurrentIndex(SettingsTab); });
    m_tabs->addTab(m_dashboardTab, tr("Dashboard"));
    m_recommendationsTab = new RecommendationsPanel(m_repository, this);
    connect(m_recommendationsTab, &RecommendationsPanel::message, this, &ProjectPage::message);
    connect(m_recommendationsTab, &RecommendationsPanel::changed, this, &ProjectPage::reload);
    m_tabs->addTab(m_recommendationsTab, tr("Recommendations"));
    m_settingsTab = new ProjectSettingsPanel(m_repository, this);
    connect(m_settingsTab, &ProjectSettingsPanel::message, this, &ProjectPage::message);
    connect(m_settingsTab, &ProjectSettingsPanel::editRequested, this, &ProjectPage::editRequested);
    connect(m_settingsTab, &ProjectSettingsPanel::reloadRequested, this, &ProjectPage::reload);
    connect(m_settingsTab, &ProjectSettingsPanel::newServerRequested, this,
            [this] { Q_EMIT newServerRequested(m_projectId); });
    m_tabs->addTab(m_settingsTab, tr("Settings"));
    m_logTab = new MetricsLogPanel(m_repository, this);
    m_tabs->addTab(m_logTab, tr("Metrics"));
    m_actionTab = new ActionLogPanel(this);
    m_tabs->addTab(m_actionTab, tr("Action Log"));
    m_whatIf = new WhatIfPanel(this);
    m_whatIf->setObjectName(QStringLiteral("whatIfPanel"));
    m_tabs->addTab(m_whatIf, tr("What If"));
    layout->addWidget(m_tabs, 1);

    connect(&m_repository, &services::AsyncRepository::projectLoaded, this,
            [this](const services::ProjectSnapshot &snapshot) {
                m_loading = false;
                // An answer for a project no longer shown is dropped; the one shown now was asked for
                // after it (m_reloadAgain).
                if (snapshot.overview.project.id == m_projectId)
                    show(snapshot);
                if (m_reloadAgain) {
                    m_reloadAgain = false;
                    reload();
                }
            });
    connect(&m_repository, &services::AsyncRepository::failed, this, [this] { m_loading = false; });
    connect(&m_repository, &services::AsyncRepository::recommendationUpdated, this, [this] { reload(); });
    connect(&m_repository, &services::AsyncRepository::samplesExported, this,
            [this](const QString &path, qint64 rows) {
                Q_EMIT message(tr("Exported %1 samples to %2").arg(formatCount(rows), path));
            });
}

SampleLogModel *ProjectPage::logModel() const
{
    return m_logTab->model();
}

QList<TimeSeriesChart *> ProjectPage::charts() const
{
    return m_dashboardTab->charts();
}

SlotsTable *ProjectPage::slotsTable() const
{
    return m_dashboardTab->slotsTable();
}

LatencyTable *ProjectPage::latencyTable() const
{
    return m_dashboardTab->latencyTable();
}

ScorePanel *ProjectPage::scorePanel() const
{
    return m_recommendationsTab->scorePanel();
}

void ProjectPage::showProject(const QString &projectId)
{
    if (projectId != m_projectId) {
        m_tabs->setCurrentIndex(DashboardTab); // another project starts on its dashboard
        m_zoom.reset();
        m_zoomLabel->hide();
        m_zoomReset->hide();
    }
    m_projectId = projectId;
    m_settingsTab->showProject(projectId);
    m_dashboardTab->showLoading();
    reload();
    const auto [from, to] = shownRange();
    m_logTab->showProject(projectId, from, to);
}

void ProjectPage::setServerAccess(services::AsyncServers *servers)
{
    m_recommendationsTab->setServerAccess(servers);
}

void ProjectPage::setListenerUrl(const QString &url)
{
    m_settingsTab->setListenerUrl(url);
}

void ProjectPage::reload()
{
    if (m_projectId.isEmpty())
        return;
    if (m_loading) {
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    const auto [from, to] = shownRange();
    m_repository.loadProject(m_projectId, from, to, m_dashboardTab->pointBudget());
}

std::pair<qint64, qint64> ProjectPage::shownRange() const
{
    if (m_zoom)
        return *m_zoom;
    const qint64 now = m_clock.nowMs();
    return {now - m_range->currentData().toLongLong(), now};
}

void ProjectPage::zoomTo(qint64 fromMs, qint64 toMs)
{
    if (toMs - fromMs < 1000)
        return; // under a second: nothing to draw
    m_zoom = std::pair{fromMs, toMs};
    m_zoomLabel->setText(tr("Zoomed: %1 – %2").arg(formatDateTime(fromMs), formatDateTime(toMs)));
    m_zoomLabel->show();
    m_zoomReset->show();
    reload();
    m_logTab->setRange(fromMs, toMs);
}

void ProjectPage::resetZoom()
{
    m_zoom.reset();
    m_zoomLabel->hide();
    m_zoomReset->hide();
    reload();
    if (!m_projectId.isEmpty()) {
        const auto [from, to] = shownRange();
        m_logTab->setRange(from, to);
    }
}

void ProjectPage::show(const services::ProjectSnapshot &snapshot)
{
    m_project = snapshot.overview.project;
    m_title->setText(m_project.name);
    m_settingsTab->show(snapshot);
    m_whatIf->setRuntime(snapshot.runtime);
    m_shownRuntime = snapshot.runtime;
    m_notices->setSources(snapshot.sources);
    m_recommendationsTab->show(snapshot);
    m_actionTab->setActions(snapshot.actions);
    m_logTab->setProjectName(m_project.name);
    m_logTab->setReportedMetrics(snapshot.overview.stats);

    m_dashboardTab->show(snapshot);
}

} // namespace cachewise::ui
