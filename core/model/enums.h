// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringView>

#include <optional>

// The domain's closed sets. Each has one name table: the names are what the database stores, what the
// JSON exports and the push API carry and what the CLI prints and accepts. Nothing else spells them.
namespace cachewise::model {
Q_NAMESPACE

// How an engine allocates the KV cache (and which server a source scrapes).
enum class Engine
{
    LlamaCpp, // llama-server: -c, -np, --kv-unified, --swa-full, -ctk/-ctv
    Ollama,   // a llama-server child with -c num_ctx*np -np np (non-unified)
    Vllm,     // paged blocks of --block-size tokens
    Sglang,   // paged pool, --page-size tokens per page
    Generic,  // contiguous, context tokens per sequence
};
Q_ENUM_NS(Engine)

// What a scraped server answered last.
enum class SourceState
{
    Unknown, // not scraped yet, or disabled
    Up,
    Down,
};
Q_ENUM_NS(SourceState)

// Whether a llama-server's slots share one KV pool, as the user answered (or unknown).
enum class KvLayout
{
    Unknown,
    Unified,
    PerSlot,
};
Q_ENUM_NS(KvLayout)

// What became of an automated action.
enum class ActionStatus
{
    Success,
    Failed,  // the server or the client said it did not work
    Error,   // it could not be tried (unreachable, refused)
    Skipped, // held back (cool-down, nothing to do)
    DryRun,  // decided and logged, not done
    Pending, // waiting for the client's acknowledgement
    Alert,   // nothing can be done here; the user is told
};
Q_ENUM_NS(ActionStatus)

enum class RecommendationStatus
{
    Pending,
    Applied,
    Dismissed,
};
Q_ENUM_NS(RecommendationStatus)

// llama-server's -fa: on, off, or auto (on where the backend supports it).
enum class FlashAttention
{
    Auto,
    On,
    Off,
};
Q_ENUM_NS(FlashAttention)

// Where a server CacheWise launched stands. Loading: the process answers /health with 503 while it loads
// the model; GaveUp: it crashed too often and is no longer restarted.
enum class ServerState
{
    Stopped,
    Starting,
    Loading,
    Ready,
    Stopping,
    Crashed,
    GaveUp,
};
Q_ENUM_NS(ServerState)

// Element types a KV cache can be stored in. Quantized types are stored in blocks of 32 elements
// (ggml: ggml/src/ggml.c type_traits, block_q8_0 etc. in ggml-common.h).
enum class CacheType
{
    F32,
    F16,
    BF16,
    Fp8,
    Q8_0,
    Q5_1,
    Q5_0,
    Q4_1,
    Q4_0,
    IQ4_NL,
};
Q_ENUM_NS(CacheType)

struct CacheTypeInfo
{
    CacheType type;
    const char *name;  // as llama.cpp's -ctk/-ctv and its logs spell it
    int blockElements; // elements per block
    int blockBytes;    // bytes per block
    int bits;          // nominal bits per element, for "4-bit" style guardrails
};

const QList<CacheTypeInfo> &cacheTypes();
const CacheTypeInfo &cacheTypeInfo(CacheType type);

QString name(Engine engine);               // llama.cpp, ollama, vllm, sglang, generic
QString name(SourceState state);           // unknown, up, down
QString name(KvLayout layout);             // unknown, unified, per_slot
QString name(ActionStatus status);         // success, failed, error, skipped, dry_run, pending, alert
QString name(RecommendationStatus status); // pending, applied, dismissed
QString name(CacheType type);              // f32, f16, bf16, fp8, q8_0, …, iq4_nl
QString name(FlashAttention mode);         // auto, on, off (llama-server's -fa values)
QString name(ServerState state);           // stopped, starting, loading, ready, stopping, crashed, gave_up

// Also accepts llamacpp, llama-server and other (generic); case and surrounding spaces do not matter.
std::optional<Engine> parseEngine(QStringView text);
std::optional<SourceState> parseSourceState(QStringView text);
std::optional<KvLayout> parseKvLayout(QStringView text);
std::optional<ActionStatus> parseActionStatus(QStringView text);
std::optional<RecommendationStatus> parseRecommendationStatus(QStringView text);
// Accepts llama.cpp's names (f16, q8_0, …) and the vLLM/SGLang spellings (float16, bfloat16, fp8,
// fp8_e4m3, fp8_e5m2). "auto" is resolved by the caller against the model's dtype.
std::optional<CacheType> parseCacheType(QStringView text);
std::optional<FlashAttention> parseFlashAttention(QStringView text);
std::optional<ServerState> parseServerState(QStringView text);

// The KV cache types an engine accepts (llama.cpp's -ctk/-ctv list; vLLM's and SGLang's
// --kv-cache-dtype as far as this model has them: f16/auto, bf16, fp8; Ollama's OLLAMA_KV_CACHE_TYPE:
// f16, q8_0, q4_0). Generic (a pushing client): every type.
QList<CacheType> cacheTypesFor(Engine engine);
bool acceptsCacheType(Engine engine, CacheType type);
// vLLM, SGLang and Ollama take one type for K and V together; llama.cpp (and a generic client) two.
bool oneKvCacheType(Engine engine);
// How the engine's own setting spells a type: the flag's or the variable's value.
QString engineCacheTypeName(Engine engine, CacheType type);

} // namespace cachewise::model
