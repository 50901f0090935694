// SPDX-License-Identifier: GPL-3.0-or-later
// models scan, models list; server add, list, show, remove.
#include "app/cli/cli.h"
#include "core/analysis/modelcatalog.h"
#include "core/common/paths.h"
#include "core/common/timeformat.h"
#include "core/common/units.h"
#include "core/servers/modellibrary.h"
#include "core/servers/profile.h"
#include "core/services/managedservers.h"
#include "core/services/modellibrary.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

namespace cachewise::cli {
namespace {

// The engine settings a models list computes its KV column with: --context (default: the trained context,
// at most 4096), --parallel, --unified and the cache types, as llama-server would take them.
std::optional<analysis::KvConfig> listConfig(Context &c, int *code)
{
    analysis::ModelArch none;
    auto config = configFromOptions(c, none, analysis::KvConfig{}, false, code);
    if (config)
        config->engine = model::Engine::LlamaCpp;
    return config;
}

QString mib(qint64 bytes)
{
    return QString::number(double(bytes) / 1048576.0, 'f', 1);
}

void printModels(Context &c, const QList<servers::ModelFile> &models, const analysis::KvConfig &at,
                 bool contextGiven)
{
    if (c.json) {
        QJsonArray list;
        for (const servers::ModelFile &m : models) {
            analysis::KvConfig config = at;
            if (!contextGiven && m.model && m.model->trainingContext > 0)
                config.context = std::min<qint64>(m.model->trainingContext, 4096);
            list.append(servers::modelFileJson(m, &config));
        }
        printJson(list);
        return;
    }
    out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10  %11")
            .arg(QStringLiteral("NAME"), -34)
            .arg(QStringLiteral("ARCH"), -10)
            .arg(QStringLiteral("PARAMS"), 7)
            .arg(QStringLiteral("QUANT"), -9)
            .arg(QStringLiteral("CTX"), 7)
            .arg(QStringLiteral("LAYERS"), 6)
            .arg(QStringLiteral("KV-HEADS"), 8)
            .arg(QStringLiteral("HEAD"), 4)
            .arg(QStringLiteral("KV B/TOKEN"), 10)
            .arg(QStringLiteral("KV MiB (context)"), 18)
            .arg(QStringLiteral("FILE")));
    for (const servers::ModelFile &m : models) {
        if (!m.model) {
            out(QStringLiteral("%1 %2  %3")
                    .arg(m.name, -34)
                    .arg(QStringLiteral("unreadable: ") + m.problem, -84)
                    .arg(m.path));
            continue;
        }
        const analysis::ModelArch &arch = *m.model;
        analysis::KvConfig config = at;
        if (!contextGiven && arch.trainingContext > 0)
            config.context = std::min<qint64>(arch.trainingContext, 4096);
        const auto estimate = analysis::estimateKv(arch, config);
        const auto shape = servers::attentionShape(arch);
        out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10  %11")
                .arg(m.name, -34)
                .arg(arch.family, -10)
                .arg(arch.parametersBillions > 0
                         ? QStringLiteral("%1B").arg(arch.parametersBillions, 0, 'f', 1)
                         : QStringLiteral("-"),
                     7)
                .arg(m.fileType ? servers::fileTypeName(*m.fileType) : QStringLiteral("-"), -9)
                .arg(arch.trainingContext, 7)
                .arg(arch.layerCount(), 6)
                .arg(shape ? QString::number(shape->kvHeads) : QStringLiteral("-"), 8)
                .arg(shape ? QString::number(shape->headSize) : QStringLiteral("-"), 4)
                .arg(m.kvBytesPerToken ? QString::number(*m.kvBytesPerToken) : QStringLiteral("-"), 10)
                .arg(estimate ? QStringLiteral("%1 (%2)").arg(mib(estimate->totalBytes)).arg(config.context)
                              : QStringLiteral("-"),
                     18)
                .arg(m.path));
    }
}

