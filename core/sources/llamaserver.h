// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/enums.h"
#include "core/model/metric.h"
#include "core/sources/notices.h"
#include "core/sources/prometheustext.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace cachewise::sources {

// One slot of llama-server's GET /slots.
struct LlamaSlot
{
    int id = 0;
    qint64 contextTokens = 0; // n_ctx: this slot's context (the whole pool when the cache is unified)
    bool processing = false;
    qint64 cachedTokens = 0;  // n_prompt_tokens: tokens held in the slot's cache, generated ones included
    qint64 decodedTokens = 0; // next_token.n_decoded of the current task
    std::optional<qint64> taskId;
};

// Parses GET /slots of any llama-server since 2024: fields missing on never-used slots, `next_token` as
// an object (older) or a one-element array (2026), `n_tokens` of older builds.
Result<QList<LlamaSlot>> parseLlamaSlots(const QByteArray &json);

struct LlamaProps
{
    int totalSlots = 0;
    qint64 contextPerSlot = 0; // default_generation_settings.n_ctx
    QString buildInfo;
    QString modelPath;
    bool metricsEndpoint = false;
};
// Parses GET /props; refuses a reply that is not llama-server's (router mode has no total_slots).
Result<LlamaProps> parseLlamaProps(const QByteArray &json);

// What changed between two /props of one server (after a restart), in English; empty when nothing
// visible did.
QStringList llamaPropsChanges(const LlamaProps &before, const LlamaProps &after);

// Turns cumulative counters into per-interval differences. A counter that goes backwards restarted from
// zero with its process, so its whole value is the difference; rebase() says the same of every counter
// at once (a restart seen another way, before the counters passed their old totals).
class CounterTracker
{
public:
    std::optional<double> delta(const QString &name, std::optional<double> value);
    // Whether any of these counters is below its last value (the process restarted).
    bool wentBackwards(const QHash<QString, double> &values) const;
    void rebase();
    void reset() { m_last.clear(); }
    int resets() const { return m_resets; }

private:
    QHash<QString, double> m_last;
    int m_resets = 0;
};

// What one scrape of llama-server returned.
struct LlamaScrape
{
    QList<LlamaSlot> slots;
    std::optional<Exposition> metrics; // when --metrics is on
    QByteArray processStart;           // /metrics' Process-Start-Time-Unix header: new on every start
    std::optional<qint64> modelBytes;  // /v1/models meta.size
};

// How the slots share the KV cache. llama-server started without -np picks 4 slots with one unified
// cache whose whole size is every slot's n_ctx; with -np N each slot has its own n_ctx-sized stream.
// /props and /slots look the same in both cases.
using model::KvLayout;

// The project's runtime as llama-server would start it (from the KV model).
struct DescribedLlama
{
    int slots = 1;             // -np
    qint64 slotContext = 0;    // the n_ctx each slot reports
    bool unified = false;      // --kv-unified
    qint64 allocatedBytes = 0; // what llama_kv_cache allocates, all layers
    qint64 bytesPerToken = 0;  // K + V of one cached token
    QString flags;             // "-c 4096 -np 4 --kv-unified"
};

// The pool the slots share, as far as the evidence tells, and what the user should know or answer.
struct LlamaCapacity
{
    KvLayout layout = KvLayout::Unknown;
    std::optional<qint64> tokens; // positions in the cache, all slots together
    std::optional<qint64> bytes;  // the allocation in bytes, when the project's model is known
    QList<Notice> notices;
};

// Decides the layout from, in order: one slot (nothing to share), tokens in use beyond one slot's
// n_ctx (only separate caches hold that many), the project's described runtime when the server matches
// it, the user's answer. Evidence that contradicts the runtime is a notice; so is a layout nobody knows.
LlamaCapacity llamaCapacity(const QList<LlamaSlot> &slots, KvLayout answered,
                            const std::optional<DescribedLlama> &described, qint64 bytesPerToken);

// The per-slot view stored with each scraped sample (processedData): {"slots":[{"id","tokens","nCtx",
// "processing","decoded","idleSeconds"}],"kvLayout":…}; idleSeconds counts from when the slot was last
// seen processing (idleSince keeps that per slot id across scrapes).
QByteArray slotsJson(const QList<LlamaSlot> &slots, qint64 nowMs, QHash<int, qint64> &idleSince,
                     KvLayout layout);

// One llama-server followed across scrapes: counter baselines, the tasks in flight and how far each had
// decoded, and the process it is (restarts).
class LlamaSession
{
public:
    // Whether this scrape comes from another process than the last one: the Process-Start-Time-Unix
    // header changed, a used slot forgot its task, the newest task id went down, or a counter went back.
    bool restarted(const LlamaScrape &scrape) const;

    // Maps a scrape onto a sample. Only what was measured is set:
    // - kvCacheSizeKB = Σ slot tokens × bytes per token (no KV metric since 2025), when the model is known;
    //   capacity and usage from `capacity`;
    // - tokensProcessed = prompt tokens evaluated + tokens generated in the interval;
    // - tokensPerSecond = tokens generated by the server in the interval / wall time (progress of the
    //   tasks in flight from /slots plus what finished tasks added to tokens_predicted_total);
    // - decodeTokensPerSecond and timePerOutputTokenMs of the requests that finished in the interval
    //   (tokens_predicted_seconds_total); absent when none finished;
    // - inferenceTimeMs and timeToFirstTokenMs are never set: llama-server does not report them.
    // After a restart every counter counts from zero again, and the interval's throughput is left out
    // (the server was down for part of it).
    model::MetricSample sample(const QString &projectId, qint64 nowMs, const LlamaScrape &scrape,
                               const LlamaCapacity &capacity, qint64 bytesPerToken);

    QHash<int, qint64> &idleSince() { return m_idleSince; }

private:
    CounterTracker m_counters;
    QHash<int, qint64> m_idleSince;
    QHash<qint64, qint64> m_decodedByTask; // tasks processing at the last scrape → tokens decoded
    QHash<int, qint64> m_taskBySlot;       // the last task id each slot reported
    std::optional<qint64> m_lastMs;
    QByteArray m_processStart;
};

} // namespace cachewise::sources
