// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/ingesthandler.h"

#include "core/common/clock.h"
#include "core/common/gzip.h"
#include "core/common/logging.h"
#include "core/common/random.h"
#include "core/common/timeformat.h"
#include "core/ingest/otlp.h"
#include "core/ingest/samplejson.h"
#include "core/model/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace cachewise::ingest {
namespace {

using http::Request;
using http::Responder;
using http::Response;

constexpr qint64 kKeyTouchIntervalMs = 60'000;

// The API key from "Authorization: Bearer …" or "X-API-Key: …".
QString bearerOrApiKey(const Request &request)
{
    const QByteArray header = request.header("authorization");
    const QByteArrayView auth = QByteArrayView(header).trimmed();
    if (auth.size() > 7 && auth.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(auth.sliced(7).trimmed());
    return QString::fromLatin1(QByteArrayView(request.header("x-api-key")).trimmed());
}

bool isJson(const Request &request)
{
    const QByteArray header = request.header("content-type");
    const QByteArrayView type = QByteArrayView(header);
    const qsizetype semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.first(semicolon))
               .trimmed()
               .compare("application/json", Qt::CaseInsensitive) == 0;
}

std::optional<Response> checkJsonBody(const Request &request)
{
    const QByteArray encoding = request.header("content-encoding").trimmed().toLower();
    if (!encoding.isEmpty() && encoding != "identity")
        return Response::error(
            415, QStringLiteral("unsupported_media_type"),
            QStringLiteral("Content-Encoding %1 is not supported").arg(QString::fromLatin1(encoding)),
            QStringLiteral("Content-Encoding"));
    if (!isJson(request))
        return Response::error(415, QStringLiteral("unsupported_media_type"),
                               QStringLiteral("the body must be JSON (Content-Type: application/json)"),
                               QStringLiteral("Content-Type"));
    return std::nullopt;
}

// What a client is told when a commit failed: what happened, in words; SQLite's own text goes to the log.
QString notStored(const char *what, const QString &cause)
{
    qCWarning(lcIngest) << what << "not stored:" << cause;
    const QString lower = cause.toLower();
    const QString why = lower.contains(QLatin1String("full"))
                            ? QStringLiteral("the disk holding the database is full")
                        : lower.contains(QLatin1String("locked")) || lower.contains(QLatin1String("busy"))
                            ? QStringLiteral("the database is busy")
                            : QStringLiteral("the database could not commit");
    return QStringLiteral("the %1 were not stored: %2; retry later").arg(QLatin1String(what), why);
}

Response storageError(const Error &error)
{
    qCWarning(lcIngest) << "storage error:" << error.message;
    return Response::error(503, QStringLiteral("storage_unavailable"),
                           QStringLiteral("storage is not available"));
}

} // namespace

IngestHandler::IngestHandler(Backend &backend, const Clock &clock, QString adminToken,
                             std::shared_ptr<IngestCounters> counters)
    : m_backend(backend), m_clock(clock), m_adminToken(std::move(adminToken)),
      m_counters(std::move(counters)), m_mailbox(std::make_shared<Mailbox>()), m_startedAt(clock.nowMs())
{
    m_mailbox->receiver = new QObject;
    refreshSettings();
}

IngestHandler::~IngestHandler()
{
    QObject *receiver = nullptr;
    {
        const std::lock_guard lock(m_mailbox->mutex);
        receiver = std::exchange(m_mailbox->receiver, nullptr);
    }
    delete receiver; // drops the answers already posted to it
}

template <typename T> Backend::Done<T> IngestHandler::onThisThread(std::function<void(Result<T>)> next)
{
    return [mailbox = m_mailbox, next = std::move(next)](Result<T> result) mutable {
        const std::lock_guard lock(mailbox->mutex);
        if (!mailbox->receiver)
            return;
        QMetaObject::invokeMethod(
            mailbox->receiver,
            [next = std::move(next), result = std::move(result)]() mutable { next(std::move(result)); },
            Qt::QueuedConnection);
    };
}

void IngestHandler::refreshSettings()
{
    // The backend keeps the settings current (the CLI may change them while the app runs); copied only when
    // they changed.
    if (m_settings.generation != 0 && m_backend.settingsGeneration() == m_settings.generation)
        return;
    IngestSettings latest = m_backend.settings();
    // The OpenTelemetry mapping: the defaults, the user's names over them; a name mapped to a field this
    // version does not know is skipped (it may come from a newer CacheWise).
    OtlpMapping mapping;
    if (!latest.otlpProjectAttribute.isEmpty())
        mapping.setProjectAttribute(latest.otlpProjectAttribute);
    for (const auto &[name, fieldName] : std::as_const(latest.otlpNames)) {
        if (const auto field = otlpFieldFromName(fieldName))
            mapping.map(name, *field);
    }
    m_otlpMapping = mapping;
    m_settings = std::move(latest);
}

