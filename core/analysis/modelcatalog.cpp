// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/analysis/modelcatalog.h"

#include "core/analysis/gguf.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace cachewise::analysis {
namespace {

QList<LayerSpec> uniform(int count, int kvHeads, int headDim)
{
    LayerSpec l;
    l.kvHeads = kvHeads;
    l.headDimK = headDim;
    l.headDimV = headDim;
    return QList<LayerSpec>(count, l);
}

// Layer i slides when pattern(i) is true; the rest attend to everything.
template <typename Pattern>
QList<LayerSpec> interleaved(int count, int kvHeads, int headDim, int window, Pattern sliding)
{
    QList<LayerSpec> layers = uniform(count, kvHeads, headDim);
    for (int i = 0; i < count; ++i) {
        if (sliding(i)) {
            layers[i].kind = LayerKind::SlidingWindow;
            layers[i].window = window;
        }
    }
    return layers;
}

QList<LayerSpec> latent(int count, int latentDim)
{
    LayerSpec l;
    l.kind = LayerKind::Latent;
    l.latentDim = latentDim;
    return QList<LayerSpec>(count, l);
}

// Mamba-1 state per layer and sequence as llama.cpp keeps it in f32: conv state (d_conv - 1) × d_inner
// plus SSM state d_state × d_inner (src/llama-hparams.cpp n_embd_r / n_embd_s).
qint64 mambaStateBytes(qint64 dConv, qint64 dInner, qint64 dState)
{
    return ((dConv - 1) * dInner + dState * dInner) * 4;
}

QList<LayerSpec> jamba(int count, int period, int offset, int kvHeads, int headDim, qint64 stateBytes)
{
    QList<LayerSpec> layers = uniform(count, kvHeads, headDim);
    for (int i = 0; i < count; ++i) {
        if (i % period != offset) {
            layers[i] = LayerSpec{};
            layers[i].kind = LayerKind::Recurrent;
            layers[i].stateBytes = stateBytes;
        }
    }
    return layers;
}

ModelArch preset(const char *id, const char *name, const char *family, double billions, qint64 context,
                 QList<LayerSpec> layers, const char *source, bool sinks = false)
{
    ModelArch m;
    m.id = QString::fromLatin1(id);
    m.displayName = QString::fromLatin1(name);
    m.family = QString::fromLatin1(family);
    m.parametersBillions = billions;
    m.trainingContext = context;
    m.layers = std::move(layers);
    m.source = QString::fromLatin1(source);
    m.attentionSinks = sinks;
    return m;
}

QList<ModelArch> buildPresets()
{
    // Numbers from each model's config.json on Hugging Face (num_hidden_layers, num_key_value_heads,
    // head_dim or hidden_size / num_attention_heads, sliding_window and its layer pattern).
    return {
        preset("llama-3.1-8b", "Llama 3.1 8B", "llama", 8.03, 131072, uniform(32, 8, 128),
               "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json"),
        preset("llama-3.1-70b", "Llama 3.1 70B", "llama", 70.6, 131072, uniform(80, 8, 128),
               "https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json"),
        preset("llama-2-7b", "Llama 2 7B", "llama", 6.74, 4096, uniform(32, 32, 128),
               "https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json"),
        preset("mistral-7b", "Mistral 7B v0.3", "llama", 7.25, 32768, uniform(32, 8, 128),
               "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3/blob/main/config.json"),
        preset("qwen2.5-0.5b", "Qwen2.5 0.5B", "qwen2", 0.49, 32768, uniform(24, 2, 64),
               "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/blob/main/config.json"),
        preset("qwen2.5-7b", "Qwen2.5 7B", "qwen2", 7.62, 32768, uniform(28, 4, 128),
               "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/config.json"),
        preset("qwen2.5-72b", "Qwen2.5 72B", "qwen2", 72.7, 32768, uniform(80, 8, 128),
               "https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/config.json"),
        preset("qwen3-8b", "Qwen3 8B", "qwen3", 8.19, 40960, uniform(36, 8, 128),
               "https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json"),
        // Even layers slide over 4096 tokens (transformers Gemma2: is_sliding = not layer_idx % 2).
        preset("gemma-2-9b", "Gemma 2 9B", "gemma2", 9.24, 8192,
               interleaved(42, 8, 256, 4096, [](int i) { return i % 2 == 0; }),
               "https://huggingface.co/google/gemma-2-9b/blob/main/config.json"),
        // Five local layers (window 1024) per global one: sliding_window_pattern 6.
        preset("gemma-3-27b", "Gemma 3 27B", "gemma3", 27.4, 131072,
               interleaved(62, 16, 128, 1024, [](int i) { return (i + 1) % 6 != 0; }),
               "https://huggingface.co/google/gemma-3-27b-it/blob/main/config.json"),
        // MLA: kv_lora_rank 512 + qk_rope_head_dim 64 cached per token and layer.
        preset("deepseek-v3", "DeepSeek-V3", "deepseek2", 671.0, 163840, latent(61, 512 + 64),
               "https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json"),
        // config.json has sliding_window 2047, which llama.cpp ignores for phi3 ("Phi SWA is
        // currently disabled"), so every layer keeps the full context.
        preset("phi-3-mini", "Phi-3 mini 4k", "phi3", 3.82, 4096, uniform(32, 32, 96),
               "https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json"),
        // Alternating sliding (128) and full layers; learned attention sinks.
        preset("gpt-oss-20b", "gpt-oss 20B", "gpt-oss", 20.9, 131072,
               interleaved(24, 8, 64, 128, [](int i) { return i % 2 == 0; }),
               "https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json", true),
        // Hybrid: attention every 8th layer from layer 4 (attn_layer_period 8, offset 4), Mamba
        // elsewhere with d_state 16, d_conv 4, expand 2 (d_inner 8192).
        preset("jamba-v0.1", "Jamba v0.1", "jamba", 51.6, 262144,
               jamba(32, 8, 4, 8, 128, mambaStateBytes(4, 8192, 16)),
               "https://huggingface.co/ai21labs/Jamba-v0.1/blob/main/config.json"),
    };
}

// ---- Hugging Face config.json ----

Result<qint64> positiveInt(const QJsonObject &o, const char *key, bool required, qint64 fallback = 0)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("config.json has no \"%1\".").arg(QLatin1String(key)),
                             QString::fromLatin1(key));
        return fallback;
    }
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d <= 0 || d != std::floor(d) || d > 1e9)
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("\"%1\" in config.json must be a positive integer.").arg(QLatin1String(key)),
            QString::fromLatin1(key));
    return qint64(d);
}

