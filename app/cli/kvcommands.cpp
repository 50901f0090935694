// SPDX-License-Identifier: GPL-3.0-or-later
// kv (KV cache memory as an engine allocates it), model list, and the model and engine options they share
// with project runtime.
#include "app/cli/cli.h"
#include "core/analysis/kvjson.h"
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace cachewise::cli {
namespace {

int modelList(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    if (c.json) {
        QJsonArray list;
        for (const analysis::ModelArch &m : analysis::modelPresets())
            list.append(analysis::modelSummaryJson(m));
        printJson(list);
        return kOk;
    }
    out(QStringLiteral("%1 %2 %3 %4 %5  %6")
            .arg(QStringLiteral("ID"), -14)
            .arg(QStringLiteral("NAME"), -16)
            .arg(QStringLiteral("PARAMS"), 8)
            .arg(QStringLiteral("LAYERS"), 6)
            .arg(QStringLiteral("F16 KV/TOKEN"), 12)
            .arg(QStringLiteral("SOURCE")));
    for (const analysis::ModelArch &m : analysis::modelPresets()) {
        analysis::KvConfig config;
        const auto e = analysis::estimateKv(m, config);
        out(QStringLiteral("%1 %2 %3 %4 %5  %6")
                .arg(m.id, -14)
                .arg(m.displayName, -16)
                .arg(QStringLiteral("%1B").arg(m.parametersBillions, 0, 'f', 1), 8)
                .arg(m.layerCount(), 6)
                .arg(e.ok() ? QString::number(e->bytesPerToken) : QStringLiteral("-"), 12)
                .arg(m.source));
    }
    return kOk;
}

int kv(Context &c)
{
    int code = kOk;
    if (!c.expect(1, &code))
        return code;
    auto model = modelFromOptions(c, &code);
    if (!model)
        return code;
    auto parsed = configFromOptions(c, *model, analysis::KvConfig{}, true, &code);
    if (!parsed)
        return code;
    const analysis::KvConfig config = *parsed;

    auto estimate = analysis::estimateKv(*model, config);
    if (!estimate)
        return c.failure(estimate.errorMessage());

    std::optional<qint64> concurrent;
    if (c.args.options.contains(QStringLiteral("budget-gib"))) {
        bool ok = false;
        const double gib = c.args.options.value(QStringLiteral("budget-gib")).toDouble(&ok);
        if (!ok || gib <= 0 || gib > 1e6)
            return c.usage(QStringLiteral("--budget-gib must be a positive number of GiB"));
        auto n = analysis::maxConcurrentSequences(*model, config, estimate->contextPerSequence,
                                                  qint64(gib * double(qint64(1) << 30)));
        if (!n)
            return c.failure(n.errorMessage());
        concurrent = *n;
    }

    if (c.json) {
        QJsonObject o = analysis::kvEstimateJson(*model, config, *estimate);
        if (concurrent) {
            o[QStringLiteral("budgetGiB")] = c.args.options.value(QStringLiteral("budget-gib")).toDouble();
            o[QStringLiteral("maxConcurrentSequences")] = double(*concurrent);
        }
        printJson(o);
        return kOk;
    }
    const auto mib = [](qint64 bytes) {
        return QString::number(double(bytes) / 1048576.0, 'f', 2);
    };
    out(QStringLiteral("model:            %1 (%2 layers)").arg(model->displayName).arg(model->layerCount()));
    if (!model->source.isEmpty())
        out(QStringLiteral("source:           %1").arg(model->source));
    out(QStringLiteral("engine:           %1, context %2, %3 sequence(s)%4, K %5, V %6")
            .arg(model::name(config.engine))
            .arg(config.context)
            .arg(config.parallel)
            .arg(config.unified ? QStringLiteral(", unified") : QString())
            .arg(QLatin1String(analysis::cacheTypeInfo(config.typeK).name),
                 QLatin1String(analysis::cacheTypeInfo(config.typeV).name)));
    out(QStringLiteral("bytes per token:  %1").arg(estimate->bytesPerToken));
    out(QStringLiteral("per sequence:     %1 tokens").arg(estimate->contextPerSequence));
    out(QStringLiteral("cells:            %1 in %2 stream(s)").arg(estimate->cells).arg(estimate->streams));
    out(QStringLiteral("K / V / state:    %1 / %2 / %3 MiB")
            .arg(mib(estimate->kBytes), mib(estimate->vBytes), mib(estimate->stateBytes)));
    out(QStringLiteral("total:            %1 bytes (%2 GiB)")
            .arg(estimate->totalBytes)
            .arg(double(estimate->totalBytes) / double(qint64(1) << 30), 0, 'f', 3));
    if (concurrent)
        out(QStringLiteral("fits in budget:   %1 sequence(s) of %2 tokens")
                .arg(*concurrent)
                .arg(estimate->contextPerSequence));
    for (const QString &line : analysis::formatLlamaKvLines(*estimate, config))
        out(QStringLiteral("llama-server:     %1").arg(line));
    return kOk;
}

} // namespace

// The model named by --model, --gguf or --hf-config (exactly one).
std::optional<analysis::ModelArch> modelFromOptions(Context &c, int *code)
{
    const int sources = int(c.args.options.contains(QStringLiteral("model"))) +
                        int(c.args.options.contains(QStringLiteral("gguf"))) +
                        int(c.args.options.contains(QStringLiteral("hf-config")));
    if (sources != 1) {
        *code = c.usage(QStringLiteral("give exactly one of --model, --gguf, --hf-config"));
        return std::nullopt;
    }
    if (c.args.options.contains(QStringLiteral("model"))) {
        const QString name = c.args.options.value(QStringLiteral("model"));
        auto model = analysis::findPreset(name);
        if (!model)
            *code =
                c.failure(QStringLiteral("no model preset '%1' (see cachewise-cli model list)").arg(name));
        return model;
    }
    const bool gguf = c.args.options.contains(QStringLiteral("gguf"));
    auto read = gguf ? analysis::modelFromGgufFile(c.args.options.value(QStringLiteral("gguf")))
                     : analysis::modelFromHfConfigFile(c.args.options.value(QStringLiteral("hf-config")));
    if (!read) {
        *code = c.failure(read.errorMessage());
        return std::nullopt;
    }
    return std::move(read).value();
}

// Engine flags on top of `base` (defaults, or the project's stored configuration).
std::optional<analysis::KvConfig> configFromOptions(Context &c, const analysis::ModelArch &model,
                                                    analysis::KvConfig config, bool defaultTypes, int *code)
{
    if (c.args.options.contains(QStringLiteral("engine"))) {
        const auto engine = analysis::parseEngine(c.args.options.value(QStringLiteral("engine")));
        if (!engine) {
            *code = c.usage(
                QStringLiteral("unknown engine '%1'").arg(c.args.options.value(QStringLiteral("engine"))));
            return std::nullopt;
        }
        config.engine = *engine;
    }
    const qint64 defaultContext =
        model.trainingContext > 0 ? std::min<qint64>(model.trainingContext, config.context) : config.context;
    const auto context = c.integerOption(QStringLiteral("context"), defaultContext, 1, qint64(1) << 31, code);
    const auto parallel = c.integerOption(QStringLiteral("parallel"), config.parallel, 1, 4096, code);
    const auto ubatch = c.integerOption(QStringLiteral("ubatch"), config.ubatch, 1, 1 << 20, code);
    const auto blockSize = c.integerOption(QStringLiteral("block-size"), config.blockSize, 1, 1 << 16, code);
    if (!context || !parallel || !ubatch || !blockSize)
        return std::nullopt;
    config.context = *context;
    config.parallel = int(*parallel);
    config.ubatch = int(*ubatch);
    config.blockSize = int(*blockSize);
    // Each switch keeps its described value unless turned on or off here.
    const auto toggle = [&c, code](const QString &name, bool current) -> std::optional<bool> {
        const bool on = c.args.flags.contains(name);
        const bool off = c.args.flags.contains(QStringLiteral("no-") + name);
        if (on && off) {
            *code = c.usage(QStringLiteral("give --%1 or --no-%1, not both").arg(name));
            return std::nullopt;
        }
        return on ? true : off ? false : current;
    };
    const auto unified = toggle(QStringLiteral("unified"), config.unified);
    const auto swaFull = toggle(QStringLiteral("swa-full"), config.swaFull);
    if (!unified || !swaFull)
        return std::nullopt;
    config.unified = *unified;
    config.swaFull = *swaFull;
    if (defaultTypes) {
        // vLLM/SGLang "auto" stores the cache in the model's dtype (bf16 for every preset).
        const bool paged =
            config.engine == analysis::Engine::Vllm || config.engine == analysis::Engine::Sglang;
        config.typeK = config.typeV =
            paged && model.dtypeBytes == 2 ? analysis::CacheType::BF16 : analysis::CacheType::F16;
    }
    if (c.args.options.contains(QStringLiteral("cache-type")) &&
        (c.args.options.contains(QStringLiteral("cache-type-k")) ||
         c.args.options.contains(QStringLiteral("cache-type-v")))) {
        *code = c.usage(QStringLiteral("give --cache-type or --cache-type-k/--cache-type-v, not both"));
        return std::nullopt;
    }
    for (const auto &[option, target] :
         {std::pair{QStringLiteral("cache-type"), 0}, std::pair{QStringLiteral("cache-type-k"), 1},
          std::pair{QStringLiteral("cache-type-v"), 2}}) {
        if (!c.args.options.contains(option))
            continue;
        const auto type = analysis::parseCacheType(c.args.options.value(option));
        if (!type) {
            *code = c.usage(QStringLiteral("unknown cache type '%1'").arg(c.args.options.value(option)));
            return std::nullopt;
        }
        if (target != 2)
            config.typeK = *type;
        if (target != 1)
            config.typeV = *type;
    }
    return config;
}

QStringList modelOptions()
{
    return {QStringLiteral("model"),        QStringLiteral("gguf"),         QStringLiteral("hf-config"),
            QStringLiteral("context"),      QStringLiteral("parallel"),     QStringLiteral("cache-type"),
            QStringLiteral("cache-type-k"), QStringLiteral("cache-type-v"), QStringLiteral("engine")};
}

QList<Command> kvCommands()
{
    return {
        {{QStringLiteral("kv")},
         QStringLiteral("(--model NAME | --gguf FILE | --hf-config FILE) [--context N] [--parallel N] "
                        "[--cache-type T | --cache-type-k T --cache-type-v T] [--engine E] [--unified] "
                        "[--swa-full] [--ubatch N] [--block-size N] [--budget-gib G]"),
         QStringLiteral("KV cache memory of a model as the engine allocates it (engines: llama.cpp, ollama, "
                        "vllm, sglang, generic; types: f32 f16 bf16 fp8 q8_0 q5_1 q5_0 q4_1 q4_0 iq4_nl)"),
         modelOptions() + QStringList{QStringLiteral("ubatch"), QStringLiteral("block-size"),
                                      QStringLiteral("budget-gib")},
         {QStringLiteral("unified"), QStringLiteral("swa-full")},
         {QStringLiteral("kv --model Llama-3.1-8B --context 32768 --parallel 4 --cache-type q8_0"),
          QStringLiteral("kv --gguf model.gguf --engine vllm --budget-gib 20")},
         kv},
        {{QStringLiteral("model"), QStringLiteral("list")},
         QStringLiteral(""),
         QStringLiteral("the built-in model architectures and their sources"),
         {},
         {},
         {QStringLiteral("model list")},
         modelList},
    };
}

} // namespace cachewise::cli
