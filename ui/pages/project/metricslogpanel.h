// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QTableView;

namespace cachewise::ui {

class SampleLogModel;

// A project's Metrics tab: every stored sample over a time range, paged as the table scrolls, and its
// export to CSV.
class MetricsLogPanel final : public QWidget
{
    Q_OBJECT

public:
    MetricsLogPanel(services::AsyncRepository &repository, QWidget *parent = nullptr);

    // The project over [fromMs, toMs), newest first.
    void showProject(const QString &projectId, qint64 fromMs, qint64 toMs);
    // The page's range changed (the header's choice, a zoom): the log follows it.
    void setRange(qint64 fromMs, qint64 toMs);
    // Only the columns of metrics the project reports are shown.
    void setReportedMetrics(const model::ProjectStats &stats);
    // The name the CSV file is offered under.
    void setProjectName(const QString &name) { m_projectName = name; }
    SampleLogModel *model() const { return m_model; }

private:
    void reload();
    void exportCsv();

    services::AsyncRepository &m_repository;
    QString m_projectId;
    QString m_projectName;
    SampleLogModel *m_model;
    QTableView *m_table;
    QComboBox *m_order;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
};

} // namespace cachewise::ui
