// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/analysis/recommender.h"

#include "core/common/logging.h"
#include "core/common/units.h"
#include "core/model/json.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace cachewise::analysis {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Sources named in the findings and in the README.
const char *const kLlamaQuantSource = "https://github.com/ggml-org/llama.cpp/pull/7412";
const char *const kOllamaQuantSource = "https://github.com/ollama/ollama/blob/main/docs/"
                                       "faq.md#how-can-i-set-the-quantization-type-for-the-k-v-cache";
const char *const kVllmQuantSource =
    "https://docs.vllm.ai/en/latest/features/quantization/quantized_kvcache.html";
const char *const kSglangArgsSource = "https://docs.sglang.ai/advanced_features/server_arguments.html";
const char *const kLlamaServerSource =
    "https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md";
const char *const kVllmOptimizationSource = "https://docs.vllm.ai/en/latest/configuration/optimization.html";
const char *const kVllmPrefixSource = "https://docs.vllm.ai/en/latest/features/automatic_prefix_caching.html";
const char *const kLlamaSwaSource = "https://github.com/ggml-org/llama.cpp/pull/13194";

thread_local bool t_untranslated = false;

bool llamaFamily(Engine e)
{
    return e == Engine::LlamaCpp || e == Engine::Ollama;
}

bool paged(Engine e)
{
    return e == Engine::Vllm || e == Engine::Sglang;
}

int bits(CacheType t)
{
    return cacheTypeInfo(t).bits;
}

std::optional<KvEstimate> estimate(const AnalysisInput &in, const KvConfig &config)
{
    auto e = estimateKv(in.model, config);
    return e ? std::optional<KvEstimate>(*e) : std::nullopt;
}

// Tokens one sequence held at the observed peak (all of the KV in use, the conservative reading),
// or the whole per-sequence context when the project does not report its KV size.
qint64 observedTokensPerSequence(const AnalysisInput &in, const KvEstimate &now)
{
    if (!in.observed.peakKvBytes || now.bytesPerToken <= 0)
        return now.contextPerSequence;
    const auto tokens = qint64(std::ceil(*in.observed.peakKvBytes / double(now.bytesPerToken)));
    return std::clamp<qint64>(tokens, 1, now.contextPerSequence);
}

// More sequences of `tokens` that fit in today's KV allocation under `changed`.
qint64 extraSequences(const AnalysisInput &in, const KvConfig &changed, const KvEstimate &now, qint64 tokens)
{
    auto before = maxConcurrentSequences(in.model, in.config, tokens, now.totalBytes);
    auto after = maxConcurrentSequences(in.model, changed, tokens, now.totalBytes);
    return before && after ? std::max<qint64>(0, *after - *before) : 0;
}

void setSaving(Finding &f, const KvEstimate &now, const KvEstimate &after)
{
    const qint64 saved = now.totalBytes - after.totalBytes;
    f.memorySavingPercent =
        now.totalBytes > 0 ? std::round(1000.0 * double(saved) / double(now.totalBytes)) / 10.0 : 0.0;
    f.params[QStringLiteral("savingBytes")] = double(saved);
    f.params[QStringLiteral("beforeBytes")] = double(now.totalBytes);
    f.params[QStringLiteral("afterBytes")] = double(after.totalBytes);
}

QString typeName(CacheType t)
{
    return QLatin1String(cacheTypeInfo(t).name);
}

