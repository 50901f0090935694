// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/report/reportdocument.h"

#include "core/analysis/recommender.h"
#include "core/common/units.h"
#include "ui/metrictext.h"
#include "ui/report/reportchart.h"
#include "ui/theme.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

namespace cachewise::ui {
namespace {

using model::Metric;

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

const char *const kStyle = R"(
body { font-family: 'Inter', sans-serif; font-size: 10.5pt; color: #1C1C1E; }
h1 { font-size: 20pt; color: #007AFF; margin: 0 0 6pt 0; }
h2 { font-size: 14pt; margin: 14pt 0 4pt 0; }
h3 { font-size: 11pt; margin: 10pt 0 2pt 0; }
p.muted, td.muted { color: #8E8E93; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid th { background: #F2F2F7; text-align: left; padding: 3pt 6pt; }
table.grid td { border-bottom: 1px solid #E5E5EA; padding: 3pt 6pt; }
td.num { text-align: right; }
span.up { color: #FF9500; } span.down { color: #34C759; }
p.impact { color: #34C759; font-weight: 600; }
)";

QString dateTime(const QLocale &locale, qint64 ms)
{
    return formatDateTime(ms, locale);
}

// "↑ 12 %" against the range before, or "–" when it had no data.
QString trend(const QLocale &locale, const storage::MetricSummary &now, const storage::MetricSummary &before)
{
    if (now.count == 0 || before.count == 0 || before.mean == 0)
        return QStringLiteral("–");
    const double change = 100.0 * (now.mean - before.mean) / std::abs(before.mean);
    const QString arrow = change > 0.5    ? QStringLiteral("↑")
                          : change < -0.5 ? QStringLiteral("↓")
                                          : QStringLiteral("→");
    return QStringLiteral("%1 %2 %").arg(arrow, formatDecimal(std::abs(change), 0, locale));
}

QString engineName(model::Engine engine)
{
    switch (engine) {
    case model::Engine::LlamaCpp: return QStringLiteral("llama.cpp (llama-server)");
    case model::Engine::Vllm: return QStringLiteral("vLLM");
    case model::Engine::Sglang: return QStringLiteral("SGLang");
    case model::Engine::Ollama: return QStringLiteral("Ollama");
    case model::Engine::Generic: break;
    }
    return model::name(engine);
}

} // namespace

QString ReportDocument::html(const report::ReportData &data, const QLocale &locale,
                             QHash<QString, QImage> &images, qreal pixelsPerInch)
{
    const qreal px = pixelsPerInch / 96.0; // CSS pixels to layout pixels
    const QString table =
        QStringLiteral("<table class=\"grid\" width=\"100%\" cellspacing=\"0\" cellpadding=\"%1\">")
            .arg(qRound(4 * px));
    QString out =
        QStringLiteral("<!DOCTYPE html><html lang=\"%1\"><head><meta charset=\"utf-8\"><title>%2</title>"
                       "<style>%3</style></head><body>")
            .arg(locale.bcp47Name(), esc(tr("CacheWise report")), QLatin1String(kStyle));
    // Title page.
    out += QStringLiteral("<h1>%1</h1>").arg(esc(tr("CacheWise report")));
    // The data's own span within the period asked for: what the charts show.
    const bool anyData = data.dataFromMs.has_value();
    const qint64 chartFrom = anyData ? *data.dataFromMs : data.fromMs;
    const qint64 chartTo = anyData ? std::max(*data.dataToMs, *data.dataFromMs + 60'000) : data.toMs;
    if (!anyData)
        out += QStringLiteral("<p><b>%1</b></p>")
                   .arg(esc(tr("No samples from %1 to %2.")
                                .arg(dateTime(locale, data.fromMs), dateTime(locale, data.toMs))));
    else
        out +=
            QStringLiteral("<p>%1</p><p class=\"muted\">%2</p>")
                .arg(
                    esc(tr("Data from %1 to %2").arg(dateTime(locale, chartFrom), dateTime(locale, chartTo))),
                    esc(tr("Period asked for: %1 to %2")
                            .arg(dateTime(locale, data.fromMs), dateTime(locale, data.toMs))));
    out += QStringLiteral("<p class=\"muted\">%1</p>")
               .arg(esc(tr("Generated %1").arg(dateTime(locale, data.generatedAtMs))));
    out += table + QStringLiteral("<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>")
                       .arg(esc(tr("Project")), esc(tr("Model")), esc(tr("Architecture")), esc(tr("Engine")));
    for (const report::ProjectReport &p : data.projects)
        out += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                   .arg(esc(p.project.name), esc(p.project.modelName), esc(p.project.modelArchitecture),
                        esc(p.runtime ? engineName(p.runtime->engine) : tr("not described")));
    out += QStringLiteral("</table>");
    if (data.projects.isEmpty())
        out += QStringLiteral("<p>%1</p>").arg(esc(tr("There are no projects.")));

    int chart = 0;
    for (const report::ProjectReport &p : data.projects) {
        // Without any data a report is one page: nothing to chart, nothing to break for.
        out += (anyData ? QStringLiteral("<h1 style=\"page-break-before: always\">%1</h1>")
                        : QStringLiteral("<h1>%1</h1>"))
                   .arg(esc(p.project.name));
        out += QStringLiteral("<p class=\"muted\">%1 · %2 · %3</p>")
                   .arg(esc(p.project.modelName), esc(p.project.modelArchitecture),
                        esc(p.runtime ? engineName(p.runtime->engine) : tr("engine not described")));

        // KPIs with their trend, and the charts, when there is something to show.
        if (!p.hasSamples) {
            out += QStringLiteral("<p class=\"muted\">%1</p>").arg(esc(tr("No samples in this range.")));
        } else {
            out += QStringLiteral("<h2>%1</h2>").arg(esc(tr("Key figures")));
            out += table + QStringLiteral("<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>")
                               .arg(esc(tr("Metric")), esc(tr("Average")), esc(tr("Peak")),
                                    esc(tr("Against the range before")));
            for (const Metric m : {Metric::KvCacheSizeKB, Metric::KvCacheUsageRatio, Metric::MemoryUsageGB,
                                   Metric::InferenceTimeMs, Metric::TimeToFirstTokenMs,
                                   Metric::TokensPerSecond, Metric::TokensProcessed}) {
                const storage::MetricSummary &s = p.current[model::metricIndex(m)];
                const Unit unit = unitOf(m);
                out += QStringLiteral("<tr><td>%1</td><td class=\"num\">%2</td><td class=\"num\">%3</td>"
                                      "<td class=\"num\">%4</td></tr>")
                           .arg(esc(metricTitle(m)),
                                esc(s.count ? formatValue(s.mean, unit, locale) : QStringLiteral("–")),
                                esc(s.count ? formatValue(s.maximum, unit, locale) : QStringLiteral("–")),
                                esc(trend(locale, s, p.previous[model::metricIndex(m)])));
            }
            out += QStringLiteral("</table>");

            // Charts: only of what the project reported, over the data's span.
            out += QStringLiteral("<h2>%1</h2>").arg(esc(tr("Charts")));
            int index = 0;
            for (const report::ChartSeries &c : p.charts) {
                if (c.points.isEmpty())
                    continue;
                const QString name = QStringLiteral("chart-%1.png").arg(chart++);
                images.insert(name, renderReportChart(c.points, metricTitle(c.metric), unitOf(c.metric),
                                                      chartFrom, chartTo, theme::seriesColor(index++),
                                                      QSize(640, 200), 2.5, locale));
                // In CSS pixels: QTextDocument scales images to the paint device's resolution itself.
                out += QStringLiteral("<p><img src=\"%1\" width=\"640\" height=\"200\"></p>").arg(name);
            }
        }

        // Score and recommendations: of the range's measurements, so none without any.
        if (p.hasSamples) {
            out += QStringLiteral("<h2>%1</h2>").arg(esc(tr("Optimization score")));
            if (p.score.score) {
                out += QStringLiteral("<p><b>%1</b></p>")
                           .arg(esc(tr("%1 of 100").arg(formatDecimal(*p.score.score, 0, locale))));
                out += table + QStringLiteral("<tr><th>%1</th><th>%2</th><th>%3</th></tr>")
                                   .arg(esc(tr("Part")), esc(tr("Weight")), esc(tr("Value")));
                for (const model::ScorePart &part : p.score.parts)
                    out +=
                        QStringLiteral(
                            "<tr><td>%1</td><td class=\"num\">%2 %</td><td class=\"num\">%3</td></tr>")
                            .arg(esc(analysis::scorePartName(part.id)), formatDecimal(part.weight, 0, locale),
                                 esc(part.value ? QStringLiteral("%1 %").arg(
                                                      formatDecimal(100.0 * *part.value, 0, locale))
                                                : tr("not measured")));
                out += QStringLiteral("</table>");
            } else {
                out += QStringLiteral("<p class=\"muted\">%1</p>")
                           .arg(esc(tr("Not enough data for a score yet.")));
            }

            // Recommendations.
            out += QStringLiteral("<h2>%1</h2>").arg(esc(tr("Recommendations")));
            if (p.recommendations.isEmpty())
                out += QStringLiteral("<p class=\"muted\">%1</p>").arg(esc(tr("None: nothing to change.")));
            for (const model::Recommendation &r : p.recommendations) {
                const QJsonObject details = QJsonDocument::fromJson(r.details).object();
                const analysis::RecommendationText text =
                    details.isEmpty() ? analysis::RecommendationText{r.title, r.description, {}, {}, {}}
                                      : analysis::renderRecommendation(details);
                out += QStringLiteral("<h3>%1</h3>").arg(esc(text.title));
                QStringList impact;
                if (r.memorySavingPercent && *r.memorySavingPercent > 0)
                    impact << tr("Estimated memory saving: %1 %")
                                  .arg(formatSignificant(*r.memorySavingPercent, 3, locale));
                if (r.speedIncreasePercent)
                    impact << tr("Estimated speed increase: %1 %")
                                  .arg(formatDecimal(*r.speedIncreasePercent, 0, locale));
                if (r.status == model::RecommendationStatus::Applied)
                    impact << tr("applied");
                if (!impact.isEmpty())
                    out += QStringLiteral("<p class=\"impact\">%1</p>")
                               .arg(esc(impact.join(QStringLiteral(" · "))));
                for (const auto &[label, body] :
                     {std::pair{tr("Observed:"), text.observation}, std::pair{tr("Impact:"), text.impact},
                      std::pair{tr("Speed:"), text.speed}, std::pair{tr("Quality risk:"), text.risk}}) {
                    if (!body.isEmpty())
                        out += QStringLiteral("<p><b>%1</b> %2</p>").arg(esc(label), esc(body));
                }
                const QStringList apply = analysis::applyFlags(details);
                if (!apply.isEmpty())
                    out += QStringLiteral("<p><b>%1</b> <code>%2</code></p>")
                               .arg(esc(tr("How to apply:")), esc(apply.join(QLatin1Char(' '))));
                const QString source = details.value(QLatin1String("source")).toString();
                if (!source.isEmpty())
                    out += QStringLiteral("<p><b>%1</b> %2</p>").arg(esc(tr("Source:")), esc(source));
            }
        }
        // Action log.
        out += QStringLiteral("<h2>%1</h2>").arg(esc(tr("Action log")));
        if (p.actions.isEmpty()) {
            out += QStringLiteral("<p class=\"muted\">%1</p>")
                       .arg(esc(tr("No automated actions in this range.")));
        } else {
            // Widths of their own: QTextDocument would otherwise run the time into the action.
            out +=
                table + QStringLiteral("<tr><th width=\"19%\">%1</th><th width=\"21%\">%2</th>"
                                       "<th width=\"14%\">%3</th><th width=\"46%\">%4</th></tr>")
                            .arg(esc(tr("Time")), esc(tr("Action")), esc(tr("Outcome")), esc(tr("Details")));
            for (const model::ActionLogEntry &a : p.actions)
                out += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                           .arg(esc(dateTime(locale, a.timestampMs)), esc(actionTypeText(a.actionType)),
                                esc(actionStatusText(a.status)), esc(actionDetailsText(a)));
            out += QStringLiteral("</table>");
        }

        // Sources.
        out += QStringLiteral("<h2>%1</h2>").arg(esc(tr("Sources")));
        if (p.sources.isEmpty()) {
            out += QStringLiteral("<p class=\"muted\">%1</p>")
                       .arg(esc(tr("No servers are read for this project; its metrics are pushed.")));
        } else {
            out += table +
                   QStringLiteral("<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>")
                       .arg(esc(tr("Address")), esc(tr("Engine")), esc(tr("State")), esc(tr("Last scrape")));
            for (const model::Source &s : p.sources) {
                QString state = !s.enabled                            ? tr("disabled")
                                : s.state == model::SourceState::Up   ? tr("up")
                                : s.state == model::SourceState::Down ? tr("down")
                                                                      : tr("not read yet");
                if (s.enabled && !s.stateReason.isEmpty())
                    state += QStringLiteral(": ") + s.stateReason;
                out += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                           .arg(esc(s.baseUrl), esc(engineName(s.engine)), esc(state),
                                esc(s.lastScrapeAtMs ? dateTime(locale, *s.lastScrapeAtMs) : tr("never")));
            }
            out += QStringLiteral("</table>");
        }
    }
    out += QStringLiteral("</body></html>");
    return out;
}

Result<void> ReportDocument::writeHtml(const report::ReportData &data, const QLocale &locale,
                                       const QString &path)
{
    QHash<QString, QImage> images;
    QString page = html(data, locale, images);
    for (auto it = images.cbegin(); it != images.cend(); ++it) {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        it.value().save(&buffer, "PNG");
        page.replace(
            QStringLiteral("src=\"%1\"").arg(it.key()),
            QStringLiteral("src=\"data:image/png;base64,%1\"").arg(QString::fromLatin1(png.toBase64())));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.write(page.toUtf8());
    if (!file.commit())
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

Result<void> ReportDocument::writePdf(const report::ReportData &data, const QLocale &locale,
                                      const QString &path)
{
    // QPdfWriter writes as it goes: into a temporary file that becomes the report only when complete.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    {
        QPdfWriter pdf(&file);
        pdf.setTitle(tr("CacheWise report"));
        pdf.setCreator(QStringLiteral("CacheWise " CACHEWISE_VERSION));
        pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                      QMarginsF(18, 16, 18, 14), QPageLayout::Millimeter));
        pdf.setResolution(300);
        // Laid out at the writer's resolution (points stay points), one page body at a time, each page
        // with a footer: the report's title and "page / pages".
        QTextDocument document;
        document.documentLayout()->setPaintDevice(&pdf);
        QHash<QString, QImage> images;
        const QString page = html(data, locale, images, pdf.resolution());
        for (auto it = images.cbegin(); it != images.cend(); ++it)
            document.addResource(QTextDocument::ImageResource, QUrl(it.key()), it.value());
        document.setHtml(page);
        const QSizeF paper = pdf.pageLayout().paintRectPixels(pdf.resolution()).size();
        const qreal footer = 0.35 * pdf.resolution(); // inches
        const QSizeF body(paper.width(), paper.height() - footer);
        document.setPageSize(body);
        QFont small = document.defaultFont();
        small.setPointSizeF(8);
        QPainter painter(&pdf);
        const int pages = document.pageCount();
        for (int i = 0; i < pages; ++i) {
            if (i > 0)
                pdf.newPage();
            painter.save();
            const QRectF view(0, i * body.height(), body.width(), body.height());
            painter.translate(0, -view.top());
            painter.setClipRect(view);
            QAbstractTextDocumentLayout::PaintContext context;
            context.clip = view;
            document.documentLayout()->draw(&painter, context);
            painter.restore();
            painter.setFont(small);
            painter.setPen(QColor(0x8E, 0x8E, 0x93));
            const QRectF foot(0, body.height(), body.width(), footer);
            painter.drawText(foot, Qt::AlignLeft | Qt::AlignBottom, tr("CacheWise report"));
            painter.drawText(foot, Qt::AlignRight | Qt::AlignBottom, tr("%1 / %2").arg(i + 1).arg(pages));
        }
    }
    if (!file.commit())
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace cachewise::ui
