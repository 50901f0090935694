// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/analysis/kvmodel.h"

#include <QRegularExpression>

#include <algorithm>
#include <cstdio>

namespace cachewise::analysis {
namespace {

qint64 roundUp(qint64 value, qint64 multiple)
{
    return multiple <= 1 ? value : (value + multiple - 1) / multiple * multiple;
}

bool isPaged(Engine engine)
{
    return engine == Engine::Vllm || engine == Engine::Sglang;
}

bool isLlamaCpp(Engine engine)
{
    return engine == Engine::LlamaCpp || engine == Engine::Ollama;
}

struct LayerRows
{
    qint64 k = 0;
    qint64 v = 0;
};

Result<LayerRows> layerRows(const LayerSpec &layer, int index, const KvConfig &config)
{
    LayerRows rows;
    if (layer.kind == LayerKind::Recurrent)
        return rows;
    if (layer.kind == LayerKind::Latent) {
        if (layer.latentDim <= 0)
            return makeError(ErrorKind::BadInput, QStringLiteral("Layer %1 has no latent size.").arg(index),
                             QStringLiteral("model"));
        auto k = rowBytes(config.typeK, layer.latentDim);
        if (!k)
            return k.error();
        rows.k = *k;
        return rows;
    }
    if (layer.kvHeads <= 0 || layer.headDimK <= 0 || layer.headDimV <= 0)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Layer %1 has no KV heads or head size.").arg(index),
                         QStringLiteral("model"));
    auto k = rowBytes(config.typeK, qint64(layer.kvHeads) * layer.headDimK);
    if (!k)
        return k.error();
    auto v = rowBytes(config.typeV, qint64(layer.kvHeads) * layer.headDimV);
    if (!v)
        return v.error();
    rows.k = *k;
    rows.v = *v;
    return rows;
}

Result<void> checkInputs(const ModelArch &model, const KvConfig &config)
{
    if (model.layers.isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("The model has no layers."),
                         QStringLiteral("model"));
    if (config.context <= 0 || config.context > (qint64(1) << 31))
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The context must be between 1 and 2147483648 tokens."),
                         QStringLiteral("context"));
    if (config.parallel <= 0 || config.parallel > 4096)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The number of parallel sequences must be between 1 and 4096."),
                         QStringLiteral("parallel"));
    if (config.ubatch <= 0 || config.blockSize <= 0)
        return makeError(ErrorKind::BadInput, QStringLiteral("The batch and block sizes must be positive."),
                         QStringLiteral("config"));
    return {};
}

} // namespace

Result<qint64> rowBytes(CacheType type, qint64 elements)
{
    const CacheTypeInfo &info = cacheTypeInfo(type);
    if (elements % info.blockElements != 0) {
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("%1 stores blocks of %2 values; a row of %3 values does not divide.")
                             .arg(QLatin1String(info.name))
                             .arg(info.blockElements)
                             .arg(elements),
                         QStringLiteral("cache_type"));
    }
    return elements / info.blockElements * info.blockBytes;
}

bool ModelArch::hasSlidingWindow() const
{
    return std::any_of(layers.begin(), layers.end(),
                       [](const LayerSpec &l) { return l.kind == LayerKind::SlidingWindow; });
}

bool ModelArch::isHybrid() const
{
    return std::any_of(layers.begin(), layers.end(),
                       [](const LayerSpec &l) { return l.kind == LayerKind::Recurrent; });
}

Result<KvConfig> kvConfigFromLlamaArgs(const QStringList &args)
{
    KvConfig config;
    config.engine = Engine::LlamaCpp;
    const auto number = [&](int &i, const QString &flag, qint64 min, qint64 max) -> Result<qint64> {
        if (i + 1 >= args.size())
            return makeError(ErrorKind::BadInput, QStringLiteral("%1 needs a value.").arg(flag),
                             QStringLiteral("args"));
        bool ok = false;
        const qint64 v = args[++i].toLongLong(&ok);
        if (!ok || v < min || v > max)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("%1 must be a number from %2 to %3.").arg(flag).arg(min).arg(max),
                             QStringLiteral("args"));
        return v;
    };
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("-c") || a == QLatin1String("--ctx-size")) {
            auto v = number(i, a, 1, qint64(1) << 31);
            if (!v)
                return v.error();
            config.context = *v;
        } else if (a == QLatin1String("-np") || a == QLatin1String("--parallel")) {
            auto v = number(i, a, 1, 4096);
            if (!v)
                return v.error();
            config.parallel = int(*v);
        } else if (a == QLatin1String("-ub") || a == QLatin1String("--ubatch-size")) {
            auto v = number(i, a, 1, 1 << 20);
            if (!v)
                return v.error();
            config.ubatch = int(*v);
        } else if (a == QLatin1String("-kvu") || a == QLatin1String("--kv-unified")) {
            config.unified = true;
        } else if (a == QLatin1String("-no-kvu") || a == QLatin1String("--no-kv-unified")) {
            config.unified = false;
        } else if (a == QLatin1String("--swa-full")) {
            config.swaFull = true;
        } else if (a == QLatin1String("-ctk") || a == QLatin1String("--cache-type-k") ||
                   a == QLatin1String("-ctv") || a == QLatin1String("--cache-type-v")) {
            if (i + 1 >= args.size())
                return makeError(ErrorKind::BadInput, QStringLiteral("%1 needs a value.").arg(a),
                                 QStringLiteral("args"));
            const auto type = parseCacheType(args[++i]);
            if (!type || *type == CacheType::Fp8)
                return makeError(ErrorKind::BadInput,
                                 QStringLiteral("%1: \"%2\" is not a llama.cpp cache type.").arg(a, args[i]),
                                 QStringLiteral("cache_type"));
            const bool isKey = a == QLatin1String("-ctk") || a == QLatin1String("--cache-type-k");
            (isKey ? config.typeK : config.typeV) = *type;
        }
    }
    return config;
}

