// SPDX-License-Identifier: GPL-3.0-or-later
// project create, list, show, update, delete, runtime.
#include "app/cli/cli.h"
#include "core/analysis/kvjson.h"
#include "core/analysis/kvmodel.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/timeformat.h"
#include "core/model/json.h"
#include "core/services/runtimes.h"

#include <QJsonArray>
#include <QJsonObject>

namespace cachewise::cli {
namespace {

int projectCreate(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code))
        return code;
    if (!c.args.options.contains(QStringLiteral("name")))
        return c.usage(QStringLiteral("project create needs --name"));
    if (c.args.options.value(QStringLiteral("name")).trimmed().isEmpty())
        return c.usage(QStringLiteral("Project Name is required."));
    if (!c.openStorage(&code))
        return code;
    auto project = c.repository.projects().create(c.args.options.value(QStringLiteral("name")),
                                                  c.args.options.value(QStringLiteral("model")),
                                                  c.args.options.value(QStringLiteral("architecture")));
    if (!project)
        return project.error().kind == ErrorKind::Storage ? c.failure(project.errorMessage())
                                                          : c.usage(project.errorMessage());
    auto key = c.repository.keys().create(project->id, QStringLiteral("default"));
    if (!key)
        return c.failure(key.errorMessage());
    if (c.json) {
        QJsonObject o = model::json::project(project.value());
        o.insert(QStringLiteral("apiKey"), key->secret);
        o.insert(QStringLiteral("apiKeyId"), key->key.id);
        printJson(o);
    } else {
        out(QStringLiteral("Project created: %1 (%2)").arg(project->id, project->name));
        out(QStringLiteral("API key (shown once, store it now): %1").arg(key->secret));
    }
    return kOk;
}

int projectList(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code) || !c.openStorage(&code))
        return code;
    auto projects = c.repository.projects().list();
    if (!projects)
        return c.failure(projects.errorMessage());
    if (c.json) {
        QJsonArray list;
        for (const model::Project &p : projects.value())
            list.append(model::json::project(p));
        printJson(list);
        return kOk;
    }
    if (projects->isEmpty()) {
        out(QStringLiteral("No projects yet. Create one with: cachewise-cli project create --name NAME"));
        return kOk;
    }
    for (const model::Project &p : projects.value())
        out(QStringLiteral("%1  %2  %3  %4").arg(p.id, p.name, p.modelName, p.modelArchitecture).trimmed());
    return kOk;
}

int projectShow(Context &c)
{
    int code = kOk;
    const auto project = c.openProject(3, 2, &code);
    if (!project)
        return code;
    auto keys = c.repository.keys().list(project->id);
    auto stats = c.repository.samples().stats(project->id);
    if (!keys || !stats)
        return c.failure(!keys ? keys.errorMessage() : stats.errorMessage());
    if (c.json) {
        QJsonObject o = model::json::project(*project);
        QJsonArray keyList;
        for (const model::ApiKey &k : keys.value())
            keyList.append(model::json::apiKey(k));
        o.insert(QStringLiteral("apiKeys"), keyList);
        o.insert(QStringLiteral("stats"), model::json::stats(stats.value()));
        printJson(o);
        return kOk;
    }
    out(QStringLiteral("Project:       %1").arg(project->name));
    out(QStringLiteral("Id:            %1").arg(project->id));
    out(QStringLiteral("Model:         %1").arg(project->modelName));
    out(QStringLiteral("Architecture:  %1").arg(project->modelArchitecture));
    out(QStringLiteral("Created:       %1").arg(isoUtc(project->createdAtMs)));
    out(QStringLiteral("Samples:       %1").arg(stats->sampleCount));
    int active = 0;
    for (const model::ApiKey &k : keys.value())
        active += k.revoked() ? 0 : 1;
    out(QStringLiteral("API keys:      %1 active, %2 revoked").arg(active).arg(keys->size() - active));
    return kOk;
}

int projectUpdate(Context &c)
{
    int code = kOk;
    auto project = c.openProject(3, 2, &code);
    if (!project)
        return code;
    if (c.args.options.contains(QStringLiteral("name")))
        project->name = c.args.options.value(QStringLiteral("name"));
    if (c.args.options.contains(QStringLiteral("model")))
        project->modelName = c.args.options.value(QStringLiteral("model"));
    if (c.args.options.contains(QStringLiteral("architecture")))
        project->modelArchitecture = c.args.options.value(QStringLiteral("architecture"));
    auto updated = c.repository.projects().update(*project);
    if (!updated)
        return updated.error().kind == ErrorKind::Storage ? c.failure(updated.errorMessage())
                                                          : c.usage(updated.errorMessage());
    if (c.json)
        printJson(model::json::project(updated.value()));
    else
        out(QStringLiteral("Project updated: %1 (%2)").arg(updated->id, updated->name));
    return kOk;
}