int dtypeBytes(const QString &dtype)
{
    return dtype == QLatin1String("float32") ? 4 : 2;
}

double estimatedBillions(const QJsonObject &o, qint64 hidden, qint64 layers, qint64 heads, qint64 kvHeads,
                         qint64 headDim)
{
    const qint64 ffn = o.value(QLatin1String("intermediate_size")).toInteger(0);
    const qint64 vocab = o.value(QLatin1String("vocab_size")).toInteger(0);
    if (ffn <= 0 || vocab <= 0 || hidden <= 0)
        return 0;
    const bool tied = o.value(QLatin1String("tie_word_embeddings")).toBool(false);
    const double attention = double(hidden) * headDim * (2.0 * heads + 2.0 * kvHeads);
    const double mlp = 3.0 * double(hidden) * double(ffn);
    return (double(vocab) * hidden * (tied ? 1 : 2) + double(layers) * (attention + mlp)) / 1e9;
}

// ---- GGUF ----

std::optional<qint64> ggufInt(const GgufHeader &h, const QString &suffix)
{
    return h.archInteger(suffix);
}

// A per-layer value that GGUF stores either as one integer or as an array with one entry per layer.
QList<qint64> perLayer(const GgufHeader &h, const QString &suffix, int layers, qint64 fallback)
{
    const QString key = h.architecture() + QLatin1Char('.') + suffix;
    if (const auto it = h.arrays.constFind(key); it != h.arrays.constEnd() && it->numbers.size() == layers) {
        QList<qint64> out;
        for (double n : it->numbers)
            out << qint64(n);
        return out;
    }
    return QList<qint64>(layers, ggufInt(h, suffix).value_or(fallback));
}

} // namespace