namespace {

QString errorCodeOf(const Response &response)
{
    return QJsonDocument::fromJson(response.body)
        .object()
        .value(QLatin1String("error"))
        .toString(QStringLiteral("http_%1").arg(response.status));
}

// The same error for a protobuf exporter: google.rpc.Status with the message, headers kept.
Response asOtlpStatus(Response response)
{
    const QString message =
        QJsonDocument::fromJson(response.body).object().value(QLatin1String("message")).toString();
    const int grpcCode = response.status == 429   ? 8  // RESOURCE_EXHAUSTED
                         : response.status == 401 ? 16 // UNAUTHENTICATED
                         : response.status >= 500 ? 14 // UNAVAILABLE
                                                  : 3; // INVALID_ARGUMENT
    Response out;
    out.status = response.status;
    for (const auto &[name, value] : response.headers) {
        if (name.toLower() != "content-type")
            out.headers.append({name, value});
    }
    out.setHeader("Content-Type", "application/x-protobuf");
    out.body = encodeOtlpStatus(grpcCode, message);
    return out;
}

// A metric family's HELP and TYPE lines (Prometheus text format 0.0.4).
void appendFamily(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', 17);
}

// What an OTLP exporter expects on success: `{}` in JSON, an empty ExportMetricsServiceResponse in protobuf.
Response otlpSuccess(bool protobuf)
{
    if (!protobuf)
        return Response::json(200, QJsonObject{});
    Response r;
    r.setHeader("Content-Type", "application/x-protobuf");
    return r;
}

// Whether what follows the name in a Host header is a port or nothing (uri-host [ ":" port ], port = *DIGIT).
bool isPortOrNothing(QByteArrayView rest)
{
    return rest.isEmpty() || (rest.front() == ':' && std::all_of(rest.begin() + 1, rest.end(), [](char c) {
                                  return c >= '0' && c <= '9';
                              }));
}

// The name a Host header gives, without its port ("[::1]" keeps its brackets, "localhost." loses its dot);
// empty when what follows the name is not a port.
QByteArrayView hostName(QByteArrayView header)
{
    const QByteArrayView value = header.trimmed();
    qsizetype end = value.size();
    if (value.startsWith('[')) {
        end = value.indexOf(']') + 1;
        if (end == 0)
            return {};
    } else if (const qsizetype colon = value.indexOf(':'); colon >= 0) {
        end = colon;
    }
    if (!isPortOrNothing(value.sliced(end)))
        return {};
    const QByteArrayView name = value.first(end);
    return name.endsWith('.') ? name.chopped(1) : name;
}

} // namespace

