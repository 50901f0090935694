// SPDX-License-Identifier: GPL-3.0-or-later
// test (the listener answers) and the OpenTelemetry names it reads: otlp names, map, unmap.
#include "app/cli/cli.h"
#include "core/ingest/otlp.h"
#include "core/storage/settings.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

namespace cachewise::cli {
namespace {

int test(Context &c)
{
    int code = kOk;
    if (!c.expect(1, &code))
        return code;
    QString base = c.args.options.value(QStringLiteral("url"));
    if (base.isEmpty()) {
        if (!c.openStorage(&code))
            return code;
        auto listen = c.repository.settings().value(storage::setting::ListenAddress);
        if (!listen)
            return c.failure(listen.errorMessage());
        base = QStringLiteral("http://") + listen.value();
    }
    const QUrl url = QUrl(base).resolved(QUrl(QStringLiteral("/api/health")));
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return c.usage(QStringLiteral("--url wants an http(s) URL such as http://127.0.0.1:4318"));
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setTransferTimeout(5000);
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = manager.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const qint64 ms = timer.elapsed();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    if (reply->error() != QNetworkReply::NoError || status != 200 ||
        body.value(QLatin1String("status")).toString() != QLatin1String("ok")) {
        const QString reason = reply->error() != QNetworkReply::NoError
                                   ? reply->errorString()
                                   : QStringLiteral("HTTP %1").arg(status);
        if (c.json)
            printJson(QJsonObject{{QStringLiteral("url"), url.toString()},
                                  {QStringLiteral("ok"), false},
                                  {QStringLiteral("error"), reason}});
        return c.failure(
            QStringLiteral("no CacheWise listener answers at %1: %2").arg(url.toString(), reason));
    }
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("url"), url.toString()},
                              {QStringLiteral("ok"), true},
                              {QStringLiteral("version"), body.value(QLatin1String("version"))},
                              {QStringLiteral("latencyMs"), ms}});
    else
        out(QStringLiteral("ok: CacheWise %1 answers at %2 (%3 ms)")
                .arg(body.value(QLatin1String("version")).toString(), url.toString())
                .arg(ms));
    return kOk;
}

int otlpNames(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code) || !c.openStorage(&code))
        return code;
    auto own = c.repository.settings().otlpNames();
    if (!own)
        return c.failure(own.errorMessage());
    QJsonArray rows;
    QSet<QString> overridden;
    for (const auto &[name, field] : own.value()) {
        rows.append(QJsonObject{{QStringLiteral("name"), name},
                                {QStringLiteral("field"), field},
                                {QStringLiteral("origin"), QStringLiteral("yours")}});
        overridden.insert(ingest::normalisedOtlpName(name));
    }
    for (const auto &[name, field] : ingest::OtlpMapping::defaultNames()) {
        if (!overridden.contains(ingest::normalisedOtlpName(name)))
            rows.append(QJsonObject{{QStringLiteral("name"), name},
                                    {QStringLiteral("field"), ingest::otlpFieldName(field)},
                                    {QStringLiteral("origin"), QStringLiteral("default")}});
    }
    if (c.json) {
        printJson(rows);
        return kOk;
    }
    for (const QJsonValue &row : std::as_const(rows)) {
        const QJsonObject o = row.toObject();
        out(QStringLiteral("%1  %2  (%3)")
                .arg(o.value(QLatin1String("name")).toString(), -40)
                .arg(o.value(QLatin1String("field")).toString(),
                     o.value(QLatin1String("origin")).toString()));
    }
    return kOk;
}

int otlpMap(Context &c, bool map)
{
    int code = kOk;
    if (!c.expect(map ? 4 : 3, &code))
        return code;
    const QString name = c.args.positional.at(2).trimmed();
    const QString field = map ? c.args.positional.at(3) : QString();
    if (map && !ingest::otlpFieldFromName(field))
        return c.usage(QStringLiteral("unknown field '%1' (one of: %2)")
                           .arg(field, ingest::otlpFieldNames().join(QStringLiteral(", "))));
    if (!c.openStorage(&code))
        return code;
    if (map) {
        if (auto saved = c.repository.settings().setOtlpName(name, field); !saved)
            return saved.error().field == QLatin1String("name") ? c.usage(saved.errorMessage())
                                                                : c.failure(saved.errorMessage());
        out(QStringLiteral("%1 is read as %2 (the running app picks it up within a second)")
                .arg(name, field));
        return kOk;
    }
    auto removed = c.repository.settings().removeOtlpName(name);
    if (!removed)
        return c.failure(removed.errorMessage());
    if (!*removed)
        return c.failure(
            QStringLiteral("%1 is not one of your names (see cachewise-cli otlp names)").arg(name));
    out(QStringLiteral("%1: your mapping removed").arg(name));
    return kOk;
}

} // namespace

QList<Command> listenerCommands()
{
    return {
        {{QStringLiteral("test")},
         QStringLiteral("[--url URL]"),
         QStringLiteral("check that a listener answers /api/health (default: the listen.address setting)"),
         {QStringLiteral("url")},
         {},
         {QStringLiteral("test"), QStringLiteral("test --url http://127.0.0.1:4318")},
         test},
        {{QStringLiteral("otlp"), QStringLiteral("names")},
         QStringLiteral(""),
         QStringLiteral("which OpenTelemetry metric names become which fields (the defaults, and your own "
                        "names over them); the project comes from the resource attribute set by `config set "
                        "otlp.projectAttribute KEY`, service.name by default"),
         {},
         {},
         {QStringLiteral("otlp names")},
         otlpNames},
        {{QStringLiteral("otlp"), QStringLiteral("map")},
         QStringLiteral("NAME FIELD"),
         QStringLiteral("read metric NAME as FIELD (or 'ignore' to skip a default name); fields: "
                        "kv_cache_usage_ratio kv_cache_bytes kv_cache_kib kv_cache_capacity_bytes "
                        "memory_bytes requests_running requests_waiting prefix_cache_hit_rate tokens "
                        "preemptions request_duration time_to_first_token time_per_output_token ignore"),
         {},
         {},
         {QStringLiteral("otlp map gen_ai.server.kv_cache.usage kv_cache_usage_ratio")},
         [](Context &c) {
             return otlpMap(c, true);
         }},
        {{QStringLiteral("otlp"), QStringLiteral("unmap")},
         QStringLiteral("NAME"),
         QStringLiteral("forget your mapping of NAME (its default, if any, applies again)"),
         {},
         {},
         {QStringLiteral("otlp unmap gen_ai.server.kv_cache.usage")},
         [](Context &c) {
             return otlpMap(c, false);
         }},
    };
}

} // namespace cachewise::cli