std::optional<Finding> quantization(const AnalysisInput &in, const KvEstimate &now, bool fourBit)
{
    const KvConfig &c = in.config;
    if (bits(c.typeK) <= 8 && bits(c.typeV) <= 8)
        return std::nullopt; // already quantized
    if (c.engine == Engine::Generic)
        return std::nullopt; // no known switch
    const Observations &o = in.observed;
    const bool pressure = (o.peakUsage && *o.peakUsage >= 0.9) || (o.waitingShare && *o.waitingShare >= 0.1);
    const double kvShare =
        o.peakMemoryGB && *o.peakMemoryGB > 0 ? double(now.totalBytes) / kGiB / *o.peakMemoryGB : 1.0;
    if (!pressure && kvShare < 0.05 && !(o.peakUsage && *o.peakUsage >= 0.5))
        return std::nullopt; // the cache is a small part of memory and not under pressure: not worth a risk
    if (fourBit) {
        // Guardrails: 4-bit KV only for llama.cpp-family engines whose cache is full, never for
        // attention-sink models (gpt-oss) or models under one billion parameters.
        const bool cacheFull = o.peakUsage && *o.peakUsage >= 0.9;
        if (!llamaFamily(c.engine) || !cacheFull || in.model.attentionSinks ||
            in.model.parametersBillions < 1.0)
            return std::nullopt;
    }
    KvConfig changed = c;
    const CacheType target = fourBit ? CacheType::Q4_0 : (paged(c.engine) ? CacheType::Fp8 : CacheType::Q8_0);
    changed.typeK = changed.typeV = target;
    const auto after = estimate(in, changed);
    if (!after)
        return std::nullopt; // head size does not divide into blocks of this type
    Finding f;
    f.rule = fourBit ? QStringLiteral("kv_quantization_4bit") : QStringLiteral("kv_quantization");
    setSaving(f, now, *after);
    const qint64 tokens = observedTokensPerSequence(in, now);
    f.params[QStringLiteral("extraSequences")] = double(extraSequences(in, changed, now, tokens));
    f.params[QStringLiteral("tokensPerSequence")] = double(tokens);
    f.params[QStringLiteral("from")] = QString(typeName(c.typeK) + QLatin1Char('/') + typeName(c.typeV));
    f.params[QStringLiteral("to")] = typeName(target);
    f.params[QStringLiteral("engine")] = model::name(c.engine);
    f.params[QStringLiteral("peakUsage")] = o.peakUsage ? *o.peakUsage : -1;
    f.params[QStringLiteral("flashAttention")] = in.flashAttention;
    f.change = {{QStringLiteral("cacheTypeK"), typeName(target)},
                {QStringLiteral("cacheTypeV"), typeName(target)}};
    if (llamaFamily(c.engine))
        f.change.insert(QStringLiteral("flashAttention"), true); // a quantized V cache needs it
    const QString t = typeName(target);
    switch (c.engine) {
    case Engine::LlamaCpp:
        f.apply = {
            QStringLiteral("-fa on -ctk %1 -ctv %1").arg(t),
            QStringLiteral("LLAMA_ARG_FLASH_ATTN=on LLAMA_ARG_CACHE_TYPE_K=%1 LLAMA_ARG_CACHE_TYPE_V=%1")
                .arg(t)};
        f.source = QLatin1String(kLlamaQuantSource);
        break;
    case Engine::Ollama:
        f.apply = {QStringLiteral("OLLAMA_FLASH_ATTENTION=1"),
                   QStringLiteral("OLLAMA_KV_CACHE_TYPE=%1").arg(t)};
        f.source = QLatin1String(kOllamaQuantSource);
        break;
    case Engine::Vllm:
        f.apply = {QStringLiteral("--kv-cache-dtype fp8")};
        f.source = QLatin1String(kVllmQuantSource);
        break;
    case Engine::Sglang:
        f.apply = {QStringLiteral("--kv-cache-dtype fp8_e4m3")};
        f.source = QLatin1String(kSglangArgsSource);
        break;
    case Engine::Generic: break;
    }
    return f;
}

std::optional<Finding> rightSizeContext(const AnalysisInput &in, const KvEstimate &now)
{
    const KvConfig &c = in.config;
    if (paged(c.engine) || !in.observed.peakKvBytes || now.bytesPerToken <= 0)
        return std::nullopt; // paged engines allocate by memory budget, not by context
    const auto peakTokens = qint64(std::ceil(*in.observed.peakKvBytes / double(now.bytesPerToken)));
    // 25 % headroom over the busiest moment seen, in llama.cpp's 256-cell steps.
    const qint64 perSequence = std::max<qint64>(256, (peakTokens * 5 / 4 + 255) / 256 * 256);
    if (perSequence >= now.contextPerSequence)
        return std::nullopt;
    KvConfig changed = c;
    const bool unified = c.engine == Engine::LlamaCpp && c.unified;
    if (c.engine == Engine::LlamaCpp)
        changed.context = unified ? perSequence : perSequence * c.parallel;
    else
        changed.context = perSequence; // Ollama num_ctx and generic engines: per sequence
    const auto after = estimate(in, changed);
    if (!after || after->totalBytes > now.totalBytes * 3 / 4)
        return std::nullopt; // under 25 %: not worth a restart
    Finding f;
    f.rule = QStringLiteral("right_size_context");
    setSaving(f, now, *after);
    f.params[QStringLiteral("peakTokens")] = double(peakTokens);
    f.params[QStringLiteral("contextPerSequence")] = double(now.contextPerSequence);
    f.params[QStringLiteral("newContextPerSequence")] = double(perSequence);
    f.params[QStringLiteral("minutes")] = in.observed.minutes;
    f.params[QStringLiteral("extraSequences")] = 0;
    f.change = {{QStringLiteral("context"), double(changed.context)}};
    switch (c.engine) {
    case Engine::LlamaCpp: f.apply = {QStringLiteral("-c %1").arg(changed.context)}; break;
    case Engine::Ollama:
        f.apply = {QStringLiteral("PARAMETER num_ctx %1").arg(perSequence),
                   QStringLiteral("OLLAMA_CONTEXT_LENGTH=%1").arg(perSequence)};
        break;
    default: f.apply = {QStringLiteral("context = %1").arg(perSequence)}; break;
    }
    f.source = QLatin1String(kLlamaServerSource);
    return f;
}

