// SPDX-License-Identifier: GPL-3.0-or-later
// source add, list, remove, enable, disable, key, layout, acknowledge, test, discover.
#include "app/cli/cli.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/secretstore.h"
#include "core/common/timeformat.h"
#include "core/services/runtimes.h"
#include "core/sources/discovery.h"
#include "core/sources/llamaserver.h"
#include "core/sources/notices.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTextStream>
#include <QTimer>
#include <QUrl>

namespace cachewise::cli {
namespace {

QJsonObject sourceJson(const model::Source &s)
{
    QJsonObject o{{QStringLiteral("id"), s.id},
                  {QStringLiteral("projectId"), s.projectId},
                  {QStringLiteral("engine"), model::name(s.engine)},
                  {QStringLiteral("url"), s.baseUrl},
                  {QStringLiteral("intervalMs"), s.intervalMs},
                  {QStringLiteral("enabled"), s.enabled},
                  {QStringLiteral("state"), model::name(s.state)},
                  {QStringLiteral("reason"), s.stateReason},
                  {QStringLiteral("apiKey"), s.hasApiKey}};
    if (s.lastScrapeAtMs)
        o.insert(QStringLiteral("lastScrape"), isoUtc(*s.lastScrapeAtMs));
    if (s.lastLatencyMs)
        o.insert(QStringLiteral("latencyMs"), double(*s.lastLatencyMs));
    o.insert(QStringLiteral("kvLayout"), model::name(s.kvLayout));
    if (s.capacityTokens)
        o.insert(QStringLiteral("kvCapacityTokens"), double(*s.capacityTokens));
    QJsonArray notices;
    for (const sources::Notice &n : sources::parseNotices(s.noticesJson))
        notices.append(QJsonObject{{QStringLiteral("code"), n.code},
                                   {QStringLiteral("args"), n.args},
                                   {QStringLiteral("text"), sources::noticeText(n)}});
    o.insert(QStringLiteral("notices"), notices);
    return o;
}

// The source by id, or the exit code (1 when there is none).
std::optional<model::Source> requireSource(Context &c, const QString &id, int *code)
{
    auto all = c.repository.sources().list();
    if (!all) {
        *code = c.failure(all.errorMessage());
        return std::nullopt;
    }
    for (const model::Source &s : *all) {
        if (s.id == id)
            return s;
    }
    *code = c.failure(QStringLiteral("no source with id %1").arg(id));
    return std::nullopt;
}

Result<void> storeSourceKey(Context &c, const QString &sourceId, const QString &secret)
{
    if (auto stored = secrets::writeNow(secrets::sourceKeyName(sourceId), secret); !stored)
        return stored;
    if (auto flagged = c.repository.sources().setHasApiKey(sourceId, true); !flagged)
        return flagged.error();
    return {};
}

bool sourceHasKey(Context &c, const QString &sourceId)
{
    auto all = c.repository.sources().list();
    if (!all)
        return true; // unknown: treat it as keyed, so its key is not left behind
    for (const model::Source &s : all.value()) {
        if (s.id == sourceId)
            return s.hasApiKey;
    }
    return false;
}

// The user's answer to whether a llama-server's slots share one cache. A llama.cpp runtime is made to
// match what the server reports, so the recommendations use the same cache.
int sourceLayout(Context &c)
{
    int code = kOk;
    if (!c.expect(4, &code))
        return code;
    const QString word = c.args.positional.at(3);
    // per-slot is how a user types it; per_slot is the stored name.
    const auto parsed =
        model::parseKvLayout(word == QLatin1String("per-slot") ? QStringLiteral("per_slot") : word);
    if (!parsed)
        return c.usage(QStringLiteral("source layout needs unified, per-slot or unknown"));
    const model::KvLayout layout = *parsed;
    if (!c.openStorage(&code))
        return code;
    const auto source = requireSource(c, c.args.positional.at(2), &code);
    if (!source)
        return code;
    if (auto set = c.repository.sources().setKvLayout(source->id, layout); !set)
        return c.failure(set.errorMessage());
    QString runtimeNote;
    if (layout != model::KvLayout::Unknown) {
        std::optional<std::pair<int, qint64>> shape; // slots, tokens each, as the server reported
        for (const sources::Notice &n : sources::parseNotices(source->noticesJson)) {
            if (n.code == QLatin1String(sources::notice::kKvLayoutUnknown) ||
                n.code == QLatin1String(sources::notice::kRuntimeMismatch))
                shape = std::pair{int(n.args.value(QLatin1String("slots")).toInteger()),
                                  n.args.value(QLatin1String("slotContext")).toInteger()};
        }
        auto runtime = c.repository.runtimes().get(source->projectId);
        if (shape && shape->first > 0 && shape->second > 0 && runtime && runtime->has_value() &&
            (*runtime)->engine == model::Engine::LlamaCpp) {
            const auto matched = analysis::runtimeWithSlots(**runtime, shape->first, shape->second,
                                                            layout == model::KvLayout::Unified);
            if (auto saved = services::saveRuntime(c.repository, source->projectId, matched); !saved)
                return c.failure(saved.errorMessage());
            runtimeNote = QStringLiteral("; the project's runtime is now -c %1 -np %2%3")
                              .arg(matched.context)
                              .arg(matched.parallel)
                              .arg(matched.unified ? QStringLiteral(" --kv-unified") : QString());
        }
    }
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("id"), source->id},
                              {QStringLiteral("kvLayout"), model::name(layout)}});
    else
        out(QStringLiteral("source %1: cache layout %2%3 (the running app uses it at its next scrape)")
                .arg(source->id, model::name(layout), runtimeNote));
    return kOk;
}