const QList<ModelArch> &modelPresets()
{
    static const QList<ModelArch> presets = buildPresets();
    return presets;
}

std::optional<ModelArch> findPreset(const QString &idOrName)
{
    const QString n = idOrName.trimmed();
    for (const ModelArch &m : modelPresets()) {
        if (m.id.compare(n, Qt::CaseInsensitive) == 0 || m.displayName.compare(n, Qt::CaseInsensitive) == 0)
            return m;
    }
    return std::nullopt;
}

Result<ModelArch> modelFromHfConfig(const QByteArray &json, const QString &source)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("config.json is not a JSON object: %1").arg(error.errorString()));
    QJsonObject o = doc.object();
    const QString topType = o.value(QLatin1String("model_type")).toString();
    if (!o.contains(QLatin1String("num_hidden_layers")) && o.value(QLatin1String("text_config")).isObject())
        o = o.value(QLatin1String("text_config")).toObject();
    const QString modelType = o.value(QLatin1String("model_type")).toString(topType);

    auto layers = positiveInt(o, "num_hidden_layers", true);
    if (!layers)
        return layers.error();
    if (*layers > 4096)
        return makeError(ErrorKind::BadInput, QStringLiteral("\"num_hidden_layers\" is implausibly large."),
                         QStringLiteral("num_hidden_layers"));
    auto hidden = positiveInt(o, "hidden_size", false);
    if (!hidden)
        return hidden.error();

    ModelArch m;
    m.family = modelType;
    m.id = modelType.isEmpty() ? QStringLiteral("hf-model") : modelType;
    m.displayName = o.value(QLatin1String("_name_or_path")).toString(m.id);
    m.source = source;
    m.dtypeBytes = dtypeBytes(
        o.value(QLatin1String("torch_dtype")).toString(o.value(QLatin1String("dtype")).toString()));
    auto context = positiveInt(o, "max_position_embeddings", false);
    if (!context)
        return context.error();
    m.trainingContext = *context;
    m.attentionSinks = modelType == QLatin1String("gpt_oss");
    const int n = int(*layers);

    if (o.contains(QLatin1String("kv_lora_rank"))) {
        auto rank = positiveInt(o, "kv_lora_rank", true);
        if (!rank)
            return rank.error();
        auto rope = positiveInt(o, "qk_rope_head_dim", true);
        if (!rope)
            return rope.error();
        m.layers = latent(n, int(*rank + *rope));
        return m;
    }

    auto heads = positiveInt(o, "num_attention_heads", true);
    if (!heads)
        return heads.error();
    auto kvHeads = positiveInt(o, "num_key_value_heads", false, *heads);
    if (!kvHeads)
        return kvHeads.error();
    if (*hidden == 0 && !o.contains(QLatin1String("head_dim")))
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("config.json has neither \"head_dim\" nor \"hidden_size\"."),
                         QStringLiteral("head_dim"));
    auto headDim = positiveInt(o, "head_dim", false, *hidden / *heads);
    if (!headDim || *headDim == 0)
        return headDim ? makeError(ErrorKind::BadInput,
                                   QStringLiteral("\"head_dim\" in config.json must be a positive integer."),
                                   QStringLiteral("head_dim"))
                       : headDim.error();
    m.layers = uniform(n, int(*kvHeads), int(*headDim));
    m.parametersBillions = estimatedBillions(o, *hidden, *layers, *heads, *kvHeads, *headDim);

    // Which layers slide, in the order transformers decides it.
    const QJsonValue window = o.value(QLatin1String("sliding_window"));
    const int windowTokens = window.isDouble() ? window.toInt() : 0;
    const bool slidingOff = o.value(QLatin1String("use_sliding_window")).toBool(true) == false ||
                            modelType == QLatin1String("phi3");
    const QJsonArray layerTypes = o.value(QLatin1String("layer_types")).toArray();
    const QJsonArray blockTypes = o.value(QLatin1String("layers_block_type")).toArray();
    if (!layerTypes.isEmpty()) {
        if (layerTypes.size() != n)
            return makeError(
                ErrorKind::BadInput,
                QStringLiteral("\"layer_types\" has %1 entries for %2 layers.").arg(layerTypes.size()).arg(n),
                QStringLiteral("layer_types"));
        for (int i = 0; i < n; ++i) {
            const QString t = layerTypes[i].toString();
            if (t == QLatin1String("sliding_attention")) {
                if (windowTokens <= 0)
                    return makeError(ErrorKind::BadInput,
                                     QStringLiteral("Sliding layers need a positive \"sliding_window\"."),
                                     QStringLiteral("sliding_window"));
                m.layers[i].kind = LayerKind::SlidingWindow;
                m.layers[i].window = windowTokens;
            } else if (t != QLatin1String("full_attention")) {
                return makeError(ErrorKind::BadInput,
                                 QStringLiteral("Layer type \"%1\" is not supported.").arg(t),
                                 QStringLiteral("layer_types"));
            }
        }
    } else if (o.contains(QLatin1String("attn_layer_period")) || !blockTypes.isEmpty()) {
        // Jamba: Mamba layers except every period-th from offset (or as layers_block_type lists them).
        auto dState = positiveInt(o, "mamba_d_state", false, 16);
        auto dConv = positiveInt(o, "mamba_d_conv", false, 4);
        auto expand = positiveInt(o, "mamba_expand", false, 2);
        if (!dState || !dConv || !expand)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("The Mamba sizes in config.json must be positive integers."),
                             QStringLiteral("mamba"));
        const qint64 state = mambaStateBytes(*dConv, *expand * *hidden, *dState);
        for (int i = 0; i < n; ++i) {
            bool attention = false;
            if (!blockTypes.isEmpty()) {
                if (blockTypes.size() != n)
                    return makeError(ErrorKind::BadInput,
                                     QStringLiteral("\"layers_block_type\" does not list every layer."),
                                     QStringLiteral("layers_block_type"));
                attention = blockTypes[i].toString() == QLatin1String("attention");
            } else {
                auto period = positiveInt(o, "attn_layer_period", true);
                auto offset = o.value(QLatin1String("attn_layer_offset")).toInt(0);
                if (!period)
                    return period.error();
                attention = i % *period == offset;
            }
            if (!attention) {
                m.layers[i] = LayerSpec{};
                m.layers[i].kind = LayerKind::Recurrent;
                m.layers[i].stateBytes = state;
            }
        }
    } else if (windowTokens > 0 && !slidingOff) {
        const int pattern = o.value(QLatin1String("sliding_window_pattern")).toInt(0);
        for (int i = 0; i < n; ++i) {
            bool sliding = true;
            if (pattern > 0)
                sliding = (i + 1) % pattern != 0;
            else if (modelType == QLatin1String("gemma2"))
                sliding = i % 2 == 0;
            if (sliding) {
                m.layers[i].kind = LayerKind::SlidingWindow;
                m.layers[i].window = windowTokens;
            }
        }
    }
    return m;
}

