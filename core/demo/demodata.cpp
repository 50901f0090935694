// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/demo/demodata.h"

#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/model/actiondetails.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace cachewise::demo {
namespace {

struct Profile
{
    double kvKBPerToken;  // KV cache per context token
    double weightsGB;     // memory besides the KV cache
    double baseLatencyMs; // inference time of a short request
    double msPerKToken;   // extra latency per 1000 context tokens
    double tokensPerStep; // mean tokens processed per 10 s
    int maxContext;       // tokens a conversation reaches before it ends
    double capacityKB;    // allocated KV as the engine reports it
    double baseScore;
    double hitRate; // prefix-cache hit rate
    int maxRunning; // concurrent requests the engine runs
};

// Each profile matches the runtime demoRuntime() describes: KiB per token as the KV model computes it,
// capacity as that engine allocates it.
const Profile kProfiles[] = {
    // llama.cpp, Llama 3.1 8B Q4_K_M, -c 16384 -np 4, f16 cache: 2 GiB allocated, conversations short.
    {128.0, 5.2, 420.0, 90.0, 1250.0, 1600, 2097152.0, 76.0, 0.35, 4},
    // vLLM, Qwen2.5 7B bf16, a 118k-token block pool that fills up: preemptions, a queue.
    {56.0, 15.4, 240.0, 2.0, 12000.0, 126000, 6608000.0, 68.0, 0.12, 4},
    // Ollama, Gemma 3 27B (vision) Q4, num_ctx 8192 with 2 parallel: captions need ~1400 tokens.
    {496.0, 17.4, 150.0, 40.0, 300.0, 1400, 2588672.0, 81.0, 0.0, 2},
};

} // namespace

const QList<DemoProject> &demoProjects()
{
    static const QList<DemoProject> projects{
        {QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01"), QStringLiteral("Chatbot v2"),
         QStringLiteral("Llama-3.1-8B-Instruct"), QStringLiteral("Decoder-only Transformer")},
        {QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a02"), QStringLiteral("Code Gen API"),
         QStringLiteral("Qwen2.5-Coder-7B-Instruct"), QStringLiteral("Decoder-only Transformer")},
        {QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a03"), QStringLiteral("Image Captioning"),
         QStringLiteral("Gemma-3-27B-IT"), QStringLiteral("Decoder-only Transformer")},
    };
    return projects;
}

