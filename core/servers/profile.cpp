// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/servers/profile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>

namespace cachewise::servers {
namespace {

bool isQuantized(model::CacheType type)
{
    return model::cacheTypeInfo(type).blockElements > 1;
}

// Flags the profile sets (each with its other spellings): in the extra arguments they would override
// what CacheWise shows and reads.
struct ManagedFlag
{
    QStringList spellings;
    const char *setBy;
};
const QList<ManagedFlag> &managedFlags()
{
    static const QList<ManagedFlag> flags{
        {{QStringLiteral("-m"), QStringLiteral("--model")}, "the model"},
        {{QStringLiteral("--host")}, "CacheWise (127.0.0.1)"},
        {{QStringLiteral("--port")}, "the port"},
        {{QStringLiteral("--metrics")}, "CacheWise"},
        {{QStringLiteral("--slots"), QStringLiteral("--no-slots")}, "CacheWise"},
        {{QStringLiteral("--slot-save-path")}, "CacheWise"},
        {{QStringLiteral("-lv"), QStringLiteral("--verbosity"), QStringLiteral("--log-verbosity")},
         "CacheWise"},
        {{QStringLiteral("-c"), QStringLiteral("--ctx-size")}, "the context"},
        {{QStringLiteral("-np"), QStringLiteral("--parallel")}, "parallel slots"},
        {{QStringLiteral("-kvu"), QStringLiteral("--kv-unified"), QStringLiteral("--no-kv-unified")},
         "unified KV"},
        {{QStringLiteral("-ctk"), QStringLiteral("--cache-type-k")}, "the K cache type"},
        {{QStringLiteral("-ctv"), QStringLiteral("--cache-type-v")}, "the V cache type"},
        {{QStringLiteral("-fa"), QStringLiteral("--flash-attn")}, "flash attention"},
        {{QStringLiteral("-ngl"), QStringLiteral("--gpu-layers"), QStringLiteral("--n-gpu-layers")},
         "GPU layers"},
        {{QStringLiteral("-t"), QStringLiteral("--threads")}, "threads"},
        {{QStringLiteral("--api-key"), QStringLiteral("--api-key-file")},
         "nobody: a key would lock CacheWise's own source out of /metrics and /slots"},
    };
    return flags;
}

} // namespace

QStringList kvFlags(const model::ServerProfile &p)
{
    QStringList args{QStringLiteral("-c"), QString::number(p.context), QStringLiteral("-np"),
                     QString::number(p.parallel)};
    if (p.unified)
        args << QStringLiteral("--kv-unified");
    args << QStringLiteral("-ctk") << model::name(p.cacheTypeK) << QStringLiteral("-ctv")
         << model::name(p.cacheTypeV) << QStringLiteral("-fa") << model::name(p.flashAttention);
    return args;
}

QStringList serverArguments(const model::ServerProfile &p, const QString &slotSavePath)
{
    QStringList args{QStringLiteral("-m"),
                     p.modelPath,
                     QStringLiteral("--host"),
                     QStringLiteral("127.0.0.1"),
                     QStringLiteral("--port"),
                     QString::number(p.port),
                     QStringLiteral("--metrics"),
                     QStringLiteral("--slots"),
                     QStringLiteral("--slot-save-path"),
                     slotSavePath,
                     QStringLiteral("-lv"),
                     QStringLiteral("4")};
    args << kvFlags(p);
    if (p.gpuLayers)
        args << QStringLiteral("-ngl") << QString::number(*p.gpuLayers);
    if (p.threads)
        args << QStringLiteral("-t") << QString::number(*p.threads);
    args << p.extraArgs;
    return args;
}

QString shellCommandLine(const QString &program, const QStringList &arguments)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    QStringList words;
    for (const QString &word : QStringList{program} + arguments) {
        if (!word.isEmpty() && plain.match(word).hasMatch())
            words << word;
        else
            words << QLatin1Char('\'') + QString(word).replace(QLatin1String("'"), QLatin1String("'\\''")) +
                         QLatin1Char('\'');
    }
    return words.join(QLatin1Char(' '));
}