std::optional<Finding> moreSlots(const AnalysisInput &in, const KvEstimate &now)
{
    const Observations &o = in.observed;
    if (!o.waitingShare || *o.waitingShare < 0.1 || !o.meanUsage || *o.meanUsage >= 0.6)
        return std::nullopt; // nobody waits, or the cache is busy anyway
    if (o.preemptions && *o.preemptions > 0)
        return std::nullopt; // the engine already runs out of cache at peaks: more sequences would preempt
                             // more
    const KvConfig &c = in.config;
    const int parallel = std::min(c.parallel * 2, 4096);
    if (parallel == c.parallel)
        return std::nullopt;
    Finding f;
    f.rule = QStringLiteral("more_slots");
    f.memorySavingPercent = 0.0;
    f.params[QStringLiteral("waitingShare")] = *o.waitingShare;
    f.params[QStringLiteral("meanWaiting")] = o.meanWaiting.value_or(0);
    f.params[QStringLiteral("meanUsage")] = *o.meanUsage;
    f.params[QStringLiteral("parallel")] = c.parallel;
    f.params[QStringLiteral("newParallel")] = parallel;
    f.params[QStringLiteral("extraSequences")] = parallel - c.parallel;
    f.params[QStringLiteral("savingBytes")] = 0;
    f.params[QStringLiteral("splitsCache")] = c.engine == Engine::LlamaCpp && !c.unified;
    f.change = {{QStringLiteral("parallel"), parallel}};
    if (c.engine == Engine::Ollama) {
        // Ollama allocates num_ctx for every parallel request: more memory, said as such.
        KvConfig changed = c;
        changed.parallel = parallel;
        if (const auto after = estimate(in, changed))
            f.params[QStringLiteral("costBytes")] = double(after->totalBytes - now.totalBytes);
    }
    switch (c.engine) {
    case Engine::LlamaCpp: {
        // Without a unified cache the same -c is split into more, smaller slots: only if they still hold
        // the longest sequence seen; otherwise share one pool.
        const qint64 peakTokens = observedTokensPerSequence(in, now);
        const qint64 perSlot = (now.cells / parallel + 255) / 256 * 256;
        if (c.unified || perSlot >= peakTokens * 11 / 10)
            f.apply = {QStringLiteral("-np %1 -c %2").arg(parallel).arg(c.context)};
        else {
            f.apply = {QStringLiteral("-np %1 -c %2 --kv-unified").arg(parallel).arg(c.context)};
            f.change.insert(QStringLiteral("unified"), true);
        }
        f.source = QLatin1String(kLlamaServerSource);
        break;
    }
    case Engine::Ollama:
        f.apply = {QStringLiteral("OLLAMA_NUM_PARALLEL=%1").arg(parallel)};
        f.source = QLatin1String(kOllamaQuantSource);
        break;
    case Engine::Vllm:
        f.apply = {QStringLiteral("--max-num-seqs %1").arg(parallel)};
        f.source = QLatin1String(kVllmOptimizationSource);
        break;
    case Engine::Sglang:
        f.apply = {QStringLiteral("--max-running-requests %1").arg(parallel)};
        f.source = QLatin1String(kSglangArgsSource);
        break;
    case Engine::Generic: f.apply = {QStringLiteral("parallel sequences = %1").arg(parallel)}; break;
    }
    return f;
}