int modelsScan(Context &c)
{
    int code = kOk;
    const auto at = listConfig(c, &code);
    if (!at || !c.openStorage(&code))
        return code;
    services::LibraryFolders folders;
    if (c.args.positional.size() > 2) {
        folders.folders = c.args.positional.mid(2);
    } else {
        auto configured = services::configuredLibraryFolders(c.repository);
        if (!configured)
            return c.failure(configured.errorMessage());
        folders = configured.value();
        if (folders.folders.isEmpty() && folders.ollamaStores.isEmpty())
            return c.failure(QStringLiteral(
                "no model folders: give one (models scan DIR) or set them (config set models.folders DIR)"));
    }
    auto scan = services::scanLibrary(c.repository, c.clock, folders);
    if (!scan)
        return c.failure(scan.errorMessage());
    for (const QString &missing : scan->missing)
        err(QStringLiteral("%1 does not exist or is not a folder").arg(missing));
    if (c.json) {
        QJsonArray models;
        for (const servers::ModelFile &m : scan->models) {
            analysis::KvConfig config = *at;
            if (!c.args.options.contains(QStringLiteral("context")) && m.model &&
                m.model->trainingContext > 0)
                config.context = std::min<qint64>(m.model->trainingContext, 4096);
            models.append(servers::modelFileJson(m, &config));
        }
        printJson(QJsonObject{
            {QStringLiteral("folders"), QJsonArray::fromStringList(scan->scanned.folders)},
            {QStringLiteral("ollamaStores"), QJsonArray::fromStringList(scan->scanned.ollamaStores)},
            {QStringLiteral("missing"), QJsonArray::fromStringList(scan->missing)},
            {QStringLiteral("headersRead"), scan->headersRead},
            {QStringLiteral("models"), models}});
    } else {
        printModels(c, scan->models, *at, c.args.options.contains(QStringLiteral("context")));
        out(QStringLiteral("%1 model(s) in %2 folder(s) and %3 Ollama store(s); %4 header(s) read")
                .arg(scan->models.size())
                .arg(scan->scanned.folders.size())
                .arg(scan->scanned.ollamaStores.size())
                .arg(scan->headersRead));
    }
    return scan->missing.isEmpty() ? kOk : kFailure;
}

int modelsList(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    const auto at = listConfig(c, &code);
    if (!at || !c.openStorage(&code))
        return code;
    auto models = services::storedModels(c.repository);
    if (!models)
        return c.failure(models.errorMessage());
    printModels(c, models.value(), *at, c.args.options.contains(QStringLiteral("context")));
    return kOk;
}

