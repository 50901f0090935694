// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/report/exportjob.h"

#include "core/common/units.h"
#include "ui/report/reportdocument.h"

#include <QFile>
#include <QThread>

namespace cachewise::ui {
namespace {

quint64 nextJobId()
{
    static std::atomic<quint64> id{0};
    return ++id;
}

} // namespace

ExportJob::ExportJob(services::AsyncRepository &repository, QObject *parent)
    : QObject(parent), m_repository(repository), m_id(nextJobId())
{
    connect(&m_repository, &services::AsyncRepository::exportProgress, this, [this](quint64 id, qint64 rows) {
        if (id == m_id)
            Q_EMIT progress(tr("%1 rows written").arg(formatCount(rows)));
    });
    connect(&m_repository, &services::AsyncRepository::exportDone, this,
            [this](quint64 id, const QString &path, qint64) {
                if (id != m_id)
                    return;
                Q_EMIT finished(path);
            });
    connect(&m_repository, &services::AsyncRepository::exportFailed, this,
            [this](quint64 id, const QString &message) {
                if (id != m_id)
                    return;
                if (m_cancel->load())
                    Q_EMIT cancelled();
                else
                    Q_EMIT failed(message);
            });
    connect(&m_repository, &services::AsyncRepository::reportCollected, this,
            [this](quint64 id, const report::ReportData &data) {
                if (id != m_id)
                    return;
                if (m_cancel->load())
                    return Q_EMIT cancelled();
                render(data);
            });
}

ExportJob::~ExportJob()
{
    m_cancel->store(true);
}

QString ExportJob::suffix(Format format)
{
    switch (format) {
    case Format::Pdf: return QStringLiteral("pdf");
    case Format::Html: return QStringLiteral("html");
    case Format::Csv: return QStringLiteral("csv");
    case Format::Json: return QStringLiteral("json");
    }
    return {};
}

void ExportJob::start(Format format, const QStringList &projectIds, qint64 fromMs, qint64 toMs, qint64 nowMs,
                      const QString &path, const QLocale &locale)
{
    m_format = format;
    m_path = path;
    m_locale = locale;
    if (format == Format::Csv || format == Format::Json) {
        report::ExportRequest request;
        request.projectIds = projectIds;
        request.fromMs = fromMs;
        request.toMs = toMs;
        request.exportedAtMs = nowMs;
        request.format = format == Format::Csv ? report::ExportFormat::Csv : report::ExportFormat::Json;
        Q_EMIT progress(tr("Writing the samples…"));
        m_repository.exportMachine(m_id, request, path, m_cancel);
        return;
    }
    report::ReportRequest request;
    request.projectIds = projectIds;
    request.fromMs = fromMs;
    request.toMs = toMs;
    request.nowMs = nowMs;
    Q_EMIT progress(tr("Reading the data…"));
    m_repository.collectReport(m_id, request);
}

void ExportJob::cancel()
{
    m_cancel->store(true);
}

void ExportJob::render(const report::ReportData &data)
{
    Q_EMIT progress(tr("Drawing the report…"));
    auto outcome = std::make_shared<Result<void>>();
    QThread *thread =
        QThread::create([data, outcome, pdf = m_format == Format::Pdf, locale = m_locale, path = m_path] {
            *outcome = pdf ? ReportDocument::writePdf(data, locale, path)
                           : ReportDocument::writeHtml(data, locale, path);
        });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater); // even if this job is gone by then
    connect(thread, &QThread::finished, this, [this, outcome] {
        if (!*outcome)
            return Q_EMIT failed(outcome->errorMessage());
        if (m_cancel->load()) {
            QFile::remove(m_path); // asked to stop while it was drawn: leave nothing behind
            return Q_EMIT cancelled();
        }
        Q_EMIT finished(m_path);
    });
    thread->start();
}

} // namespace cachewise::ui
