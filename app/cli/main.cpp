// SPDX-License-Identifier: GPL-3.0-or-later
// cachewise-cli: manage projects, keys, settings and data from a shell; safe beside a running app.
#include "core/analysis/kvjson.h"
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/common/paths.h"
#include "core/common/secretstore.h"
#include "core/common/timeformat.h"
#include "core/ingest/otlp.h"
#include "core/ingest/samplejson.h"
#include "core/model/json.h"
#include "core/report/machineexport.h"
#include "core/report/reportdata.h"
#include "core/services/projectanalysis.h"
#include "core/services/reports.h"
#include "core/services/runtimes.h"
#include "core/sources/discovery.h"
#include "core/sources/llamaserver.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QCoreApplication>
#ifdef CACHEWISE_CLI_REPORTS
#include "ui/language.h"
#include "ui/report/reportdocument.h"

#include <QGuiApplication>
#endif
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>
#include <QUrl>

#include <cstdio>
#include <optional>

namespace {

using namespace cachewise;

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;

const char *const kUsageText = R"(Usage: cachewise-cli [--data-dir DIR] [--json] COMMAND [ARGS]

Commands:
  project create --name NAME [--model MODEL] [--architecture ARCH]
                                   create a project; prints its id and a new API key (shown once)
  project list                     list projects
  project show ID                  show a project with its statistics
  project update ID [--name NAME] [--model MODEL] [--architecture ARCH]
  project delete ID                delete a project and all its data
  project runtime ID [(--model NAME | --gguf FILE | --hf-config FILE) [--engine E] [--context N]
     [--parallel N] [--cache-type T | --cache-type-k T --cache-type-v T] [--[no-]unified]
     [--[no-]swa-full] [--gpu-memory-gb G] [--[no-]flash-attention] [--[no-]prefix-caching]]
                                   show, or describe, how the project runs its model (what the
                                   recommendations and the score are computed from); a switch not
                                   given keeps its described value
  key create --project ID [--name NAME]
                                   create another API key (shown once)
  key list --project ID            list a project's keys (never the secrets)
  key revoke KEY_ID                revoke a key; pushes with it get 401 at once
  stats --project ID               sample count, first/last time, mean and peak of each metric
  export (--project ID | --all) --format csv|json [--content samples|minute|hour]
     [--from ISO8601] [--to ISO8601] --out FILE
                                   samples (or per-minute / per-hour rollups) for programs: dot
                                   decimals, ISO 8601 UTC times; streamed to the file, which
                                   appears only when complete (default range: everything)
  export (--project ID | --all) --format pdf|html [--from ISO8601] [--to ISO8601]
     [--language en|tr] --out FILE
                                   a report for people: title page, key figures with trends, charts,
                                   score, recommendations, action log, sources; in the app's language
                                   (or --language); no display needed (default range: the last 24 h)
  clear --project ID [--before ISO8601]
                                   delete samples (all, or those before the time)
  config show                      show every setting
  config get KEY                   show one setting
  config set KEY VALUE             change a setting (the running app picks it up)
  test [--url URL]                 check that a listener answers /api/health
  kv (--model NAME | --gguf FILE | --hf-config FILE) [--context N] [--parallel N]
     [--cache-type T | --cache-type-k T --cache-type-v T] [--engine E] [--unified]
     [--swa-full] [--ubatch N] [--block-size N] [--budget-gib G]
                                   KV cache memory of a model as the engine allocates it
                                   (engines: llama.cpp, ollama, vllm, sglang, generic;
                                   types: f32 f16 bf16 fp8 q8_0 q5_1 q5_0 q4_1 q4_0 iq4_nl)
  model list                       the built-in model architectures and their sources
  recommendations --project ID [--refresh]
                                   the project's recommendations and optimization score;
                                   --refresh recomputes them from the data first
  actions --project ID [--limit N] the automated-management log (newest first)
  source add --project ID --url URL [--engine llama.cpp|vllm|sglang|ollama] [--interval-ms N]
     [--api-key-stdin]             scrape a server for the project (llama-server: /slots, /props, /metrics);
                                   with --api-key-stdin the server's API key is read from standard input
                                   and kept in the OS keychain (never in the database)
  source key SOURCE_ID (--stdin | --remove)
                                   give a source a new API key (read from standard input) or take it away
  source list [--project ID]       the sources with their state (up, down and why, last scrape, latency)
  source remove SOURCE_ID | source enable SOURCE_ID | source disable SOURCE_ID
  source layout SOURCE_ID unified|per-slot|unknown
                                   say whether a llama-server's slots share one cache (unified, its
                                   default without -np) or each have their own; a llama.cpp runtime is
                                   made to match the server
  source acknowledge SOURCE_ID     the server restarted and the project's runtime still holds
  source test --url URL [--api-key-stdin]
                                   ask a server now whether it is a llama-server and what it holds
  source discover                  probe the usual local ports (llama-server 8080/9931, vLLM 8000,
                                   SGLang 30000, Ollama 11434) and list what answers
  otlp names                       which OpenTelemetry metric names become which fields (the
                                   defaults, and your own names over them)
  otlp map NAME FIELD              read metric NAME as FIELD (or 'ignore' to skip a default name);
                                   fields: kv_cache_usage_ratio kv_cache_bytes kv_cache_kib
                                   kv_cache_capacity_bytes memory_bytes requests_running
                                   requests_waiting prefix_cache_hit_rate tokens preemptions
                                   request_duration time_to_first_token time_per_output_token ignore
  otlp unmap NAME                  forget your mapping of NAME (its default, if any, applies again)
                                   (the project comes from the resource attribute set by
                                   `config set otlp.projectAttribute KEY`, service.name by default)
  automation --project ID [--enable | --disable] [--dry-run | --live] [--max-cache-percent P]
     [--max-latency-increase-percent P] [--hysteresis P] [--cooldown SECONDS]
     [--webhook-url URL --webhook-secret SECRET]
                                   show or change the project's automated-management limits

Options:
  --data-dir DIR   the data folder (default: the app's, or $CACHEWISE_DATA_DIR)
  --json           machine-readable output
  -h, --help       this help
  -v, --version    the version

Exit codes: 0 ok, 1 failure, 2 bad usage. Errors go to stderr.
)";

struct Args
{
    QStringList positional;
    QHash<QString, QString> options; // --name value
    QSet<QString> flags;             // --json
};

void out(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
}

void err(const QString &text)
{
    std::fputs("cachewise-cli: ", stderr);
    std::fputs(text.toUtf8().constData(), stderr);
    std::fputc('\n', stderr);
}

void printJson(const QJsonValue &value)
{
    const QByteArray text = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)
                                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    std::fputs(text.constData(), stdout);
}

// Options that take a value; everything else starting with -- is a flag.
const QSet<QString> kValueOptions{QStringLiteral("data-dir"),
                                  QStringLiteral("name"),
                                  QStringLiteral("model"),
                                  QStringLiteral("architecture"),
                                  QStringLiteral("project"),
                                  QStringLiteral("before"),
                                  QStringLiteral("format"),
                                  QStringLiteral("content"),
                                  QStringLiteral("from"),
                                  QStringLiteral("to"),
                                  QStringLiteral("out"),
                                  QStringLiteral("language"),
                                  QStringLiteral("url"),
                                  QStringLiteral("gguf"),
                                  QStringLiteral("hf-config"),
                                  QStringLiteral("context"),
                                  QStringLiteral("parallel"),
                                  QStringLiteral("cache-type"),
                                  QStringLiteral("cache-type-k"),
                                  QStringLiteral("cache-type-v"),
                                  QStringLiteral("engine"),
                                  QStringLiteral("ubatch"),
                                  QStringLiteral("block-size"),
                                  QStringLiteral("budget-gib"),
                                  QStringLiteral("gpu-memory-gb"),
                                  QStringLiteral("limit"),
                                  QStringLiteral("max-cache-percent"),
                                  QStringLiteral("max-latency-increase-percent"),
                                  QStringLiteral("hysteresis"),
                                  QStringLiteral("cooldown"),
                                  QStringLiteral("webhook-url"),
                                  QStringLiteral("webhook-secret"),
                                  QStringLiteral("interval-ms")};
// The options that name a model and an engine configuration (kv, project runtime).
const QStringList kModelOptions{
    QStringLiteral("model"),        QStringLiteral("gguf"),         QStringLiteral("hf-config"),
    QStringLiteral("context"),      QStringLiteral("parallel"),     QStringLiteral("cache-type"),
    QStringLiteral("cache-type-k"), QStringLiteral("cache-type-v"), QStringLiteral("engine")};
const QSet<QString> kFlagOptions{QStringLiteral("json"),
                                 QStringLiteral("help"),
                                 QStringLiteral("version"),
                                 QStringLiteral("unified"),
                                 QStringLiteral("no-unified"),
                                 QStringLiteral("swa-full"),
                                 QStringLiteral("no-swa-full"),
                                 QStringLiteral("flash-attention"),
                                 QStringLiteral("prefix-caching"),
                                 QStringLiteral("refresh"),
                                 QStringLiteral("no-flash-attention"),
                                 QStringLiteral("no-prefix-caching"),
                                 QStringLiteral("enable"),
                                 QStringLiteral("disable"),
                                 QStringLiteral("dry-run"),
                                 QStringLiteral("live"),
                                 QStringLiteral("api-key-stdin"),
                                 QStringLiteral("all"),
                                 QStringLiteral("stdin"),
                                 QStringLiteral("remove")};