Result<ModelArch> modelFromHfConfigFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("Cannot open %1: %2").arg(path, file.errorString()));
    if (file.size() > 16 * 1024 * 1024)
        return makeError(ErrorKind::BadInput, QStringLiteral("%1 is too large for a config.json.").arg(path),
                         QStringLiteral("size"));
    return modelFromHfConfig(file.readAll(), QFileInfo(path).absoluteFilePath());
}

Result<ModelArch> modelFromGguf(const GgufHeader &h, const QString &source)
{
    const QString arch = h.architecture();
    if (arch.isEmpty())
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The GGUF file names no architecture (general.architecture)."),
                         QStringLiteral("architecture"));
    const auto blocks = ggufInt(h, QStringLiteral("block_count"));
    if (!blocks || *blocks <= 0 || *blocks > 4096)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The GGUF file has no valid %1.block_count.").arg(arch),
                         QStringLiteral("block_count"));
    const int n = int(*blocks);
    ModelArch m;
    m.family = arch;
    m.id = arch;
    m.displayName = h.values.value(QStringLiteral("general.name"), arch).toString();
    m.source = source;
    m.trainingContext = ggufInt(h, QStringLiteral("context_length")).value_or(0);
    m.attentionSinks = arch == QLatin1String("gpt-oss");
    if (const auto count = h.values.value(QStringLiteral("general.parameter_count")); count.isValid())
        m.parametersBillions = count.toDouble() / 1e9;

    const qint64 embedding = ggufInt(h, QStringLiteral("embedding_length")).value_or(0);
    const QList<qint64> heads = perLayer(h, QStringLiteral("attention.head_count"), n, 0);
    const qint64 firstHeads = heads.isEmpty() ? 0 : *std::max_element(heads.begin(), heads.end());
    const QList<qint64> kvHeads = perLayer(h, QStringLiteral("attention.head_count_kv"), n, firstHeads);

    if (const auto rank = ggufInt(h, QStringLiteral("attention.kv_lora_rank")); rank && *rank > 0) {
        const qint64 rope = ggufInt(h, QStringLiteral("rope.dimension_count")).value_or(0);
        if (rope <= 0)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("An MLA model needs %1.rope.dimension_count.").arg(arch),
                             QStringLiteral("rope.dimension_count"));
        m.layers = latent(n, int(*rank + rope));
        return m;
    }

    const qint64 defaultHeadDim = firstHeads > 0 ? embedding / firstHeads : 0;
    const qint64 keyLength = ggufInt(h, QStringLiteral("attention.key_length")).value_or(defaultHeadDim);
    const qint64 valueLength = ggufInt(h, QStringLiteral("attention.value_length")).value_or(defaultHeadDim);
    if (keyLength <= 0 || valueLength <= 0)
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("The GGUF file gives no head size (%1.embedding_length / head_count or "
                           "attention.key_length).")
                .arg(arch),
            QStringLiteral("head_dim"));

    // Which layers slide, as llama.cpp's set_swa_pattern does per architecture.
    const qint64 window = ggufInt(h, QStringLiteral("attention.sliding_window")).value_or(0);
    int pattern = 0; // layer il slides when il % pattern < pattern - 1
    if (arch == QLatin1String("gemma2") || arch == QLatin1String("gpt-oss"))
        pattern = 2;
    else if (arch == QLatin1String("gemma3"))
        pattern = 6;
    else if (arch == QLatin1String("cohere2"))
        pattern = 4;

    const qint64 ssmInner = ggufInt(h, QStringLiteral("ssm.inner_size")).value_or(0);
    const qint64 ssmState = ggufInt(h, QStringLiteral("ssm.state_size")).value_or(0);
    const qint64 ssmConv = ggufInt(h, QStringLiteral("ssm.conv_kernel")).value_or(0);

    for (int i = 0; i < n; ++i) {
        LayerSpec l;
        if (kvHeads[i] == 0 && ssmInner > 0) {
            l.kind = LayerKind::Recurrent;
            l.stateBytes = mambaStateBytes(ssmConv, ssmInner, ssmState);
        } else if (kvHeads[i] <= 0) {
            return makeError(ErrorKind::BadInput, QStringLiteral("Layer %1 has no KV heads.").arg(i),
                             QStringLiteral("head_count_kv"));
        } else {
            l.kvHeads = int(kvHeads[i]);
            l.headDimK = int(keyLength);
            l.headDimV = int(valueLength);
            if (pattern > 0 && window > 0 && i % pattern < pattern - 1) {
                l.kind = LayerKind::SlidingWindow;
                l.window = int(window);
            }
        }
        m.layers << l;
    }
    return m;
}

