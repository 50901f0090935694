// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/report/reportdata.h"

#include <QCoreApplication>
#include <QHash>
#include <QImage>
#include <QLocale>
#include <QString>

namespace cachewise::ui {

// A report a person hands to a colleague, in the UI's language (the installed translator) and the
// locale's number and date formats: a title page, then per project its KPIs with their trend against the
// range before, the charts, the optimization score with its parts, the recommendations with their impact
// and sources, the action log and the sources' state. Every user-provided string is escaped. Uses
// QPainter, QTextDocument and QPdfWriter only, so it runs on any thread.
class ReportDocument
{
    Q_DECLARE_TR_FUNCTIONS(cachewise::ui::ReportDocument)

public:
    // The HTML; charts are <img src="NAME"> whose images go to `images` by name. `pixelsPerInch`: the
    // resolution the document is laid out at (96 on screen and in a browser, the writer's for a PDF), so
    // cell padding keeps its physical size.
    static QString html(const report::ReportData &data, const QLocale &locale, QHash<QString, QImage> &images,
                        qreal pixelsPerInch = 96);

    // A standalone .html file (charts embedded as PNG data) or a PDF (A4), written whole or not at all.
    static Result<void> writeHtml(const report::ReportData &data, const QLocale &locale, const QString &path);
    static Result<void> writePdf(const report::ReportData &data, const QLocale &locale, const QString &path);
};

} // namespace cachewise::ui
