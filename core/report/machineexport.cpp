// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/machineexport.h"

#include "core/common/timeformat.h"
#include "core/model/json.h"
#include "core/model/metric.h"
#include "core/report/reportdata.h"
#include "core/storage/repository.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

namespace cachewise::report {
namespace {

using model::Metric;
using model::metricTable;

constexpr int kPageRows = 5000;

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
QByteArray csvField(const QString &text)
{
    QByteArray out = text.toUtf8();
    if (out.contains(',') || out.contains('"') || out.contains('\n') || out.contains('\r'))
        out = '"' + out.replace("\"", "\"\"") + '"';
    return out;
}

// Numbers for programs: integral metrics as integers, the rest with up to 15 significant digits, always
// with a dot (QByteArray::number ignores the locale).
QByteArray number(double v, bool integer)
{
    return integer ? QByteArray::number(qint64(v)) : QByteArray::number(v, 'g', 15);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

class Writer
{
public:
    Writer(QIODevice &out, const std::function<bool(qint64)> &progress) : m_out(out), m_progress(progress) {}

    bool write(const QByteArray &bytes)
    {
        if (m_out.write(bytes) != bytes.size()) {
            m_error = makeError(ErrorKind::Io,
                                QStringLiteral("cannot write the export: %1").arg(m_out.errorString()));
            return false;
        }
        return true;
    }

    // After each page: false when the caller cancelled.
    bool pageDone()
    {
        if (m_progress && !m_progress(rows)) {
            m_error = makeError(ErrorKind::Cancelled, QStringLiteral("the export was cancelled"));
            return false;
        }
        return true;
    }

    qint64 rows = 0;
    std::optional<Error> m_error;

private:
    QIODevice &m_out;
    const std::function<bool(qint64)> &m_progress;
};

bool writeSamples(storage::Repository &repository, const ExportRequest &request,
                  const model::Project &project, bool first, Writer &w)
{
    const bool csv = request.format == ExportFormat::Csv;
    if (!csv) {
        QJsonObject head = model::json::project(project);
        QByteArray opening = compact(head);
        opening.chop(1); // the project object stays open for its samples
        if (!w.write((first ? "\n" : ",\n") + opening + ",\"samples\":["))
            return false;
    }
    std::optional<storage::SampleStore::PageCursor> cursor;
    bool firstSample = true;
    for (;;) {
        auto page =
            repository.samples().page(project.id, request.fromMs, request.toMs, false, cursor, kPageRows);
        if (!page) {
            w.m_error = page.error();
            return false;
        }
        QByteArray chunk;
        for (const storage::SampleRow &row : page.value()) {
            if (csv) {
                chunk += csvField(project.id) + ',' + csvField(project.name) + ',' +
                         isoUtc(row.sample.timestampMs).toLatin1();
                for (const model::MetricInfo &info : metricTable()) {
                    chunk += ',';
                    if (const auto v = row.sample.values[model::metricIndex(info.metric)])
                        chunk += number(*v, info.integer);
                }
                chunk += '\n';
            } else {
                QJsonObject sample = model::json::sample(row.sample);
                sample.remove(QStringLiteral("projectId")); // the enclosing project says it
                chunk += (firstSample ? "\n" : ",\n") + compact(sample);
                firstSample = false;
            }
        }
        if (!w.write(chunk))
            return false;
        w.rows += page->size();
        if (!w.pageDone())
            return false;
        if (page->size() < kPageRows)
            break;
        cursor = storage::SampleStore::PageCursor{page->last().sample.timestampMs, page->last().seq};
    }
    return csv || w.write("]}");
}

bool writeRollups(storage::Repository &repository, const ExportRequest &request,
                  const model::Project &project, bool first, Writer &w)
{
    const bool csv = request.format == ExportFormat::Csv;
    const qint64 resolution = request.content == ExportContent::MinuteRollups ? 60'000 : 3'600'000;
    if (!csv) {
        QByteArray opening = compact(model::json::project(project));
        opening.chop(1);
        if (!w.write((first ? "\n" : ",\n") + opening + ",\"rollups\":{"))
            return false;
    }
    bool firstMetric = true;
    for (const model::MetricInfo &info : metricTable()) {
        auto points =
            repository.samples().rollups(project.id, info.metric, resolution, request.fromMs, request.toMs);
        if (!points) {
            w.m_error = points.error();
            return false;
        }
        QByteArray chunk;
        if (!csv) {
            chunk += (firstMetric ? "\n\"" : ",\n\"") + QByteArray(info.jsonName) + "\":[";
            firstMetric = false;
        }
        bool firstPoint = true;
        for (const storage::RollupPoint &p : points.value()) {
            const QByteArray start = isoUtc(p.bucketStartMs).toLatin1();
            if (csv) {
                chunk += csvField(project.id) + ',' + csvField(project.name) + ',' + start + ',' +
                         info.jsonName + ',' + QByteArray::number(p.count) + ',' + number(p.minimum, false) +
                         ',' + number(p.maximum, false) + ',' + number(p.mean, false) + '\n';
            } else {
                chunk += (firstPoint ? "" : ",") + QByteArray("{\"start\":\"") + start +
                         "\",\"count\":" + QByteArray::number(p.count) +
                         ",\"min\":" + number(p.minimum, false) + ",\"max\":" + number(p.maximum, false) +
                         ",\"mean\":" + number(p.mean, false) + '}';
                firstPoint = false;
            }
        }
        if (!csv)
            chunk += ']';
        if (!w.write(chunk))
            return false;
        w.rows += points->size();
        if (!w.pageDone())
            return false;
    }
    return csv || w.write("}}");
}

} // namespace

std::optional<ExportFormat> exportFormatFromName(const QString &name)
{
    if (name == QLatin1String("csv"))
        return ExportFormat::Csv;
    if (name == QLatin1String("json"))
        return ExportFormat::Json;
    return std::nullopt;
}

std::optional<ExportContent> exportContentFromName(const QString &name)
{
    if (name == QLatin1String("samples"))
        return ExportContent::Samples;
    if (name == QLatin1String("minute"))
        return ExportContent::MinuteRollups;
    if (name == QLatin1String("hour"))
        return ExportContent::HourRollups;
    return std::nullopt;
}

Result<qint64> writeMachineExport(storage::Repository &repository, const ExportRequest &request,
                                  QIODevice &out, const std::function<bool(qint64)> &progress)
{
    if (request.toMs <= request.fromMs)
        return makeError(ErrorKind::BadInput, QStringLiteral("the export's end must come after its start"),
                         QStringLiteral("range"));
    // Every project is known before a byte is written.
    auto found = reportProjects(repository, request.projectIds);
    if (!found)
        return found.error();
    const QList<model::Project> &projects = found.value();
    Writer w(out, progress);
    const bool samples = request.content == ExportContent::Samples;
    bool ok = true;
    if (request.format == ExportFormat::Csv) {
        QByteArray header = samples ? "projectId,projectName,timestamp"
                                    : "projectId,projectName,start,metric,count,min,max,mean";
        if (samples) {
            for (const model::MetricInfo &info : metricTable())
                header += ',' + QByteArray(info.jsonName);
        }
        ok = w.write(header + '\n');
    } else {
        const QByteArray kind = samples                                           ? "samples"
                                : request.content == ExportContent::MinuteRollups ? "minute-rollups"
                                                                                  : "hour-rollups";
        ok = w.write("{\"format\":\"cachewise-" + kind + "\",\"version\":1,\"exportedAt\":\"" +
                     isoUtc(request.exportedAtMs).toLatin1() + "\",\"from\":\"" +
                     isoUtc(request.fromMs).toLatin1() + "\",\"to\":\"" + isoUtc(request.toMs).toLatin1() +
                     "\",\"projects\":[");
    }
    for (qsizetype i = 0; ok && i < projects.size(); ++i)
        ok = samples ? writeSamples(repository, request, projects[i], i == 0, w)
                     : writeRollups(repository, request, projects[i], i == 0, w);
    if (ok && request.format == ExportFormat::Json)
        ok = w.write("\n]}\n");
    if (!ok)
        return *w.m_error;
    return w.rows;
}

} // namespace cachewise::report