// The user has seen that the server restarted and its runtime still holds.
int sourceAcknowledge(Context &c)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    if (!c.openStorage(&code))
        return code;
    const auto source = requireSource(c, c.args.positional.at(2), &code);
    if (!source)
        return code;
    if (auto done = c.repository.sources().acknowledgeRestart(source->id); !done)
        return c.failure(done.errorMessage());
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("id"), source->id}, {QStringLiteral("acknowledged"), true}});
    else
        out(QStringLiteral("source %1: restart acknowledged").arg(source->id));
    return kOk;
}

int sourceAdd(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    if (!c.args.options.contains(QStringLiteral("project")) ||
        !c.args.options.contains(QStringLiteral("url")))
        return c.usage(QStringLiteral("source add needs --project ID and --url URL"));
    std::optional<QString> apiKey;
    if (c.args.flags.contains(QStringLiteral("api-key-stdin"))) {
        apiKey = c.secretFromStdin(QStringLiteral("API key"), &code);
        if (!apiKey)
            return code;
    }
    const auto id = c.projectIdArg(c.args.options.value(QStringLiteral("project")), &code);
    const auto interval = c.integerOption(QStringLiteral("interval-ms"), 2000, 250, 3'600'000, &code);
    if (!id || !interval || !c.openStorage(&code))
        return code;
    model::Source source;
    source.projectId = *id;
    const QString engineName =
        c.args.options.value(QStringLiteral("engine"), model::name(model::Engine::LlamaCpp));
    const auto engine = model::parseEngine(engineName);
    if (!engine || *engine == model::Engine::Generic)
        return c.usage(
            QStringLiteral("Unknown source engine '%1' (llama.cpp, vllm, sglang, ollama).").arg(engineName));
    source.engine = *engine;
    source.baseUrl = c.args.options.value(QStringLiteral("url"));
    source.intervalMs = int(*interval);
    auto added = c.repository.sources().add(source);
    if (!added) {
        // An unknown project or a URL the project already has is a failure, not a misuse of the command.
        if (added.error().kind == ErrorKind::NotFound || added.error().kind == ErrorKind::Conflict)
            return c.failure(added.errorMessage());
        return c.usage(added.errorMessage());
    }
    if (apiKey) {
        // A source whose key could not be kept is not added: it would only ever answer 401.
        if (auto stored = storeSourceKey(c, added->id, *apiKey); !stored) {
            (void)c.repository.sources().remove(added->id);
            return c.failure(QStringLiteral("the source was not added: %1").arg(stored.errorMessage()));
        }
        added.value().hasApiKey = true;
    }
    if (c.json)
        printJson(sourceJson(*added));
    else
        out(QStringLiteral("source %1 added: %2 every %3 ms (the running app picks it up within seconds)")
                .arg(added->id, added->baseUrl)
                .arg(added->intervalMs));
    return kOk;
}