QJsonObject serverJson(Context &c, const model::ServerProfile &p,
                       const std::optional<model::ServerProcess> &process)
{
    QJsonObject o{{QStringLiteral("id"), p.id},
                  {QStringLiteral("projectId"), p.projectId},
                  {QStringLiteral("sourceId"), p.sourceId},
                  {QStringLiteral("executable"), p.executable},
                  {QStringLiteral("model"), p.modelPath},
                  {QStringLiteral("context"), double(p.context)},
                  {QStringLiteral("parallel"), p.parallel},
                  {QStringLiteral("unified"), p.unified},
                  {QStringLiteral("cacheTypeK"), model::name(p.cacheTypeK)},
                  {QStringLiteral("cacheTypeV"), model::name(p.cacheTypeV)},
                  {QStringLiteral("flashAttention"), model::name(p.flashAttention)},
                  {QStringLiteral("port"), p.port},
                  {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1").arg(p.port)},
                  {QStringLiteral("extraArgs"), QJsonArray::fromStringList(p.extraArgs)},
                  {QStringLiteral("created"), isoUtc(p.createdAtMs)},
                  {QStringLiteral("updated"), isoUtc(p.updatedAtMs)}};
    const auto folder = paths::ensureDataDir(c.dataDir);
    const QString dataDir = folder ? folder.value() : c.dataDir;
    o.insert(QStringLiteral("commandLine"), services::serverCommandLine(p, dataDir));
    o.insert(QStringLiteral("arguments"),
             QJsonArray::fromStringList(servers::serverArguments(p, services::slotSavePath(dataDir, p.id))));
    if (p.gpuLayers)
        o.insert(QStringLiteral("gpuLayers"), *p.gpuLayers);
    if (p.threads)
        o.insert(QStringLiteral("threads"), *p.threads);
    if (!p.measuredKvLine.isEmpty()) {
        o.insert(QStringLiteral("measuredKvLine"), p.measuredKvLine);
        if (p.measuredAtMs)
            o.insert(QStringLiteral("measuredAt"), isoUtc(*p.measuredAtMs));
    }
    if (process) {
        o.insert(QStringLiteral("state"), model::name(process->state));
        if (!process->stateReason.isEmpty())
            o.insert(QStringLiteral("reason"), process->stateReason);
        if (process->pid)
            o.insert(QStringLiteral("pid"), double(*process->pid));
        if (process->startedAtMs)
            o.insert(QStringLiteral("started"), isoUtc(*process->startedAtMs));
    }
    return o;
}

int serverAdd(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    const auto projectId = c.requiredProjectOption(&code);
    if (!projectId)
        return code;
    if (!c.args.options.contains(QStringLiteral("model")))
        return c.usage(
            QStringLiteral("--model PATH is required (a .gguf file; see cachewise-cli models list)"));
    model::ServerProfile p;
    p.projectId = *projectId;
    p.modelPath = QFileInfo(c.args.options.value(QStringLiteral("model"))).absoluteFilePath();
    if (c.args.options.contains(QStringLiteral("executable"))) {
        p.executable = QFileInfo(c.args.options.value(QStringLiteral("executable"))).absoluteFilePath();
    } else {
        const QStringList found = servers::findLlamaServers();
        if (found.isEmpty())
            return c.failure(
                QStringLiteral("no llama-server found on PATH or in the usual build folders; give "
                               "--executable PATH"));
        p.executable = found.first();
    }
    // The context defaults to the model's trained one, at most 4096 (llama-server's own default).
    std::optional<qint64> trained;
    if (auto arch = analysis::modelFromGgufFile(p.modelPath))
        trained = arch->trainingContext;
    const auto context = c.integerOption(QStringLiteral("context"),
                                         trained && *trained > 0 ? std::min<qint64>(*trained, 4096) : 4096, 1,
                                         qint64(1) << 24, &code);
    const auto parallel = c.integerOption(QStringLiteral("parallel"), 1, 1, 256, &code);
    const auto port = c.integerOption(QStringLiteral("port"), 0, 1, 65535, &code);
    const auto gpuLayers = c.integerOption(QStringLiteral("gpu-layers"), -1, 0, 10000, &code);
    const auto threads = c.integerOption(QStringLiteral("threads"), -1, 1, 1024, &code);
    if (!context || !parallel || !port || !gpuLayers || !threads)
        return code;
    p.context = *context;
    p.parallel = int(*parallel);
    p.port = int(*port);
    p.unified = c.args.flags.contains(QStringLiteral("unified"));
    if (*gpuLayers >= 0)
        p.gpuLayers = int(*gpuLayers);
    if (*threads >= 0)
        p.threads = int(*threads);
    const bool oneType = c.args.options.contains(QStringLiteral("cache-type"));
    if (oneType && (c.args.options.contains(QStringLiteral("cache-type-k")) ||
                    c.args.options.contains(QStringLiteral("cache-type-v"))))
        return c.usage(QStringLiteral("give --cache-type or --cache-type-k/--cache-type-v, not both"));
    for (const auto &[option, target] :
         {std::pair{QStringLiteral("cache-type"), 0}, std::pair{QStringLiteral("cache-type-k"), 1},
          std::pair{QStringLiteral("cache-type-v"), 2}}) {
        if (!c.args.options.contains(option))
            continue;
        const auto type = model::parseCacheType(c.args.options.value(option));
        if (!type || !model::acceptsCacheType(model::Engine::LlamaCpp, *type))
            return c.usage(
                QStringLiteral("--%1: llama-server has no cache type '%2' (f32 f16 bf16 q8_0 q5_1 q5_0 "
                               "q4_1 q4_0 iq4_nl)")
                    .arg(option, c.args.options.value(option)));
        if (target != 2)
            p.cacheTypeK = *type;
        if (target != 1)
            p.cacheTypeV = *type;
    }
    if (c.args.options.contains(QStringLiteral("flash-attention"))) {
        const auto fa = model::parseFlashAttention(c.args.options.value(QStringLiteral("flash-attention")));
        if (!fa)
            return c.usage(QStringLiteral("--flash-attention takes on, off or auto"));
        p.flashAttention = *fa;
    } else if (model::cacheTypeInfo(p.cacheTypeV).blockElements > 1) {
        p.flashAttention = model::FlashAttention::On; // llama-server needs it for a quantized V cache
    }
    p.extraArgs = c.args.rest;
    if (!c.openStorage(&code) || !c.requireProject(p.projectId, &code))
        return code;
    auto added = services::addServer(c.repository, p);
    if (!added) {
        if (added.error().kind == ErrorKind::BadInput)
            return c.usage(added.errorMessage());
        return c.failure(added.errorMessage());
    }
    if (c.json) {
        printJson(serverJson(c, added.value(), std::nullopt));
        return kOk;
    }
    out(QStringLiteral("server %1 added to project %2 (source %3)")
            .arg(added->id, added->projectId, added->sourceId));
    out(QStringLiteral("command: %1")
            .arg(serverJson(c, added.value(), std::nullopt).value(QStringLiteral("commandLine")).toString()));
    return kOk;
}

std::optional<model::ServerProfile> requireServer(Context &c, int *code)
{
    if (!c.expect(3, code) || !c.openStorage(code))
        return std::nullopt;
    const QString id = c.args.positional.at(2);
    auto found = c.repository.servers().get(id);
    if (!found) {
        *code = c.failure(found.errorMessage());
        return std::nullopt;
    }
    if (!found->has_value()) {
        *code = c.failure(QStringLiteral("no server with id %1").arg(id));
        return std::nullopt;
    }
    return **found;
}

int serverList(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code) || !c.openStorage(&code))
        return code;
    QString projectId;
    if (c.args.options.contains(QStringLiteral("project"))) {
        const auto id = c.requiredProjectOption(&code);
        if (!id)
            return code;
        projectId = *id;
    }
    auto profiles = c.repository.servers().list(projectId);
    auto processes = c.repository.servers().processes();
    if (!profiles || !processes)
        return c.failure(!profiles ? profiles.errorMessage() : processes.errorMessage());
    QHash<QString, model::ServerProcess> byId;
    for (const model::ServerProcess &p : processes.value())
        byId.insert(p.profileId, p);
    if (c.json) {
        QJsonArray list;
        for (const model::ServerProfile &p : profiles.value())
            list.append(serverJson(c, p, byId.value(p.id)));
        printJson(list);
        return kOk;
    }
    out(QStringLiteral("%1 %2 %3 %4  %5")
            .arg(QStringLiteral("ID"), -36)
            .arg(QStringLiteral("STATE"), -9)
            .arg(QStringLiteral("PORT"), 5)
            .arg(QStringLiteral("KV FLAGS"), -40)
            .arg(QStringLiteral("MODEL")));
    for (const model::ServerProfile &p : profiles.value())
        out(QStringLiteral("%1 %2 %3 %4  %5")
                .arg(p.id, -36)
                .arg(model::name(byId.value(p.id).state), -9)
                .arg(p.port, 5)
                .arg(servers::kvFlags(p).join(QLatin1Char(' ')), -40)
                .arg(p.modelPath));
    return kOk;
}