Result<KvEstimate> estimateKv(const ModelArch &model, const KvConfig &config)
{
    if (auto ok = checkInputs(model, config); !ok)
        return ok.error();

    KvEstimate out;
    out.sequences = config.parallel;
    qint64 baseCellsPerStream = 0;
    if (isLlamaCpp(config.engine)) {
        // src/llama-context.cpp: n_ctx = pad(n_ctx, 256); per-slot streams unless unified. Ollama
        // starts its llama-server child with -c num_ctx*num_parallel -np num_parallel.
        const qint64 total =
            config.engine == Engine::Ollama ? config.context * config.parallel : config.context;
        const qint64 nCtx = roundUp(total, 256);
        const bool unified = config.engine == Engine::LlamaCpp && config.unified;
        if (unified) {
            out.streams = 1;
            out.contextPerSequence = nCtx;
            baseCellsPerStream = nCtx;
        } else {
            out.streams = config.parallel;
            out.contextPerSequence = roundUp(nCtx / config.parallel, 256);
            if (out.contextPerSequence == 0)
                return makeError(ErrorKind::BadInput,
                                 QStringLiteral("The context is too small for that many slots."),
                                 QStringLiteral("context"));
            baseCellsPerStream = out.contextPerSequence;
        }
    } else {
        // One buffer per sequence; paged engines round each sequence up to whole blocks.
        out.streams = config.parallel;
        out.contextPerSequence =
            isPaged(config.engine) ? roundUp(config.context, config.blockSize) : config.context;
        baseCellsPerStream = out.contextPerSequence;
    }
    out.cells = baseCellsPerStream * out.streams;

    const bool unifiedLlama = config.engine == Engine::LlamaCpp && config.unified;
    for (int i = 0; i < model.layers.size(); ++i) {
        const LayerSpec &layer = model.layers[i];
        auto rows = layerRows(layer, i, config);
        if (!rows)
            return rows.error();
        LayerAllocation a;
        a.index = i;
        a.kind = layer.kind;
        a.bytesPerToken = rows->k + rows->v;
        if (layer.kind == LayerKind::Recurrent) {
            a.stateBytes = layer.stateBytes * config.parallel;
            out.stateBytes += a.stateBytes;
            out.layers << a;
            continue;
        }
        qint64 perStream = baseCellsPerStream;
        if (layer.kind == LayerKind::SlidingWindow && !config.swaFull && layer.window > 0) {
            if (isLlamaCpp(config.engine)) {
                const qint64 wanted =
                    qint64(layer.window) * (unifiedLlama ? config.parallel : 1) + config.ubatch;
                perStream = roundUp(std::min(baseCellsPerStream, wanted), 256);
            } else if (isPaged(config.engine)) {
                // vLLM SlidingWindowSpec: window - 1 + batched tokens, in blocks, plus one block.
                const qint64 tokens = std::min<qint64>(config.context, layer.window - 1 + config.ubatch);
                perStream =
                    std::min(baseCellsPerStream, roundUp(tokens, config.blockSize) + config.blockSize);
            } else {
                perStream = std::min<qint64>(baseCellsPerStream, layer.window);
            }
        }
        a.cellsPerStream = perStream;
        a.cells = perStream * out.streams;
        a.kBytes = rows->k * a.cells;
        a.vBytes = rows->v * a.cells;
        out.bytesPerToken += a.bytesPerToken;
        out.kBytes += a.kBytes;
        out.vBytes += a.vBytes;
        out.layers << a;
    }
    out.totalBytes = out.kBytes + out.vBytes + out.stateBytes;
    return out;
}

Result<qint64> sequenceBytes(const ModelArch &model, const KvConfig &config, qint64 tokens)
{
    KvConfig one = config;
    one.parallel = 1;
    if (auto ok = checkInputs(model, one); !ok)
        return ok.error();
    if (tokens <= 0)
        return makeError(ErrorKind::BadInput, QStringLiteral("A sequence holds at least one token."),
                         QStringLiteral("tokens"));
    const qint64 held = isPaged(config.engine) ? roundUp(tokens, config.blockSize) : tokens;
    qint64 total = 0;
    for (int i = 0; i < model.layers.size(); ++i) {
        const LayerSpec &layer = model.layers[i];
        auto rows = layerRows(layer, i, config);
        if (!rows)
            return rows.error();
        if (layer.kind == LayerKind::Recurrent) {
            total += layer.stateBytes;
            continue;
        }
        qint64 cells = held;
        if (layer.kind == LayerKind::SlidingWindow && !config.swaFull && layer.window > 0)
            cells = std::min<qint64>(held, isPaged(config.engine) ? roundUp(layer.window, config.blockSize)
                                                                  : layer.window);
        total += cells * (rows->k + rows->v);
    }
    return total;
}

