// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sources/promengines.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

#include <cmath>
#include <limits>

namespace cachewise::sources {
namespace {

using model::Metric;

std::optional<double> firstOf(const Exposition &m, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        if (const auto v = m.sum(QString::fromLatin1(name)))
            return v;
    }
    return std::nullopt;
}

// Mean of a histogram over the interval: Δsum / Δcount, in milliseconds.
std::optional<double> intervalMeanMs(const Exposition &m, const char *family, CounterTracker &counters)
{
    const QString base = QString::fromLatin1(family);
    const auto sum = counters.delta(base + QStringLiteral("_sum"), m.sum(base + QStringLiteral("_sum")));
    const auto count =
        counters.delta(base + QStringLiteral("_count"), m.sum(base + QStringLiteral("_count")));
    if (!sum || !count || *count <= 0)
        return std::nullopt;
    return 1000.0 * *sum / *count;
}

// p50/p95/p99 (seconds) of a histogram family, summed over its series: over the interval when the
// buckets moved since the last scrape, else over everything observed so far.
QJsonObject quantiles(const Exposition &m, const char *family, CounterTracker &counters)
{
    const QString bucketName = QString::fromLatin1(family) + QStringLiteral("_bucket");
    QMap<double, double> cumulative;
    for (const PromSample *b : m.samples(bucketName)) {
        const QString le = b->label(QStringLiteral("le"));
        const double bound =
            le == QLatin1String("+Inf") ? std::numeric_limits<double>::infinity() : le.toDouble();
        cumulative[bound] += b->value;
    }
    if (cumulative.isEmpty())
        return {};
    QList<QPair<double, double>> interval;
    bool moved = true;
    for (auto it = cumulative.constBegin(); it != cumulative.constEnd(); ++it) {
        const auto d = counters.delta(bucketName + QString::number(it.key()), it.value());
        if (!d)
            moved = false;
        interval << qMakePair(it.key(), d.value_or(0));
    }
    QList<QPair<double, double>> buckets;
    if (moved && !interval.isEmpty() && interval.last().second > 0) {
        buckets = interval;
    } else {
        for (auto it = cumulative.constBegin(); it != cumulative.constEnd(); ++it)
            buckets << qMakePair(it.key(), it.value());
    }
    QJsonObject out;
    for (const auto &[name, q] : {std::pair{"p50", 0.5}, std::pair{"p95", 0.95}, std::pair{"p99", 0.99}}) {
        if (const auto v = histogramQuantile(q, buckets))
            out.insert(QLatin1String(name), *v);
    }
    return out;
}

void common(model::MetricSample &s, std::optional<double> usage, std::optional<double> capacityTokens,
            qint64 bytesPerToken)
{
    const double bpt = double(bytesPerToken);
    if (usage)
        s.setValue(Metric::KvCacheUsageRatio, std::clamp(*usage, 0.0, 1.0));
    // Bytes only with the project's model: a ratio beside a size of 0 would be a lie.
    if (capacityTokens && *capacityTokens > 0 && bpt > 0) {
        s.setValue(Metric::KvCacheCapacityKB, std::round(*capacityTokens * bpt / 1024.0));
        if (usage)
            s.setValue(Metric::KvCacheSizeKB, std::round(*usage * *capacityTokens * bpt / 1024.0));
        s.setValue(Metric::MemoryUsageGB, *capacityTokens * bpt / 1e9);
    }
}

// The first histogram family of `names` the server exposes (names change between versions).
const char *firstFamily(const Exposition &m, const QString &prefix, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        if (m.sum(prefix + QLatin1String(name) + QStringLiteral("_count")))
            return name;
    }
    return nullptr;
}