bool hostAllowed(const QByteArray &hostHeader, const QStringList &extraNames)
{
    const QByteArrayView name = hostName(hostHeader);
    if (name.isEmpty())
        return false;
    // The usual names are compared as they are, without building strings: every request asks.
    if (name == "127.0.0.1" || name.compare("localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QString host = QString::fromLatin1(name).toLower();
    if (extraNames.contains(host))
        return true;
    const QString literal = host.startsWith(QLatin1Char('[')) ? host.mid(1, host.size() - 2) : host;
    const QHostAddress address(literal);
    return !address.isNull() && address.isLoopback();
}

void IngestHandler::reply(const Responder &responder, Response response, bool protobuf)
{
    if (response.status >= 500)
        m_counters->serverErrors.fetch_add(1);
    else if (response.status >= 400)
        m_counters->clientErrors.fetch_add(1);
    if (response.status >= 400)
        m_counters->refused(errorCodeOf(response));
    // A protobuf exporter reads errors as google.rpc.Status, counted above like any refusal.
    responder.send(protobuf && response.status >= 400 ? asOtlpStatus(std::move(response))
                                                      : std::move(response));
}

std::optional<Response> IngestHandler::rateLimited(const QString &bucketId)
{
    if (m_settings.ratePerSecond <= 0)
        return std::nullopt;
    const qint64 now = m_clock.nowMs();
    const double burst = std::max(1.0, m_settings.ratePerSecond * 2);
    RateBucket &bucket = m_buckets[bucketId];
    if (bucket.updatedAtMs == 0)
        bucket.tokens = burst;
    else
        bucket.tokens = std::min(burst, bucket.tokens + double(now - bucket.updatedAtMs) / 1000.0 *
                                                            m_settings.ratePerSecond);
    bucket.updatedAtMs = now;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return std::nullopt;
    }
    const double waitSeconds = (1.0 - bucket.tokens) / m_settings.ratePerSecond;
    const int retryAfter = std::max(1, int(std::ceil(waitSeconds)));
    Response r = Response::error(429, QStringLiteral("rate_limited"),
                                 QStringLiteral("more than %1 requests per second; retry after %2 s")
                                     .arg(m_settings.ratePerSecond)
                                     .arg(retryAfter));
    r.setHeader("Retry-After", QByteArray::number(retryAfter));
    return r;
}

void IngestHandler::handle(const Request &request, const Responder &responder)
{
    m_counters->requests.fetch_add(1);
    refreshSettings();
    // DNS rebinding: a web page whose name resolves to 127.0.0.1 reaches this listener with its own name
    // in Host. Only loopback names (and the user's) are answered, before any other work.
    if (!m_anyHost && !hostAllowed(request.header("host"), m_settings.allowedHosts)) {
        const bool missing = !request.hasHeader("host");
        return reply(responder,
                     Response::error(
                         421, missing ? QStringLiteral("missing_host") : QStringLiteral("host_not_allowed"),
                         missing ? QStringLiteral("a request must name its Host")
                                 : QStringLiteral("this listener answers only 127.0.0.1, localhost, [::1] "
                                                  "and the names in listen.allowedHosts, not %1")
                                       .arg(QString::fromLatin1(request.header("host").left(253)))));
    }

    using Method = void (IngestHandler::*)(const Request &, const Responder &);
    struct Route
    {
        QByteArray method;
        QString path; // exact path, or a prefix when byId
        bool byId;
        Method handler;
    };
    static const Route routes[] = {
        {"GET", QStringLiteral("/api/health"), false, &IngestHandler::health},
        {"GET", QStringLiteral("/metrics"), false, &IngestHandler::selfMetrics},
        {"POST", QStringLiteral("/api/metrics"), false, &IngestHandler::postMetrics},
        {"POST", QStringLiteral("/v1/metrics"), false, &IngestHandler::postOtlp},
        {"GET", QStringLiteral("/api/projects"), false, &IngestHandler::listProjects},
        {"POST", QStringLiteral("/api/projects"), false, &IngestHandler::createProject},
        {"GET", QStringLiteral("/api/projects/"), true, &IngestHandler::showProject},
        {"GET", QStringLiteral("/api/recommendations/"), true, &IngestHandler::showRecommendations},
    };
    // POST /api/actions/{id}/ack
    static const QString actionsPrefix = QStringLiteral("/api/actions/");
    if (request.path.startsWith(actionsPrefix) && request.path.endsWith(QLatin1String("/ack"))) {
        const QString id =
            request.path.mid(actionsPrefix.size(), request.path.size() - actionsPrefix.size() - 4);
        if (!id.isEmpty() && !id.contains(QLatin1Char('/'))) {
            if (request.method != "POST") {
                Response r = Response::error(405, QStringLiteral("method_not_allowed"),
                                             QStringLiteral("%1 is not allowed on %2")
                                                 .arg(QString::fromLatin1(request.method), request.path));
                r.setHeader("Allow", "POST");
                return reply(responder, std::move(r));
            }
            return acknowledgeAction(request, responder, id);
        }
    }
    QByteArrayList allowed;
    for (const Route &route : routes) {
        const bool matches =
            route.byId ? (request.path.startsWith(route.path) && request.path.size() > route.path.size() &&
                          !request.path.mid(route.path.size()).contains(QLatin1Char('/')))
                       : request.path == route.path;
        if (!matches)
            continue;
        if (route.method == request.method)
            return (this->*route.handler)(request, responder);
        allowed << route.method;
    }
    if (!allowed.isEmpty()) {
        Response r = Response::error(
            405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed on %2").arg(QString::fromLatin1(request.method), request.path));
        r.setHeader("Allow", allowed.join(", "));
        return reply(responder, std::move(r));
    }
    reply(responder, Response::error(404, QStringLiteral("not_found"),
                                     QStringLiteral("no such endpoint: %1").arg(request.path)));
}

void IngestHandler::health(const Request &, const Responder &responder)
{
    reply(responder,
          Response::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                          {QStringLiteral("version"), QStringLiteral(CACHEWISE_VERSION)},
                                          {QStringLiteral("uptimeSeconds"),
                                           double(m_clock.nowMs() - m_startedAt) / 1000.0}}));
}

void IngestHandler::authenticate(const Request &request, const Responder &responder, bool protobuf,
                                 Keyed next)
{
    const QString secret = bearerOrApiKey(request);
    if (secret.isEmpty()) {
        Response r =
            Response::error(401, QStringLiteral("missing_api_key"),
                            QStringLiteral("send the project's API key as 'Authorization: Bearer <key>' or "
                                           "'X-API-Key: <key>'"),
                            QStringLiteral("Authorization"));
        r.setHeader("WWW-Authenticate", "Bearer");
        return reply(responder, std::move(r), protobuf);
    }
    // Keys read before are in memory: no trip to the database, and nothing of the request copied. One revoked
    // since is refused by the writer, inside the transaction (submit with the key's id).
    if (const std::optional<model::ApiKey> cached = m_backend.cachedApiKey(secret)) {
        if (cached->revoked())
            return reply(responder, keyRefused(true), protobuf);
        return next(request, responder, *cached);
    }
    m_backend.findApiKey(secret, onThisThread<std::optional<model::ApiKey>>(
                                     [this, request, responder, protobuf,
                                      next = std::move(next)](Result<std::optional<model::ApiKey>> found) {
                                         if (!found)
                                             return reply(responder, storageError(found.error()), protobuf);
                                         const std::optional<model::ApiKey> &key = found.value();
                                         if (!key || key->revoked())
                                             return reply(responder, keyRefused(key.has_value()), protobuf);
                                         next(request, responder, *key);
                                     }));
}

Response IngestHandler::keyRefused(bool revoked)
{
    Response r = Response::error(
        401, revoked ? QStringLiteral("revoked_api_key") : QStringLiteral("invalid_api_key"),
        revoked ? QStringLiteral("this API key has been revoked") : QStringLiteral("unknown API key"),
        QStringLiteral("Authorization"));
    r.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
}

