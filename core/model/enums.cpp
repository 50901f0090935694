// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/enums.h"

#include <initializer_list>
#include <utility>

namespace cachewise::model {
namespace {

template <typename E> using NameTable = std::initializer_list<std::pair<E, const char *>>;

constexpr NameTable<Engine> kEngines{{Engine::LlamaCpp, "llama.cpp"},
                                     {Engine::Ollama, "ollama"},
                                     {Engine::Vllm, "vllm"},
                                     {Engine::Sglang, "sglang"},
                                     {Engine::Generic, "generic"}};
constexpr NameTable<SourceState> kSourceStates{
    {SourceState::Unknown, "unknown"}, {SourceState::Up, "up"}, {SourceState::Down, "down"}};
constexpr NameTable<KvLayout> kKvLayouts{
    {KvLayout::Unknown, "unknown"}, {KvLayout::Unified, "unified"}, {KvLayout::PerSlot, "per_slot"}};
constexpr NameTable<ActionStatus> kActionStatuses{
    {ActionStatus::Success, "success"}, {ActionStatus::Failed, "failed"},  {ActionStatus::Error, "error"},
    {ActionStatus::Skipped, "skipped"}, {ActionStatus::DryRun, "dry_run"}, {ActionStatus::Pending, "pending"},
    {ActionStatus::Alert, "alert"}};
constexpr NameTable<RecommendationStatus> kRecommendationStatuses{
    {RecommendationStatus::Pending, "pending"},
    {RecommendationStatus::Applied, "applied"},
    {RecommendationStatus::Dismissed, "dismissed"}};
constexpr NameTable<FlashAttention> kFlashAttentionModes{
    {FlashAttention::Auto, "auto"}, {FlashAttention::On, "on"}, {FlashAttention::Off, "off"}};
constexpr NameTable<ServerState> kServerStates{
    {ServerState::Stopped, "stopped"}, {ServerState::Starting, "starting"}, {ServerState::Loading, "loading"},
    {ServerState::Ready, "ready"},     {ServerState::Stopping, "stopping"}, {ServerState::Crashed, "crashed"},
    {ServerState::GaveUp, "gave_up"}};
constexpr NameTable<Engine> kEngineAliases{
    {Engine::LlamaCpp, "llamacpp"}, {Engine::LlamaCpp, "llama-server"}, {Engine::Generic, "other"}};
constexpr NameTable<CacheType> kVllmCacheTypes{{CacheType::F32, "float32"},  {CacheType::F16, "float16"},
                                               {CacheType::F16, "half"},     {CacheType::BF16, "bfloat16"},
                                               {CacheType::Fp8, "fp8_e4m3"}, {CacheType::Fp8, "fp8_e5m2"}};

// Block layouts from ggml-common.h: q8_0 = f16 scale + 32 int8; q5_1 = 2 f16 + 4 B high bits + 16 B;
// q5_0 = f16 + 4 + 16; q4_1 = 2 f16 + 16; q4_0 and iq4_nl = f16 + 16.
const QList<CacheTypeInfo> kCacheTypes{
    {CacheType::F32, "f32", 1, 4, 32},    {CacheType::F16, "f16", 1, 2, 16},
    {CacheType::BF16, "bf16", 1, 2, 16},  {CacheType::Fp8, "fp8", 1, 1, 8},
    {CacheType::Q8_0, "q8_0", 32, 34, 8}, {CacheType::Q5_1, "q5_1", 32, 24, 5},
    {CacheType::Q5_0, "q5_0", 32, 22, 5}, {CacheType::Q4_1, "q4_1", 32, 20, 4},
    {CacheType::Q4_0, "q4_0", 32, 18, 4}, {CacheType::IQ4_NL, "iq4_nl", 32, 18, 4},
};

template <typename E> QString nameIn(NameTable<E> table, E value)
{
    for (const auto &[v, n] : table) {
        if (v == value)
            return QLatin1String(n);
    }
    return QLatin1String(table.begin()->second); // unreachable for a valid enumerator
}

template <typename E> std::optional<E> parseIn(NameTable<E> table, QStringView text)
{
    const QStringView t = text.trimmed();
    for (const auto &[v, n] : table) {
        if (t.compare(QLatin1String(n), Qt::CaseInsensitive) == 0)
            return v;
    }
    return std::nullopt;
}

} // namespace

const QList<CacheTypeInfo> &cacheTypes()
{
    return kCacheTypes;
}

const CacheTypeInfo &cacheTypeInfo(CacheType type)
{
    for (const CacheTypeInfo &info : kCacheTypes) {
        if (info.type == type)
            return info;
    }
    return kCacheTypes.first();
}

QList<CacheType> cacheTypesFor(Engine engine)
{
    switch (engine) {
    case Engine::LlamaCpp:
        return {CacheType::F32,  CacheType::F16,  CacheType::BF16, CacheType::Q8_0,  CacheType::Q5_1,
                CacheType::Q5_0, CacheType::Q4_1, CacheType::Q4_0, CacheType::IQ4_NL};
    case Engine::Ollama: return {CacheType::F16, CacheType::Q8_0, CacheType::Q4_0};
    case Engine::Vllm:
    case Engine::Sglang: return {CacheType::F16, CacheType::BF16, CacheType::Fp8};
    case Engine::Generic: break;
    }
    QList<CacheType> all;
    for (const CacheTypeInfo &info : kCacheTypes)
        all << info.type;
    return all;
}

bool acceptsCacheType(Engine engine, CacheType type)
{
    return cacheTypesFor(engine).contains(type);
}

bool oneKvCacheType(Engine engine)
{
    return engine == Engine::Vllm || engine == Engine::Sglang || engine == Engine::Ollama;
}

QString engineCacheTypeName(Engine engine, CacheType type)
{
    if (engine == Engine::Vllm) {
        switch (type) {
        case CacheType::F16: return QStringLiteral("float16");
        case CacheType::BF16: return QStringLiteral("bfloat16");
        default: break;
        }
    }
    if (engine == Engine::Sglang) {
        switch (type) {
        case CacheType::F16: return QStringLiteral("auto"); // SGLang has no float16 value: an f16 model's own
        case CacheType::Fp8: return QStringLiteral("fp8_e4m3");
        default: break;
        }
    }
    return name(type);
}

QString name(Engine engine)
{
    return nameIn(kEngines, engine);
}

QString name(SourceState state)
{
    return nameIn(kSourceStates, state);
}

QString name(KvLayout layout)
{
    return nameIn(kKvLayouts, layout);
}

QString name(ActionStatus status)
{
    return nameIn(kActionStatuses, status);
}

QString name(RecommendationStatus status)
{
    return nameIn(kRecommendationStatuses, status);
}

QString name(CacheType type)
{
    return QLatin1String(cacheTypeInfo(type).name);
}

std::optional<Engine> parseEngine(QStringView text)
{
    if (auto e = parseIn(kEngines, text))
        return e;
    return parseIn(kEngineAliases, text);
}

std::optional<SourceState> parseSourceState(QStringView text)
{
    return parseIn(kSourceStates, text);
}

QString name(FlashAttention mode)
{
    return nameIn(kFlashAttentionModes, mode);
}

QString name(ServerState state)
{
    return nameIn(kServerStates, state);
}

std::optional<FlashAttention> parseFlashAttention(QStringView text)
{
    return parseIn(kFlashAttentionModes, text);
}

std::optional<ServerState> parseServerState(QStringView text)
{
    return parseIn(kServerStates, text);
}

std::optional<KvLayout> parseKvLayout(QStringView text)
{
    return parseIn(kKvLayouts, text);
}

std::optional<ActionStatus> parseActionStatus(QStringView text)
{
    return parseIn(kActionStatuses, text);
}

std::optional<RecommendationStatus> parseRecommendationStatus(QStringView text)
{
    return parseIn(kRecommendationStatuses, text);
}

std::optional<CacheType> parseCacheType(QStringView text)
{
    const QStringView t = text.trimmed();
    for (const CacheTypeInfo &info : kCacheTypes) {
        if (t.compare(QLatin1String(info.name), Qt::CaseInsensitive) == 0)
            return info.type;
    }
    return parseIn(kVllmCacheTypes, t);
}

} // namespace cachewise::model