Result<ModelArch> modelFromGgufFile(const QString &path)
{
    auto header = readGgufHeader(path);
    if (!header)
        return header.error();
    return modelFromGguf(*header, QFileInfo(path).absoluteFilePath());
}

QByteArray modelToJson(const ModelArch &model)
{
    QJsonArray layers;
    for (const LayerSpec &l : model.layers) {
        QJsonObject o;
        switch (l.kind) {
        case LayerKind::Full: o[QStringLiteral("kind")] = QStringLiteral("full"); break;
        case LayerKind::SlidingWindow: o[QStringLiteral("kind")] = QStringLiteral("sliding"); break;
        case LayerKind::Latent: o[QStringLiteral("kind")] = QStringLiteral("latent"); break;
        case LayerKind::Recurrent: o[QStringLiteral("kind")] = QStringLiteral("recurrent"); break;
        }
        if (l.kvHeads)
            o[QStringLiteral("kvHeads")] = l.kvHeads;
        if (l.headDimK)
            o[QStringLiteral("headDimK")] = l.headDimK;
        if (l.headDimV)
            o[QStringLiteral("headDimV")] = l.headDimV;
        if (l.window)
            o[QStringLiteral("window")] = l.window;
        if (l.latentDim)
            o[QStringLiteral("latentDim")] = l.latentDim;
        if (l.stateBytes)
            o[QStringLiteral("stateBytes")] = double(l.stateBytes);
        layers.append(o);
    }
    QJsonObject o{{QStringLiteral("id"), model.id},
                  {QStringLiteral("name"), model.displayName},
                  {QStringLiteral("family"), model.family},
                  {QStringLiteral("parametersBillions"), model.parametersBillions},
                  {QStringLiteral("trainingContext"), double(model.trainingContext)},
                  {QStringLiteral("dtypeBytes"), model.dtypeBytes},
                  {QStringLiteral("attentionSinks"), model.attentionSinks},
                  {QStringLiteral("source"), model.source},
                  {QStringLiteral("layers"), layers}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<ModelArch> modelFromJson(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return makeError(ErrorKind::BadInput, QStringLiteral("The stored model is not valid JSON."));
    const QJsonObject o = doc.object();
    ModelArch m;
    m.id = o.value(QLatin1String("id")).toString();
    m.displayName = o.value(QLatin1String("name")).toString();
    m.family = o.value(QLatin1String("family")).toString();
    m.parametersBillions = o.value(QLatin1String("parametersBillions")).toDouble();
    m.trainingContext = qint64(o.value(QLatin1String("trainingContext")).toDouble());
    m.dtypeBytes = o.value(QLatin1String("dtypeBytes")).toInt(2);
    m.attentionSinks = o.value(QLatin1String("attentionSinks")).toBool();
    m.source = o.value(QLatin1String("source")).toString();
    for (const QJsonValue &v : o.value(QLatin1String("layers")).toArray()) {
        const QJsonObject l = v.toObject();
        LayerSpec s;
        const QString kind = l.value(QLatin1String("kind")).toString();
        if (kind == QLatin1String("full"))
            s.kind = LayerKind::Full;
        else if (kind == QLatin1String("sliding"))
            s.kind = LayerKind::SlidingWindow;
        else if (kind == QLatin1String("latent"))
            s.kind = LayerKind::Latent;
        else if (kind == QLatin1String("recurrent"))
            s.kind = LayerKind::Recurrent;
        else
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("Unknown layer kind \"%1\" in the stored model.").arg(kind),
                             QStringLiteral("layers"));
        s.kvHeads = l.value(QLatin1String("kvHeads")).toInt();
        s.headDimK = l.value(QLatin1String("headDimK")).toInt();
        s.headDimV = l.value(QLatin1String("headDimV")).toInt();
        s.window = l.value(QLatin1String("window")).toInt();
        s.latentDim = l.value(QLatin1String("latentDim")).toInt();
        s.stateBytes = qint64(l.value(QLatin1String("stateBytes")).toDouble());
        m.layers << s;
    }
    if (m.layers.isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("The stored model has no layers."),
                         QStringLiteral("layers"));
    return m;
}

Result<ModelArch> modelFromOllamaShow(const QByteArray &json)
{
    const QJsonObject info =
        QJsonDocument::fromJson(json).object().value(QLatin1String("model_info")).toObject();
    if (info.isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("/api/show has no model_info"));
    GgufHeader header;
    for (auto it = info.begin(); it != info.end(); ++it) {
        if (it->isArray()) {
            GgufHeader::Array array;
            array.count = quint64(it->toArray().size());
            for (const QJsonValue &n : it->toArray())
                array.numbers << n.toDouble();
            header.arrays.insert(it.key(), array);
        } else if (it->isDouble()) {
            header.values.insert(it.key(), qint64(it->toDouble()));
        } else {
            header.values.insert(it.key(), it->toVariant());
        }
    }
    return modelFromGguf(header, QStringLiteral("Ollama /api/show"));
}

} // namespace cachewise::analysis
