// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/http/server.h"
#include "core/ingest/otlp.h"
#include "core/storage/types.h"

#include <QHash>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace cachewise {
class Clock;
}
namespace cachewise::automation {
class AutomationEngine;
}
namespace cachewise::storage {
class MetricWriter;
class Repository;
} // namespace cachewise::storage

namespace cachewise::ingest {

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

// The listener's routes: the push API (POST /api/metrics), /api/health and the admin endpoints of
// the product brief. Runs on the listener thread; validates, then hands samples to the writer and
// answers once they are committed.
class IngestHandler final : public http::Handler
{
public:
    // `automation` may be null (no automated management).
    IngestHandler(storage::Repository &repository, storage::MetricWriter &writer,
                  std::shared_ptr<automation::AutomationEngine> automation, const Clock &clock,
                  QString adminToken, std::shared_ptr<IngestCounters> counters);
    ~IngestHandler() override;

    void handle(const http::Request &request, const http::Responder &responder) override;

    // Re-reads limits from the settings table (the CLI may change them while the app runs).
    void reloadSettings();

private:
    struct Settings
    {
        int maxSamples = 5000;
        qint64 maxFutureSkewMs = 300'000;
        int maxProcessedDataBytes = 16384;
        double ratePerSecond = 200;               // 0: no limit
        qsizetype maxBodyBytes = 4 * 1024 * 1024; // also the most a gzip body may expand to
    };
    struct RateBucket
    {
        double tokens = 0;
        qint64 updatedAtMs = 0;
    };

    void postMetrics(const http::Request &request, const http::Responder &responder);
    void health(const http::Request &request, const http::Responder &responder);
    void listProjects(const http::Request &request, const http::Responder &responder);
    void createProject(const http::Request &request, const http::Responder &responder);
    void showProject(const http::Request &request, const http::Responder &responder);
    void showRecommendations(const http::Request &request, const http::Responder &responder);
    void selfMetrics(const http::Request &request, const http::Responder &responder);
    void postOtlp(const http::Request &request, const http::Responder &responder);
    void acknowledgeAction(const http::Request &request, const http::Responder &responder,
                           const QString &actionId);
    // The request's project key, or the error already answered (as google.rpc.Status for OTLP protobuf).
    std::optional<model::ApiKey> authenticate(const http::Request &request, const http::Responder &responder,
                                              bool protobuf = false);

    // The project named at the end of the path, or the error already answered.
    std::optional<model::Project> projectFromPath(const http::Request &request, const QString &prefix,
                                                  const http::Responder &responder);
    bool checkAdmin(const http::Request &request, const http::Responder &responder);
    // Counts refusals; `protobuf`: errors go to an OTLP protobuf exporter as google.rpc.Status.
    void reply(const http::Responder &responder, http::Response response, bool protobuf = false);
    // 429 when the bucket (an API key, or keyless OTLP from this machine) is over the rate limit.
    std::optional<http::Response> rateLimited(const QString &bucketId);

    storage::Repository &m_repository;
    storage::MetricWriter &m_writer;
    std::shared_ptr<automation::AutomationEngine> m_automation;
    const Clock &m_clock;
    QString m_adminToken;
    std::shared_ptr<IngestCounters> m_counters;
    Settings m_settings;
    OtlpMapping m_otlpMapping;
    QHash<QString, CounterTracker> m_otlpCounters; // by project name: cumulative OTLP values
    QHash<QString, RateBucket> m_buckets;
    QHash<QString, qint64> m_keyTouched;
    qint64 m_settingsReadAt = -1;
    qint64 m_startedAt;
};

} // namespace cachewise::ingest