Result<qint64> maxConcurrentSequences(const ModelArch &model, const KvConfig &config,
                                      qint64 tokensPerSequence, qint64 budgetBytes)
{
    if (budgetBytes < 0)
        return makeError(ErrorKind::BadInput, QStringLiteral("The memory budget cannot be negative."),
                         QStringLiteral("budget"));
    auto perSequence = sequenceBytes(model, config, tokensPerSequence);
    if (!perSequence)
        return perSequence.error();
    return *perSequence > 0 ? budgetBytes / *perSequence : 0;
}

std::optional<LlamaKvLine> parseLlamaKvLine(const QString &line)
{
    static const QRegularExpression re(QStringLiteral(
        R"(llama_kv_cache(?:_unified)?: size =\s*([0-9]+\.[0-9]+) MiB \(\s*(\d+) cells,\s*(\d+) layers,\s*(\d+)/(\d+) seqs\),)"
        R"(\s*K \(([a-z0-9_]+)\):\s*([0-9]+\.[0-9]+) MiB, V \(([a-z0-9_]+)\):\s*([0-9]+\.[0-9]+) MiB\s*$)"));
    const QRegularExpressionMatch m = re.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    LlamaKvLine out;
    bool ok[7] = {};
    out.totalMiB = m.captured(1).toDouble(&ok[0]);
    out.cells = m.captured(2).toLongLong(&ok[1]);
    out.layers = m.captured(3).toInt(&ok[2]);
    out.sequences = m.captured(4).toInt(&ok[3]);
    out.streams = m.captured(5).toInt(&ok[4]);
    out.typeK = m.captured(6);
    out.kMiB = m.captured(7).toDouble(&ok[5]);
    out.typeV = m.captured(8);
    out.vMiB = m.captured(9).toDouble(&ok[6]);
    // A number too long for its type, or a cache with no cells, layers, slots or streams: not such a line.
    if (std::find(std::begin(ok), std::end(ok), false) != std::end(ok) || out.cells <= 0 || out.layers <= 0 ||
        out.sequences <= 0 || out.streams <= 0)
        return std::nullopt;
    return out;
}

QStringList formatLlamaKvLines(const KvEstimate &estimate, const KvConfig &config)
{
    if (!isLlamaCpp(config.engine))
        return {};
    // Group layers as llama.cpp does: the base cache (full + latent) and the sliding-window cache.
    struct Group
    {
        qint64 cellsPerStream = 0;
        int layers = 0;
        qint64 k = 0;
        qint64 v = 0;
    };
    Group base;
    Group window;
    for (const LayerAllocation &a : estimate.layers) {
        if (a.kind == LayerKind::Recurrent)
            continue;
        Group &g = a.kind == LayerKind::SlidingWindow ? window : base;
        g.cellsPerStream = a.cellsPerStream;
        ++g.layers;
        g.k += a.kBytes;
        g.v += a.vBytes;
    }
    const char *typeK = cacheTypeInfo(config.typeK).name;
    const char *typeV = cacheTypeInfo(config.typeV).name;
    const auto line = [&](const Group &g) -> QString {
        // Same format and float arithmetic as llama-server (LLAMA_LOG_INFO in llama_kv_cache's constructor),
        // printed by the C library as llama.cpp is: its %.2f rounds exact binary ties to even (2.125 →
        // "2.12"), where Qt's own formatting rounds them up.
        constexpr float kMiB = 1024.0f * 1024.0f;
        char buffer[256];
        const int n =
            std::snprintf(buffer, sizeof buffer,
                          "llama_kv_cache: size = %7.2f MiB (%6u cells, %3d layers, %2u/%u seqs), K "
                          "(%s): %7.2f MiB, V (%s): %7.2f MiB",
                          double(float(g.k + g.v) / kMiB), unsigned(g.cellsPerStream), g.layers,
                          unsigned(estimate.sequences), unsigned(estimate.streams), typeK,
                          double(float(g.k) / kMiB), typeV, double(float(g.v) / kMiB));
        return QString::fromLatin1(buffer, std::clamp(n, 0, int(sizeof buffer) - 1));
    };
    QStringList out;
    if (base.layers > 0)
        out << line(base);
    if (window.layers > 0)
        out << line(window);
    return out;
}

Result<qint64> ollamaKvBytes(const ModelArch &model, qint64 contextLength, int parallel, CacheType type)
{
    KvConfig config;
    config.engine = Engine::Ollama;
    config.context = contextLength;
    config.parallel = std::max(1, parallel);
    config.typeK = config.typeV = type;
    auto estimate = estimateKv(model, config);
    if (!estimate)
        return estimate.error();
    return estimate->totalBytes;
}

} // namespace cachewise::analysis