std::optional<Finding> contextLimit(const AnalysisInput &in)
{
    const Observations &o = in.observed;
    if (!o.peakUsage || *o.peakUsage < 0.95)
        return std::nullopt;
    const auto trend = o.latencyTrend();
    Finding f;
    f.rule = QStringLiteral("context_limit");
    f.params[QStringLiteral("peakUsage")] = *o.peakUsage;
    f.params[QStringLiteral("latencyTrend")] = trend ? *trend : 0.0;
    f.params[QStringLiteral("engine")] = model::name(in.config.engine);
    f.params[QStringLiteral("extraSequences")] = 0;
    f.params[QStringLiteral("savingBytes")] = 0;
    switch (in.config.engine) {
    case Engine::LlamaCpp:
        f.apply = {QStringLiteral("--context-shift --keep 256")};
        f.source = QLatin1String(kLlamaServerSource);
        break;
    case Engine::Ollama:
        // Ollama shifts the context itself; the lever is a larger num_ctx or shorter conversations.
        f.apply = {QStringLiteral("PARAMETER num_ctx %1").arg(in.config.context * 2)};
        f.source = QLatin1String(kOllamaQuantSource);
        break;
    default:
        // vLLM and SGLang refuse prompts beyond the model length: trim or summarise on the client.
        f.apply = {QStringLiteral("client: keep the system prompt and the last turns within %1 tokens")
                       .arg(in.config.context * 9 / 10)};
        f.source = QLatin1String(kVllmOptimizationSource);
        break;
    }
    return f;
}

std::optional<Finding> slidingWindowFull(const AnalysisInput &in, const KvEstimate &now)
{
    if (!llamaFamily(in.config.engine) || !in.config.swaFull || !in.model.hasSlidingWindow())
        return std::nullopt;
    KvConfig changed = in.config;
    changed.swaFull = false;
    const auto after = estimate(in, changed);
    if (!after || after->totalBytes >= now.totalBytes)
        return std::nullopt;
    Finding f;
    f.rule = QStringLiteral("sliding_window");
    setSaving(f, now, *after);
    const qint64 tokens = observedTokensPerSequence(in, now);
    f.params[QStringLiteral("extraSequences")] = double(extraSequences(in, changed, now, tokens));
    f.params[QStringLiteral("tokensPerSequence")] = double(tokens);
    int window = 0;
    for (const LayerSpec &l : in.model.layers)
        window = std::max(window, l.window);
    f.params[QStringLiteral("window")] = window;
    f.apply = {QStringLiteral("remove --swa-full")};
    f.change = {{QStringLiteral("swaFull"), false}};
    f.source = QLatin1String(kLlamaSwaSource);
    return f;
}

std::optional<Finding> prefixCaching(const AnalysisInput &in)
{
    const Observations &o = in.observed;
    const Engine e = in.config.engine;
    if (!o.prefixHitRate || *o.prefixHitRate >= 0.3 || e == Engine::Ollama || e == Engine::Generic)
        return std::nullopt;
    const double hit = *o.prefixHitRate;
    Finding f;
    f.rule = QStringLiteral("prefix_caching");
    // Raising the hit rate to 50 % leaves (0.5 - h) / (1 - h) fewer prompt tokens to compute.
    f.speedPercent = std::round(100.0 * (0.5 - hit) / (1.0 - hit));
    f.params[QStringLiteral("hitRate")] = hit;
    f.params[QStringLiteral("enabled")] = in.prefixCaching;
    f.params[QStringLiteral("extraSequences")] = 0;
    f.params[QStringLiteral("savingBytes")] = 0;
    if (e == Engine::LlamaCpp) {
        f.apply = {QStringLiteral("--cache-prompt --cache-reuse 256")};
        f.source = QLatin1String(kLlamaServerSource);
    } else if (e == Engine::Vllm) {
        if (!in.prefixCaching)
            f.change = {{QStringLiteral("prefixCaching"), true}};
        f.apply = {in.prefixCaching
                       ? QStringLiteral("client: send the shared prefix (system prompt, tools) first "
                                        "and byte-identical")
                       : QStringLiteral("--enable-prefix-caching")};
        f.source = QLatin1String(kVllmPrefixSource);
    } else {
        if (!in.prefixCaching)
            f.change = {{QStringLiteral("prefixCaching"), true}};
        f.apply = {in.prefixCaching ? QStringLiteral("--schedule-policy lpm")
                                    : QStringLiteral("remove --disable-radix-cache")};
        f.source = QLatin1String(kSglangArgsSource);
    }
    return f;
}

