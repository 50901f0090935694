// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/sources/prometheustext.h"
#include "core/storage/metric.h"

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

// Turns cumulative counters into per-interval differences; a counter that goes backwards (a restart)
// starts a new baseline and yields nothing for that interval.
class CounterTracker
{
public:
    std::optional<double> delta(const QString &name, std::optional<double> value);
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
    qint64 modelBytes = 0;             // /v1/models meta.size, 0 when unknown
};

struct LlamaMapping
{
    qint64 bytesPerToken = 0; // from the project's architecture (KV model) or the model's GGUF header
    bool unified = false;     // --kv-unified: every slot reports the whole pool as its n_ctx
};

// The per-slot view stored with each scraped sample (processedData): {"slots":[{"id","tokens","nCtx",
// "processing","decoded","idleSeconds"}]}; idleSeconds counts from when the slot was last seen processing
// (idleSince keeps that per slot id across scrapes).
QByteArray slotsJson(const QList<LlamaSlot> &slots, qint64 nowMs, QHash<int, qint64> &idleSince);

// Maps a scrape onto a sample. KV in use = Σ slot tokens × bytes per token (llama-server has no KV metric
// since 2025); capacity = the pool (unified) or Σ slot n_ctx; tokens, hit rate, tokens/s and time per
// output token from counter differences (its throughput gauges reset on every scrape). inferenceTimeMs
// is the time per generated token over the interval, carried forward when nothing was generated;
// memoryUsageGB = model file size + allocated KV.
storage::MetricSample llamaSample(const QString &projectId, qint64 nowMs, const LlamaScrape &scrape,
                                  const LlamaMapping &mapping, CounterTracker &counters,
                                  std::optional<double> &lastInferenceMs);

} // namespace cachewise::sources