int projectDelete(Context &c)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    const auto id = c.projectIdArg(c.args.positional.at(2), &code);
    if (!id || !c.openStorage(&code))
        return code;
    auto deleted = c.repository.projects().remove(*id);
    if (!deleted)
        return c.failure(deleted.errorMessage());
    if (!deleted.value())
        return c.failure(QStringLiteral("no project with id %1").arg(*id));
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("deleted"), *id}});
    else
        out(QStringLiteral("Project deleted: %1").arg(*id));
    return kOk;
}

int projectRuntime(Context &c)
{
    int code = kOk;
    const auto project = c.openProject(3, 2, &code);
    if (!project)
        return code;
    auto stored = c.repository.runtimes().get(project->id);
    if (!stored)
        return c.failure(stored.errorMessage());

    // --data-dir and --json only say where and how: with nothing else the runtime is shown, not changed.
    const bool changing =
        c.args.options.size() > (c.args.options.contains(QStringLiteral("data-dir")) ? 1 : 0) ||
        c.args.flags.size() > (c.json ? 1 : 0);
    const bool modelGiven = c.args.options.contains(QStringLiteral("model")) ||
                            c.args.options.contains(QStringLiteral("gguf")) ||
                            c.args.options.contains(QStringLiteral("hf-config"));
    if (changing && !modelGiven && !stored->has_value())
        return c.usage(QStringLiteral("the first description needs --model, --gguf or --hf-config"));
    model::ProjectRuntime runtime;
    if (changing) {
        std::optional<analysis::ModelArch> model;
        analysis::KvConfig base;
        model::ProjectRuntime previous;
        if (stored->has_value()) {
            previous = **stored;
            auto input = analysis::analysisInput(previous);
            if (!input)
                return c.failure(input.errorMessage());
            model = input->model;
            base = input->config;
        }
        if (modelGiven) {
            model = modelFromOptions(c, &code);
            if (!model)
                return code;
        }
        auto config = configFromOptions(c, *model, base, !stored->has_value(), &code);
        if (!config)
            return code;
        runtime = analysis::runtimeFrom(*model, *config);
        for (const auto &[name, value] :
             {std::pair{QStringLiteral("flash-attention"), &runtime.flashAttention},
              std::pair{QStringLiteral("prefix-caching"), &runtime.prefixCaching}}) {
            const bool on = c.args.flags.contains(name);
            const bool off = c.args.flags.contains(QStringLiteral("no-") + name);
            if (on && off)
                return c.usage(QStringLiteral("give --%1 or --no-%1, not both").arg(name));
            const bool previousValue =
                name == QLatin1String("flash-attention") ? previous.flashAttention : previous.prefixCaching;
            *value = on ? true : off ? false : previousValue;
        }
        runtime.gpuMemoryGB = previous.gpuMemoryGB;
        if (c.args.options.contains(QStringLiteral("gpu-memory-gb"))) {
            bool ok = false;
            runtime.gpuMemoryGB = c.args.options.value(QStringLiteral("gpu-memory-gb")).toDouble(&ok);
            if (!ok)
                return c.usage(QStringLiteral("--gpu-memory-gb must be a number"));
        }
        auto saved = services::saveRuntime(c.repository, project->id, runtime);
        if (!saved)
            return c.failure(saved.errorMessage());
        runtime = *saved;
    } else if (stored->has_value()) {
        runtime = **stored;
    } else {
        if (c.json)
            printJson(QJsonObject{{QStringLiteral("projectId"), project->id},
                                  {QStringLiteral("runtime"), QJsonValue()}});
        else
            out(QStringLiteral("project %1 has no runtime description yet").arg(project->id));
        return kOk;
    }
    auto input = analysis::analysisInput(runtime);
    if (!input)
        return c.failure(input.errorMessage());
    auto estimate = analysis::estimateKv(input->model, input->config);
    if (!estimate)
        return c.failure(estimate.errorMessage());
    if (c.json) {
        QJsonObject o = analysis::kvEstimateJson(input->model, input->config, *estimate);
        o.insert(QStringLiteral("projectId"), project->id);
        o.insert(QStringLiteral("flashAttention"), runtime.flashAttention);
        o.insert(QStringLiteral("prefixCaching"), runtime.prefixCaching);
        o.insert(QStringLiteral("gpuMemoryGB"), runtime.gpuMemoryGB);
        printJson(o);
        return kOk;
    }
    out(QStringLiteral("project:          %1").arg(project->id));
    out(QStringLiteral("model:            %1 (%2 layers)")
            .arg(input->model.displayName)
            .arg(input->model.layerCount()));
    out(QStringLiteral("engine:           %1, context %2, %3 sequence(s)%4, K %5, V %6")
            .arg(model::name(runtime.engine))
            .arg(runtime.context)
            .arg(runtime.parallel)
            .arg(runtime.unified ? QStringLiteral(", unified") : QString())
            .arg(model::name(runtime.cacheTypeK), model::name(runtime.cacheTypeV)));
    out(QStringLiteral("KV cache:         %1 bytes (%2 GiB), %3 bytes per token")
            .arg(estimate->totalBytes)
            .arg(double(estimate->totalBytes) / double(qint64(1) << 30), 0, 'f', 3)
            .arg(estimate->bytesPerToken));
    return kOk;
}

} // namespace