std::optional<Finding> preemption(const AnalysisInput &in)
{
    const Observations &o = in.observed;
    if (in.config.engine != Engine::Vllm || !o.preemptions || *o.preemptions <= 0)
        return std::nullopt;
    const int seqs = std::max(1, int(std::floor(o.peakRunning.value_or(in.config.parallel) * 0.8)));
    Finding f;
    f.rule = QStringLiteral("vllm_preemption");
    f.params[QStringLiteral("preemptions")] = *o.preemptions;
    f.params[QStringLiteral("minutes")] = o.minutes;
    f.params[QStringLiteral("maxNumSeqs")] = seqs;
    f.params[QStringLiteral("extraSequences")] = 0;
    f.params[QStringLiteral("savingBytes")] = 0;
    if (seqs != in.config.parallel)
        f.change = {{QStringLiteral("parallel"), seqs}};
    f.apply = {QStringLiteral("--gpu-memory-utilization 0.95"),
               QStringLiteral("--max-num-seqs %1").arg(seqs)};
    f.source = QLatin1String(kVllmOptimizationSource);
    return f;
}

std::optional<Finding> cpuOffload(const AnalysisInput &in)
{
    const Observations &o = in.observed;
    const bool memoryFull = in.gpuMemoryGB > 0 && o.peakMemoryGB && *o.peakMemoryGB >= 0.95 * in.gpuMemoryGB;
    const bool cacheFull = o.peakUsage && *o.peakUsage >= 0.98 && o.waitingShare && *o.waitingShare >= 0.2 &&
                           bits(in.config.typeK) <= 8 && bits(in.config.typeV) <= 8;
    if (!memoryFull && !cacheFull)
        return std::nullopt;
    Finding f;
    f.rule = QStringLiteral("cpu_offload");
    f.params[QStringLiteral("peakMemoryGB")] = o.peakMemoryGB.value_or(0);
    f.params[QStringLiteral("gpuMemoryGB")] = in.gpuMemoryGB;
    f.params[QStringLiteral("peakUsage")] = o.peakUsage.value_or(0);
    f.params[QStringLiteral("extraSequences")] = 0;
    f.params[QStringLiteral("savingBytes")] = 0;
    switch (in.config.engine) {
    case Engine::LlamaCpp:
        f.apply = {QStringLiteral("-nkvo")};
        f.source = QLatin1String(kLlamaServerSource);
        break;
    case Engine::Ollama:
        f.apply = {QStringLiteral("PARAMETER num_gpu <fewer layers>")};
        f.source = QLatin1String(kOllamaQuantSource);
        break;
    case Engine::Vllm:
        f.apply = {QStringLiteral("--kv-offloading-size 8 --kv-offloading-backend native")};
        f.source = QLatin1String(kVllmOptimizationSource);
        break;
    case Engine::Sglang:
        f.apply = {QStringLiteral("--enable-hierarchical-cache --hicache-ratio 2")};
        f.source = QLatin1String(kSglangArgsSource);
        break;
    case Engine::Generic: f.apply = {QStringLiteral("keep the KV cache in host memory")}; break;
    }
    return f;
}

// Stored texts use plain digits; on screen the reader's locale.
QLocale locale()
{
    return t_untranslated ? QLocale::c() : QLocale();
}

QString percent(double fraction)
{
    return locale().toString(fraction * 100.0, 'f', 0);
}

// In the binary unit that shows the number (a small cache is "4.00 MiB", not "0.00 GiB").
QString bytesText(double bytes)
{
    return formatBytes(bytes, locale());
}

QString number(double v)
{
    return locale().toString(qint64(std::llround(v)));
}

} // namespace

QList<Finding> recommend(const AnalysisInput &input)
{
    QList<Finding> out;
    const auto now = estimate(input, input.config);
    if (!now)
        return out;
    QStringList quiet;
    const auto add = [&out, &quiet](const char *rule, std::optional<Finding> f) {
        if (f) {
            qCDebug(lcAnalysis) << "rule" << rule << "recommends:" << f->rule << f->params;
            out << std::move(*f);
        } else {
            quiet << QLatin1String(rule);
        }
    };
    add("quantization", quantization(input, *now, false));
    add("quantization (4-bit)", quantization(input, *now, true));
    add("right-size context", rightSizeContext(input, *now));
    add("more slots", moreSlots(input, *now));
    add("context limit", contextLimit(input));
    add("sliding-window full", slidingWindowFull(input, *now));
    add("prefix caching", prefixCaching(input));
    add("preemption", preemption(input));
    add("CPU offload", cpuOffload(input));
    // A rule stays quiet when its engine has no such setting or what was observed does not call for it.
    qCDebug(lcAnalysis) << "rules with nothing to recommend:" << quiet.join(QStringLiteral(", "));
    return out;
}