// What vLLM and SGLang share under their own prefix: prompt + generated tokens over the interval, the
// server's generation throughput over wall time, mean time to first token, per output token and end to
// end over the requests of the interval, and the latency percentiles. Means are left out when no
// request finished in the interval: an idle server's last value is not a new measurement.
void tokensAndLatency(model::MetricSample &s, const Exposition &m, const char *prefix, PromSession &session,
                      bool restart, qint64 nowMs)
{
    const QString p = QString::fromLatin1(prefix);
    const auto family = [&p](const char *name) {
        return (p + QLatin1String(name)).toLatin1();
    };
    CounterTracker &counters = session.counters;
    const auto prompt =
        counters.delta(QStringLiteral("prompt"), m.sum(p + QStringLiteral("prompt_tokens_total")));
    const auto generated =
        counters.delta(QStringLiteral("generated"), m.sum(p + QStringLiteral("generation_tokens_total")));
    if (prompt && generated)
        s.setValue(Metric::TokensProcessed, std::round(*prompt + *generated));
    if (generated && !restart && session.lastMs && nowMs > *session.lastMs &&
        !s.value(Metric::TokensPerSecond))
        s.setValue(Metric::TokensPerSecond, *generated / (double(nowMs - *session.lastMs) / 1000.0));
    if (const auto ttft = intervalMeanMs(m, family("time_to_first_token_seconds").constData(), counters))
        s.setValue(Metric::TimeToFirstTokenMs, *ttft);
    if (const auto e2e = intervalMeanMs(m, family("e2e_request_latency_seconds").constData(), counters))
        s.setValue(Metric::InferenceTimeMs, std::round(*e2e));
    if (const char *tpotFamily =
            firstFamily(m, p,
                        {"request_time_per_output_token_seconds", "time_per_output_token_seconds",
                         "inter_token_latency_seconds"})) {
        if (const auto tpot = intervalMeanMs(m, family(tpotFamily).constData(), counters);
            tpot && *tpot > 0) {
            s.setValue(Metric::TimePerOutputTokenMs, *tpot);
            s.setValue(Metric::DecodeTokensPerSecond, 1000.0 / *tpot);
        }
    }
    QJsonObject latency;
    for (const auto &[key, name] :
         {std::pair{"ttft", "time_to_first_token_seconds"}, std::pair{"itl", "inter_token_latency_seconds"},
          std::pair{"tpot", "time_per_output_token_seconds"},
          std::pair{"e2e", "e2e_request_latency_seconds"}}) {
        const QJsonObject q = quantiles(m, family(name).constData(), counters);
        if (!q.isEmpty())
            latency.insert(QLatin1String(key), q);
    }
    if (!latency.isEmpty())
        s.processedData = QJsonDocument(QJsonObject{{QStringLiteral("latencySeconds"), latency}})
                              .toJson(QJsonDocument::Compact);
}

// Whether the server is another process than at the last scrape: prometheus_client's
// process_start_time_seconds changed, or a counter went backwards. Then every counter starts from zero.
bool beginScrape(PromSession &session, const Exposition &m, const char *prefix)
{
    bool restart = false;
    const auto start = m.value(QStringLiteral("process_start_time_seconds"));
    if (start && session.processStart && *start != *session.processStart && session.lastMs)
        restart = true;
    if (start)
        session.processStart = start;
    if (!restart && session.lastMs) {
        QHash<QString, double> values;
        const QString p = QString::fromLatin1(prefix);
        for (const char *name : {"prompt_tokens_total", "generation_tokens_total"}) {
            if (const auto v = m.sum(p + QLatin1String(name)))
                values.insert(QLatin1String(name) == QLatin1String("prompt_tokens_total")
                                  ? QStringLiteral("prompt")
                                  : QStringLiteral("generated"),
                              *v);
        }
        restart = session.counters.wentBackwards(values);
    }
    if (restart)
        session.counters.rebase();
    return restart;
}

} // namespace