int serverShow(Context &c)
{
    int code = kOk;
    const auto profile = requireServer(c, &code);
    if (!profile)
        return code;
    auto process = c.repository.servers().process(profile->id);
    if (!process)
        return c.failure(process.errorMessage());
    const QJsonObject o = serverJson(c, *profile, process.value());
    if (c.json) {
        printJson(o);
        return kOk;
    }
    out(o.value(QStringLiteral("commandLine")).toString());
    out(QStringLiteral("project:  %1").arg(profile->projectId));
    out(QStringLiteral("state:    %1%2")
            .arg(o.value(QStringLiteral("state")).toString(),
                 o.contains(QStringLiteral("reason"))
                     ? QStringLiteral(" (") + o.value(QStringLiteral("reason")).toString() + QLatin1Char(')')
                     : QString()));
    if (!profile->measuredKvLine.isEmpty())
        out(QStringLiteral("measured: %1").arg(profile->measuredKvLine));
    return kOk;
}

int serverRemove(Context &c)
{
    int code = kOk;
    const auto profile = requireServer(c, &code);
    if (!profile)
        return code;
    if (auto removed = services::removeServer(c.repository, profile->id); !removed)
        return c.failure(removed.errorMessage());
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("removed"), profile->id}});
    else
        out(QStringLiteral("server %1 removed (and its source)").arg(profile->id));
    return kOk;
}

