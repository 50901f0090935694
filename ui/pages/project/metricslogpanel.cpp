// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/metricslogpanel.h"

#include "ui/models/samplelogmodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace cachewise::ui {

MetricsLogPanel::MetricsLogPanel(services::AsyncRepository &repository, QWidget *parent)
    : QWidget(parent), m_repository(repository), m_model(new SampleLogModel(repository, this))
{
    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    m_from = new QDateTimeEdit(this);
    m_to = new QDateTimeEdit(this);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    m_from->setObjectName(QStringLiteral("logFrom"));
    m_to->setObjectName(QStringLiteral("logTo"));
    m_order = new QComboBox(this);
    m_order->setObjectName(QStringLiteral("logOrder"));
    m_order->addItem(tr("Newest first"), true);
    m_order->addItem(tr("Oldest first"), false);
    auto *apply = new QPushButton(tr("Apply"), this);
    auto *exportButton = new QPushButton(tr("Export CSV…"), this);
    exportButton->setObjectName(QStringLiteral("exportCsvButton"));
    filters->addWidget(new QLabel(tr("From"), this));
    filters->addWidget(m_from);
    filters->addWidget(new QLabel(tr("To"), this));
    filters->addWidget(m_to);
    filters->addWidget(m_order);
    filters->addWidget(apply);
    filters->addStretch();
    filters->addWidget(exportButton);
    layout->addLayout(filters);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("metricsLog"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    connect(apply, &QPushButton::clicked, this, &MetricsLogPanel::reload);
    connect(m_order, &QComboBox::currentIndexChanged, this, &MetricsLogPanel::reload);
    connect(exportButton, &QPushButton::clicked, this, &MetricsLogPanel::exportCsv);
}

void MetricsLogPanel::showProject(const QString &projectId, qint64 fromMs, qint64 toMs)
{
    m_projectId = projectId;
    setRange(fromMs, toMs);
}

void MetricsLogPanel::setRange(qint64 fromMs, qint64 toMs)
{
    // Minutes are what the fields show: the end is rounded up so the newest sample stays in.
    m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(fromMs));
    m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(toMs + 60'000));
    reload();
}

void MetricsLogPanel::setReportedMetrics(const model::ProjectStats &stats)
{
    for (const model::MetricInfo &info : model::metricTable())
        m_table->setColumnHidden(SampleLogModel::columnOf(info.metric),
                                 stats.metrics[model::metricIndex(info.metric)].count == 0);
}

void MetricsLogPanel::reload()
{
    m_model->setQuery(m_projectId, m_from->dateTime().toMSecsSinceEpoch(),
                      m_to->dateTime().toMSecsSinceEpoch(), m_order->currentData().toBool());
}

void MetricsLogPanel::exportCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV…"),
                                                      QStringLiteral("%1-samples.csv").arg(m_projectName),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    m_repository.exportSamplesCsv(m_projectId, m_from->dateTime().toMSecsSinceEpoch(),
                                  m_to->dateTime().toMSecsSinceEpoch(), path);
}

} // namespace cachewise::ui