std::optional<Args> parseArgs(const QStringList &arguments, QString *error)
{
    Args args;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("-h")) {
            args.flags.insert(QStringLiteral("help"));
        } else if (a == QLatin1String("-v")) {
            args.flags.insert(QStringLiteral("version"));
        } else if (a.startsWith(QLatin1String("--")) && a.size() > 2) {
            QString name = a.mid(2);
            QString value;
            const qsizetype eq = name.indexOf(QLatin1Char('='));
            const bool inlineValue = eq >= 0;
            if (inlineValue) {
                value = name.mid(eq + 1);
                name = name.left(eq);
            }
            if (kFlagOptions.contains(name)) {
                if (inlineValue) {
                    *error = QStringLiteral("--%1 takes no value").arg(name);
                    return std::nullopt;
                }
                args.flags.insert(name);
            } else if (kValueOptions.contains(name)) {
                if (!inlineValue) {
                    if (i + 1 >= arguments.size()) {
                        *error = QStringLiteral("--%1 needs a value").arg(name);
                        return std::nullopt;
                    }
                    value = arguments.at(++i);
                }
                if (args.options.contains(name)) {
                    *error = QStringLiteral("--%1 given twice").arg(name);
                    return std::nullopt;
                }
                args.options.insert(name, value);
            } else {
                *error = QStringLiteral("unknown option --%1").arg(name);
                return std::nullopt;
            }
        } else {
            args.positional << a;
        }
    }
    return args;
}

class Cli
{
public:
    Cli(Args args, QString dataDir)
        : m_args(std::move(args)), m_dataDir(std::move(dataDir)), m_repository(m_clock)
    {
        m_json = m_args.flags.contains(QStringLiteral("json"));
    }

    int run()
    {
        const QStringList &p = m_args.positional;
        if (p.isEmpty())
            return usage(QStringLiteral("no command given"));
        const QString command = p.at(0);
        const QString sub = p.value(1);
        if (command == QLatin1String("project")) {
            if (sub == QLatin1String("create"))
                return projectCreate();
            if (sub == QLatin1String("list"))
                return projectList();
            if (sub == QLatin1String("show"))
                return projectShow();
            if (sub == QLatin1String("update"))
                return projectUpdate();
            if (sub == QLatin1String("delete"))
                return projectDelete();
            if (sub == QLatin1String("runtime"))
                return projectRuntime();
            return usage(sub.isEmpty()
                             ? QStringLiteral(
                                   "project needs a subcommand: create, list, show, update, delete, runtime")
                             : QStringLiteral("unknown subcommand 'project %1'").arg(sub));
        }
        if (command == QLatin1String("key")) {
            if (sub == QLatin1String("create"))
                return keyCreate();
            if (sub == QLatin1String("list"))
                return keyList();
            if (sub == QLatin1String("revoke"))
                return keyRevoke();
            return usage(sub.isEmpty() ? QStringLiteral("key needs a subcommand: create, list, revoke")
                                       : QStringLiteral("unknown subcommand 'key %1'").arg(sub));
        }
        if (command == QLatin1String("stats"))
            return stats();
        if (command == QLatin1String("export"))
            return exportData();
        if (command == QLatin1String("clear"))
            return clear();
        if (command == QLatin1String("config")) {
            if (sub == QLatin1String("show"))
                return configShow();
            if (sub == QLatin1String("get"))
                return configGet();
            if (sub == QLatin1String("set"))
                return configSet();
            return usage(sub.isEmpty() ? QStringLiteral("config needs a subcommand: show, get, set")
                                       : QStringLiteral("unknown subcommand 'config %1'").arg(sub));
        }
        if (command == QLatin1String("test"))
            return test();
        if (command == QLatin1String("kv"))
            return kv();
        if (command == QLatin1String("recommendations"))
            return recommendations();
        if (command == QLatin1String("actions"))
            return actions();
        if (command == QLatin1String("automation"))
            return automation();
        if (command == QLatin1String("source")) {
            if (sub == QLatin1String("add"))
                return sourceAdd();
            if (sub == QLatin1String("list"))
                return sourceList();
            if (sub == QLatin1String("remove") || sub == QLatin1String("enable") ||
                sub == QLatin1String("disable"))
                return sourceChange(sub);
            if (sub == QLatin1String("test"))
                return sourceTest();
            if (sub == QLatin1String("discover"))
                return sourceDiscover();
            if (sub == QLatin1String("key"))
                return sourceKey();
            if (sub == QLatin1String("layout"))
                return sourceLayout();
            if (sub == QLatin1String("acknowledge"))
                return sourceAcknowledge();
            return usage(
                sub.isEmpty()
                    ? QStringLiteral(
                          "source needs a subcommand: add, list, remove, enable, disable, key, layout, "
                          "acknowledge, test, discover")
                    : QStringLiteral("unknown subcommand 'source %1'").arg(sub));
        }
        if (command == QLatin1String("otlp")) {
            if (sub == QLatin1String("names"))
                return otlpNames();
            if (sub == QLatin1String("map") || sub == QLatin1String("unmap"))
                return otlpMap(sub == QLatin1String("map"));
            return usage(sub.isEmpty() ? QStringLiteral("otlp needs a subcommand: names, map, unmap")
                                       : QStringLiteral("unknown subcommand 'otlp %1'").arg(sub));
        }
        if (command == QLatin1String("model")) {
            if (sub == QLatin1String("list"))
                return modelList();
            return usage(sub.isEmpty() ? QStringLiteral("model needs a subcommand: list")
                                       : QStringLiteral("unknown subcommand 'model %1'").arg(sub));
        }
        return usage(QStringLiteral("unknown command '%1'").arg(command));
    }

private:
    int usage(const QString &message)
    {
        err(message + QStringLiteral(" (see cachewise-cli --help)"));
        return kUsage;
    }

    int failure(const QString &message)
    {
        err(message);
        return kFailure;
    }

    bool noFlagsBut(const QStringList &allowed, int *code)
    {
        for (const QString &f : std::as_const(m_args.flags)) {
            if (f != QLatin1String("json") && !allowed.contains(f)) {
                *code = usage(QStringLiteral("--%1 does not apply here").arg(f));
                return false;
            }
        }
        return true;
    }