model::MetricSample vllmSample(const QString &projectId, qint64 nowMs, const Exposition &m,
                               qint64 bytesPerToken, PromSession &session)
{
    const bool restart = beginScrape(session, m, "vllm:");
    CounterTracker &counters = session.counters;
    model::MetricSample s;
    s.projectId = projectId;
    s.timestampMs = nowMs;
    std::optional<double> capacity;
    const auto info = m.samples(QStringLiteral("vllm:cache_config_info"));
    if (!info.isEmpty()) {
        bool ok = false;
        const double tokens = info.first()->label(QStringLiteral("kv_cache_size_tokens")).toDouble(&ok);
        if (ok)
            capacity = tokens;
        else {
            const double blocks = info.first()->label(QStringLiteral("num_gpu_blocks")).toDouble();
            const double blockSize = info.first()->label(QStringLiteral("block_size")).toDouble();
            if (blocks > 0 && blockSize > 0)
                capacity = blocks * blockSize;
        }
    }
    // Several engines (data-parallel ranks) report one ratio each: their mean.
    std::optional<double> usage;
    for (const char *name : {"vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"}) {
        const auto list = m.samples(QString::fromLatin1(name));
        if (list.isEmpty())
            continue;
        double total = 0;
        for (const PromSample *p : list)
            total += p->value;
        usage = total / double(list.size());
        break;
    }
    common(s, usage, capacity, bytesPerToken);
    if (const auto running = m.sum(QStringLiteral("vllm:num_requests_running")))
        s.setValue(Metric::RequestsRunning, *running);
    if (const auto waiting = m.sum(QStringLiteral("vllm:num_requests_waiting")))
        s.setValue(Metric::RequestsWaiting, *waiting);
    if (const auto preemptions = firstOf(m, {"vllm:num_preemptions_total", "vllm:num_preemptions"}))
        s.setValue(Metric::Preemptions, std::round(*preemptions));
    const auto queries = counters.delta(
        QStringLiteral("queries"),
        firstOf(m, {"vllm:prefix_cache_queries_total", "vllm:gpu_prefix_cache_queries_total"}));
    const auto hits =
        counters.delta(QStringLiteral("hits"),
                       firstOf(m, {"vllm:prefix_cache_hits_total", "vllm:gpu_prefix_cache_hits_total"}));
    if (queries && hits && *queries > 0)
        s.setValue(Metric::PrefixCacheHitRate, std::clamp(*hits / *queries, 0.0, 1.0));
    tokensAndLatency(s, m, "vllm:", session, restart, nowMs);
    session.lastMs = nowMs;
    return s;
}

model::MetricSample sglangSample(const QString &projectId, qint64 nowMs, const Exposition &m,
                                 qint64 bytesPerToken, PromSession &session)
{
    const bool restart = beginScrape(session, m, "sglang:");
    model::MetricSample s;
    s.projectId = projectId;
    s.timestampMs = nowMs;
    const auto maxTokens = m.sum(QStringLiteral("sglang:max_total_num_tokens"));
    const auto usedTokens = m.sum(QStringLiteral("sglang:num_used_tokens"));
    std::optional<double> usage = m.value(QStringLiteral("sglang:token_usage"));
    if (!usage && maxTokens && usedTokens && *maxTokens > 0)
        usage = *usedTokens / *maxTokens;
    common(s, usage, maxTokens, bytesPerToken);
    if (const auto running = m.sum(QStringLiteral("sglang:num_running_reqs")))
        s.setValue(Metric::RequestsRunning, *running);
    if (const auto queued = m.sum(QStringLiteral("sglang:num_queue_reqs")))
        s.setValue(Metric::RequestsWaiting, *queued);
    if (const auto hit = m.value(QStringLiteral("sglang:cache_hit_rate")))
        s.setValue(Metric::PrefixCacheHitRate, std::clamp(*hit, 0.0, 1.0));
    if (const auto retracted = firstOf(m, {"sglang:num_retracted_reqs", "sglang:num_retractions_count"}))
        s.setValue(Metric::Preemptions, std::round(*retracted));
    // SGLang measures its own generation throughput (all requests, tokens per second of wall time).
    if (const auto tps = m.sum(QStringLiteral("sglang:gen_throughput")))
        s.setValue(Metric::TokensPerSecond, *tps);
    tokensAndLatency(s, m, "sglang:", session, restart, nowMs);
    session.lastMs = nowMs;
    return s;
}

} // namespace cachewise::sources
