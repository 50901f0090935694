// SPDX-License-Identifier: GPL-3.0-or-later
// stats, export (machine formats and reports), clear.
#include "app/cli/cli.h"
#include "core/common/timeformat.h"
#include "core/ingest/samplejson.h"
#include "core/model/json.h"
#include "core/report/machineexport.h"
#include "core/report/reportdata.h"
#include "core/services/reports.h"
#include "core/storage/settings.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>
#ifdef CACHEWISE_CLI_REPORTS
#include "ui/language.h"
#include "ui/report/reportdocument.h"
#endif

namespace cachewise::cli {
namespace {

int stats(Context &c)
{
    int code = kOk;
    const auto project = c.openProject(1, -1, &code);
    if (!project)
        return code;
    auto s = c.repository.samples().stats(project->id);
    if (!s)
        return c.failure(s.errorMessage());
    if (c.json) {
        printJson(model::json::stats(s.value()));
        return kOk;
    }
    out(QStringLiteral("Project:  %1 (%2)").arg(project->name, project->id));
    out(QStringLiteral("Samples:  %1 (%2 raw rows kept)").arg(s->sampleCount).arg(s->rawSampleCount));
    out(QStringLiteral("First:    %1")
            .arg(s->firstTimestampMs ? isoUtc(*s->firstTimestampMs) : QStringLiteral("-")));
    out(QStringLiteral("Last:     %1")
            .arg(s->lastTimestampMs ? isoUtc(*s->lastTimestampMs) : QStringLiteral("-")));
    if (s->sampleCount == 0)
        return kOk;
    out(QStringLiteral("%1 %2 %3 %4")
            .arg(QStringLiteral("metric"), -22)
            .arg(QStringLiteral("samples"), 10)
            .arg(QStringLiteral("mean"), 16)
            .arg(QStringLiteral("peak"), 16));
    for (const model::MetricInfo &info : model::metricTable()) {
        const storage::MetricSummary &m = s->metrics[model::metricIndex(info.metric)];
        if (m.count == 0)
            continue;
        out(QStringLiteral("%1 %2 %3 %4")
                .arg(QLatin1String(info.jsonName), -22)
                .arg(m.count, 10)
                .arg(QString::number(m.mean, 'f', 2), 16)
                .arg(QString::number(m.maximum, 'g', 15), 16));
    }
    return kOk;
}

int clear(Context &c)
{
    int code = kOk;
    if (!c.expect(1, &code))
        return code;
    const auto id = c.requiredProjectOption(&code);
    if (!id)
        return code;
    std::optional<qint64> before;
    if (c.args.options.contains(QStringLiteral("before"))) {
        const qint64 ts = ingest::parseIsoTimestamp(c.args.options.value(QStringLiteral("before")));
        if (ts < 0)
            return c.usage(QStringLiteral("--before wants an ISO 8601 time such as 2024-01-15T10:00:00Z"));
        before = ts;
    }
    if (!c.openStorage(&code) || !c.requireProject(*id, &code))
        return code;
    auto deleted = c.repository.samples().clear(*id, before);
    if (!deleted)
        return c.failure(deleted.errorMessage());
    if (c.json)
        printJson(
            QJsonObject{{QStringLiteral("projectId"), *id}, {QStringLiteral("deleted"), deleted.value()}});
    else
        out(QStringLiteral("Deleted %1 samples").arg(deleted.value()));
    return kOk;
}

// --from and --to over the defaults given; false (usage answered) when either is not ISO 8601 or the
// range is empty.
bool rangeOptions(Context &c, qint64 &fromMs, qint64 &toMs, int *code)
{
    for (const auto &[option, target] : {std::pair{"from", &fromMs}, std::pair{"to", &toMs}}) {
        if (!c.args.options.contains(QLatin1String(option)))
            continue;
        const qint64 ts = ingest::parseIsoTimestamp(c.args.options.value(QLatin1String(option)));
        if (ts < 0) {
            *code = c.usage(QStringLiteral("--%1 wants an ISO 8601 time such as 2024-01-15T10:00:00Z")
                                .arg(QLatin1String(option)));
            return false;
        }
        *target = ts;
    }
    if (toMs <= fromMs) {
        *code = c.usage(QStringLiteral("--to must come after --from"));
        return false;
    }
    return true;
}

int exportReport(Context &c, bool pdf)
{
#ifndef CACHEWISE_CLI_REPORTS
    Q_UNUSED(pdf)
    return c.usage(QStringLiteral("this build has no desktop UI, which draws PDF and HTML reports"));
#else
    int code = kOk;
    if (c.args.options.contains(QStringLiteral("content")))
        return c.usage(QStringLiteral("--content applies to csv and json only"));
    const QString path = c.args.options.value(QStringLiteral("out"));
    if (path.isEmpty())
        return c.usage(QStringLiteral("export needs --out FILE"));
    report::ReportRequest request;
    request.nowMs = c.clock.nowMs();
    request.toMs = request.nowMs + 1;
    request.fromMs = request.nowMs - 24LL * 3'600'000;
    if (!rangeOptions(c, request.fromMs, request.toMs, &code))
        return code;
    QString language = c.args.options.value(QStringLiteral("language"));
    if (!language.isEmpty() && language != QLatin1String("en") && language != QLatin1String("tr"))
        return c.usage(QStringLiteral("--language is en or tr"));
    if (!c.args.flags.contains(QStringLiteral("all"))) {
        const auto id = c.projectIdArg(c.args.options.value(QStringLiteral("project")), &code);
        if (!id)
            return code;
        request.projectIds = {*id};
    }
    if (!c.openStorage(&code))
        return code;
    if (language.isEmpty()) { // the app's language setting, as the desktop app uses it
        auto setting = c.repository.settings().value(storage::setting::UiLanguage);
        language = setting ? setting.value() : QStringLiteral("system");
    }
    ui::installTranslations(*QCoreApplication::instance(), language.toLatin1().constData());
    const QLocale locale = language == QLatin1String("system") ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale); // numbers inside translated texts follow the report's language
    auto data = services::collectReport(c.repository, request);
    if (!data)
        return c.failure(data.errorMessage());
    auto written = pdf ? ui::ReportDocument::writePdf(*data, locale, path)
                       : ui::ReportDocument::writeHtml(*data, locale, path);
    if (!written)
        return c.failure(written.errorMessage());
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("file"), path},
                              {QStringLiteral("projects"), int(data->projects.size())}});
    else
        out(QStringLiteral("report of %1 project(s) written to %2").arg(data->projects.size()).arg(path));
    return kOk;