QList<ProfileProblem> checkProfile(const model::ServerProfile &p,
                                   const std::optional<analysis::ModelArch> &model)
{
    QList<ProfileProblem> problems;
    const QFileInfo program(p.executable);
    if (!program.isFile() || !program.isExecutable())
        problems << ProfileProblem{QStringLiteral("executable"),
                                   QStringLiteral("%1 is not a program that can be run.").arg(p.executable)};
    if (!QFileInfo(p.modelPath).isFile())
        problems << ProfileProblem{QStringLiteral("model"),
                                   QStringLiteral("The model file %1 does not exist.").arg(p.modelPath)};
    for (const auto &[type, field] :
         {std::pair{p.cacheTypeK, "cache-type-k"}, std::pair{p.cacheTypeV, "cache-type-v"}}) {
        if (!model::acceptsCacheType(model::Engine::LlamaCpp, type))
            problems << ProfileProblem{
                QLatin1String(field),
                QStringLiteral("llama-server has no %1 cache type.").arg(model::name(type))};
    }
    if (isQuantized(p.cacheTypeV) && p.flashAttention == model::FlashAttention::Off)
        problems << ProfileProblem{
            QStringLiteral("flash-attention"),
            QStringLiteral("llama-server refuses a quantized V cache (%1) without flash "
                           "attention: turn flash attention on, or keep V at f16.")
                .arg(model::name(p.cacheTypeV))};
    if (model) {
        // llama.cpp checks that the cache type's block divides each head (llama_init_from_model).
        for (const auto &[type, which] : {std::pair{p.cacheTypeK, 'K'}, std::pair{p.cacheTypeV, 'V'}}) {
            const int block = model::cacheTypeInfo(type).blockElements;
            if (block <= 1)
                continue;
            for (const analysis::LayerSpec &layer : model->layers) {
                if (layer.kind != analysis::LayerKind::Full &&
                    layer.kind != analysis::LayerKind::SlidingWindow)
                    continue;
                const int head = which == 'K' ? layer.headDimK : layer.headDimV;
                if (head > 0 && head % block != 0) {
                    problems << ProfileProblem{
                        which == 'K' ? QStringLiteral("cache-type-k") : QStringLiteral("cache-type-v"),
                        QStringLiteral(
                            "llama-server refuses a %1 %2 cache for this model: its head size %3 is not "
                            "a multiple of the type's block of %4. Use f16, bf16 or f32.")
                            .arg(model::name(type))
                            .arg(QLatin1Char(which))
                            .arg(head)
                            .arg(block)};
                    break;
                }
            }
        }
    }
    if (p.context < p.parallel)
        problems << ProfileProblem{
            QStringLiteral("context"),
            QStringLiteral("A context of %1 cannot be shared by %2 slots.").arg(p.context).arg(p.parallel)};
    for (const QString &arg : p.extraArgs) {
        const QString flag = arg.section(QLatin1Char('='), 0, 0);
        for (const ManagedFlag &managed : managedFlags()) {
            if (managed.spellings.contains(flag)) {
                problems << ProfileProblem{QStringLiteral("extra"),
                                           QStringLiteral("%1 is set by %2, not in the extra arguments.")
                                               .arg(flag, QLatin1String(managed.setBy))};
                break;
            }
        }
    }
    return problems;
}

QStringList findLlamaServers()
{
#ifdef Q_OS_WIN
    const QString name = QStringLiteral("llama-server.exe");
#else
    const QString name = QStringLiteral("llama-server");
#endif
    QStringList candidates;
    if (const QString onPath = QStandardPaths::findExecutable(name); !onPath.isEmpty())
        candidates << onPath;
    const QString home = QDir::homePath();
    for (const char *folder : {"", "/src", "/code", "/git", "/projects"}) {
        const QString root = home + QLatin1String(folder) + QStringLiteral("/llama.cpp/build/bin/");
        candidates << root + name << root + QStringLiteral("Release/") + name;
    }
    candidates << QStringLiteral("/opt/homebrew/bin/") + name << QStringLiteral("/usr/local/bin/") + name;
    QStringList found;
    for (const QString &c : candidates) {
        const QFileInfo info(c);
        const QString path = info.canonicalFilePath();
        if (info.isFile() && info.isExecutable() && !path.isEmpty() && !found.contains(path))
            found << path;
    }
    return found;
}

bool loopbackPortFree(int port)
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, quint16(port));
}

std::optional<int> freeLoopbackPort(const QSet<int> &taken)
{
    // The system picks a free port; one a profile holds (maybe stopped now) is passed over.
    for (int attempt = 0; attempt < 64; ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return std::nullopt;
        const int port = probe.serverPort();
        if (!taken.contains(port))
            return port;
    }
    return std::nullopt;
}

} // namespace cachewise::servers
