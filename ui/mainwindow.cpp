// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "core/storage/backgroundreader.h"
#include "ui/models/projecttablemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace cachewise::ui {

MainWindow::MainWindow(const QString &databasePath, const Clock &clock,
                       std::shared_ptr<const ingest::IngestCounters> counters, QWidget *parent)
    : QMainWindow(parent), m_counters(std::move(counters)),
      m_reader(new storage::BackgroundReader(databasePath, clock, this)),
      m_model(new ProjectTableModel(this)), m_listenerLabel(new QLabel(this)), m_rateLabel(new QLabel(this)),
      m_stack(new QStackedWidget(this)), m_table(new QTableView(this)), m_rateTimer(new QTimer(this)),
      m_refreshTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("CacheWise AI"));
    resize(1100, 700);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->setSpacing(12);

    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("Projects"), central);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    header->addWidget(title);
    header->addStretch();
    m_listenerLabel->setObjectName(QStringLiteral("listenerState"));
    m_listenerLabel->setText(tr("Listener starting…"));
    m_rateLabel->setObjectName(QStringLiteral("listenerRate"));
    m_rateLabel->setStyleSheet(QStringLiteral("color: #8E8E93;"));
    header->addWidget(m_listenerLabel);
    header->addSpacing(16);
    header->addWidget(m_rateLabel);
    layout->addLayout(header);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(ProjectTableModel::RawValueRole);
    m_table->setObjectName(QStringLiteral("projectTable"));
    m_table->setAccessibleName(tr("Projects"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ProjectTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ProjectTableModel::NameColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);

    auto *empty = new QLabel(tr("No projects yet. Create one!"), this);
    empty->setObjectName(QStringLiteral("emptyState"));
    empty->setAlignment(Qt::AlignCenter);
    auto *loading = new QLabel(tr("Fetching data..."), this);
    loading->setObjectName(QStringLiteral("loadingState"));
    loading->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(loading);
    m_stack->addWidget(empty);
    m_stack->addWidget(m_table);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    connect(m_reader, &storage::BackgroundReader::projectsLoaded, this,
            [this](const QList<storage::ProjectOverview> &projects) {
                m_loadedOnce = true;
                m_model->setProjects(projects);
                m_stack->setCurrentIndex(projects.isEmpty() ? 1 : 2);
            });
    connect(m_reader, &storage::BackgroundReader::failed, this,
            [this](const QString &message) { statusBar()->showMessage(tr("Error: %1").arg(message)); });
    connect(m_refreshTimer, &QTimer::timeout, m_reader, &storage::BackgroundReader::refreshProjects);
    connect(m_rateTimer, &QTimer::timeout, this, &MainWindow::updateRates);
    m_refreshTimer->start(2000);
    m_rateTimer->start(1000);
    m_reader->refreshProjects();
    updateRates();
}

MainWindow::~MainWindow() = default;

void MainWindow::setListening(const QString &url)
{
    // Style before text, so the label's size hint is measured in the final font.
    m_listenerLabel->setStyleSheet(QStringLiteral("color: #34C759; font-weight: 600;"));
    m_listenerLabel->setText(tr("Listening on %1").arg(url));
    m_listenerLabel->setToolTip(QString());
}

void MainWindow::setListenFailed(const QString &message, const QString &)
{
    m_listenerLabel->setStyleSheet(QStringLiteral("color: #FF3B30; font-weight: 600;"));
    m_listenerLabel->setText(tr("Listener stopped"));
    m_listenerLabel->setToolTip(message);
    statusBar()->showMessage(tr("Error: %1").arg(message));
}

void MainWindow::refresh()
{
    m_reader->refreshProjects();
}

void MainWindow::updateRates()
{
    const quint64 samples = m_counters->samplesAccepted.load();
    const quint64 errors = m_counters->clientErrors.load() + m_counters->serverErrors.load();
    m_rateLabel->setText(tr("%1 samples/s · %2 errors")
                             .arg(QLocale().toString(samples - m_lastSamples))
                             .arg(QLocale().toString(errors)));
    m_lastSamples = samples;
    m_lastErrors = errors;
}

} // namespace cachewise::ui