QJsonObject findingDetails(const Finding &f)
{
    QJsonObject o{{QStringLiteral("rule"), f.rule},
                  {QStringLiteral("params"), f.params},
                  {QStringLiteral("apply"), QJsonArray::fromStringList(f.apply)},
                  {QStringLiteral("source"), f.source}};
    if (f.memorySavingPercent)
        o[QStringLiteral("memorySavingPercent")] = *f.memorySavingPercent;
    if (f.speedPercent)
        o[QStringLiteral("speedPercent")] = *f.speedPercent;
    if (!f.change.isEmpty())
        o[QStringLiteral("change")] = f.change;
    return o;
}

QStringList applyFlags(const QJsonObject &details)
{
    QStringList flags;
    for (const QJsonValue &v : details.value(QLatin1String("apply")).toArray())
        flags << v.toString();
    return flags;
}

std::optional<model::ProjectRuntime> runtimeAfter(const model::ProjectRuntime &runtime,
                                                  const QJsonObject &details)
{
    const QJsonObject change = details.value(QLatin1String("change")).toObject();
    if (change.isEmpty())
        return std::nullopt;
    QJsonObject fields = model::json::runtime(runtime);
    for (auto it = change.begin(); it != change.end(); ++it) {
        if (!fields.contains(it.key()) || it.key() == QLatin1String("model") ||
            it.key() == QLatin1String("engine"))
            return std::nullopt;
        fields.insert(it.key(), it.value());
    }
    auto after = model::json::runtimeFrom(fields);
    if (after)
        after->updatedAtMs = runtime.updatedAtMs;
    return after;
}

// The texts' translation context (lupdate reads tr() in its members as cachewise::analysis::Recommender).
class Recommender
{
public:
    static QString tr(const char *text)
    {
        return t_untranslated ? QString::fromUtf8(text)
                              : QCoreApplication::translate("cachewise::analysis::Recommender", text);
    }
    static RecommendationText render(const QJsonObject &details);
    static QString partName(const QString &id);
};

RecommendationText renderRecommendation(const QJsonObject &details)
{
    return Recommender::render(details);
}