void IngestHandler::postMetrics(const Request &request, const Responder &responder)
{
    authenticate(request, responder, false,
                 [this](const Request &keyedRequest, const Responder &replyTo, const model::ApiKey &key) {
                     pushWithKey(keyedRequest, replyTo, key);
                 });
}

void IngestHandler::pushWithKey(const Request &request, const Responder &responder, const model::ApiKey &key)
{
    if (auto limited = rateLimited(key.id))
        return reply(responder, std::move(*limited));

    if (auto bad = checkJsonBody(request))
        return reply(responder, std::move(*bad));

    SampleParseOptions options;
    options.nowMs = m_clock.nowMs();
    options.maxSamples = m_settings.maxSamples;
    options.maxFutureSkewMs = m_settings.maxFutureSkewMs;
    options.maxProcessedDataBytes = m_settings.maxProcessedDataBytes;
    SampleParseResult parsed = parseSamples(request.body, options);
    if (auto *error = std::get_if<SampleParseError>(&parsed))
        return reply(responder, Response::error(error->status, error->code, error->message, error->field));
    QList<model::MetricSample> samples = std::get<QList<model::MetricSample>>(std::move(parsed));

    // A sample of another project: 404 when there is no such project, else 403.
    for (const model::MetricSample &s : std::as_const(samples)) {
        if (s.projectId == key.projectId)
            continue;
        const QString other = s.projectId;
        return m_backend.project(
            other,
            onThisThread<std::optional<model::Project>>([this, responder, other, keyProject = key.projectId](
                                                            Result<std::optional<model::Project>> project) {
                if (!project)
                    return reply(responder, storageError(project.error()));
                if (!project.value())
                    return reply(responder,
                                 Response::error(404, QStringLiteral("unknown_project"),
                                                 QStringLiteral("no project with id %1").arg(other),
                                                 QStringLiteral("projectId")));
                reply(responder,
                      Response::error(
                          403, QStringLiteral("forbidden_project"),
                          QStringLiteral("this API key may only write to project %1").arg(keyProject),
                          QStringLiteral("projectId")));
            }));
    }
    submitPush(key, std::move(samples), responder);
}

