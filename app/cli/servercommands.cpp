// SPDX-License-Identifier: GPL-3.0-or-later
// models scan, models list; server add, list, show, remove.
#include "app/cli/cli.h"
#include "core/analysis/modelcatalog.h"
#include "core/common/paths.h"
#include "core/common/timeformat.h"
#include "core/common/units.h"
#include "core/servers/modellibrary.h"
#include "core/servers/process.h"
#include "core/servers/profile.h"
#include "core/servers/supervisor.h"
#include "core/services/managedservers.h"
#include "core/services/modellibrary.h"
#include "core/services/servercontrol.h"
#include "core/storage/writes.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimer>

#include <array>
#include <cstdio>

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
        if (const auto compared = services::compareKvAllocation(p)) {
            o.insert(QStringLiteral("computedKvLine"), compared->computedLine);
            o.insert(QStringLiteral("kvDifferenceMiB"), compared->differenceMiB);
            o.insert(QStringLiteral("kvDiffers"), compared->differs);
        }
    }
    if (auto usage = c.repository.servers().usage(p.id, c.clock.nowMs() - 60'000, c.clock.nowMs() + 1);
        usage && !usage->isEmpty()) {
        const model::ServerUsage &u = usage->last();
        QJsonObject used{{QStringLiteral("at"), isoUtc(u.timestampMs)},
                         {QStringLiteral("residentBytes"), double(u.residentBytes)},
                         {QStringLiteral("cpuPercent"), u.cpuPercent}};
        if (u.gpuBytes)
            used.insert(QStringLiteral("gpuBytes"), double(*u.gpuBytes));
        else
            used.insert(QStringLiteral("gpu"), QStringLiteral("no NVIDIA GPU to read"));
        o.insert(QStringLiteral("usage"), used);
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
        byId.insert(p.profileId, services::currentProcess(p));
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
    const QJsonObject o =
        serverJson(c, *profile,
                   process->has_value() ? std::optional(services::currentProcess(**process)) : std::nullopt);
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
    if (o.contains(QStringLiteral("computedKvLine")))
        out(QStringLiteral("computed: %1 (%2)")
                .arg(o.value(QStringLiteral("computedKvLine")).toString(),
                     o.value(QStringLiteral("kvDiffers")).toBool()
                         ? QStringLiteral("DIFFERS by %1 MiB: tell us which llama.cpp build this is")
                               .arg(o.value(QStringLiteral("kvDifferenceMiB")).toDouble(), 0, 'f', 2)
                         : QStringLiteral("the same")));
    if (o.contains(QStringLiteral("usage"))) {
        const QJsonObject u = o.value(QStringLiteral("usage")).toObject();
        out(QStringLiteral("usage:    CPU %1 % of a core, resident %2 MiB, GPU %3")
                .arg(u.value(QLatin1String("cpuPercent")).toDouble(), 0, 'f', 1)
                .arg(u.value(QLatin1String("residentBytes")).toDouble() / 1048576.0, 0, 'f', 1)
                .arg(u.contains(QLatin1String("gpuBytes"))
                         ? QStringLiteral("%1 MiB").arg(
                               u.value(QLatin1String("gpuBytes")).toDouble() / 1048576.0, 0, 'f', 1)
                         : u.value(QLatin1String("gpu")).toString()));
    }
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

QString dataFolder(Context &c)
{
    const auto folder = paths::ensureDataDir(c.dataDir);
    return folder ? folder.value() : c.dataDir;
}

services::ServerControl control(Context &c)
{
    return services::ServerControl(c.repository, storage::writesOn(c.repository), dataFolder(c), c.clock);
}

// The process a profile's last start left, when it still runs.
std::optional<servers::ProcessHandle> runningProcess(Context &c, const QString &profileId, int *code)
{
    auto running = control(c).running(profileId);
    if (!running) {
        *code = c.failure(running.errorMessage());
        return std::nullopt;
    }
    return running.value();
}

int serverStart(Context &c, bool restart)
{
    int code = kOk;
    const auto profile = requireServer(c, &code);
    if (!profile)
        return code;
    const auto timeoutS = c.integerOption(QStringLiteral("timeout-s"), 600, 1, 86400, &code);
    if (!timeoutS)
        return code;
    if (restart) {
        if (auto stopped = control(c).stop(*profile, 10'000); !stopped)
            return c.failure(stopped.errorMessage());
    } else if (const auto running = runningProcess(c, profile->id, &code)) {
        out(QStringLiteral("server %1 already runs (pid %2)").arg(profile->id).arg(running->pid));
        return kOk;
    } else if (code != kOk) {
        return code;
    }
    // What llama-server would refuse is said before it runs.
    std::optional<analysis::ModelArch> arch;
    if (auto read = analysis::modelFromGgufFile(profile->modelPath))
        arch = std::move(read).value();
    const QList<servers::ProfileProblem> problems = servers::checkProfile(*profile, arch);
    if (!problems.isEmpty()) {
        QStringList messages;
        for (const servers::ProfileProblem &problem : problems)
            messages << problem.message;
        return c.failure(messages.join(QLatin1Char(' ')));
    }
    const services::Launch launch =
        control(c).launch(*profile, *timeoutS * 1000, true, [&c](model::ServerState state) {
            if (!c.json && state != model::ServerState::Ready)
                err(QStringLiteral("%1…").arg(model::name(state)));
        });
    if (!launch.ready && !launch.process)
        return c.failure(QStringLiteral("llama-server did not start:\n%1").arg(launch.reason));
    if (!launch.ready)
        return c.failure(
            QStringLiteral("llama-server is still %1 after %2 s; it goes on in the background (pid %3)")
                .arg(model::name(launch.state))
                .arg(*timeoutS)
                .arg(launch.process->pid));
    if (c.json) {
        QJsonObject o{{QStringLiteral("id"), profile->id},
                      {QStringLiteral("state"), model::name(launch.state)},
                      {QStringLiteral("pid"), double(launch.process->pid)},
                      {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1").arg(profile->port)}};
        if (!launch.kvLine.isEmpty())
            o.insert(QStringLiteral("measuredKvLine"), launch.kvLine);
        printJson(o);
    } else {
        out(QStringLiteral("ready at http://127.0.0.1:%1 (pid %2)")
                .arg(profile->port)
                .arg(launch.process->pid));
        if (!launch.kvLine.isEmpty())
            out(QStringLiteral("measured: %1").arg(launch.kvLine));
    }
    return kOk;
}

int serverStop(Context &c)
{
    int code = kOk;
    const auto profile = requireServer(c, &code);
    if (!profile)
        return code;
    const auto timeoutS = c.integerOption(QStringLiteral("timeout-s"), 10, 1, 3600, &code);
    if (!timeoutS)
        return code;
    const bool wasRunning = runningProcess(c, profile->id, &code).has_value();
    if (code != kOk)
        return code;
    if (auto stopped = control(c).stop(*profile, *timeoutS * 1000); !stopped)
        return c.failure(stopped.errorMessage());
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("id"), profile->id},
                              {QStringLiteral("state"), QStringLiteral("stopped")},
                              {QStringLiteral("wasRunning"), wasRunning}});
    else
        out(wasRunning ? QStringLiteral("server %1 stopped").arg(profile->id)
                       : QStringLiteral("server %1 was not running").arg(profile->id));
    return kOk;
}

// Applies (or reverts) new flags to a managed server (services::ServerControl::changeFlags).
int changeServerFlags(Context &c, const model::ServerProfile &before, const model::ServerProfile &after,
                      const model::Recommendation &recommendation, bool revert)
{
    int code = kOk;
    const auto timeoutS = c.integerOption(QStringLiteral("timeout-s"), 600, 1, 86400, &code);
    if (!timeoutS)
        return code;
    auto changed = control(c).changeFlags(before, after, recommendation, revert, *timeoutS * 1000);
    if (!changed)
        return c.failure(changed.errorMessage());
    if (c.json) {
        QJsonObject o{{QStringLiteral("recommendation"), recommendation.id},
                      {QStringLiteral("restarted"), changed->restarted},
                      {QStringLiteral("flagsBefore"), servers::kvFlags(before).join(QLatin1Char(' '))},
                      {QStringLiteral("flagsAfter"), servers::kvFlags(after).join(QLatin1Char(' '))},
                      {QStringLiteral("effect"), changed->effect}};
        if (changed->restarted) {
            o.insert(QStringLiteral("kvBefore"), changed->kvBefore);
            o.insert(QStringLiteral("kvAfter"), changed->kvAfter);
        }
        if (changed->residentBefore)
            o.insert(QStringLiteral("residentBytesBefore"), double(*changed->residentBefore));
        if (changed->residentAfter)
            o.insert(QStringLiteral("residentBytesAfter"), double(*changed->residentAfter));
        printJson(o);
    } else {
        out(QStringLiteral("%1: %2").arg(revert ? QStringLiteral("reverted") : QStringLiteral("applied"),
                                         changed->effect));
    }
    return kOk;
}

int serverApply(Context &c, bool revert)
{
    int code = kOk;
    if (!c.expect(3, &code) || !c.openStorage(&code))
        return code;
    const QString recommendationId = c.args.positional.at(2);
    auto plan = revert ? services::planServerRevert(c.repository, recommendationId, dataFolder(c))
                       : services::planServerApply(c.repository, recommendationId, dataFolder(c));
    if (!plan)
        return plan.error().kind == ErrorKind::BadInput ? c.usage(plan.errorMessage())
                                                        : c.failure(plan.errorMessage());
    const model::ServerProfile before = plan->before;
    const model::ServerProfile after = plan->after;
    const model::Recommendation recommendation = plan->recommendation;
    const QString dataDir = dataFolder(c);
    if (!c.args.flags.contains(QStringLiteral("yes"))) {
        if (c.json) {
            printJson(
                QJsonObject{{QStringLiteral("recommendation"), recommendation.id},
                            {QStringLiteral("commandBefore"), services::serverCommandLine(before, dataDir)},
                            {QStringLiteral("commandAfter"), services::serverCommandLine(after, dataDir)}});
        } else {
            out(QStringLiteral("before: %1").arg(services::serverCommandLine(before, dataDir)));
            out(QStringLiteral("after:  %1").arg(services::serverCommandLine(after, dataDir)));
            out(QStringLiteral(
                "nothing changed yet: run again with --yes to restart the server with these flags"));
        }
        return kOk;
    }
    return changeServerFlags(c, before, after, recommendation, revert);
}

QString logLineText(const servers::LlamaLogLine &line)
{
    static const char letters[] = {' ', 'D', 'I', 'W', 'E'};
    if (!line.sinceStartUs)
        return line.text;
    return QStringLiteral("%1 %2 %3")
        .arg(servers::formatSinceStart(*line.sinceStartUs), QString(QLatin1Char(letters[int(line.level)])),
             line.text);
}

int serverLogs(Context &c)
{
    int code = kOk;
    const auto profile = requireServer(c, &code);
    if (!profile)
        return code;
    using Level = servers::LlamaLogLine::Level;
    Level minimum = Level::Debug;
    if (c.args.options.contains(QStringLiteral("level"))) {
        const QString level = c.args.options.value(QStringLiteral("level")).toLower();
        const QHash<QString, Level> levels{{QStringLiteral("debug"), Level::Debug},
                                           {QStringLiteral("info"), Level::Info},
                                           {QStringLiteral("warning"), Level::Warning},
                                           {QStringLiteral("error"), Level::Error}};
        if (!levels.contains(level))
            return c.usage(QStringLiteral("--level takes debug, info, warning or error"));
        minimum = levels.value(level);
    }
    const auto count = c.integerOption(QStringLiteral("lines"), 200, 1, 50'000, &code);
    if (!count)
        return code;
    const QString grep = c.args.options.value(QStringLiteral("grep"));
    // A line without a level letter (a message's continuation, a plain print) counts as info.
    const auto wanted = [&](const servers::LlamaLogLine &line) {
        const Level level = line.level == Level::None ? Level::Info : line.level;
        return int(level) >= int(minimum) &&
               (grep.isEmpty() || line.text.contains(grep, Qt::CaseInsensitive));
    };
    const auto print = [&](const servers::LlamaLogLine &line) {
        if (c.json) {
            QJsonObject o{
                {QStringLiteral("level"), QString(QLatin1String(std::array{"none", "debug", "info", "warning",
                                                                           "error"}[int(line.level)]))},
                {QStringLiteral("text"), line.text}};
            if (line.sinceStartUs)
                o.insert(QStringLiteral("sinceStartUs"), double(*line.sinceStartUs));
            std::fputs(QJsonDocument(o).toJson(QJsonDocument::Compact).constData(), stdout);
            std::fputc('\n', stdout);
        } else {
            out(logLineText(line));
        }
    };
    const QString file = services::serverLogFile(dataFolder(c), profile->id);
    QList<servers::LlamaLogLine> chosen;
    for (const servers::LlamaLogLine &line : servers::readServerLog(file, 50'000)) {
        if (wanted(line))
            chosen << line;
    }
    for (const servers::LlamaLogLine &line : chosen.mid(std::max<qsizetype>(0, chosen.size() - *count)))
        print(line);
    std::fflush(stdout);
    if (!c.args.flags.contains(QStringLiteral("follow")))
        return kOk;
    // New lines as the server writes them, until interrupted.
    servers::LogTail tail(file, QFileInfo(file).size());
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [&] {
        for (const QByteArray &raw : tail.readNew()) {
            const servers::LlamaLogLine line = servers::parseLlamaLogLine(raw);
            if (wanted(line))
                print(line);
        }
        std::fflush(stdout);
    });
    poll.start(200);
    QEventLoop loop;
    return loop.exec();
}

const QStringList kKvListOptions{QStringLiteral("context"), QStringLiteral("parallel"),
                                 QStringLiteral("cache-type"), QStringLiteral("cache-type-k"),
                                 QStringLiteral("cache-type-v")};

} // namespace

QList<Command> serverCommands()
{
    return {
        {{QStringLiteral("server"), QStringLiteral("start")},
         QStringLiteral("ID [--timeout-s N]"),
         QStringLiteral("launch the server and wait until it has loaded its model (default: up to 600 s); it "
                        "keeps running after the CLI exits, its output in the data folder (server logs ID). "
                        "Refused before launch when llama-server would refuse the flags; when it fails, its "
                        "last error lines are printed"),
         {QStringLiteral("timeout-s")},
         {},
         {QStringLiteral("server start 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         [](Context &c) {
             return serverStart(c, false);
         }},
        {{QStringLiteral("server"), QStringLiteral("stop")},
         QStringLiteral("ID [--timeout-s N]"),
         QStringLiteral("stop the server: SIGTERM, then SIGKILL when it has not exited after the timeout "
                        "(default 10 s)"),
         {QStringLiteral("timeout-s")},
         {},
         {QStringLiteral("server stop 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         serverStop},
        {{QStringLiteral("server"), QStringLiteral("restart")},
         QStringLiteral("ID [--timeout-s N]"),
         QStringLiteral("stop the server if it runs, then start it as server start does"),
         {QStringLiteral("timeout-s")},
         {},
         {QStringLiteral("server restart 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e")},
         [](Context &c) {
             return serverStart(c, true);
         }},
        {{QStringLiteral("server"), QStringLiteral("apply")},
         QStringLiteral("RECOMMENDATION_ID [--yes] [--timeout-s N]"),
         QStringLiteral(
             "the command line of the project's server before and after the recommendation; with --yes "
             "the server restarts with the new flags, and when it is not ready with them the old flags "
             "and the old server come back (logged with its last lines); the measured KV allocation and "
             "resident memory before and after go to the action log"),
         {QStringLiteral("timeout-s")},
         {QStringLiteral("yes")},
         {QStringLiteral("server apply 7c9e6679-7425-40de-944b-e07fc1f90ae7"),
          QStringLiteral("server apply 7c9e6679-7425-40de-944b-e07fc1f90ae7 --yes")},
         [](Context &c) {
             return serverApply(c, false);
         }},
        {{QStringLiteral("server"), QStringLiteral("revert")},
         QStringLiteral("RECOMMENDATION_ID [--yes] [--timeout-s N]"),
         QStringLiteral("the flags before an applied recommendation, back on the server the same way"),
         {QStringLiteral("timeout-s")},
         {QStringLiteral("yes")},
         {QStringLiteral("server revert 7c9e6679-7425-40de-944b-e07fc1f90ae7 --yes")},
         [](Context &c) {
             return serverApply(c, true);
         }},
        {{QStringLiteral("server"), QStringLiteral("logs")},
         QStringLiteral("ID [--follow] [--level debug|info|warning|error] [--grep TEXT] [--lines N]"),
         QStringLiteral(
             "the server's output as llama.cpp wrote it (time since start, level letter, text): the "
             "last N lines (default 200) at or above the level and containing TEXT; --follow keeps "
             "printing new ones; --json prints one object per line"),
         {QStringLiteral("level"), QStringLiteral("grep"), QStringLiteral("lines")},
         {QStringLiteral("follow")},
         {QStringLiteral("server logs 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e --level warning"),
          QStringLiteral("server logs 3f1d2c4b-8a9e-4b7c-9d1e-2f3a4b5c6d7e --follow --grep kv_cache")},
         serverLogs},
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