RecommendationText Recommender::render(const QJsonObject &details)
{
    const QString rule = details.value(QLatin1String("rule")).toString();
    const QJsonObject p = details.value(QLatin1String("params")).toObject();
    const auto num = [&p](const char *key) {
        return p.value(QLatin1String(key)).toDouble();
    };
    const auto str = [&p](const char *key) {
        return p.value(QLatin1String(key)).toString();
    };
    RecommendationText t;

    const double saving = details.value(QLatin1String("memorySavingPercent")).toDouble();
    const double extra = num("extraSequences");
    if (num("savingBytes") > 0) {
        t.impact = tr("Saves %1 % of KV memory (%2 of %3).")
                       .arg(locale().toString(saving, 'f', 1), bytesText(num("savingBytes")),
                            bytesText(num("beforeBytes")));
        if (extra > 0)
            t.impact +=
                QLatin1Char(' ') + tr("The same memory holds %1 more concurrent sequences of %2 tokens.")
                                       .arg(number(extra), number(num("tokensPerSequence")));
    } else if (extra > 0) {
        t.impact = tr("No memory saved; %1 more requests are served at once.").arg(number(extra));
    } else {
        t.impact = tr("No memory saved.");
    }

    if (rule == QLatin1String("kv_quantization") || rule == QLatin1String("kv_quantization_4bit")) {
        t.title = tr("Store the KV cache as %1").arg(str("to"));
        t.observation = num("peakUsage") >= 0
                            ? tr("The cache is kept at %1 (K/V) and reached %2 % of its allocation.")
                                  .arg(str("from"), percent(num("peakUsage")))
                            : tr("The cache is kept at %1 (K/V), %2 for this configuration.")
                                  .arg(str("from"), bytesText(num("beforeBytes")));
        const auto engine = parseEngine(str("engine"));
        const auto to = parseCacheType(str("to"));
        if (to == CacheType::Fp8) {
            t.speed = tr("No speed gain is claimed: FP8 KV is only faster with a fused FP8 attention kernel; "
                         "otherwise values are converted on every read.");
            t.risk = tr("Small accuracy loss; scales come from the checkpoint or default to 1.0.");
        } else if (to == CacheType::Q4_0) {
            t.speed = tr("About the same decoding speed with flash attention; a quantized V cache needs it.");
            t.risk = tr("About +2.4 % perplexity without rotation: check quality on your own prompts first.");
        } else {
            t.speed = tr("About the same decoding speed with flash attention; a quantized V cache needs it.");
            t.risk = tr("About +0.04 % perplexity for q8_0 K and V.");
        }
        if (engine == Engine::Ollama)
            t.risk += QLatin1Char(' ') + tr("Ollama applies it to every model it serves.");
    } else if (rule == QLatin1String("right_size_context")) {
        t.title =
            tr("Shrink the context to %1 tokens per sequence").arg(number(num("newContextPerSequence")));
        t.observation =
            tr("In %1 minutes the cache never held more than %2 tokens, but %3 are allocated per "
               "sequence.")
                .arg(number(num("minutes")), number(num("peakTokens")), number(num("contextPerSequence")));
        t.speed = tr("No change in speed; the engine restarts with the new size.");
        t.risk =
            tr("Sequences longer than the new context are cut or refused; 25 % headroom is kept over the "
               "peak seen.");
    } else if (rule == QLatin1String("more_slots")) {
        t.title = tr("Serve %1 requests at once instead of %2")
                      .arg(number(num("newParallel")), number(num("parallel")));
        t.observation = tr("Requests waited in %1 % of the minutes while the cache was on average only %2 % "
                           "full.")
                            .arg(percent(num("waitingShare")), percent(num("meanUsage")));
        t.speed = tr("Higher throughput while requests queue; each request decodes a little slower.");
        if (num("costBytes") > 0)
            t.risk =
                tr("No quality risk; Ollama allocates the context for every parallel request: %1 more KV "
                   "memory.")
                    .arg(bytesText(num("costBytes")));
        else if (p.value(QLatin1String("splitsCache")).toBool())
            t.risk = tr("No quality risk; each slot gets a smaller share of a non-unified cache.");
        else
            t.risk = tr("No quality risk.");
    } else if (rule == QLatin1String("context_limit")) {
        t.title = tr("Conversations run into the context limit");
        t.observation =
            tr("The cache reached %1 % of its allocation; inference time changed by %2 % over the "
               "window.")
                .arg(percent(num("peakUsage")), percent(num("latencyTrend")));
        t.speed = tr("Keeps long conversations going instead of failing them.");
        t.risk = tr("The oldest tokens are dropped, so the model forgets the start of long conversations.");
    } else if (rule == QLatin1String("sliding_window")) {
        t.title = tr("Keep sliding-window layers at their window");
        t.observation = tr("--swa-full keeps the whole context in layers that only look at %1 tokens.")
                            .arg(number(num("window")));
        t.speed = tr("No change in decoding speed.");
        t.risk = tr("Prompt reuse across requests is more limited for these layers.");
    } else if (rule == QLatin1String("prefix_caching")) {
        t.title = tr("Reuse repeated prompt prefixes");
        t.observation =
            p.value(QLatin1String("enabled")).toBool()
                ? tr("Only %1 % of prompt tokens came from the prefix cache.").arg(percent(num("hitRate")))
                : tr("Only %1 % of prompt tokens came from the prefix cache, and prefix caching is "
                     "off.")
                      .arg(percent(num("hitRate")));
        t.speed =
            tr("At a 50 % hit rate, %1 % fewer prompt tokens are computed: a shorter time to first token.")
                .arg(locale().toString(details.value(QLatin1String("speedPercent")).toDouble(), 'f', 0));
        t.risk = tr("No quality risk.");
    } else if (rule == QLatin1String("vllm_preemption")) {
        t.title = tr("Stop vLLM from preempting requests");
        t.observation =
            tr("%1 requests were preempted in %2 minutes: the KV cache ran out and their work was "
               "recomputed.")
                .arg(number(num("preemptions")), number(num("minutes")));
        t.speed = tr("Steadier latency: no recomputation of preempted requests.");
        t.risk = tr("A higher memory share leaves less room for other processes on the GPU.");
    } else if (rule == QLatin1String("cpu_offload")) {
        t.title = tr("Move part of the cache to system memory");
        t.observation =
            num("gpuMemoryGB") > 0
                ? tr("Memory use peaked at %1 GB of %2 GB on the GPU.")
                      .arg(locale().toString(num("peakMemoryGB"), 'f', 1),
                           locale().toString(num("gpuMemoryGB"), 'f', 1))
                : tr("The cache is full (%1 %) and requests wait, although it is already quantized.")
                      .arg(percent(num("peakUsage")));
        t.speed = tr("Slower decoding: cached keys and values cross the PCIe bus.");
        t.risk = tr("No quality risk.");
    } else {
        t.title = rule;
    }
    return t;
}