void IngestHandler::submitPush(const model::ApiKey &key, QList<model::MetricSample> samples,
                               const Responder &responder)
{
    const qint64 now = m_clock.nowMs();
    if (now - m_keyTouched.value(key.id, 0) >= kKeyTouchIntervalMs) {
        m_keyTouched.insert(key.id, now);
        m_backend.recordKeyUse(key.id, now);
    }
    m_backend.submit(
        std::move(samples), key.id, [counters = m_counters, responder](const SubmitOutcome &outcome) {
            // Any thread: only atomics and the thread-safe responder.
            if (outcome.ok()) {
                counters->samplesAccepted.fetch_add(quint64(outcome.accepted));
                if (outcome.actions.isEmpty()) {
                    // The common answer, written out: the same bytes as the JSON document below. Literals and
                    // a shared header list, so that answering a single sample allocates nothing here.
                    static const http::HeaderList kJsonType{
                        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
                    Response r;
                    r.status = 200;
                    r.body = outcome.accepted == 1 ? QByteArrayLiteral("{\"accepted\":1,\"actions\":[]}")
                                                   : "{\"accepted\":" + QByteArray::number(outcome.accepted) +
                                                         ",\"actions\":[]}";
                    r.headers = kJsonType;
                    return responder.send(std::move(r));
                }
                responder.send(
                    Response::json(200, QJsonObject{{QStringLiteral("accepted"), outcome.accepted},
                                                    {QStringLiteral("actions"), outcome.actions}}));
            } else if (outcome.errorKind == ErrorKind::Conflict) {
                counters->clientErrors.fetch_add(1);
                counters->refused(QStringLiteral("revoked_api_key"));
                responder.send(keyRefused(true));
            } else if (outcome.errorKind == ErrorKind::NotFound) {
                counters->clientErrors.fetch_add(1);
                responder.send(Response::error(404, QStringLiteral("unknown_project"), outcome.error,
                                               QStringLiteral("projectId")));
            } else {
                counters->serverErrors.fetch_add(1);
                Response r = Response::error(503, QStringLiteral("storage_unavailable"),
                                             notStored("samples", outcome.error));
                r.setHeader("Retry-After", "1");
                responder.send(std::move(r));
            }
        });
}

void IngestHandler::postOtlp(const Request &request, const Responder &responder)
{
    const QByteArray type = request.header("content-type").split(';').first().trimmed().toLower();
    const bool protobuf = type == "application/x-protobuf";
    if (!protobuf && type != "application/json")
        return reply(responder,
                     Response::error(415, QStringLiteral("unsupported_media_type"),
                                     QStringLiteral("OTLP/HTTP bodies are application/json or "
                                                    "application/x-protobuf"),
                                     QStringLiteral("Content-Type")),
                     false);
    // A project key names the project; without one, only programs on this machine are taken, each under
    // a project named by its project attribute (service.name unless the user chose another), created on
    // first sight, so default SDK settings just work.
    if (!bearerOrApiKey(request).isEmpty())
        return authenticate(request, responder, protobuf,
                            [this, protobuf](const Request &keyedRequest, const Responder &replyTo,
                                             const model::ApiKey &key) {
                                receiveOtlp(keyedRequest, replyTo, protobuf, key);
                            });
    if (!request.peer.isLoopback())
        return reply(responder,
                     Response::error(401, QStringLiteral("missing_api_key"),
                                     QStringLiteral("OTLP from another machine needs a project's API key"),
                                     QStringLiteral("Authorization")),
                     protobuf);
    receiveOtlp(request, responder, protobuf, std::nullopt);
}

void IngestHandler::receiveOtlp(const Request &request, const Responder &responder, bool protobuf,
                                const std::optional<model::ApiKey> &key)
{
    if (auto limited = rateLimited(key ? key->id : QStringLiteral("otlp-loopback")))
        return reply(responder, std::move(*limited), protobuf);
    QByteArray body = request.body;
    const QByteArray encoding = request.header("content-encoding").trimmed().toLower();
    if (encoding == "gzip") {
        auto inflated = gunzip(body, m_settings.maxBodyBytes);
        if (!inflated)
            return reply(responder,
                         Response::error(inflated.error().kind == ErrorKind::TooLarge ? 413 : 400,
                                         inflated.error().kind == ErrorKind::TooLarge
                                             ? QStringLiteral("too_large")
                                             : QStringLiteral("invalid_gzip"),
                                         inflated.errorMessage(), QStringLiteral("Content-Encoding")),
                         protobuf);
        body = std::move(inflated).value();
    } else if (!encoding.isEmpty() && encoding != "identity") {
        return reply(responder,
                     Response::error(415, QStringLiteral("unsupported_media_type"),
                                     QStringLiteral("Content-Encoding %1 is not supported (gzip is)")
                                         .arg(QString::fromLatin1(encoding)),
                                     QStringLiteral("Content-Encoding")),
                     protobuf);
    }
    auto decoded = protobuf ? decodeOtlpProtobuf(body) : decodeOtlpJson(body);
    if (!decoded)
        return reply(responder, Response::error(400, QStringLiteral("invalid_otlp"), decoded.errorMessage()),
                     protobuf);
    auto parsed = mapOtlp(decoded.value(), m_otlpMapping, m_clock.nowMs(), m_otlpCounters);
    if (!parsed)
        return reply(responder, Response::error(400, QStringLiteral("invalid_otlp"), parsed.errorMessage()),
                     protobuf);
    QList<OtlpResource> resources;
    SampleParseOptions rules;
    rules.nowMs = m_clock.nowMs();
    rules.maxFutureSkewMs = m_settings.maxFutureSkewMs;
    QList<OtlpResource> mapped = std::move(parsed).value();
    for (qsizetype i = 0; i < mapped.size(); ++i) {
        OtlpResource &r = mapped[i];
        if (r.mapped == 0)
            continue; // nothing CacheWise knows how to read
        // The push API's rules for what is stored: a sum of huge points is not finite, a time in 2200 or
        // 1970 is refused, all or nothing.
        if (const auto refused = checkSample(r.sample, rules, QStringLiteral("resourceMetrics[%1]").arg(i)))
            return reply(responder,
                         Response::error(400, QStringLiteral("invalid_otlp"),
                                         QStringLiteral("%1 (%2)").arg(refused->message, refused->code),
                                         refused->field),
                         protobuf);
        resources << std::move(r);
    }
    if (resources.isEmpty())
        return reply(responder, otlpSuccess(protobuf));
    if (key) {
        QList<model::MetricSample> samples;
        for (OtlpResource &r : resources) {
            r.sample.projectId = key->projectId;
            samples << r.sample; // what the program does not report stays out (never stored as 0)
        }
        return submitOtlp(std::move(samples), key->id, protobuf, responder);
    }
    QStringList names;
    for (const OtlpResource &r : std::as_const(resources))
        names << r.projectName;
    m_backend.otlpProjects(
        names, m_settings.maxKeylessProjects,
        onThisThread<QHash<QString, QString>>([this, responder, protobuf, resources = std::move(resources)](
                                                  Result<QHash<QString, QString>> ids) mutable {
            if (!ids && ids.error().kind == ErrorKind::Conflict)
                return reply(responder,
                             Response::error(401, QStringLiteral("project_has_keys"), ids.errorMessage(),
                                             QStringLiteral("Authorization")),
                             protobuf);
            if (!ids && ids.error().kind == ErrorKind::TooLarge)
                return reply(responder,
                             Response::error(403, QStringLiteral("too_many_projects"), ids.errorMessage()),
                             protobuf);
            if (!ids)
                return reply(responder, storageError(ids.error()), protobuf);
            QList<model::MetricSample> samples;
            for (OtlpResource &r : resources) {
                r.sample.projectId = ids->value(r.projectName);
                samples << r.sample;
            }
            submitOtlp(std::move(samples), QString(), protobuf, responder);
        }));
}

void IngestHandler::submitOtlp(QList<model::MetricSample> samples, const QString &keyId, bool protobuf,
                               const Responder &responder)
{
    m_backend.submit(std::move(samples), keyId,
                     [counters = m_counters, responder, protobuf](const SubmitOutcome &outcome) {
                         if (outcome.ok()) {
                             counters->samplesAccepted.fetch_add(quint64(outcome.accepted));
                             responder.send(otlpSuccess(protobuf));
                         } else if (outcome.errorKind == ErrorKind::Conflict) {
                             counters->clientErrors.fetch_add(1);
                             counters->refused(QStringLiteral("revoked_api_key"));
                             responder.send(protobuf ? asOtlpStatus(keyRefused(true)) : keyRefused(true));
                         } else {
                             counters->serverErrors.fetch_add(1);
                             counters->refused(QStringLiteral("storage_unavailable"));
                             Response r = Response::error(503, QStringLiteral("storage_unavailable"),
                                                          notStored("metrics", outcome.error));
                             r.setHeader("Retry-After", "1");
                             responder.send(protobuf ? asOtlpStatus(std::move(r)) : std::move(r));
                         }
                     });
}

void IngestHandler::selfMetrics(const Request &, const Responder &responder)
{
    // CacheWise's own state for Prometheus (text format 0.0.4); promtool finds nothing to lint.
    QByteArray out;
    const auto family = [&out](const char *name, const char *type, const char *help) {
        appendFamily(out, name, type, help);
    };
    family("cachewise_requests_total", "counter", "HTTP requests handled by the listener.");
    out += "cachewise_requests_total " + QByteArray::number(m_counters->requests.load()) + '\n';
    family("cachewise_samples_accepted_total", "counter", "Samples committed to the database.");
    out +=
        "cachewise_samples_accepted_total " + QByteArray::number(m_counters->samplesAccepted.load()) + '\n';
    family("cachewise_requests_refused_total", "counter", "Requests refused by the listener, by error code.");
    const QHash<QString, quint64> refused = m_counters->refusedByCode();
    QStringList codes = refused.keys();
    codes.sort();
    for (const QString &code : std::as_const(codes))
        out += "cachewise_requests_refused_total{reason=\"" + code.toUtf8() + "\"} " +
               QByteArray::number(refused.value(code)) + '\n';
    family("cachewise_write_queue_samples", "gauge", "Samples waiting for the next database transaction.");
    out += "cachewise_write_queue_samples " + QByteArray::number(m_backend.queuedSamples()) + '\n';
    family("cachewise_commit_duration_seconds", "histogram",
           "Time from the start of a database transaction to its durable commit.");
    const LatencyHistogram &latency = m_backend.commitLatency();
    for (std::size_t i = 0; i < LatencyHistogram::kBounds.size(); ++i)
        out += "cachewise_commit_duration_seconds_bucket{le=\"" + number(LatencyHistogram::kBounds[i]) +
               "\"} " + QByteArray::number(latency.cumulative(i)) + '\n';
    out +=
        "cachewise_commit_duration_seconds_bucket{le=\"+Inf\"} " + QByteArray::number(latency.count()) + '\n';
    out += "cachewise_commit_duration_seconds_sum " + number(latency.sumSeconds()) + '\n';
    out += "cachewise_commit_duration_seconds_count " + QByteArray::number(latency.count()) + '\n';
    m_backend.selfState(onThisThread<SelfState>([this, responder, out](Result<SelfState> state) mutable {
        if (!state)
            return reply(responder, storageError(state.error()));
        appendStoredState(out, state.value());
        Response r;
        r.status = 200;
        r.setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        r.body = out;
        reply(responder, std::move(r));
    }));
}

void IngestHandler::appendStoredState(QByteArray &out, const SelfState &state) const
{
    const auto family = [&out](const char *name, const char *type, const char *help) {
        appendFamily(out, name, type, help);
    };
    family("cachewise_database_size_bytes", "gauge", "Size of the database file and its write-ahead log.");
    out += "cachewise_database_size_bytes " + QByteArray::number(state.databaseBytes) + '\n';
    family("cachewise_uptime_seconds", "gauge", "Seconds since the listener started.");
    out += "cachewise_uptime_seconds " + number(double(m_clock.nowMs() - m_startedAt) / 1000.0) + '\n';

    // Each project's latest KV figures.
    const auto label = [](const QString &v) {
        return v.toUtf8().replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    };
    QByteArray kv;
    QByteArray capacity;
    QByteArray ratio;
    for (const auto &[p, s] : state.latestSamples) {
        const QByteArray labels = "{project_id=\"" + p.id.toUtf8() + "\",project=\"" + label(p.name) + "\"} ";
        if (const auto v = s.value(model::Metric::KvCacheSizeKB))
            kv += "cachewise_project_kv_cache_bytes" + labels + number(*v * 1024.0) + '\n';
        if (const auto v = s.value(model::Metric::KvCacheCapacityKB))
            capacity += "cachewise_project_kv_cache_capacity_bytes" + labels + number(*v * 1024.0) + '\n';
        if (const auto v = s.value(model::Metric::KvCacheUsageRatio))
            ratio += "cachewise_project_kv_cache_usage_ratio" + labels + number(*v) + '\n';
    }
    family("cachewise_project_kv_cache_bytes", "gauge", "The KV cache size each project reported last.");
    out += kv;
    family("cachewise_project_kv_cache_capacity_bytes", "gauge",
           "The KV cache capacity each project reported last.");
    out += capacity;
    family("cachewise_project_kv_cache_usage_ratio", "gauge",
           "The share of its KV cache each project used last.");
    out += ratio;

    // The sources the app reads, with their last state.
    QByteArray up;
    QByteArray scrape;
    for (const model::Source &src : state.sources) {
        if (!src.enabled)
            continue;
        const QByteArray labels = "{source_id=\"" + src.id.toUtf8() + "\",project_id=\"" +
                                  src.projectId.toUtf8() + "\",engine=\"" + label(model::name(src.engine)) +
                                  "\",url=\"" + label(src.baseUrl) + "\"} ";
        up += "cachewise_source_up" + labels + (src.state == model::SourceState::Up ? "1" : "0") + '\n';
        if (src.lastLatencyMs)
            scrape += "cachewise_source_scrape_duration_seconds" + labels +
                      number(double(*src.lastLatencyMs) / 1000.0) + '\n';
    }
    family("cachewise_source_up", "gauge",
           "Whether each enabled source answered its last scrape (1) or not (0).");
    out += up;
    family("cachewise_source_scrape_duration_seconds", "gauge", "How long each source's last scrape took.");
    out += scrape;
}

void IngestHandler::acknowledgeAction(const Request &request, const Responder &responder,
                                      const QString &actionId)
{
    authenticate(
        request, responder, false,
        [this, actionId](const Request &keyedRequest, const Responder &replyTo, const model::ApiKey &key) {
            acknowledgeWithKey(keyedRequest, replyTo, actionId, key);
        });
}

void IngestHandler::acknowledgeWithKey(const Request &request, const Responder &responder,
                                       const QString &actionId, const model::ApiKey &key)
{
    if (auto bad = checkJsonBody(request))
        return reply(responder, std::move(*bad));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return reply(responder, Response::error(400, QStringLiteral("invalid_json"),
                                                QStringLiteral("the body must be a JSON object: %1")
                                                    .arg(error.error != QJsonParseError::NoError
                                                             ? error.errorString()
                                                             : QStringLiteral("not an object"))));
    const QJsonObject body = doc.object();
    const QJsonValue outcome = body.value(QLatin1String("outcome"));
    const QJsonValue message = body.value(QLatin1String("message"));
    if (!outcome.isString() ||
        (outcome.toString() != QLatin1String("success") && outcome.toString() != QLatin1String("failed")))
        return reply(responder,
                     Response::error(400, QStringLiteral("invalid_outcome"),
                                     QStringLiteral("\"outcome\" must be \"success\" or \"failed\""),
                                     QStringLiteral("outcome")));
    if (!message.isUndefined() && !message.isString())
        return reply(responder, Response::error(400, QStringLiteral("invalid_message"),
                                                QStringLiteral("\"message\" must be a string"),
                                                QStringLiteral("message")));
    m_backend.acknowledgeAction(
        key.projectId, actionId, outcome.toString(), message.toString(),
        onThisThread<model::ActionLogEntry>([this, responder, actionId](Result<model::ActionLogEntry> acked) {
            if (!acked) {
                const ErrorKind kind = acked.error().kind;
                if (kind == ErrorKind::NotFound)
                    return reply(
                        responder,
                        Response::error(
                            404, QStringLiteral("unknown_action"),
                            QStringLiteral("no pending action %1 for this key's project").arg(actionId)));
                if (kind == ErrorKind::Conflict)
                    return reply(responder, Response::error(409, QStringLiteral("already_acknowledged"),
                                                            acked.errorMessage()));
                return reply(responder, storageError(acked.error()));
            }
            reply(responder, Response::json(200, model::json::action(*acked)));
        }));
}

bool IngestHandler::checkAdmin(const Request &request, const Responder &responder)
{
    QString token = bearerOrApiKey(request);
    if (token.isEmpty())
        token = QString::fromLatin1(request.header("x-admin-token").trimmed());
    if (!token.isEmpty() && random::equalConstantTime(token.toUtf8(), m_adminToken.toUtf8()))
        return true;
    Response r = Response::error(
        401, token.isEmpty() ? QStringLiteral("missing_admin_token") : QStringLiteral("invalid_admin_token"),
        QStringLiteral("this endpoint needs the local admin token (file admin-token in the "
                       "data folder) as 'Authorization: Bearer <token>'"),
        QStringLiteral("Authorization"));
    r.setHeader("WWW-Authenticate", "Bearer");
    reply(responder, std::move(r));
    return false;
}

void IngestHandler::listProjects(const Request &request, const Responder &responder)
{
    if (!checkAdmin(request, responder))
        return;
    m_backend.projects(
        onThisThread<QList<model::Project>>([this, responder](Result<QList<model::Project>> projects) {
            if (!projects)
                return reply(responder, storageError(projects.error()));
            QJsonArray list;
            for (const model::Project &p : projects.value())
                list.append(model::json::project(p));
            reply(responder, Response::json(200, QJsonObject{{QStringLiteral("projects"), list}}));
        }));
}

void IngestHandler::createProject(const Request &request, const Responder &responder)
{
    if (!checkAdmin(request, responder))
        return;
    if (auto bad = checkJsonBody(request))
        return reply(responder, std::move(*bad));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return reply(responder, Response::error(400, QStringLiteral("malformed_json"),
                                                QStringLiteral("the body must be a JSON object"),
                                                QStringLiteral("body")));
    const QJsonObject o = doc.object();
    static const QStringList known{QStringLiteral("projectName"), QStringLiteral("modelName"),
                                   QStringLiteral("modelArchitecture")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return reply(responder,
                         Response::error(400, QStringLiteral("unknown_field"),
                                         QStringLiteral("%1 is not a known field").arg(it.key()), it.key()));
        if (!it.value().isString())
            return reply(responder,
                         Response::error(400, QStringLiteral("wrong_type"),
                                         QStringLiteral("%1 must be a string").arg(it.key()), it.key()));
    }
    using Created = QPair<model::Project, model::NewApiKey>;
    m_backend.createProjectWithKey(
        o.value(QLatin1String("projectName")).toString(), o.value(QLatin1String("modelName")).toString(),
        o.value(QLatin1String("modelArchitecture")).toString(),
        onThisThread<Created>([this, responder](Result<Created> created) {
            if (!created) {
                if (created.error().kind == ErrorKind::Storage)
                    return reply(responder, storageError(created.error()));
                const QString field = created.error().field == QLatin1String("name")
                                          ? QStringLiteral("projectName")
                                          : created.error().field;
                if (created.error().kind == ErrorKind::Conflict)
                    return reply(responder, Response::error(409, QStringLiteral("name_taken"),
                                                            created.errorMessage(), field));
                return reply(responder, Response::error(400, QStringLiteral("invalid_value"),
                                                        created.errorMessage(), field));
            }
            const auto &[project, key] = created.value();
            Response r =
                Response::json(201, QJsonObject{{QStringLiteral("project"), model::json::project(project)},
                                                {QStringLiteral("apiKey"), key.secret},
                                                {QStringLiteral("apiKeyId"), key.key.id}});
            r.setHeader("Cache-Control", "no-store"); // it carries a secret
            reply(responder, std::move(r));
        }));
}

void IngestHandler::projectFromPath(const Request &request, const QString &prefix, const Responder &responder,
                                    std::function<void(const model::Project &)> next)
{
    const QString id = normaliseUuid(request.path.mid(prefix.size()));
    if (id.isEmpty())
        return reply(responder, Response::error(400, QStringLiteral("invalid_value"),
                                                QStringLiteral("the project id must be a UUID"),
                                                QStringLiteral("projectId")));
    m_backend.project(
        id, onThisThread<std::optional<model::Project>>([this, responder, id, next = std::move(next)](
                                                            Result<std::optional<model::Project>> project) {
            if (!project)
                return reply(responder, storageError(project.error()));
            if (!project.value())
                return reply(responder, Response::error(404, QStringLiteral("unknown_project"),
                                                        QStringLiteral("no project with id %1").arg(id),
                                                        QStringLiteral("projectId")));
            next(*project.value());
        }));
}

void IngestHandler::showProject(const Request &request, const Responder &responder)
{
    if (!checkAdmin(request, responder))
        return;
    projectFromPath(
        request, QStringLiteral("/api/projects/"), responder,
        [this, responder](const model::Project &project) {
            m_backend.projectDetails(
                project.id, 100,
                onThisThread<ProjectDetails>([this, responder, project](Result<ProjectDetails> details) {
                    if (!details)
                        return reply(responder, storageError(details.error()));
                    QJsonArray metrics;
                    for (const model::MetricSample &s : details->recentSamples)
                        metrics.append(model::json::sample(s));
                    reply(responder,
                          Response::json(
                              200, QJsonObject{{QStringLiteral("project"), model::json::project(project)},
                                               {QStringLiteral("stats"), model::json::stats(details->stats)},
                                               {QStringLiteral("recentMetrics"), metrics}}));
                }));
        });
}

void IngestHandler::showRecommendations(const Request &request, const Responder &responder)
{
    if (!checkAdmin(request, responder))
        return;
    projectFromPath(
        request, QStringLiteral("/api/recommendations/"), responder,
        [this, responder](const model::Project &project) {
            m_backend.recommendations(
                project.id,
                onThisThread<QList<model::Recommendation>>(
                    [this, responder](Result<QList<model::Recommendation>> recs) {
                        if (!recs)
                            return reply(responder, storageError(recs.error()));
                        QJsonArray list;
                        for (const model::Recommendation &r : recs.value())
                            list.append(model::json::recommendation(r));
                        reply(responder,
                              Response::json(200, QJsonObject{{QStringLiteral("recommendations"), list}}));
                    }));
        });
}

} // namespace cachewise::ingest
