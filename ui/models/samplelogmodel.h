// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QAbstractTableModel>

namespace cachewise::ui {

// The raw samples of one project and time range, fetched a page at a time as the view scrolls
// (keyset paging in storage), so millions of rows never load at once.
class SampleLogModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    // The time, then every metric in the table's order (the engine fields too).
    static constexpr int TimestampColumn = 0;
    static int columnOf(model::Metric metric);
    enum Role
    {
        RawValueRole = Qt::UserRole + 1,
    };
    static constexpr int kPageSize = 500;

    explicit SampleLogModel(services::AsyncRepository &repository, QObject *parent = nullptr);

    void setQuery(const QString &projectId, qint64 fromMs, qint64 toMs, bool newestFirst);
    bool isLoading() const { return m_pending; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    void requestPage();
    void pageLoaded(quint64 requestId, const QList<storage::SampleRow> &rows);

    services::AsyncRepository &m_repository;
    QList<storage::SampleRow> m_rows;
    QString m_projectId;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    bool m_newestFirst = true;
    bool m_pending = false;
    bool m_exhausted = true;
    quint64 m_requestId = 0;
};

} // namespace cachewise::ui