RecommendationText renderRecommendationUntranslated(const QJsonObject &details)
{
    t_untranslated = true;
    RecommendationText text = renderRecommendation(details);
    t_untranslated = false;
    return text;
}

OptimizationScore optimizationScore(const AnalysisInput &in)
{
    OptimizationScore s;
    const Observations &o = in.observed;

    ScorePart utilization{QStringLiteral("utilization"), 30, std::nullopt, {}};
    if (o.meanUsage) {
        // 70 % of the allocation in use on average is full marks; a cache that hits its ceiling loses some.
        double v = std::clamp(*o.meanUsage / 0.7, 0.0, 1.0);
        if (o.peakUsage && *o.peakUsage >= 0.98)
            v = std::max(0.0, v - 0.3);
        utilization.value = v;
        utilization.inputs = {{QStringLiteral("meanUsage"), *o.meanUsage},
                              {QStringLiteral("peakUsage"), o.peakUsage.value_or(0)}};
    }
    s.parts << utilization;

    ScorePart efficiency{QStringLiteral("efficiency"), 30, std::nullopt, {}};
    if (const auto now = estimate(in, in.config); now && now->bytesPerToken > 0) {
        KvConfig best = in.config;
        const CacheType safe = paged(in.config.engine) ? CacheType::Fp8 : CacheType::Q8_0;
        if (bits(best.typeK) > 8)
            best.typeK = safe;
        if (bits(best.typeV) > 8)
            best.typeV = safe;
        if (const auto b = estimate(in, best)) {
            efficiency.value = std::min(1.0, double(b->bytesPerToken) / double(now->bytesPerToken));
            efficiency.inputs = {{QStringLiteral("bytesPerToken"), double(now->bytesPerToken)},
                                 {QStringLiteral("bestBytesPerToken"), double(b->bytesPerToken)}};
        }
    }
    s.parts << efficiency;

    ScorePart latency{QStringLiteral("latency"), 20, std::nullopt, {}};
    if (const auto trend = o.latencyTrend()) {
        // Flat or falling latency is full marks; +50 % over the window is none.
        latency.value = std::clamp(1.0 - *trend / 0.5, 0.0, 1.0);
        latency.inputs = {{QStringLiteral("earlyMs"), *o.latencyEarlyMs},
                          {QStringLiteral("lateMs"), *o.latencyLateMs}};
    }
    s.parts << latency;

    ScorePart queue{QStringLiteral("queue"), 20, std::nullopt, {}};
    if (o.waitingShare) {
        // Nobody waiting is full marks; waiting in half of the minutes or more is none.
        queue.value = std::clamp(1.0 - *o.waitingShare / 0.5, 0.0, 1.0);
        queue.inputs = {{QStringLiteral("waitingShare"), *o.waitingShare}};
    }
    s.parts << queue;

    double points = 0;
    double weights = 0;
    for (const ScorePart &p : std::as_const(s.parts)) {
        if (p.value) {
            points += p.weight * *p.value;
            weights += p.weight;
        }
    }
    if (weights > 0)
        s.score = std::round(100.0 * points / weights);
    return s;
}

QString scorePartName(const QString &id)
{
    return Recommender::partName(id);
}

QString Recommender::partName(const QString &id)
{
    if (id == QLatin1String("utilization"))
        return tr("Cache in use");
    if (id == QLatin1String("efficiency"))
        return tr("Bytes per token");
    if (id == QLatin1String("latency"))
        return tr("Latency trend");
    if (id == QLatin1String("queue"))
        return tr("Waiting requests");
    return id;
}

} // namespace cachewise::analysis