const QStringList kKvListOptions{QStringLiteral("context"), QStringLiteral("parallel"),
                                 QStringLiteral("cache-type"), QStringLiteral("cache-type-k"),
                                 QStringLiteral("cache-type-v")};

} // namespace

QList<Command> serverCommands()
{
    return {
        {{QStringLiteral("models"), QStringLiteral("scan")},
         QStringLiteral("[DIR…] [--context N] [--parallel N] [--unified] [--cache-type T | --cache-type-k T "
                        "--cache-type-v T]"),
         QStringLiteral("find the .gguf models under the folders given (else models.folders and, unless "
                        "models.usualFolders is 0, LM Studio's, llama.cpp's and Ollama's places), read their "
                        "headers (only those that changed since the last scan) and keep the list; a folder "
                        "with manifests/ and blobs/ is read as an Ollama store"),
         kKvListOptions,
         {QStringLiteral("unified")},
         {QStringLiteral("models scan ~/models"), QStringLiteral("--json models scan")},
         modelsScan},
        {{QStringLiteral("models"), QStringLiteral("list")},
         QStringLiteral("[--context N] [--parallel N] [--unified] [--cache-type T | --cache-type-k T "
                        "--cache-type-v T]"),
         QStringLiteral(
             "the models the last scans found: architecture, parameters, quantization, trained "
             "context, layers, KV heads, head size, KV bytes per token and the KV cache llama-server "
             "allocates at the context given (default: the trained one, at most 4096)"),
         kKvListOptions,
         {QStringLiteral("unified")},
         {QStringLiteral("models list --context 32768 --parallel 4 --cache-type q8_0")},
         modelsList},
        {{QStringLiteral("server"), QStringLiteral("add")},
         QStringLiteral(
             "--project ID --model PATH [--context N] [--parallel N] [--unified] [--cache-type T | "
             "--cache-type-k T --cache-type-v T] [--flash-attention on|off|auto] [--gpu-layers N] "
             "[--threads N] [--executable PATH] [--port N] [-- EXTRA_ARGS…]"),
         QStringLiteral(
             "a llama-server for the project, launched by CacheWise on 127.0.0.1 (a free port "
             "unless --port) with --metrics, --slots and a slot folder in the data folder; it becomes "
             "the project's source and its runtime. A quantized V cache turns flash attention on, as "
             "llama-server requires; what llama-server would refuse is refused here"),
         {QStringLiteral("project"), QStringLiteral("model"), QStringLiteral("context"),
          QStringLiteral("parallel"), QStringLiteral("cache-type"), QStringLiteral("cache-type-k"),
          QStringLiteral("cache-type-v"), QStringLiteral("flash-attention"), QStringLiteral("gpu-layers"),
          QStringLiteral("threads"), QStringLiteral("executable"), QStringLiteral("port")},
         {QStringLiteral("unified")},
         {QStringLiteral(
              "server add --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --model "
              "~/models/qwen2.5-7b-instruct-q4_k_m.gguf --context 16384 --parallel 2 --cache-type q8_0"),
          QStringLiteral(
              "server add --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --model m.gguf -- --mlock")},
         serverAdd,
         true},
        {{QStringLiteral("server"), QStringLiteral("list")},
         QStringLiteral("[--project ID]"),
         QStringLiteral("the llama-servers CacheWise launches, with their state, port and KV flags"),
         {QStringLiteral("project")},
         {},
         {QStringLiteral("server list")},
         serverList},
        {{QStringLiteral("server"), QStringLiteral("show")},
         QStringLiteral("ID"),
         QStringLiteral("a server's exact command line, its state and the KV allocation it last logged"),
         {},
         {},
         {QStringLiteral("server show 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         serverShow},
        {{QStringLiteral("server"), QStringLiteral("remove")},
         QStringLiteral("ID"),
         QStringLiteral("forget a stopped server and its source (the project's samples stay)"),
         {},
         {},
         {QStringLiteral("server remove 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         serverRemove},
    };
}

} // namespace cachewise::cli
