// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QLocale>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

namespace cachewise::ui {

// One export started from the UI, never on the GUI thread: CSV and JSON are streamed by the storage
// thread; a PDF or HTML report is collected there and drawn on a thread of its own. cancel() stops a
// machine export at its next page and throws a finished report away; no partial file is left.
class ExportJob final : public QObject
{
    Q_OBJECT

public:
    enum class Format
    {
        Pdf,
        Html,
        Csv,
        Json,
    };

    ExportJob(services::AsyncRepository &repository, QObject *parent = nullptr);
    ~ExportJob() override;

    // projectIds empty: every project.
    void start(Format format, const QStringList &projectIds, qint64 fromMs, qint64 toMs, qint64 nowMs,
               const QString &path, const QLocale &locale);
    void cancel();
    static QString suffix(Format format);

Q_SIGNALS:
    void progress(const QString &stage); // for the progress dialog's label
    void finished(const QString &path);
    void failed(const QString &message);
    void cancelled();

private:
    void render(const report::ReportData &data);

    services::AsyncRepository &m_repository;
    quint64 m_id;
    Format m_format = Format::Pdf;
    QString m_path;
    QLocale m_locale;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
};

} // namespace cachewise::ui