int sourceList(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    QString projectId;
    if (c.args.options.contains(QStringLiteral("project"))) {
        const auto id = c.projectIdArg(c.args.options.value(QStringLiteral("project")), &code);
        if (!id)
            return code;
        projectId = *id;
    }
    if (!c.openStorage(&code))
        return code;
    auto list = c.repository.sources().list(projectId);
    if (!list)
        return c.failure(list.errorMessage());
    if (c.json) {
        QJsonArray array;
        for (const model::Source &s : *list)
            array.append(sourceJson(s));
        printJson(array);
        return kOk;
    }
    for (const model::Source &s : *list) {
        out(QStringLiteral("%1  %2  %3%7  %4%5%6")
                .arg(s.id, model::name(s.engine), s.baseUrl,
                     s.enabled ? model::name(s.state) : QStringLiteral("disabled"))
                .arg(s.stateReason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.stateReason))
                .arg(s.lastLatencyMs ? QStringLiteral(", %1 ms").arg(*s.lastLatencyMs) : QString())
                .arg(s.hasApiKey ? QStringLiteral(" (API key)") : QString()));
        for (const sources::Notice &n : sources::parseNotices(s.noticesJson))
            out(QStringLiteral("    ! %1").arg(sources::noticeText(n)));
    }
    return kOk;
}

int sourceChange(Context &c, const QString &what)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    if (!c.openStorage(&code))
        return code;
    const QString id = c.args.positional.at(2);
    if (what == QLatin1String("remove") && sourceHasKey(c, id)) {
        // The key goes first: a source never outlives its key's removal unnoticed. A keyless source
        // does not touch the keychain (a server may have none).
        if (auto removed = secrets::removeNow(secrets::sourceKeyName(id)); !removed)
            return c.failure(QStringLiteral("the source's API key could not be removed from the OS keychain, "
                                            "so the source was kept: %1")
                                 .arg(removed.errorMessage()));
    }
    auto changed = what == QLatin1String("remove")
                       ? c.repository.sources().remove(id)
                       : c.repository.sources().setEnabled(id, what == QLatin1String("enable"));
    if (!changed)
        return c.failure(changed.errorMessage());
    if (!*changed)
        return c.failure(QStringLiteral("no source with id %1").arg(id));
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("done"), what}});
    else
        out(QStringLiteral("source %1: %2")
                .arg(id, what == QLatin1String("remove") ? QStringLiteral("removed")
                                                         : what + QStringLiteral("d")));
    return kOk;
}

int sourceKey(Context &c)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    const bool remove = c.args.flags.contains(QStringLiteral("remove"));
    if (remove == c.args.flags.contains(QStringLiteral("stdin")))
        return c.usage(QStringLiteral("source key needs --stdin (a new key on standard input) or --remove"));
    if (!c.openStorage(&code))
        return code;
    const QString id = c.args.positional.at(2);
    auto all = c.repository.sources().list();
    if (!all)
        return c.failure(all.errorMessage());
    if (std::none_of(all->cbegin(), all->cend(), [&id](const model::Source &s) { return s.id == id; }))
        return c.failure(QStringLiteral("no source with id %1").arg(id));
    if (remove) {
        // The flag first: the scraper stops sending a key it can no longer read.
        if (auto flagged = c.repository.sources().setHasApiKey(id, false); !flagged)
            return c.failure(flagged.errorMessage());
        if (auto removed = secrets::removeNow(secrets::sourceKeyName(id)); !removed)
            return c.failure(removed.errorMessage());
        out(QStringLiteral("source %1: API key removed").arg(id));
        return kOk;
    }
    const auto secret = c.secretFromStdin(QStringLiteral("API key"), &code);
    if (!secret)
        return code;
    if (auto stored = storeSourceKey(c, id, *secret); !stored)
        return c.failure(stored.errorMessage());
    out(QStringLiteral("source %1: API key kept in the OS keychain").arg(id));
    return kOk;
}