#endif
}

int exportData(Context &c)
{
    int code = kOk;
    if (!c.expect(1, &code))
        return code;
    const bool all = c.args.flags.contains(QStringLiteral("all"));
    if (all == c.args.options.contains(QStringLiteral("project")))
        return c.usage(QStringLiteral("export needs --project ID or --all"));
    const QString formatName = c.args.options.value(QStringLiteral("format"));
    if (formatName == QLatin1String("pdf") || formatName == QLatin1String("html"))
        return exportReport(c, formatName == QLatin1String("pdf"));
    const auto format = report::exportFormatFromName(formatName);
    if (!format)
        return c.usage(QStringLiteral("export needs --format csv, json, pdf or html"));
    const auto content = report::exportContentFromName(
        c.args.options.value(QStringLiteral("content"), QStringLiteral("samples")));
    if (!content)
        return c.usage(QStringLiteral("--content is samples, minute or hour"));
    const QString path = c.args.options.value(QStringLiteral("out"));
    if (path.isEmpty())
        return c.usage(QStringLiteral("export needs --out FILE"));
    report::ExportRequest request;
    request.format = *format;
    request.content = *content;
    request.fromMs = 0;
    request.toMs = std::numeric_limits<qint64>::max() / 2;
    if (!rangeOptions(c, request.fromMs, request.toMs, &code))
        return code;
    if (!all) {
        const auto id = c.projectIdArg(c.args.options.value(QStringLiteral("project")), &code);
        if (!id)
            return code;
        request.projectIds = {*id};
    }
    if (!c.openStorage(&code))
        return code;
    request.exportedAtMs = c.clock.nowMs();
    // The file appears only when it is whole: a failed or interrupted export leaves nothing behind.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return c.failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    auto rows = report::writeMachineExport(c.repository, request, file);
    if (!rows) {
        file.cancelWriting();
        return c.failure(rows.errorMessage());
    }
    if (!file.commit())
        return c.failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("file"), path}, {QStringLiteral("rows"), rows.value()}});
    else
        out(QStringLiteral("%1 rows written to %2").arg(rows.value()).arg(path));
    return kOk;
}

} // namespace

QList<Command> dataCommands()
{
    return {
        {{QStringLiteral("stats")},
         QStringLiteral("--project ID"),
         QStringLiteral("sample count, first/last time, mean and peak of each metric"),
         {QStringLiteral("project")},
         {},
         {QStringLiteral("stats --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10")},
         stats},
        {{QStringLiteral("export")},
         QStringLiteral("(--project ID | --all) --format csv|json|pdf|html [--content samples|minute|hour] "
                        "[--from ISO8601] [--to ISO8601] [--language en|tr] --out FILE"),
         QStringLiteral(
             "csv and json: samples (or per-minute / per-hour rollups) for programs, dot decimals, ISO 8601 "
             "UTC times, streamed to the file, which appears only when complete (default range: everything); "
             "pdf and html: a report for people (title page, key figures with trends, charts, score, "
             "recommendations, action log, sources) in the app's language or --language, no display needed "
             "(default range: the last 24 h)"),
         {QStringLiteral("project"), QStringLiteral("format"), QStringLiteral("content"),
          QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("out"), QStringLiteral("language")},
         {QStringLiteral("all")},
         {QStringLiteral(
              "export --all --format csv --content minute --from 2026-11-01T00:00:00Z --out november.csv"),
          QStringLiteral("export --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --format pdf --language tr "
                         "--out rapor.pdf")},
         exportData},
        {{QStringLiteral("clear")},
         QStringLiteral("--project ID [--before ISO8601]"),
         QStringLiteral("delete samples (all, or those before the time)"),
         {QStringLiteral("project"), QStringLiteral("before")},
         {},
         {QStringLiteral(
             "clear --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --before 2026-10-01T00:00:00Z")},
         clear},
    };
}

} // namespace cachewise::cli