    std::optional<qint64> integerOption(const QString &name, qint64 fallback, qint64 min, qint64 max,
                                        int *code)
    {
        if (!m_args.options.contains(name))
            return fallback;
        bool ok = false;
        const qint64 v = m_args.options.value(name).toLongLong(&ok);
        if (!ok || v < min || v > max) {
            *code = usage(
                QStringLiteral("--%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
            return std::nullopt;
        }
        return v;
    }

    // Checks the positional count and that only the allowed options were given.
    bool expect(int positionals, const QStringList &allowed, int *code)
    {
        if (m_args.positional.size() != positionals) {
            *code =
                usage(m_args.positional.size() > positionals
                          ? QStringLiteral("unexpected argument '%1'").arg(m_args.positional.at(positionals))
                          : QStringLiteral("missing argument"));
            return false;
        }
        for (auto it = m_args.options.begin(); it != m_args.options.end(); ++it) {
            if (it.key() != QLatin1String("data-dir") && !allowed.contains(it.key())) {
                *code = usage(QStringLiteral("--%1 does not apply here").arg(it.key()));
                return false;
            }
        }
        return true;
    }

    bool openStorage(int *code)
    {
        auto dir = paths::ensureDataDir(m_dataDir);
        if (!dir) {
            *code = failure(dir.errorMessage());
            return false;
        }
        if (auto r = m_repository.open(paths::databaseFile(dir.value())); !r) {
            *code = failure(r.errorMessage());
            return false;
        }
        return true;
    }

    std::optional<QString> projectIdArg(const QString &text, int *code)
    {
        const QString id = ingest::normaliseUuid(text);
        if (id.isEmpty()) {
            *code = usage(QStringLiteral("'%1' is not a project id (a UUID)").arg(text));
            return std::nullopt;
        }
        return id;
    }

    // The project, or the exit code: 1 if it does not exist.
    std::optional<model::Project> requireProject(const QString &id, int *code)
    {
        auto project = m_repository.project(id);
        if (!project) {
            *code = failure(project.errorMessage());
            return std::nullopt;
        }
        if (!project.value()) {
            *code = failure(QStringLiteral("no project with id %1").arg(id));
            return std::nullopt;
        }
        return *project.value();
    }

    int projectCreate()
    {
        int code = kOk;
        if (!expect(2, {QStringLiteral("name"), QStringLiteral("model"), QStringLiteral("architecture")},
                    &code))
            return code;
        if (!m_args.options.contains(QStringLiteral("name")))
            return usage(QStringLiteral("project create needs --name"));
        if (m_args.options.value(QStringLiteral("name")).trimmed().isEmpty())
            return usage(QStringLiteral("Project Name is required."));
        if (!openStorage(&code))
            return code;
        auto project = m_repository.createProject(m_args.options.value(QStringLiteral("name")),
                                                  m_args.options.value(QStringLiteral("model")),
                                                  m_args.options.value(QStringLiteral("architecture")));
        if (!project)
            return project.error().kind == ErrorKind::Storage ? failure(project.errorMessage())
                                                              : usage(project.errorMessage());
        auto key = m_repository.createApiKey(project->id, QStringLiteral("default"));
        if (!key)
            return failure(key.errorMessage());
        if (m_json) {
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

    int projectList()
    {
        int code = kOk;
        if (!expect(2, {}, &code) || !openStorage(&code))
            return code;
        auto projects = m_repository.projects();
        if (!projects)
            return failure(projects.errorMessage());
        if (m_json) {
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
            out(QStringLiteral("%1  %2  %3  %4")
                    .arg(p.id, p.name, p.modelName, p.modelArchitecture)
                    .trimmed());
        return kOk;
    }

    int projectShow()
    {
        int code = kOk;
        if (!expect(3, {}, &code))
            return code;
        const auto id = projectIdArg(m_args.positional.at(2), &code);
        if (!id || !openStorage(&code))
            return code;
        const auto project = requireProject(*id, &code);
        if (!project)
            return code;
        auto keys = m_repository.apiKeys(*id);
        auto stats = m_repository.stats(*id);
        if (!keys || !stats)
            return failure(!keys ? keys.errorMessage() : stats.errorMessage());
        if (m_json) {
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

    int projectUpdate()
    {
        int code = kOk;
        if (!expect(3, {QStringLiteral("name"), QStringLiteral("model"), QStringLiteral("architecture")},
                    &code))
            return code;
        const auto id = projectIdArg(m_args.positional.at(2), &code);
        if (!id || !openStorage(&code))
            return code;
        auto project = requireProject(*id, &code);
        if (!project)
            return code;
        if (m_args.options.contains(QStringLiteral("name")))
            project->name = m_args.options.value(QStringLiteral("name"));
        if (m_args.options.contains(QStringLiteral("model")))
            project->modelName = m_args.options.value(QStringLiteral("model"));
        if (m_args.options.contains(QStringLiteral("architecture")))
            project->modelArchitecture = m_args.options.value(QStringLiteral("architecture"));
        auto updated = m_repository.updateProject(*project);
        if (!updated)
            return updated.error().kind == ErrorKind::Storage ? failure(updated.errorMessage())
                                                              : usage(updated.errorMessage());
        if (m_json)
            printJson(model::json::project(updated.value()));
        else
            out(QStringLiteral("Project updated: %1 (%2)").arg(updated->id, updated->name));
        return kOk;
    }

    int projectDelete()
    {
        int code = kOk;
        if (!expect(3, {}, &code))
            return code;
        const auto id = projectIdArg(m_args.positional.at(2), &code);
        if (!id || !openStorage(&code))
            return code;
        auto deleted = m_repository.deleteProject(*id);
        if (!deleted)
            return failure(deleted.errorMessage());
        if (!deleted.value())
            return failure(QStringLiteral("no project with id %1").arg(*id));
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("deleted"), *id}});
        else
            out(QStringLiteral("Project deleted: %1").arg(*id));
        return kOk;
    }

    std::optional<QString> requiredProjectOption(int *code)
    {
        if (!m_args.options.contains(QStringLiteral("project"))) {
            *code = usage(QStringLiteral("--project ID is required"));
            return std::nullopt;
        }
        return projectIdArg(m_args.options.value(QStringLiteral("project")), code);
    }

    int keyCreate()
    {
        int code = kOk;
        if (!expect(2, {QStringLiteral("project"), QStringLiteral("name")}, &code))
            return code;
        const auto id = requiredProjectOption(&code);
        if (!id || !openStorage(&code))
            return code;
        if (!requireProject(*id, &code))
            return code;
        auto key = m_repository.createApiKey(*id, m_args.options.value(QStringLiteral("name")));
        if (!key)
            return failure(key.errorMessage());
        if (m_json) {
            QJsonObject o = model::json::apiKey(key->key);
            o.insert(QStringLiteral("apiKey"), key->secret);
            printJson(o);
        } else {
            out(QStringLiteral("Key created: %1").arg(key->key.id));
            out(QStringLiteral("API key (shown once, store it now): %1").arg(key->secret));
        }
        return kOk;
    }

    int keyList()
    {
        int code = kOk;
        if (!expect(2, {QStringLiteral("project")}, &code))
            return code;
        const auto id = requiredProjectOption(&code);
        if (!id || !openStorage(&code))
            return code;
        if (!requireProject(*id, &code))
            return code;
        auto keys = m_repository.apiKeys(*id);
        if (!keys)
            return failure(keys.errorMessage());
        if (m_json) {
            QJsonArray list;
            for (const model::ApiKey &k : keys.value())
                list.append(model::json::apiKey(k));
            printJson(list);
            return kOk;
        }
        for (const model::ApiKey &k : keys.value())
            out(QStringLiteral("%1  %2…  %3  %4")
                    .arg(k.id, k.prefix, k.revoked() ? QStringLiteral("revoked") : QStringLiteral("active"),
                         k.name)
                    .trimmed());
        return kOk;
    }

    int keyRevoke()
    {
        int code = kOk;
        if (!expect(3, {}, &code))
            return code;
        const QString keyId = ingest::normaliseUuid(m_args.positional.at(2));
        if (keyId.isEmpty())
            return usage(QStringLiteral("'%1' is not a key id (a UUID)").arg(m_args.positional.at(2)));
        if (!openStorage(&code))
            return code;
        auto key = m_repository.apiKey(keyId);
        if (!key)
            return failure(key.errorMessage());
        if (!key.value())
            return failure(QStringLiteral("no API key with id %1").arg(keyId));
        if (key.value()->revoked())
            return failure(QStringLiteral("API key %1 is already revoked").arg(keyId));
        auto revoked = m_repository.revokeApiKey(keyId);
        if (!revoked)
            return failure(revoked.errorMessage());
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("revoked"), keyId}});
        else
            out(QStringLiteral("API key revoked: %1").arg(keyId));
        return kOk;
    }

    int stats()
    {
        int code = kOk;
        if (!expect(1, {QStringLiteral("project")}, &code))
            return code;
        const auto id = requiredProjectOption(&code);
        if (!id || !openStorage(&code))
            return code;
        const auto project = requireProject(*id, &code);
        if (!project)
            return code;
        auto s = m_repository.stats(*id);
        if (!s)
            return failure(s.errorMessage());
        if (m_json) {
            printJson(model::json::stats(s.value()));
            return kOk;
        }
        out(QStringLiteral("Project:  %1 (%2)").arg(project->name, project->id));
        out(QStringLiteral("Samples:  %1 (%2 raw rows kept)").arg(s->sampleCount).arg(s->rawSampleCount));
        out(QStringLiteral("First:    %1")
                .arg(s->firstTimestampMs ? isoUtc(*s->firstTimestampMs) : QStringLiteral("-")));
        out(QStringLiteral("Last:     %1")
                .arg(s->lastTimestampMs ? isoUtc(*s->lastTimestampMs) : QStringLiteral("-")));
        if (s->sampleCount == 0)
            return kOk;
        out(QStringLiteral("%1 %2 %3 %4")
                .arg(QStringLiteral("metric"), -22)
                .arg(QStringLiteral("samples"), 10)
                .arg(QStringLiteral("mean"), 16)
                .arg(QStringLiteral("peak"), 16));
        for (const model::MetricInfo &info : model::metricTable()) {
            const storage::MetricSummary &m = s->metrics[model::metricIndex(info.metric)];
            if (m.count == 0)
                continue;
            out(QStringLiteral("%1 %2 %3 %4")
                    .arg(QLatin1String(info.jsonName), -22)
                    .arg(m.count, 10)
                    .arg(QString::number(m.mean, 'f', 2), 16)
                    .arg(QString::number(m.maximum, 'g', 15), 16));
        }
        return kOk;
    }

    int clear()
    {
        int code = kOk;
        if (!expect(1, {QStringLiteral("project"), QStringLiteral("before")}, &code))
            return code;
        const auto id = requiredProjectOption(&code);
        if (!id)
            return code;
        std::optional<qint64> before;
        if (m_args.options.contains(QStringLiteral("before"))) {
            const qint64 ts = ingest::parseIsoTimestamp(m_args.options.value(QStringLiteral("before")));
            if (ts < 0)
                return usage(QStringLiteral("--before wants an ISO 8601 time such as 2024-01-15T10:00:00Z"));
            before = ts;
        }
        if (!openStorage(&code) || !requireProject(*id, &code))
            return code;
        auto deleted = m_repository.clearSamples(*id, before);
        if (!deleted)
            return failure(deleted.errorMessage());
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("projectId"), *id},
                                  {QStringLiteral("deleted"), deleted.value()}});
        else
            out(QStringLiteral("Deleted %1 samples").arg(deleted.value()));
        return kOk;
    }

    int configShow()
    {
        int code = kOk;
        if (!expect(2, {}, &code) || !openStorage(&code))
            return code;
        auto all = m_repository.allSettings();
        if (!all)
            return failure(all.errorMessage());
        if (m_json) {
            QJsonObject o;
            for (auto it = all->begin(); it != all->end(); ++it)
                o.insert(it.key(), it.value());
            printJson(o);
            return kOk;
        }
        for (const storage::SettingSpec &spec : storage::settingSpecs())
            out(QStringLiteral("%1 = %2    # %3").arg(spec.key, all->value(spec.key), spec.description));
        return kOk;
    }

    int configGet()
    {
        int code = kOk;
        if (!expect(3, {}, &code))
            return code;
        const QString key = m_args.positional.at(2);
        if (!storage::findSetting(key))
            return usage(QStringLiteral("unknown setting '%1'").arg(key));
        if (!openStorage(&code))
            return code;
        auto value = m_repository.setting(key);
        if (!value)
            return failure(value.errorMessage());
        if (m_json)
            printJson(QJsonObject{{key, value.value()}});
        else
            out(value.value());
        return kOk;
    }

    int configSet()
    {
        int code = kOk;
        if (!expect(4, {}, &code))
            return code;
        const QString key = m_args.positional.at(2);
        auto checked = storage::validateSetting(key, m_args.positional.at(3));
        if (!checked)
            return usage(checked.errorMessage());
        if (!openStorage(&code))
            return code;
        auto saved = m_repository.setSetting(key, checked.value());
        if (!saved)
            return failure(saved.errorMessage());
        if (m_json)
            printJson(QJsonObject{{key, saved.value()}});
        else
            out(QStringLiteral("%1 = %2").arg(key, saved.value()));
        return kOk;
    }

    int test()
    {
        int code = kOk;
        if (!expect(1, {QStringLiteral("url")}, &code))
            return code;
        QString base = m_args.options.value(QStringLiteral("url"));
        if (base.isEmpty()) {
            if (!openStorage(&code))
                return code;
            auto listen = m_repository.setting(storage::setting::ListenAddress);
            if (!listen)
                return failure(listen.errorMessage());
            base = QStringLiteral("http://") + listen.value();
        }
        const QUrl url = QUrl(base).resolved(QUrl(QStringLiteral("/api/health")));
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
            url.host().isEmpty())
            return usage(QStringLiteral("--url wants an http(s) URL such as http://127.0.0.1:4318"));
        QNetworkAccessManager manager;
        QNetworkRequest request(url);
        request.setTransferTimeout(5000);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *reply = manager.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        reply->deleteLater();
        const qint64 ms = timer.elapsed();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        if (reply->error() != QNetworkReply::NoError || status != 200 ||
            body.value(QLatin1String("status")).toString() != QLatin1String("ok")) {
            const QString reason = reply->error() != QNetworkReply::NoError
                                       ? reply->errorString()
                                       : QStringLiteral("HTTP %1").arg(status);
            if (m_json)
                printJson(QJsonObject{{QStringLiteral("url"), url.toString()},
                                      {QStringLiteral("ok"), false},
                                      {QStringLiteral("error"), reason}});
            return failure(
                QStringLiteral("no CacheWise listener answers at %1: %2").arg(url.toString(), reason));
        }
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("url"), url.toString()},
                                  {QStringLiteral("ok"), true},
                                  {QStringLiteral("version"), body.value(QLatin1String("version"))},
                                  {QStringLiteral("latencyMs"), ms}});
        else
            out(QStringLiteral("ok: CacheWise %1 answers at %2 (%3 ms)")
                    .arg(body.value(QLatin1String("version")).toString(), url.toString())
                    .arg(ms));
        return kOk;
    }

    int otlpNames()
    {
        int code = kOk;
        if (!expect(2, {}, &code) || !noFlagsBut({}, &code) || !openStorage(&code))
            return code;
        auto own = m_repository.otlpNames();
        if (!own)
            return failure(own.errorMessage());
        QJsonArray rows;
        QSet<QString> overridden;
        for (const auto &[name, field] : own.value()) {
            rows.append(QJsonObject{{QStringLiteral("name"), name},
                                    {QStringLiteral("field"), field},
                                    {QStringLiteral("origin"), QStringLiteral("yours")}});
            overridden.insert(ingest::normalisedOtlpName(name));
        }
        for (const auto &[name, field] : ingest::OtlpMapping::defaultNames()) {
            if (!overridden.contains(ingest::normalisedOtlpName(name)))
                rows.append(QJsonObject{{QStringLiteral("name"), name},
                                        {QStringLiteral("field"), ingest::otlpFieldName(field)},
                                        {QStringLiteral("origin"), QStringLiteral("default")}});
        }
        if (m_json) {
            printJson(rows);
            return kOk;
        }
        for (const QJsonValue &row : std::as_const(rows)) {
            const QJsonObject o = row.toObject();
            out(QStringLiteral("%1  %2  (%3)")
                    .arg(o.value(QLatin1String("name")).toString(), -40)
                    .arg(o.value(QLatin1String("field")).toString(),
                         o.value(QLatin1String("origin")).toString()));
        }
        return kOk;
    }

    int otlpMap(bool map)
    {
        int code = kOk;
        if (!expect(map ? 4 : 3, {}, &code) || !noFlagsBut({}, &code))
            return code;
        const QString name = m_args.positional.at(2).trimmed();
        const QString field = map ? m_args.positional.at(3) : QString();
        if (map && !ingest::otlpFieldFromName(field))
            return usage(QStringLiteral("unknown field '%1' (one of: %2)")
                             .arg(field, ingest::otlpFieldNames().join(QStringLiteral(", "))));
        if (!openStorage(&code))
            return code;
        if (map) {
            if (auto saved = m_repository.setOtlpName(name, field); !saved)
                return saved.error().field == QLatin1String("name") ? usage(saved.errorMessage())
                                                                    : failure(saved.errorMessage());
            out(QStringLiteral("%1 is read as %2 (the running app picks it up within a second)")
                    .arg(name, field));
            return kOk;
        }
        auto removed = m_repository.removeOtlpName(name);
        if (!removed)
            return failure(removed.errorMessage());
        if (!*removed)
            return failure(
                QStringLiteral("%1 is not one of your names (see cachewise-cli otlp names)").arg(name));
        out(QStringLiteral("%1: your mapping removed").arg(name));
        return kOk;
    }

    int modelList()
    {
        int code = kOk;
        if (!expect(2, {}, &code) || !noFlagsBut({}, &code))
            return code;
        if (m_json) {
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

    // The model named by --model, --gguf or --hf-config (exactly one).
    std::optional<analysis::ModelArch> modelFromOptions(int *code)
    {
        const int sources = int(m_args.options.contains(QStringLiteral("model"))) +
                            int(m_args.options.contains(QStringLiteral("gguf"))) +
                            int(m_args.options.contains(QStringLiteral("hf-config")));
        if (sources != 1) {
            *code = usage(QStringLiteral("give exactly one of --model, --gguf, --hf-config"));
            return std::nullopt;
        }
        if (m_args.options.contains(QStringLiteral("model"))) {
            const QString name = m_args.options.value(QStringLiteral("model"));
            auto model = analysis::findPreset(name);
            if (!model)
                *code =
                    failure(QStringLiteral("no model preset '%1' (see cachewise-cli model list)").arg(name));
            return model;
        }
        const bool gguf = m_args.options.contains(QStringLiteral("gguf"));
        auto read = gguf ? analysis::modelFromGgufFile(m_args.options.value(QStringLiteral("gguf")))
                         : analysis::modelFromHfConfigFile(m_args.options.value(QStringLiteral("hf-config")));
        if (!read) {
            *code = failure(read.errorMessage());
            return std::nullopt;
        }
        return std::move(read).value();
    }

    // Engine flags on top of `base` (defaults, or the project's stored configuration).
    std::optional<analysis::KvConfig> configFromOptions(const analysis::ModelArch &model,
                                                        analysis::KvConfig config, bool defaultTypes,
                                                        int *code)
    {
        if (m_args.options.contains(QStringLiteral("engine"))) {
            const auto engine = analysis::parseEngine(m_args.options.value(QStringLiteral("engine")));
            if (!engine) {
                *code = usage(QStringLiteral("unknown engine '%1'")
                                  .arg(m_args.options.value(QStringLiteral("engine"))));
                return std::nullopt;
            }
            config.engine = *engine;
        }
        const qint64 defaultContext = model.trainingContext > 0
                                          ? std::min<qint64>(model.trainingContext, config.context)
                                          : config.context;
        const auto context =
            integerOption(QStringLiteral("context"), defaultContext, 1, qint64(1) << 31, code);
        const auto parallel = integerOption(QStringLiteral("parallel"), config.parallel, 1, 4096, code);
        const auto ubatch = integerOption(QStringLiteral("ubatch"), config.ubatch, 1, 1 << 20, code);
        const auto blockSize =
            integerOption(QStringLiteral("block-size"), config.blockSize, 1, 1 << 16, code);
        if (!context || !parallel || !ubatch || !blockSize)
            return std::nullopt;
        config.context = *context;
        config.parallel = int(*parallel);
        config.ubatch = int(*ubatch);
        config.blockSize = int(*blockSize);
        // Each switch keeps its described value unless turned on or off here.
        const auto toggle = [this, code](const QString &name, bool current) -> std::optional<bool> {
            const bool on = m_args.flags.contains(name);
            const bool off = m_args.flags.contains(QStringLiteral("no-") + name);
            if (on && off) {
                *code = usage(QStringLiteral("give --%1 or --no-%1, not both").arg(name));
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
        if (m_args.options.contains(QStringLiteral("cache-type")) &&
            (m_args.options.contains(QStringLiteral("cache-type-k")) ||
             m_args.options.contains(QStringLiteral("cache-type-v")))) {
            *code = usage(QStringLiteral("give --cache-type or --cache-type-k/--cache-type-v, not both"));
            return std::nullopt;
        }
        for (const auto &[option, target] :
             {std::pair{QStringLiteral("cache-type"), 0}, std::pair{QStringLiteral("cache-type-k"), 1},
              std::pair{QStringLiteral("cache-type-v"), 2}}) {
            if (!m_args.options.contains(option))
                continue;
            const auto type = analysis::parseCacheType(m_args.options.value(option));
            if (!type) {
                *code = usage(QStringLiteral("unknown cache type '%1'").arg(m_args.options.value(option)));
                return std::nullopt;
            }
            if (target != 2)
                config.typeK = *type;
            if (target != 1)
                config.typeV = *type;
        }
        return config;
    }

    int kv()
    {
        int code = kOk;
        if (!expect(1,
                    kModelOptions + QStringList{QStringLiteral("ubatch"), QStringLiteral("block-size"),
                                                QStringLiteral("budget-gib")},
                    &code) ||
            !noFlagsBut({QStringLiteral("unified"), QStringLiteral("swa-full")}, &code))
            return code;
        auto model = modelFromOptions(&code);
        if (!model)
            return code;
        auto parsed = configFromOptions(*model, analysis::KvConfig{}, true, &code);
        if (!parsed)
            return code;
        const analysis::KvConfig config = *parsed;

        auto estimate = analysis::estimateKv(*model, config);
        if (!estimate)
            return failure(estimate.errorMessage());

        std::optional<qint64> concurrent;
        if (m_args.options.contains(QStringLiteral("budget-gib"))) {
            bool ok = false;
            const double gib = m_args.options.value(QStringLiteral("budget-gib")).toDouble(&ok);
            if (!ok || gib <= 0 || gib > 1e6)
                return usage(QStringLiteral("--budget-gib must be a positive number of GiB"));
            auto n = analysis::maxConcurrentSequences(*model, config, estimate->contextPerSequence,
                                                      qint64(gib * double(qint64(1) << 30)));
            if (!n)
                return failure(n.errorMessage());
            concurrent = *n;
        }

        if (m_json) {
            QJsonObject o = analysis::kvEstimateJson(*model, config, *estimate);
            if (concurrent) {
                o[QStringLiteral("budgetGiB")] =
                    m_args.options.value(QStringLiteral("budget-gib")).toDouble();
                o[QStringLiteral("maxConcurrentSequences")] = double(*concurrent);
            }
            printJson(o);
            return kOk;
        }
        const auto mib = [](qint64 bytes) {
            return QString::number(double(bytes) / 1048576.0, 'f', 2);
        };
        out(QStringLiteral("model:            %1 (%2 layers)")
                .arg(model->displayName)
                .arg(model->layerCount()));
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
        out(QStringLiteral("cells:            %1 in %2 stream(s)")
                .arg(estimate->cells)
                .arg(estimate->streams));
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

    int projectRuntime()
    {
        int code = kOk;
        if (!expect(3, kModelOptions + QStringList{QStringLiteral("gpu-memory-gb")}, &code) ||
            !noFlagsBut({QStringLiteral("unified"), QStringLiteral("no-unified"), QStringLiteral("swa-full"),
                         QStringLiteral("no-swa-full"), QStringLiteral("flash-attention"),
                         QStringLiteral("no-flash-attention"), QStringLiteral("prefix-caching"),
                         QStringLiteral("no-prefix-caching")},
                        &code))
            return code;
        const auto id = projectIdArg(m_args.positional.at(2), &code);
        if (!id || !openStorage(&code))
            return code;
        if (!requireProject(*id, &code))
            return code;
        auto stored = m_repository.runtime(*id);
        if (!stored)
            return failure(stored.errorMessage());

        const bool changing = !m_args.options.isEmpty() || m_args.flags.size() > (m_json ? 1 : 0);
        const bool modelGiven = m_args.options.contains(QStringLiteral("model")) ||
                                m_args.options.contains(QStringLiteral("gguf")) ||
                                m_args.options.contains(QStringLiteral("hf-config"));
        if (changing && !modelGiven && !stored->has_value())
            return usage(QStringLiteral("the first description needs --model, --gguf or --hf-config"));
        model::ProjectRuntime runtime;
        if (changing) {
            std::optional<analysis::ModelArch> model;
            analysis::KvConfig base;
            model::ProjectRuntime previous;
            if (stored->has_value()) {
                previous = **stored;
                auto input = analysis::analysisInput(previous);
                if (!input)
                    return failure(input.errorMessage());
                model = input->model;
                base = input->config;
            }
            if (modelGiven) {
                model = modelFromOptions(&code);
                if (!model)
                    return code;
            }
            auto config = configFromOptions(*model, base, !stored->has_value(), &code);
            if (!config)
                return code;
            runtime = analysis::runtimeFrom(*model, *config);
            for (const auto &[name, value] :
                 {std::pair{QStringLiteral("flash-attention"), &runtime.flashAttention},
                  std::pair{QStringLiteral("prefix-caching"), &runtime.prefixCaching}}) {
                const bool on = m_args.flags.contains(name);
                const bool off = m_args.flags.contains(QStringLiteral("no-") + name);
                if (on && off)
                    return usage(QStringLiteral("give --%1 or --no-%1, not both").arg(name));
                const bool previousValue = name == QLatin1String("flash-attention") ? previous.flashAttention
                                                                                    : previous.prefixCaching;
                *value = on ? true : off ? false : previousValue;
            }
            runtime.gpuMemoryGB = previous.gpuMemoryGB;
            if (m_args.options.contains(QStringLiteral("gpu-memory-gb"))) {
                bool ok = false;
                runtime.gpuMemoryGB = m_args.options.value(QStringLiteral("gpu-memory-gb")).toDouble(&ok);
                if (!ok)
                    return usage(QStringLiteral("--gpu-memory-gb must be a number"));
            }
            auto saved = services::saveRuntime(m_repository, *id, runtime);
            if (!saved)
                return failure(saved.errorMessage());
            runtime = *saved;
        } else if (stored->has_value()) {
            runtime = **stored;
        } else {
            if (m_json)
                printJson(QJsonObject{{QStringLiteral("projectId"), *id},
                                      {QStringLiteral("runtime"), QJsonValue()}});
            else
                out(QStringLiteral("project %1 has no runtime description yet").arg(*id));
            return kOk;
        }
        auto input = analysis::analysisInput(runtime);
        if (!input)
            return failure(input.errorMessage());
        auto estimate = analysis::estimateKv(input->model, input->config);
        if (!estimate)
            return failure(estimate.errorMessage());
        if (m_json) {
            QJsonObject o = analysis::kvEstimateJson(input->model, input->config, *estimate);
            o.insert(QStringLiteral("projectId"), *id);
            o.insert(QStringLiteral("flashAttention"), runtime.flashAttention);
            o.insert(QStringLiteral("prefixCaching"), runtime.prefixCaching);
            o.insert(QStringLiteral("gpuMemoryGB"), runtime.gpuMemoryGB);
            printJson(o);
            return kOk;
        }
        out(QStringLiteral("project:          %1").arg(*id));
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

    int recommendations()
    {
        int code = kOk;
        if (!expect(1, {QStringLiteral("project")}, &code) || !noFlagsBut({QStringLiteral("refresh")}, &code))
            return code;
        if (!m_args.options.contains(QStringLiteral("project")))
            return usage(QStringLiteral("recommendations needs --project ID"));
        const auto id = projectIdArg(m_args.options.value(QStringLiteral("project")), &code);
        if (!id || !openStorage(&code))
            return code;
        if (!requireProject(*id, &code))
            return code;
        const bool refresh = m_args.flags.contains(QStringLiteral("refresh"));
        auto analysed = services::analyseProject(m_repository, *id, m_clock.nowMs(), refresh);
        if (!analysed)
            return failure(analysed.errorMessage());
        if (m_json) {
            QJsonArray list;
            for (const model::Recommendation &r : analysed->recommendations)
                list.append(model::json::recommendation(r));
            QJsonObject score;
            if (analysed->score.score)
                score.insert(QStringLiteral("value"), *analysed->score.score);
            QJsonArray parts;
            for (const model::ScorePart &p : analysed->score.parts) {
                QJsonObject part{{QStringLiteral("id"), p.id},
                                 {QStringLiteral("weight"), p.weight},
                                 {QStringLiteral("inputs"), p.inputs}};
                part.insert(QStringLiteral("value"), p.value ? QJsonValue(*p.value) : QJsonValue());
                parts.append(part);
            }
            score.insert(QStringLiteral("parts"), parts);
            printJson(QJsonObject{{QStringLiteral("projectId"), *id},
                                  {QStringLiteral("configured"), analysed->configured},
                                  {QStringLiteral("minutesCollected"), analysed->minutesCollected},
                                  {QStringLiteral("minutesRequired"), analysed->minutesRequired},
                                  {QStringLiteral("score"), score},
                                  {QStringLiteral("recommendations"), list}});
            return kOk;
        }
        if (!analysed->configured)
            out(QStringLiteral(
                    "describe the project's engine and model first: cachewise-cli project runtime %1 "
                    "--model NAME ...")
                    .arg(*id));
        else if (!analysed->enoughData())
            out(QStringLiteral("%1 of %2 minutes of data collected; recommendations come after that")
                    .arg(analysed->minutesCollected, 0, 'f', 0)
                    .arg(analysed->minutesRequired, 0, 'f', 0));
        if (analysed->score.score) {
            QStringList parts;
            for (const model::ScorePart &p : analysed->score.parts) {
                if (p.value)
                    parts << QStringLiteral("%1 %2/%3")
                                 .arg(p.id)
                                 .arg(*p.value * p.weight, 0, 'f', 0)
                                 .arg(p.weight);
                else
                    parts << QStringLiteral("%1 not measured").arg(p.id);
            }
            out(QStringLiteral("optimization score: %1 (%2)")
                    .arg(*analysed->score.score)
                    .arg(parts.join(QStringLiteral(", "))));
        }
        for (const model::Recommendation &r : analysed->recommendations) {
            out(QString());
            out(QStringLiteral("[%1] %2").arg(model::name(r.status), r.title));
            out(QStringLiteral("  %1").arg(r.description));
        }
        return kOk;
    }

    int actions()
    {
        int code = kOk;
        if (!expect(1, {QStringLiteral("project"), QStringLiteral("limit")}, &code) || !noFlagsBut({}, &code))
            return code;
        if (!m_args.options.contains(QStringLiteral("project")))
            return usage(QStringLiteral("actions needs --project ID"));
        const auto id = projectIdArg(m_args.options.value(QStringLiteral("project")), &code);
        const auto limit = integerOption(QStringLiteral("limit"), 100, 1, 100000, &code);
        if (!id || !limit || !openStorage(&code))
            return code;
        auto list = m_repository.actions(*id, int(*limit));
        if (!list)
            return failure(list.errorMessage());
        if (m_json) {
            QJsonArray array;
            for (const model::ActionLogEntry &a : *list)
                array.append(model::json::action(a));
            printJson(array);
            return kOk;
        }
        for (const model::ActionLogEntry &a : *list)
            out(QStringLiteral("%1  %2  %3  %4")
                    .arg(isoUtc(a.timestampMs), model::name(a.status), a.actionType, a.details));
        return kOk;
    }

    int automation()
    {
        int code = kOk;
        if (!expect(1,
                    {QStringLiteral("project"), QStringLiteral("max-cache-percent"),
                     QStringLiteral("max-latency-increase-percent"), QStringLiteral("hysteresis"),
                     QStringLiteral("cooldown"), QStringLiteral("webhook-url"),
                     QStringLiteral("webhook-secret")},
                    &code) ||
            !noFlagsBut({QStringLiteral("enable"), QStringLiteral("disable"), QStringLiteral("dry-run"),
                         QStringLiteral("live")},
                        &code))
            return code;
        if (!m_args.options.contains(QStringLiteral("project")))
            return usage(QStringLiteral("automation needs --project ID"));
        if ((m_args.flags.contains(QStringLiteral("enable")) &&
             m_args.flags.contains(QStringLiteral("disable"))) ||
            (m_args.flags.contains(QStringLiteral("dry-run")) &&
             m_args.flags.contains(QStringLiteral("live"))))
            return usage(QStringLiteral("--enable/--disable and --dry-run/--live are either-or"));
        const auto id = projectIdArg(m_args.options.value(QStringLiteral("project")), &code);
        if (!id || !openStorage(&code))
            return code;
        if (!requireProject(*id, &code))
            return code;
        auto current = m_repository.automation(*id);
        if (!current)
            return failure(current.errorMessage());
        model::AutomationSettings settings = *current;
        const bool changing = !m_args.flags.isEmpty() && !(m_args.flags.size() == 1 && m_json);
        bool anyOption = false;
        for (const auto &[option, target] :
             {std::pair{QStringLiteral("max-cache-percent"), &settings.maxCachePercent},
              std::pair{QStringLiteral("max-latency-increase-percent"), &settings.maxLatencyIncreasePercent},
              std::pair{QStringLiteral("hysteresis"), &settings.hysteresisPercent}}) {
            if (!m_args.options.contains(option))
                continue;
            bool ok = false;
            *target = m_args.options.value(option).toDouble(&ok);
            if (!ok)
                return usage(QStringLiteral("--%1 must be a number").arg(option));
            anyOption = true;
        }
        if (m_args.options.contains(QStringLiteral("cooldown"))) {
            const auto cooldown = integerOption(QStringLiteral("cooldown"), 0, 0, 86400, &code);
            if (!cooldown)
                return code;
            settings.cooldownSeconds = int(*cooldown);
            anyOption = true;
        }
        if (m_args.options.contains(QStringLiteral("webhook-url"))) {
            settings.webhookUrl = m_args.options.value(QStringLiteral("webhook-url"));
            anyOption = true;
        }
        if (m_args.options.contains(QStringLiteral("webhook-secret"))) {
            settings.webhookSecret = m_args.options.value(QStringLiteral("webhook-secret"));
            anyOption = true;
        }
        if (m_args.flags.contains(QStringLiteral("enable")))
            settings.enabled = true;
        if (m_args.flags.contains(QStringLiteral("disable")))
            settings.enabled = false;
        if (m_args.flags.contains(QStringLiteral("dry-run")))
            settings.dryRun = true;
        if (m_args.flags.contains(QStringLiteral("live")))
            settings.dryRun = false;
        if (changing || anyOption) {
            auto saved = m_repository.setAutomation(*id, settings);
            if (!saved)
                return usage(saved.errorMessage());
            settings = *saved;
        }
        if (m_json) {
            printJson(
                QJsonObject{{QStringLiteral("projectId"), *id},
                            {QStringLiteral("enabled"), settings.enabled},
                            {QStringLiteral("dryRun"), settings.dryRun},
                            {QStringLiteral("maxCachePercent"), settings.maxCachePercent},
                            {QStringLiteral("maxLatencyIncreasePercent"), settings.maxLatencyIncreasePercent},
                            {QStringLiteral("hysteresisPercent"), settings.hysteresisPercent},
                            {QStringLiteral("cooldownSeconds"), settings.cooldownSeconds},
                            {QStringLiteral("webhookUrl"), settings.webhookUrl},
                            {QStringLiteral("webhookSecretSet"), !settings.webhookSecret.isEmpty()}});
            return kOk;
        }
        out(QStringLiteral(
                "automation: %1%2; cache above %3 %, latency above +%4 %, hysteresis %5, cooldown %6 s%7")
                .arg(settings.enabled ? QStringLiteral("on") : QStringLiteral("off"),
                     settings.dryRun ? QStringLiteral(" (dry run)") : QString())
                .arg(settings.maxCachePercent)
                .arg(settings.maxLatencyIncreasePercent)
                .arg(settings.hysteresisPercent)
                .arg(settings.cooldownSeconds)
                .arg(settings.webhookUrl.isEmpty() ? QString()
                                                   : QStringLiteral(", webhook ") + settings.webhookUrl));
        return kOk;
    }

    static QJsonObject sourceJson(const model::Source &s)
    {
        QJsonObject o{{QStringLiteral("id"), s.id},
                      {QStringLiteral("projectId"), s.projectId},
                      {QStringLiteral("engine"), model::name(s.engine)},
                      {QStringLiteral("url"), s.baseUrl},
                      {QStringLiteral("intervalMs"), s.intervalMs},
                      {QStringLiteral("enabled"), s.enabled},
                      {QStringLiteral("state"), model::name(s.state)},
                      {QStringLiteral("reason"), s.stateReason},
                      {QStringLiteral("apiKey"), s.hasApiKey}};
        if (s.lastScrapeAtMs)
            o.insert(QStringLiteral("lastScrape"), isoUtc(*s.lastScrapeAtMs));
        if (s.lastLatencyMs)
            o.insert(QStringLiteral("latencyMs"), double(*s.lastLatencyMs));
        o.insert(QStringLiteral("kvLayout"), model::name(s.kvLayout));
        if (s.capacityTokens)
            o.insert(QStringLiteral("kvCapacityTokens"), double(*s.capacityTokens));
        QJsonArray notices;
        for (const sources::Notice &n : sources::parseNotices(s.noticesJson))
            notices.append(QJsonObject{{QStringLiteral("code"), n.code},
                                       {QStringLiteral("args"), n.args},
                                       {QStringLiteral("text"), sources::noticeText(n)}});
        o.insert(QStringLiteral("notices"), notices);
        return o;
    }

    // The source by id, or the exit code (1 when there is none).
    std::optional<model::Source> requireSource(const QString &id, int *code)
    {
        auto all = m_repository.sources();
        if (!all) {
            *code = failure(all.errorMessage());
            return std::nullopt;
        }
        for (const model::Source &s : *all) {
            if (s.id == id)
                return s;
        }
        *code = failure(QStringLiteral("no source with id %1").arg(id));
        return std::nullopt;
    }

    // The user's answer to whether a llama-server's slots share one cache. A llama.cpp runtime is made to
    // match what the server reports, so the recommendations use the same cache.
    int sourceLayout()
    {
        int code = kOk;
        if (!expect(4, {}, &code) || !noFlagsBut({}, &code))
            return code;
        const QString word = m_args.positional.at(3);
        // per-slot is how a user types it; per_slot is the stored name.
        const auto parsed =
            model::parseKvLayout(word == QLatin1String("per-slot") ? QStringLiteral("per_slot") : word);
        if (!parsed)
            return usage(QStringLiteral("source layout needs unified, per-slot or unknown"));
        const model::KvLayout layout = *parsed;
        if (!openStorage(&code))
            return code;
        const auto source = requireSource(m_args.positional.at(2), &code);
        if (!source)
            return code;
        if (auto set = m_repository.setSourceKvLayout(source->id, layout); !set)
            return failure(set.errorMessage());
        QString runtimeNote;
        if (layout != model::KvLayout::Unknown) {
            std::optional<std::pair<int, qint64>> shape; // slots, tokens each, as the server reported
            for (const sources::Notice &n : sources::parseNotices(source->noticesJson)) {
                if (n.code == QLatin1String(sources::notice::kKvLayoutUnknown) ||
                    n.code == QLatin1String(sources::notice::kRuntimeMismatch))
                    shape = std::pair{int(n.args.value(QLatin1String("slots")).toInteger()),
                                      n.args.value(QLatin1String("slotContext")).toInteger()};
            }
            auto runtime = m_repository.runtime(source->projectId);
            if (shape && shape->first > 0 && shape->second > 0 && runtime && runtime->has_value() &&
                (*runtime)->engine == model::Engine::LlamaCpp) {
                const auto matched = analysis::runtimeWithSlots(**runtime, shape->first, shape->second,
                                                                layout == model::KvLayout::Unified);
                if (auto saved = services::saveRuntime(m_repository, source->projectId, matched); !saved)
                    return failure(saved.errorMessage());
                runtimeNote = QStringLiteral("; the project's runtime is now -c %1 -np %2%3")
                                  .arg(matched.context)
                                  .arg(matched.parallel)
                                  .arg(matched.unified ? QStringLiteral(" --kv-unified") : QString());
            }
        }
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("id"), source->id},
                                  {QStringLiteral("kvLayout"), model::name(layout)}});
        else
            out(QStringLiteral("source %1: cache layout %2%3 (the running app uses it at its next scrape)")
                    .arg(source->id, model::name(layout), runtimeNote));
        return kOk;
    }

    // The user has seen that the server restarted and its runtime still holds.
    int sourceAcknowledge()
    {
        int code = kOk;
        if (!expect(3, {}, &code) || !noFlagsBut({}, &code))
            return code;
        if (!openStorage(&code))
            return code;
        const auto source = requireSource(m_args.positional.at(2), &code);
        if (!source)
            return code;
        if (auto done = m_repository.acknowledgeSourceRestart(source->id); !done)
            return failure(done.errorMessage());
        if (m_json)
            printJson(
                QJsonObject{{QStringLiteral("id"), source->id}, {QStringLiteral("acknowledged"), true}});
        else
            out(QStringLiteral("source %1: restart acknowledged").arg(source->id));
        return kOk;
    }

    int sourceAdd()
    {
        int code = kOk;
        if (!expect(2,
                    {QStringLiteral("project"), QStringLiteral("url"), QStringLiteral("engine"),
                     QStringLiteral("interval-ms")},
                    &code) ||
            !noFlagsBut({QStringLiteral("api-key-stdin")}, &code))
            return code;
        if (!m_args.options.contains(QStringLiteral("project")) ||
            !m_args.options.contains(QStringLiteral("url")))
            return usage(QStringLiteral("source add needs --project ID and --url URL"));
        std::optional<QString> apiKey;
        if (m_args.flags.contains(QStringLiteral("api-key-stdin"))) {
            apiKey = readSecretFromStdin(&code);
            if (!apiKey)
                return code;
        }
        const auto id = projectIdArg(m_args.options.value(QStringLiteral("project")), &code);
        const auto interval = integerOption(QStringLiteral("interval-ms"), 2000, 250, 3'600'000, &code);
        if (!id || !interval || !openStorage(&code))
            return code;
        model::Source source;
        source.projectId = *id;
        const QString engineName =
            m_args.options.value(QStringLiteral("engine"), model::name(model::Engine::LlamaCpp));
        const auto engine = model::parseEngine(engineName);
        if (!engine || *engine == model::Engine::Generic)
            return usage(QStringLiteral("Unknown source engine '%1' (llama.cpp, vllm, sglang, ollama).")
                             .arg(engineName));
        source.engine = *engine;
        source.baseUrl = m_args.options.value(QStringLiteral("url"));
        source.intervalMs = int(*interval);
        auto added = m_repository.addSource(source);
        if (!added) {
            // An unknown project or a URL the project already has is a failure, not a misuse of the command.
            if (added.error().kind == ErrorKind::NotFound || added.error().kind == ErrorKind::Conflict)
                return failure(added.errorMessage());
            return usage(added.errorMessage());
        }
        if (apiKey) {
            // A source whose key could not be kept is not added: it would only ever answer 401.
            if (auto stored = storeSourceKey(added->id, *apiKey); !stored) {
                (void)m_repository.removeSource(added->id);
                return failure(QStringLiteral("the source was not added: %1").arg(stored.errorMessage()));
            }
            added.value().hasApiKey = true;
        }
        if (m_json)
            printJson(sourceJson(*added));
        else
            out(QStringLiteral("source %1 added: %2 every %3 ms (the running app picks it up within seconds)")
                    .arg(added->id, added->baseUrl)
                    .arg(added->intervalMs));
        return kOk;
    }

    int sourceList()
    {
        int code = kOk;
        if (!expect(2, {QStringLiteral("project")}, &code) || !noFlagsBut({}, &code))
            return code;
        QString projectId;
        if (m_args.options.contains(QStringLiteral("project"))) {
            const auto id = projectIdArg(m_args.options.value(QStringLiteral("project")), &code);
            if (!id)
                return code;
            projectId = *id;
        }
        if (!openStorage(&code))
            return code;
        auto list = m_repository.sources(projectId);
        if (!list)
            return failure(list.errorMessage());
        if (m_json) {
            QJsonArray array;
            for (const model::Source &s : *list)
                array.append(sourceJson(s));
            printJson(array);
            return kOk;
        }
        for (const model::Source &s : *list) {
            out(QStringLiteral("%1  %2  %3%7  %4%5%6")
                    .arg(s.id, model::name(s.engine), s.baseUrl,
                         s.enabled ? model::name(s.state) : QStringLiteral("disabled"))
                    .arg(s.stateReason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.stateReason))
                    .arg(s.lastLatencyMs ? QStringLiteral(", %1 ms").arg(*s.lastLatencyMs) : QString())
                    .arg(s.hasApiKey ? QStringLiteral(" (API key)") : QString()));
            for (const sources::Notice &n : sources::parseNotices(s.noticesJson))
                out(QStringLiteral("    ! %1").arg(sources::noticeText(n)));
        }
        return kOk;
    }

    int sourceChange(const QString &what)
    {
        int code = kOk;
        if (!expect(3, {}, &code) || !noFlagsBut({}, &code))
            return code;
        if (!openStorage(&code))
            return code;
        const QString id = m_args.positional.at(2);
        if (what == QLatin1String("remove") && sourceHasKey(id)) {
            // The key goes first: a source never outlives its key's removal unnoticed. A keyless source
            // does not touch the keychain (a server may have none).
            if (auto removed = secrets::removeNow(secrets::sourceKeyName(id)); !removed)
                return failure(
                    QStringLiteral("the source's API key could not be removed from the OS keychain, "
                                   "so the source was kept: %1")
                        .arg(removed.errorMessage()));
        }
        auto changed = what == QLatin1String("remove")
                           ? m_repository.removeSource(id)
                           : m_repository.setSourceEnabled(id, what == QLatin1String("enable"));
        if (!changed)
            return failure(changed.errorMessage());
        if (!*changed)
            return failure(QStringLiteral("no source with id %1").arg(id));
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("done"), what}});
        else
            out(QStringLiteral("source %1: %2")
                    .arg(id, what == QLatin1String("remove") ? QStringLiteral("removed")
                                                             : what + QStringLiteral("d")));
        return kOk;
    }

    // One line from standard input (a pipe, or typed); never an argument, which `ps` would show.
    std::optional<QString> readSecretFromStdin(int *code)
    {
        QTextStream in(stdin);
        const QString secret = in.readLine().trimmed();
        if (secret.isEmpty() || secret.size() > 4096) {
            *code = usage(
                QStringLiteral("the API key on standard input must be one line of 1 to 4096 characters"));
            return std::nullopt;
        }
        return secret;
    }

    bool sourceHasKey(const QString &sourceId)
    {
        auto all = m_repository.sources();
        if (!all)
            return true; // unknown: treat it as keyed, so its key is not left behind
        for (const model::Source &s : all.value()) {
            if (s.id == sourceId)
                return s.hasApiKey;
        }
        return false;
    }

    Result<void> storeSourceKey(const QString &sourceId, const QString &secret)
    {
        if (auto stored = secrets::writeNow(secrets::sourceKeyName(sourceId), secret); !stored)
            return stored;
        if (auto flagged = m_repository.setSourceHasApiKey(sourceId, true); !flagged)
            return flagged.error();
        return {};
    }

    int sourceKey()
    {
        int code = kOk;
        if (!expect(3, {}, &code) || !noFlagsBut({QStringLiteral("stdin"), QStringLiteral("remove")}, &code))
            return code;
        const bool remove = m_args.flags.contains(QStringLiteral("remove"));
        if (remove == m_args.flags.contains(QStringLiteral("stdin")))
            return usage(
                QStringLiteral("source key needs --stdin (a new key on standard input) or --remove"));
        if (!openStorage(&code))
            return code;
        const QString id = m_args.positional.at(2);
        auto all = m_repository.sources();
        if (!all)
            return failure(all.errorMessage());
        if (std::none_of(all->cbegin(), all->cend(), [&id](const model::Source &s) { return s.id == id; }))
            return failure(QStringLiteral("no source with id %1").arg(id));
        if (remove) {
            // The flag first: the scraper stops sending a key it can no longer read.
            if (auto flagged = m_repository.setSourceHasApiKey(id, false); !flagged)
                return failure(flagged.errorMessage());
            if (auto removed = secrets::removeNow(secrets::sourceKeyName(id)); !removed)
                return failure(removed.errorMessage());
            out(QStringLiteral("source %1: API key removed").arg(id));
            return kOk;
        }
        const auto secret = readSecretFromStdin(&code);
        if (!secret)
            return code;
        if (auto stored = storeSourceKey(id, *secret); !stored)
            return failure(stored.errorMessage());
        out(QStringLiteral("source %1: API key kept in the OS keychain").arg(id));
        return kOk;
    }

    int exportData()
    {
        int code = kOk;
        if (!expect(1,
                    {QStringLiteral("project"), QStringLiteral("format"), QStringLiteral("content"),
                     QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("out"),
                     QStringLiteral("language")},
                    &code) ||
            !noFlagsBut({QStringLiteral("all")}, &code))
            return code;
        const bool all = m_args.flags.contains(QStringLiteral("all"));
        if (all == m_args.options.contains(QStringLiteral("project")))
            return usage(QStringLiteral("export needs --project ID or --all"));
        const QString formatName = m_args.options.value(QStringLiteral("format"));
        if (formatName == QLatin1String("pdf") || formatName == QLatin1String("html"))
            return exportReport(formatName == QLatin1String("pdf"));
        const auto format = report::exportFormatFromName(formatName);
        if (!format)
            return usage(QStringLiteral("export needs --format csv, json, pdf or html"));
        const auto content = report::exportContentFromName(
            m_args.options.value(QStringLiteral("content"), QStringLiteral("samples")));
        if (!content)
            return usage(QStringLiteral("--content is samples, minute or hour"));
        const QString path = m_args.options.value(QStringLiteral("out"));
        if (path.isEmpty())
            return usage(QStringLiteral("export needs --out FILE"));
        report::ExportRequest request;
        request.format = *format;
        request.content = *content;
        request.fromMs = 0;
        request.toMs = std::numeric_limits<qint64>::max() / 2;
        if (!rangeOptions(request.fromMs, request.toMs, &code))
            return code;
        if (!all) {
            const auto id = projectIdArg(m_args.options.value(QStringLiteral("project")), &code);
            if (!id)
                return code;
            request.projectIds = {*id};
        }
        if (!openStorage(&code))
            return code;
        request.exportedAtMs = m_clock.nowMs();
        // The file appears only when it is whole: a failed or interrupted export leaves nothing behind.
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        auto rows = report::writeMachineExport(m_repository, request, file);
        if (!rows) {
            file.cancelWriting();
            return failure(rows.errorMessage());
        }
        if (!file.commit())
            return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("file"), path}, {QStringLiteral("rows"), rows.value()}});
        else
            out(QStringLiteral("%1 rows written to %2").arg(rows.value()).arg(path));
        return kOk;
    }

    // --from and --to over the defaults given; false (usage answered) when either is not ISO 8601 or the
    // range is empty.
    bool rangeOptions(qint64 &fromMs, qint64 &toMs, int *code)
    {
        for (const auto &[option, target] : {std::pair{"from", &fromMs}, std::pair{"to", &toMs}}) {
            if (!m_args.options.contains(QLatin1String(option)))
                continue;
            const qint64 ts = ingest::parseIsoTimestamp(m_args.options.value(QLatin1String(option)));
            if (ts < 0) {
                *code = usage(QStringLiteral("--%1 wants an ISO 8601 time such as 2024-01-15T10:00:00Z")
                                  .arg(QLatin1String(option)));
                return false;
            }
            *target = ts;
        }
        if (toMs <= fromMs) {
            *code = usage(QStringLiteral("--to must come after --from"));
            return false;
        }
        return true;
    }

    int exportReport(bool pdf)
    {
#ifndef CACHEWISE_CLI_REPORTS
        Q_UNUSED(pdf)
        return usage(QStringLiteral("this build has no desktop UI, which draws PDF and HTML reports"));
#else
        int code = kOk;
        if (m_args.options.contains(QStringLiteral("content")))
            return usage(QStringLiteral("--content applies to csv and json only"));
        const QString path = m_args.options.value(QStringLiteral("out"));
        if (path.isEmpty())
            return usage(QStringLiteral("export needs --out FILE"));
        report::ReportRequest request;
        request.nowMs = m_clock.nowMs();
        request.toMs = request.nowMs + 1;
        request.fromMs = request.nowMs - 24LL * 3'600'000;
        if (!rangeOptions(request.fromMs, request.toMs, &code))
            return code;
        QString language = m_args.options.value(QStringLiteral("language"));
        if (!language.isEmpty() && language != QLatin1String("en") && language != QLatin1String("tr"))
            return usage(QStringLiteral("--language is en or tr"));
        if (!m_args.flags.contains(QStringLiteral("all"))) {
            const auto id = projectIdArg(m_args.options.value(QStringLiteral("project")), &code);
            if (!id)
                return code;
            request.projectIds = {*id};
        }
        if (!openStorage(&code))
            return code;
        if (language.isEmpty()) { // the app's language setting, as the desktop app uses it
            auto setting = m_repository.setting(storage::setting::UiLanguage);
            language = setting ? setting.value() : QStringLiteral("system");
        }
        ui::installTranslations(*QCoreApplication::instance(), language.toLatin1().constData());
        const QLocale locale = language == QLatin1String("system") ? QLocale::system() : QLocale(language);
        QLocale::setDefault(locale); // numbers inside translated texts follow the report's language
        auto data = services::collectReport(m_repository, request);
        if (!data)
            return failure(data.errorMessage());
        auto written = pdf ? ui::ReportDocument::writePdf(*data, locale, path)
                           : ui::ReportDocument::writeHtml(*data, locale, path);
        if (!written)
            return failure(written.errorMessage());
        if (m_json)
            printJson(QJsonObject{{QStringLiteral("file"), path},
                                  {QStringLiteral("projects"), int(data->projects.size())}});
        else
            out(QStringLiteral("report of %1 project(s) written to %2").arg(data->projects.size()).arg(path));
        return kOk;
#endif
    }

    int sourceDiscover()
    {
        int code = kOk;
        if (!expect(2, {}, &code) || !noFlagsBut({}, &code))
            return code;
        const auto targets = sources::probeTargets();
        if (!targets)
            return usage(targets.errorMessage());
        sources::Discovery discovery;
        QList<sources::FoundServer> found;
        QEventLoop loop;
        QObject::connect(&discovery, &sources::Discovery::finished, &loop,
                         [&](const QList<sources::FoundServer> &list) {
                             found = list;
                             loop.quit();
                         });
        discovery.start(*targets);
        if (!found.isEmpty() || targets->isEmpty()) {
            // finished() already fired synchronously
        } else {
            loop.exec();
        }
        if (m_json) {
            QJsonArray array;
            for (const sources::FoundServer &f : std::as_const(found))
                array.append(QJsonObject{{QStringLiteral("engine"), model::name(f.engine)},
                                         {QStringLiteral("url"), f.url},
                                         {QStringLiteral("detail"), f.detail},
                                         {QStringLiteral("needsApiKey"), f.needsApiKey}});
            printJson(array);
            return kOk;
        }
        if (found.isEmpty())
            out(QStringLiteral("no inference server answers on the usual local ports"));
        for (const sources::FoundServer &f : std::as_const(found))
            out(QStringLiteral("%1  %2  %3   (cachewise-cli source add --project ID --url %2 --engine %1%4)")
                    .arg(model::name(f.engine), f.url, f.detail,
                         f.needsApiKey ? QStringLiteral(" --api-key-stdin") : QString()));
        return kOk;
    }

    int sourceTest()
    {
        int code = kOk;
        if (!expect(2, {QStringLiteral("url")}, &code) ||
            !noFlagsBut({QStringLiteral("api-key-stdin")}, &code))
            return code;
        const QUrl base(m_args.options.value(QStringLiteral("url")), QUrl::StrictMode);
        if (!base.isValid() || base.host().isEmpty() ||
            (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
            return usage(QStringLiteral("source test needs --url http(s)://HOST:PORT"));
        std::optional<QString> apiKey;
        if (m_args.flags.contains(QStringLiteral("api-key-stdin"))) {
            apiKey = readSecretFromStdin(&code);
            if (!apiKey)
                return code;
        }
        constexpr int kTimeoutMs = 5000;
        QNetworkAccessManager network;
        bool timedOut = false;
        QByteArray refusal;
        const auto fetch = [&](const QString &path, int *status) -> QByteArray {
            QNetworkRequest request(QUrl(base.toString() + path));
            request.setTransferTimeout(kTimeoutMs);
            if (apiKey)
                request.setRawHeader("Authorization", "Bearer " + apiKey->toUtf8());
            QNetworkReply *reply = network.get(request);
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            timedOut = reply->error() == QNetworkReply::OperationCanceledError && *status == 0;
            const QByteArray body = reply->readAll();
            if (*status == 0)
                *status = -1;
            reply->deleteLater();
            if (*status != 200)
                refusal = body;
            return *status == 200 ? body : QByteArray();
        };
        int status = 0;
        const QByteArray propsBody = fetch(QStringLiteral("/props"), &status);
        if (status == 401 && QJsonDocument::fromJson(refusal)
                                     .object()
                                     .value(QLatin1String("error"))
                                     .toObject()
                                     .value(QLatin1String("type"))
                                     .toString() == QLatin1String("authentication_error"))
            return failure(
                apiKey ? QStringLiteral("the llama-server at %1 refused the API key").arg(base.toString())
                       : QStringLiteral("the llama-server at %1 needs an API key (it was started with "
                                        "--api-key): give it with --api-key-stdin")
                             .arg(base.toString()));
        if (status != 200)
            return failure(timedOut
                               ? QStringLiteral("%1 accepted the connection but sent no answer within %2 s "
                                                "(is the server hung or busy loading?)")
                                     .arg(base.toString())
                                     .arg(kTimeoutMs / 1000)
                           : status < 0 ? QStringLiteral("nothing answers at %1").arg(base.toString())
                                        : QStringLiteral("%1 answered HTTP %2 on /props: not a llama-server")
                                              .arg(base.toString())
                                              .arg(status));
        auto props = sources::parseLlamaProps(propsBody);
        if (!props)
            return failure(props.errorMessage());
        const QByteArray slotsBody = fetch(QStringLiteral("/slots"), &status);
        auto slots = sources::parseLlamaSlots(slotsBody);
        QJsonObject result{{QStringLiteral("url"), base.toString()},
                           {QStringLiteral("engine"), QStringLiteral("llama.cpp")},
                           {QStringLiteral("build"), props->buildInfo},
                           {QStringLiteral("model"), props->modelPath},
                           {QStringLiteral("slots"), props->totalSlots},
                           {QStringLiteral("contextPerSlot"), double(props->contextPerSlot)},
                           {QStringLiteral("metrics"), props->metricsEndpoint}};
        if (slots) {
            qint64 tokens = 0;
            for (const sources::LlamaSlot &s : *slots)
                tokens += s.cachedTokens;
            result.insert(QStringLiteral("tokensCached"), double(tokens));
        } else {
            result.insert(QStringLiteral("slotsError"),
                          status == 501 ? QStringLiteral("/slots is off (start with --slots)")
                                        : slots.errorMessage());
        }
        // Whether the slots share one cache, as far as the slots tell (a project's runtime or answer may say
        // more).
        const sources::KvLayout layout =
            slots ? sources::llamaCapacity(*slots, sources::KvLayout::Unknown, std::nullopt, 0).layout
                  : sources::KvLayout::Unknown;
        result.insert(QStringLiteral("kvLayout"), model::name(layout));
        if (m_json) {
            printJson(result);
            return kOk;
        }
        out(QStringLiteral("llama-server %1 at %2: model %3, %4 slot(s) of %5 tokens, /metrics %6%7")
                .arg(props->buildInfo, base.toString(), props->modelPath)
                .arg(props->totalSlots)
                .arg(props->contextPerSlot)
                .arg(props->metricsEndpoint ? QStringLiteral("on")
                                            : QStringLiteral("off (start with --metrics)"))
                .arg(slots ? QStringLiteral(", %1 tokens cached")
                                 .arg(result.value(QLatin1String("tokensCached")).toDouble())
                           : QStringLiteral(", ") + result.value(QLatin1String("slotsError")).toString()));
        if (props->totalSlots > 1 && layout == sources::KvLayout::PerSlot)
            out(QStringLiteral(
                    "cache:            a cache per slot (the slots hold more tokens than one shared "
                    "cache of %1 could)")
                    .arg(props->contextPerSlot));
        else if (props->totalSlots > 1)
            out(QStringLiteral(
                    "cache:            one shared cache of %1 tokens (unified, the default without -np) "
                    "or %2 × %1 (-np): the HTTP API cannot tell; after source add, say which with "
                    "source layout SOURCE_ID unified|per-slot")
                    .arg(props->contextPerSlot)
                    .arg(props->totalSlots));
        return kOk;
    }

    Args m_args;
    QString m_dataDir;
    SystemClock m_clock;
    storage::Repository m_repository;
    bool m_json = false;
};

} // namespace