QList<model::MetricSample> demoHistory(const DemoProject &project, qint64 nowMs)
{
    using model::Metric;
    const auto &projects = demoProjects();
    const qsizetype index = std::max<qsizetype>(0, projects.indexOf(project));
    const Profile &p = kProfiles[std::min<qsizetype>(index, 2)];
    std::mt19937 rng(static_cast<unsigned>(1234 + index));
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);

    constexpr qint64 kStepMs = 10'000;
    constexpr int kSteps = 2 * 360; // two hours
    const qint64 start = nowMs - qint64(kSteps) * kStepMs;
    QList<model::MetricSample> out;
    out.reserve(kSteps);
    double context = 0;
    double preemptions = 0;
    double target = p.maxContext * (0.5 + 0.5 * unit(rng));
    for (int i = 1; i <= kSteps; ++i) {
        // Busier in the second hour, with a slow wave.
        const double load = 0.8 + 0.25 * std::sin(double(i) / 90.0) + (i > kSteps / 2 ? 0.15 : 0.0);
        const double tokens = std::max(0.0, std::round(p.tokensPerStep * load * (1.0 + 0.12 * noise(rng))));
        context += tokens * (0.08 + 0.04 * unit(rng));
        if (context > target) {
            context = p.maxContext * 0.05 * unit(rng); // the conversation ends, the cache is freed
            target = p.maxContext * (0.5 + 0.5 * unit(rng));
        }
        const double kvKB = std::round(context * p.kvKBPerToken);
        const double memoryGB =
            std::round((p.weightsGB + kvKB / 1.0e6 * 1.05 + 0.02 * noise(rng)) * 100.0) / 100.0;
        const double latency = std::max(
            1.0, std::round(p.baseLatencyMs + context / 1000.0 * p.msPerKToken + 25.0 * noise(rng) * load));

        model::MetricSample s;
        s.projectId = project.id;
        s.timestampMs = start + qint64(i) * kStepMs;
        s.setValue(Metric::TokensProcessed, tokens);
        s.setValue(Metric::KvCacheSizeKB, kvKB);
        s.setValue(Metric::MemoryUsageGB, std::max(0.0, memoryGB));
        s.setValue(Metric::InferenceTimeMs, latency);
        const double score = p.baseScore - 6.0 * (context / p.maxContext) + 1.5 * noise(rng);
        s.setValue(Metric::OptimizationScore, std::round(std::clamp(score, 0.0, 100.0) * 10.0) / 10.0);
        s.setValue(Metric::TokensPerSecond, std::round(tokens / 10.0 * 10.0) / 10.0);
        const double usage = std::min(1.0, kvKB / p.capacityKB);
        s.setValue(Metric::KvCacheCapacityKB, p.capacityKB);
        s.setValue(Metric::KvCacheUsageRatio, std::round(usage * 1000.0) / 1000.0);
        const double running =
            std::clamp(std::round(p.maxRunning / 2.0 * load + noise(rng)), 0.0, double(p.maxRunning));
        s.setValue(Metric::RequestsRunning, running);
        const bool full = running >= p.maxRunning || usage > 0.95;
        s.setValue(Metric::RequestsWaiting, full ? std::round(1.0 + unit(rng) * 3.0) : 0.0);
        s.setValue(Metric::TimeToFirstTokenMs, std::round(latency * 0.22));
        if (p.hitRate > 0)
            s.setValue(Metric::PrefixCacheHitRate,
                       std::round(std::clamp(p.hitRate + 0.04 * noise(rng), 0.0, 1.0) * 1000.0) / 1000.0);
        if (index == 1) {
            // vLLM preempts requests whenever its block pool is full.
            preemptions += usage > 0.95 ? 1 : 0;
            s.setValue(Metric::Preemptions, preemptions);
        }
        out << s;
    }
    return out;
}

model::ProjectRuntime demoRuntime(const DemoProject &project)
{
    using analysis::CacheType;
    using analysis::Engine;
    const qsizetype index = std::max<qsizetype>(0, demoProjects().indexOf(project));
    analysis::KvConfig config;
    model::ProjectRuntime runtime;
    if (index == 0) {
        config = {Engine::LlamaCpp, 16384, 4, false, false, 512, 16, CacheType::F16, CacheType::F16};
        runtime = analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("llama-3.1-8b")), config);
    } else if (index == 1) {
        config = {Engine::Vllm, 8192, 16, false, false, 8192, 16, CacheType::BF16, CacheType::BF16};
        runtime = analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("qwen2.5-7b")), config);
        runtime.prefixCaching = false;
    } else {
        config = {Engine::Ollama, 8192, 2, false, false, 512, 16, CacheType::F16, CacheType::F16};
        runtime = analysis::runtimeFrom(*analysis::findPreset(QStringLiteral("gemma-3-27b")), config);
    }
    runtime.gpuMemoryGB = 24;
    return runtime;
}

QList<model::ActionLogEntry> demoActions(const DemoProject &project, qint64 nowMs)
{
    if (project.id != demoProjects().first().id)
        return {};
    model::ActionLogEntry pruning;
    pruning.id = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8b23");
    pruning.projectId = project.id;
    pruning.timestampMs = nowMs - 30 * 60'000;
    pruning.actionType = QStringLiteral("Cache Pruning");
    // The brief's sample text, kept as phrases so it reads in the window's language.
    pruning.phrases = {model::phrase::entriesCleared(50, QStringLiteral("LFU"), 90)};
    pruning.status = model::ActionStatus::Success;
    return {pruning};
}

} // namespace cachewise::demo
