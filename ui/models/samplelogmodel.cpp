// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/samplelogmodel.h"

#include "core/common/units.h"
#include "ui/metrictext.h"

#include <QDateTime>
#include <QLocale>

namespace cachewise::ui {
namespace {

using model::Metric;

std::optional<Metric> metricOf(int column)
{
    const auto &table = model::metricTable();
    if (column < 1 || column > int(table.size()))
        return std::nullopt;
    return table[std::size_t(column - 1)].metric;
}

} // namespace

SampleLogModel::SampleLogModel(services::AsyncRepository &repository, QObject *parent)
    : QAbstractTableModel(parent), m_repository(repository)
{
    connect(&m_repository, &services::AsyncRepository::samplePageLoaded, this, &SampleLogModel::pageLoaded);
}

void SampleLogModel::setQuery(const QString &projectId, qint64 fromMs, qint64 toMs, bool newestFirst)
{
    beginResetModel();
    m_rows.clear();
    m_projectId = projectId;
    m_fromMs = fromMs;
    m_toMs = toMs;
    m_newestFirst = newestFirst;
    m_exhausted = false;
    m_pending = false;
    ++m_requestId; // answers to earlier queries are ignored
    endResetModel();
    requestPage();
}

void SampleLogModel::requestPage()
{
    if (m_pending || m_exhausted || m_projectId.isEmpty())
        return;
    m_pending = true;
    std::optional<storage::SampleRow> after;
    if (!m_rows.isEmpty())
        after = m_rows.last();
    m_repository.loadSamplePage(m_requestId, m_projectId, m_fromMs, m_toMs, m_newestFirst, after, kPageSize);
}

void SampleLogModel::pageLoaded(quint64 requestId, const QList<storage::SampleRow> &rows)
{
    if (requestId != m_requestId)
        return;
    m_exhausted = rows.size() < kPageSize;
    if (!rows.isEmpty()) {
        // Still pending while the rows go in: a view asking for more from inside beginInsertRows would
        // otherwise ask for this page again (the rows not there yet).
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
        m_rows += rows;
        endInsertRows();
    }
    m_pending = false;
}

int SampleLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SampleLogModel::columnOf(model::Metric metric)
{
    const auto &table = model::metricTable();
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].metric == metric)
            return int(i) + 1;
    }
    return -1;
}

int SampleLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1 + int(model::metricTable().size());
}

bool SampleLogModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted && !m_pending;
}

void SampleLogModel::fetchMore(const QModelIndex &parent)
{
    if (!parent.isValid())
        requestPage();
}

QVariant SampleLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const model::MetricSample &s = m_rows.at(index.row()).sample;
    if (role == Qt::TextAlignmentRole && index.column() != TimestampColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != RawValueRole)
        return {};
    if (index.column() == TimestampColumn) {
        if (role == RawValueRole)
            return s.timestampMs;
        // The locale's date, as everywhere in the window, with seconds: samples come seconds apart.
        return formatDateTime(s.timestampMs,
                              QLocale().dateFormat(QLocale::ShortFormat) + QStringLiteral(" HH:mm:ss"));
    }
    const auto metric = metricOf(index.column());
    const auto value = metric ? s.value(*metric) : std::nullopt;
    if (!value)
        return role == RawValueRole ? QVariant() : QVariant(QStringLiteral("–"));
    return role == RawValueRole ? QVariant(*value) : QVariant(formatValue(*value, unitOf(*metric)));
}

QVariant SampleLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section != TimestampColumn) {
        const auto metric = metricOf(section);
        return metric ? QVariant(metricDescription(*metric)) : QVariant();
    }
    if (role != Qt::DisplayRole)
        return {};
    if (section == TimestampColumn)
        return tr("Timestamp");
    const auto metric = metricOf(section);
    return metric ? QVariant(metricTitle(*metric)) : QVariant();
}

} // namespace cachewise::ui