// Whether the command line asks for a PDF or HTML report (those need fonts and painting: QGuiApplication).
bool wantsReport(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--format") == 0 &&
            (qstrcmp(argv[i + 1], "pdf") == 0 || qstrcmp(argv[i + 1], "html") == 0))
            return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    std::unique_ptr<QCoreApplication> application;
#ifdef CACHEWISE_CLI_REPORTS
    if (wantsReport(argc, argv)) {
        // Reports are drawn without a window: no display is needed.
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        application = std::make_unique<QGuiApplication>(argc, argv);
    }
#else
    Q_UNUSED(wantsReport)
#endif
    if (!application)
        application = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cachewise"));
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setApplicationVersion(QStringLiteral(CACHEWISE_VERSION));

    QString error;
    auto args = parseArgs(QCoreApplication::arguments(), &error);
    if (!args) {
        err(error + QStringLiteral(" (see cachewise-cli --help)"));
        return kUsage;
    }
    if (args->flags.contains(QStringLiteral("help"))) {
        std::fputs(kUsageText, stdout);
        return kOk;
    }
    if (args->flags.contains(QStringLiteral("version"))) {
        out(QStringLiteral("cachewise-cli " CACHEWISE_VERSION));
        return kOk;
    }
    QString dataDir = args->options.value(QStringLiteral("data-dir"));
    if (dataDir.isEmpty())
        dataDir = paths::defaultDataDir();
    Cli cli(std::move(*args), dataDir);
    return cli.run();
}
