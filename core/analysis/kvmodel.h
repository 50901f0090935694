// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/enums.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise::analysis {

// Cache types and engines are the model's; the KV math names them here.
using model::CacheType;
using model::CacheTypeInfo;
using model::cacheTypeInfo;
using model::cacheTypes;
using model::Engine;
using model::parseCacheType;
using model::parseEngine;

// Bytes of `elements` values of `type`; an error when a quantized row is not whole blocks (ggml
// refuses such tensors too).
Result<qint64> rowBytes(CacheType type, qint64 elements);

enum class LayerKind
{
    Full,          // attends to every cached token
    SlidingWindow, // attends to the last `window` tokens only
    Latent,        // MLA: one compressed latent (+ rope key) per token, no separate V
    Recurrent,     // SSM/Mamba layer: no KV, a fixed state per sequence
};

struct LayerSpec
{
    LayerKind kind = LayerKind::Full;
    int kvHeads = 0;
    int headDimK = 0;
    int headDimV = 0;
    int window = 0;        // SlidingWindow only
    int latentDim = 0;     // Latent only: kv_lora_rank + qk_rope_head_dim
    qint64 stateBytes = 0; // Recurrent only: bytes of state per sequence (f32, as llama.cpp keeps it)
};

// What the KV math needs to know about a model.
struct ModelArch
{
    QString id;          // preset id, or derived from the file it was read from
    QString displayName; // e.g. "Llama 3.1 8B"
    QString family;      // e.g. "llama", "gemma3"
    double parametersBillions = 0;
    qint64 trainingContext = 0;
    int dtypeBytes = 2;          // weights' dtype, which vLLM's --kv-cache-dtype auto uses
    bool attentionSinks = false; // learned attention sinks (gpt-oss): 4-bit KV is never suggested
    QList<LayerSpec> layers;
    QString source; // where the numbers come from (URL or file)

    int layerCount() const { return int(layers.size()); }
    bool hasSlidingWindow() const;
    bool isHybrid() const;
};

struct KvConfig
{
    Engine engine = Engine::LlamaCpp;
    qint64 context = 4096; // llama.cpp -c (all slots together); Ollama num_ctx and others: per sequence
    int parallel = 1;      // llama.cpp -np, Ollama OLLAMA_NUM_PARALLEL, vLLM --max-num-seqs
    bool unified = false;  // llama.cpp --kv-unified
    bool swaFull = false;  // llama.cpp --swa-full: sliding-window layers keep the full context
    int ubatch = 512;      // llama.cpp -ub, part of the sliding-window cache size
    int blockSize = 16;    // vLLM --block-size / SGLang --page-size
    CacheType typeK = CacheType::F16;
    CacheType typeV = CacheType::F16;
};

struct LayerAllocation
{
    int index = 0;
    LayerKind kind = LayerKind::Full;
    qint64 cells = 0;         // token positions allocated (all streams together)
    qint64 kBytes = 0;        // K (or latent) bytes
    qint64 vBytes = 0;        // V bytes
    qint64 bytesPerToken = 0; // K + V bytes of one cached token in this layer
    qint64 stateBytes = 0;    // recurrent state (all sequences)
    qint64 cellsPerStream = 0;
};

struct KvEstimate
{
    qint64 bytesPerToken = 0;      // one token in every layer that caches it (K + V, or latent)
    qint64 contextPerSequence = 0; // tokens one sequence can use (llama.cpp n_ctx_seq)
    qint64 cells = 0;              // positions allocated in full-attention layers (all streams)
    int streams = 1;               // separate per-sequence buffers (llama.cpp n_stream)
    int sequences = 1;
    qint64 kBytes = 0;
    qint64 vBytes = 0;
    qint64 stateBytes = 0;
    qint64 totalBytes = 0;
    QList<LayerAllocation> layers;
};

// A KvConfig from a llama-server command line (-c, -np, -kvu, --swa-full, -ub, -ctk, -ctv, and their
// long forms); other arguments are ignored. Ollama's llama-server child is read the same way.
Result<KvConfig> kvConfigFromLlamaArgs(const QStringList &args);

// The cache an engine allocates for `model` under `config`, byte for byte as the engine computes it:
// llama.cpp pads -c to 256 cells and, unless unified, splits it into per-slot streams of
// ceil256(c / np) cells (src/llama-context.cpp); sliding-window layers get
// min(cells, window*(unified ? np : 1) + ubatch) rounded up to 256 (src/llama-kv-cache-iswa.cpp);
// paged engines round every sequence up to whole blocks.
Result<KvEstimate> estimateKv(const ModelArch &model, const KvConfig &config);
// What Ollama allocates for one loaded model: its llama-server child runs -c contextLength × parallel
// -np parallel, K and V of `type`.
Result<qint64> ollamaKvBytes(const ModelArch &model, qint64 contextLength, int parallel, CacheType type);

// Memory of one sequence holding `tokens` tokens (what a new concurrent sequence costs).
Result<qint64> sequenceBytes(const ModelArch &model, const KvConfig &config, qint64 tokens);

// How many sequences of `tokensPerSequence` fit in `budgetBytes` of KV memory.
Result<qint64> maxConcurrentSequences(const ModelArch &model, const KvConfig &config,
                                      qint64 tokensPerSequence, qint64 budgetBytes);

// llama-server's own summary line for the cache, as src/llama-kv-cache.cpp prints it, e.g.
// "llama_kv_cache: size = 1360.00 MiB (  512 cells,  32 layers, 10/10 seqs), K (q8_0):  680.00 MiB, …".
struct LlamaKvLine
{
    double totalMiB = 0;
    qint64 cells = 0;
    int layers = 0;
    int sequences = 0;
    int streams = 0;
    QString typeK;
    double kMiB = 0;
    QString typeV;
    double vMiB = 0;
};
std::optional<LlamaKvLine> parseLlamaKvLine(const QString &line);
// The lines llama-server prints for this estimate: one for the full-attention (or latent) layers and,
// for sliding-window models, one for the window layers. Empty for engines other than llama.cpp/Ollama.
QStringList formatLlamaKvLines(const KvEstimate &estimate, const KvConfig &config);

} // namespace cachewise::analysis