int sourceDiscover(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    const auto targets = sources::probeTargets();
    if (!targets)
        return c.usage(targets.errorMessage());
    sources::Discovery discovery;
    QList<sources::FoundServer> found;
    QEventLoop loop;
    QObject::connect(&discovery, &sources::Discovery::finished, &loop,
                     [&](const QList<sources::FoundServer> &list) {
                         found = list;
                         loop.quit();
                     });
    discovery.start(*targets);
    if (!found.isEmpty() || targets->isEmpty()) {
        // finished() already fired synchronously
    } else {
        loop.exec();
    }
    if (c.json) {
        QJsonArray array;
        for (const sources::FoundServer &f : std::as_const(found))
            array.append(
                QJsonObject{{QStringLiteral("server"), sources::serverName(f)},
                            // LM Studio has no engine CacheWise can read: null, not "generic".
                            {QStringLiteral("engine"),
                             f.lmStudio ? QJsonValue(QJsonValue::Null) : QJsonValue(model::name(f.engine))},
                            {QStringLiteral("url"), f.url},
                            {QStringLiteral("detail"), f.detail},
                            {QStringLiteral("needsApiKey"), f.needsApiKey}});
        printJson(array);
        return kOk;
    }
    if (found.isEmpty())
        out(QStringLiteral("no inference server answers on the usual local ports"));
    for (const sources::FoundServer &f : std::as_const(found)) {
        if (f.lmStudio)
            out(QStringLiteral(
                    "LM Studio  %1  %2   (no metrics endpoint: push from your code with a project's "
                    "API key)")
                    .arg(f.url, f.detail.isEmpty() ? QStringLiteral("no model loaded") : f.detail));
        else
            out(QStringLiteral("%1  %2  %3   (cachewise-cli source add --project ID --url %2 --engine %1%4)")
                    .arg(model::name(f.engine), f.url, f.detail,
                         f.needsApiKey ? QStringLiteral(" --api-key-stdin") : QString()));
    }
    return kOk;
}

