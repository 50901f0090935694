// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/http/server.h"
#include "core/ingest/backend.h"
#include "core/ingest/otlp.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

class QObject;

namespace cachewise {
class Clock;
}

namespace cachewise::ingest {

// Whether a Host header names this machine's loopback (127.0.0.0/8, localhost, [::1]) or one of the
// user's names (listen.allowedHosts); its port is not looked at.
bool hostAllowed(const QByteArray &hostHeader, const QStringList &extraNames);

// Counters the UI and /metrics read from any thread.
struct IngestCounters
{
    std::atomic<quint64> requests{0};
    std::atomic<quint64> samplesAccepted{0};
    std::atomic<quint64> clientErrors{0};
    std::atomic<quint64> serverErrors{0};

    // Refusals by error code (the JSON "error" of the reply); any thread.
    void refused(const QString &code)
    {
        const std::lock_guard lock(m_refusedMutex);
        ++m_refused[code];
    }
    QHash<QString, quint64> refusedByCode() const
    {
        const std::lock_guard lock(m_refusedMutex);
        return m_refused;
    }

private:
    mutable std::mutex m_refusedMutex;
    QHash<QString, quint64> m_refused;
};

// The listener's routes: the push API (POST /api/metrics), OTLP (POST /v1/metrics), /api/health,
// /metrics and the admin endpoints of the product brief. Runs on the listener thread and never touches
// storage there: it validates, asks the backend, and continues on this thread when the backend answers;
// samples are answered once they are committed.
class IngestHandler final : public http::Handler
{
public:
    IngestHandler(Backend &backend, const Clock &clock, QString adminToken,
                  std::shared_ptr<IngestCounters> counters);
    ~IngestHandler() override;

    void handle(const http::Request &request, const http::Responder &responder) override;
    // Listening on a non-loopback address (--allow-remote): other machines name it as they know it, so
    // any Host is answered.
    void setAnyHost(bool any) { m_anyHost = any; }

private:
    struct RateBucket
    {
        double tokens = 0;
        qint64 updatedAtMs = 0;
    };

    void postMetrics(const http::Request &request, const http::Responder &responder);
    void pushWithKey(const http::Request &request, const http::Responder &responder,
                     const model::ApiKey &key);
    void health(const http::Request &request, const http::Responder &responder);
    void listProjects(const http::Request &request, const http::Responder &responder);
    void createProject(const http::Request &request, const http::Responder &responder);
    void showProject(const http::Request &request, const http::Responder &responder);
    void showRecommendations(const http::Request &request, const http::Responder &responder);
    void selfMetrics(const http::Request &request, const http::Responder &responder);
    void postOtlp(const http::Request &request, const http::Responder &responder);
    // /metrics' families read from storage: database size, each project's latest KV figures, sources.
    void appendStoredState(QByteArray &out, const SelfState &state) const;
    void acknowledgeAction(const http::Request &request, const http::Responder &responder,
                           const QString &actionId);
    void acknowledgeWithKey(const http::Request &request, const http::Responder &responder,
                            const QString &actionId, const model::ApiKey &key);
    void submitPush(const model::ApiKey &key, QList<model::MetricSample> samples,
                    const http::Responder &responder);
    void receiveOtlp(const http::Request &request, const http::Responder &responder, bool protobuf,
                     const std::optional<model::ApiKey> &key);
    // keyId: the API key the samples came with (checked again in the transaction), or empty for keyless.
    void submitOtlp(QList<model::MetricSample> samples, const QString &keyId, bool protobuf,
                    const http::Responder &responder);
    // 401 for an unknown or a revoked key.
    static http::Response keyRefused(bool revoked);
    // Continues with the request's project key, or answers the error (as google.rpc.Status for OTLP
    // protobuf) and does not continue.
    // The continuation is given the request and responder back, so that a key already in memory continues
    // without copying them; only a key read from the database keeps copies for later.
    using Keyed = std::function<void(const http::Request &, const http::Responder &, const model::ApiKey &)>;
    void authenticate(const http::Request &request, const http::Responder &responder, bool protobuf,
                      Keyed next);
    // Continues with the project named at the end of the path, or answers the error.
    void projectFromPath(const http::Request &request, const QString &prefix,
                         const http::Responder &responder, std::function<void(const model::Project &)> next);
    // Wraps a continuation so that it runs on the listener thread, and only while this handler lives.
    template <typename T> Backend::Done<T> onThisThread(std::function<void(Result<T>)> next);
    void refreshSettings();
    bool checkAdmin(const http::Request &request, const http::Responder &responder);
    // Counts refusals; `protobuf`: errors go to an OTLP protobuf exporter as google.rpc.Status.
    void reply(const http::Responder &responder, http::Response response, bool protobuf = false);
    // 429 when the bucket (an API key, or keyless OTLP from this machine) is over the rate limit.
    std::optional<http::Response> rateLimited(const QString &bucketId);

    // Where the backend's answers are posted: an object on the listener thread, closed (under the
    // mutex) before it is deleted, so an answer that comes late is dropped, never delivered to a dead
    // handler.
    struct Mailbox
    {
        std::mutex mutex;
        QObject *receiver = nullptr;
    };

    Backend &m_backend;
    const Clock &m_clock;
    QString m_adminToken;
    std::shared_ptr<IngestCounters> m_counters;
    std::shared_ptr<Mailbox> m_mailbox;
    IngestSettings m_settings;
    bool m_anyHost = false;
    OtlpMapping m_otlpMapping;
    QHash<QString, CounterTracker> m_otlpCounters; // by project name: cumulative OTLP values
    QHash<QString, RateBucket> m_buckets;
    QHash<QString, qint64> m_keyTouched;
    qint64 m_startedAt;
};

} // namespace cachewise::ingest