QList<Command> projectCommands()
{
    return {
        {{QStringLiteral("project"), QStringLiteral("create")},
         QStringLiteral("--name NAME [--model MODEL] [--architecture ARCH]"),
         QStringLiteral("create a project; prints its id and a new API key (shown once)"),
         {QStringLiteral("name"), QStringLiteral("model"), QStringLiteral("architecture")},
         {},
         {QStringLiteral("project create --name 'Chat assistant' --model Llama-3.1-8B"),
          QStringLiteral("--json project create --name batch-jobs")},
         projectCreate},
        {{QStringLiteral("project"), QStringLiteral("list")},
         QStringLiteral(""),
         QStringLiteral("list projects"),
         {},
         {},
         {QStringLiteral("project list"), QStringLiteral("--json project list")},
         projectList},
        {{QStringLiteral("project"), QStringLiteral("show")},
         QStringLiteral("ID"),
         QStringLiteral("show a project with its statistics and keys"),
         {},
         {},
         {QStringLiteral("project show 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10")},
         projectShow},
        {{QStringLiteral("project"), QStringLiteral("update")},
         QStringLiteral("ID [--name NAME] [--model MODEL] [--architecture ARCH]"),
         QStringLiteral("rename a project or change its model"),
         {QStringLiteral("name"), QStringLiteral("model"), QStringLiteral("architecture")},
         {},
         {QStringLiteral("project update 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --model Qwen2.5-7B")},
         projectUpdate},
        {{QStringLiteral("project"), QStringLiteral("delete")},
         QStringLiteral("ID"),
         QStringLiteral("delete a project and all its data"),
         {},
         {},
         {QStringLiteral("project delete 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10")},
         projectDelete},
        {{QStringLiteral("project"), QStringLiteral("runtime")},
         QStringLiteral(
             "ID [(--model NAME | --gguf FILE | --hf-config FILE) [--engine E] [--context N] [--parallel N] "
             "[--cache-type T | --cache-type-k T --cache-type-v T] [--[no-]unified] [--[no-]swa-full] "
             "[--gpu-memory-gb G] [--[no-]flash-attention] [--[no-]prefix-caching]]"),
         QStringLiteral("show, or describe, how the project runs its model (what the recommendations and the "
                        "score are computed from); a switch not given keeps its described value"),
         modelOptions() + QStringList{QStringLiteral("gpu-memory-gb")},
         {QStringLiteral("unified"), QStringLiteral("no-unified"), QStringLiteral("swa-full"),
          QStringLiteral("no-swa-full"), QStringLiteral("flash-attention"),
          QStringLiteral("no-flash-attention"), QStringLiteral("prefix-caching"),
          QStringLiteral("no-prefix-caching")},
         {QStringLiteral("project runtime 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10"),
          QStringLiteral("project runtime 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --gguf model.gguf --context "
                         "8192 --parallel 4 --cache-type q8_0 --flash-attention")},
         projectRuntime},
    };
}

} // namespace cachewise::cli