int sourceTest(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    const QUrl base(c.args.options.value(QStringLiteral("url")), QUrl::StrictMode);
    if (!base.isValid() || base.host().isEmpty() ||
        (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
        return c.usage(QStringLiteral("source test needs --url http(s)://HOST:PORT"));
    std::optional<QString> apiKey;
    if (c.args.flags.contains(QStringLiteral("api-key-stdin"))) {
        apiKey = c.secretFromStdin(QStringLiteral("API key"), &code);
        if (!apiKey)
            return code;
    }
    constexpr int kTimeoutMs = 5000;
    QNetworkAccessManager network;
    bool timedOut = false;
    QByteArray refusal;
    const auto fetch = [&](const QString &path, int *status) -> QByteArray {
        QNetworkRequest request(QUrl(base.toString() + path));
        request.setTransferTimeout(kTimeoutMs);
        if (apiKey)
            request.setRawHeader("Authorization", "Bearer " + apiKey->toUtf8());
        QNetworkReply *reply = network.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        timedOut = reply->error() == QNetworkReply::OperationCanceledError && *status == 0;
        const QByteArray body = reply->readAll();
        if (*status == 0)
            *status = -1;
        reply->deleteLater();
        if (*status != 200)
            refusal = body;
        return *status == 200 ? body : QByteArray();
    };
    int status = 0;
    const QByteArray propsBody = fetch(QStringLiteral("/props"), &status);
    if (status == 401 && QJsonDocument::fromJson(refusal)
                                 .object()
                                 .value(QLatin1String("error"))
                                 .toObject()
                                 .value(QLatin1String("type"))
                                 .toString() == QLatin1String("authentication_error"))
        return c.failure(
            apiKey ? QStringLiteral("the llama-server at %1 refused the API key").arg(base.toString())
                   : QStringLiteral("the llama-server at %1 needs an API key (it was started with "
                                    "--api-key): give it with --api-key-stdin")
                         .arg(base.toString()));
    if (status != 200)
        return c.failure(timedOut
                             ? QStringLiteral("%1 accepted the connection but sent no answer within %2 s "
                                              "(is the server hung or busy loading?)")
                                   .arg(base.toString())
                                   .arg(kTimeoutMs / 1000)
                         : status < 0 ? QStringLiteral("nothing answers at %1").arg(base.toString())
                                      : QStringLiteral("%1 answered HTTP %2 on /props: not a llama-server")
                                            .arg(base.toString())
                                            .arg(status));
    auto props = sources::parseLlamaProps(propsBody);
    if (!props)
        return c.failure(props.errorMessage());
    const QByteArray slotsBody = fetch(QStringLiteral("/slots"), &status);
    auto slots = sources::parseLlamaSlots(slotsBody);
    QJsonObject result{{QStringLiteral("url"), base.toString()},
                       {QStringLiteral("engine"), QStringLiteral("llama.cpp")},
                       {QStringLiteral("build"), props->buildInfo},
                       {QStringLiteral("model"), props->modelPath},
                       {QStringLiteral("slots"), props->totalSlots},
                       {QStringLiteral("contextPerSlot"), double(props->contextPerSlot)},
                       {QStringLiteral("metrics"), props->metricsEndpoint}};
    if (slots) {
        qint64 tokens = 0;
        for (const sources::LlamaSlot &s : *slots)
            tokens += s.cachedTokens;
        result.insert(QStringLiteral("tokensCached"), double(tokens));
    } else {
        result.insert(QStringLiteral("slotsError"), status == 501
                                                        ? QStringLiteral("/slots is off (start with --slots)")
                                                        : slots.errorMessage());
    }
    // Whether the slots share one cache, as far as the slots tell (a project's runtime or answer may say
    // more).
    const sources::KvLayout layout =
        slots ? sources::llamaCapacity(*slots, sources::KvLayout::Unknown, std::nullopt, 0).layout
              : sources::KvLayout::Unknown;
    result.insert(QStringLiteral("kvLayout"), model::name(layout));
    if (c.json) {
        printJson(result);
        return kOk;
    }
    out(QStringLiteral("llama-server %1 at %2: model %3, %4 slot(s) of %5 tokens, /metrics %6%7")
            .arg(props->buildInfo, base.toString(), props->modelPath)
            .arg(props->totalSlots)
            .arg(props->contextPerSlot)
            .arg(props->metricsEndpoint ? QStringLiteral("on") : QStringLiteral("off (start with --metrics)"))
            .arg(slots ? QStringLiteral(", %1 tokens cached")
                             .arg(result.value(QLatin1String("tokensCached")).toDouble())
                       : QStringLiteral(", ") + result.value(QLatin1String("slotsError")).toString()));
    if (props->totalSlots > 1 && layout == sources::KvLayout::PerSlot)
        out(QStringLiteral("cache:            a cache per slot (the slots hold more tokens than one shared "
                           "cache of %1 could)")
                .arg(props->contextPerSlot));
    else if (props->totalSlots > 1)
        out(QStringLiteral(
                "cache:            one shared cache of %1 tokens (unified, the default without -np) "
                "or %2 × %1 (-np): the HTTP API cannot tell; after source add, say which with "
                "source layout SOURCE_ID unified|per-slot")
                .arg(props->contextPerSlot)
                .arg(props->totalSlots));
    return kOk;
}

} // namespace

QList<Command> sourceCommands()
{
    return {
        {{QStringLiteral("source"), QStringLiteral("add")},
         QStringLiteral("--project ID --url URL [--engine llama.cpp|vllm|sglang|ollama] [--interval-ms N] "
                        "[--api-key-stdin]"),
         QStringLiteral("scrape a server for the project (llama-server: /slots, /props, /metrics); with "
                        "--api-key-stdin the server's API key is read from standard input and kept in the OS "
                        "keychain (never in the database)"),
         {QStringLiteral("project"), QStringLiteral("url"), QStringLiteral("engine"),
          QStringLiteral("interval-ms")},
         {QStringLiteral("api-key-stdin")},
         {QStringLiteral(
              "source add --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --url http://127.0.0.1:8080"),
          QStringLiteral("echo \\\"$LLAMA_API_KEY\\\" | cachewise-cli source add --project "
                         "0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --url http://127.0.0.1:8080 --api-key-stdin")},
         sourceAdd},
        {{QStringLiteral("source"), QStringLiteral("key")},
         QStringLiteral("SOURCE_ID (--stdin | --remove)"),
         QStringLiteral("give a source a new API key (read from standard input) or take it away"),
         {},
         {QStringLiteral("stdin"), QStringLiteral("remove")},
         {QStringLiteral("source key 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e --remove")},
         sourceKey},
        {{QStringLiteral("source"), QStringLiteral("list")},
         QStringLiteral("[--project ID]"),
         QStringLiteral("the sources with their state (up, down and why, last scrape, latency)"),
         {QStringLiteral("project")},
         {},
         {QStringLiteral("source list"),
          QStringLiteral("--json source list --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10")},
         sourceList},
        {{QStringLiteral("source"), QStringLiteral("remove")},
         QStringLiteral("SOURCE_ID"),
         QStringLiteral("stop scraping a server and forget it (and its API key)"),
         {},
         {},
         {QStringLiteral("source remove 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         [](Context &c) {
             return sourceChange(c, QStringLiteral("remove"));
         }},
        {{QStringLiteral("source"), QStringLiteral("enable")},
         QStringLiteral("SOURCE_ID"),
         QStringLiteral("scrape a disabled source again"),
         {},
         {},
         {QStringLiteral("source enable 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         [](Context &c) {
             return sourceChange(c, QStringLiteral("enable"));
         }},
        {{QStringLiteral("source"), QStringLiteral("disable")},
         QStringLiteral("SOURCE_ID"),
         QStringLiteral("stop scraping a source but keep it"),
         {},
         {},
         {QStringLiteral("source disable 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         [](Context &c) {
             return sourceChange(c, QStringLiteral("disable"));
         }},
        {{QStringLiteral("source"), QStringLiteral("layout")},
         QStringLiteral("SOURCE_ID unified|per-slot|unknown"),
         QStringLiteral("say whether a llama-server's slots share one cache (unified, its default without "
                        "-np) or each have their own; a llama.cpp runtime is made to match the server"),
         {},
         {},
         {QStringLiteral("source layout 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e per-slot")},
         sourceLayout},
        {{QStringLiteral("source"), QStringLiteral("acknowledge")},
         QStringLiteral("SOURCE_ID"),
         QStringLiteral("the server restarted and the project's runtime still holds"),
         {},
         {},
         {QStringLiteral("source acknowledge 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         sourceAcknowledge},
        {{QStringLiteral("source"), QStringLiteral("test")},
         QStringLiteral("--url URL [--api-key-stdin]"),
         QStringLiteral("ask a server now whether it is a llama-server and what it holds"),
         {QStringLiteral("url")},
         {QStringLiteral("api-key-stdin")},
         {QStringLiteral("source test --url http://127.0.0.1:8080")},
         sourceTest},
        {{QStringLiteral("source"), QStringLiteral("discover")},
         QStringLiteral(""),
         QStringLiteral("probe the usual local ports (llama-server 8080/9931, vLLM 8000, SGLang 30000, "
                        "Ollama 11434, LM Studio 1234) and list what answers"),
         {},
         {},
         {QStringLiteral("source discover")},
         sourceDiscover},
    };
}

} // namespace cachewise::cli
