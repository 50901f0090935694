// SPDX-License-Identifier: GPL-3.0-or-later
// cachewise-cli: manage projects, keys, settings and data from a shell; safe beside a running app.
#include "core/analysis/kvjson.h"
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "core/common/clock.h"
#include "core/common/paths.h"
#include "core/common/timeformat.h"
#include "core/ingest/samplejson.h"
#include "core/storage/jsonformat.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
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
  key create --project ID [--name NAME]
                                   create another API key (shown once)
  key list --project ID            list a project's keys (never the secrets)
  key revoke KEY_ID                revoke a key; pushes with it get 401 at once
  stats --project ID               sample count, first/last time, mean and peak of each metric
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
const QSet<QString> kValueOptions{
    QStringLiteral("data-dir"),     QStringLiteral("name"),         QStringLiteral("model"),
    QStringLiteral("architecture"), QStringLiteral("project"),      QStringLiteral("before"),
    QStringLiteral("url"),          QStringLiteral("gguf"),         QStringLiteral("hf-config"),
    QStringLiteral("context"),      QStringLiteral("parallel"),     QStringLiteral("cache-type"),
    QStringLiteral("cache-type-k"), QStringLiteral("cache-type-v"), QStringLiteral("engine"),
    QStringLiteral("ubatch"),       QStringLiteral("block-size"),   QStringLiteral("budget-gib")};
const QSet<QString> kFlagOptions{QStringLiteral("json"), QStringLiteral("help"), QStringLiteral("version"),
                                 QStringLiteral("unified"), QStringLiteral("swa-full")};

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
            return usage(sub.isEmpty() ? QStringLiteral(
                                             "project needs a subcommand: create, list, show, update, delete")
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
    std::optional<storage::Project> requireProject(const QString &id, int *code)
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
            return project.error().code == QLatin1String("storage") ? failure(project.errorMessage())
                                                                    : usage(project.errorMessage());
        auto key = m_repository.createApiKey(project->id, QStringLiteral("default"));
        if (!key)
            return failure(key.errorMessage());
        if (m_json) {
            QJsonObject o = storage::json::project(project.value());
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
            for (const storage::Project &p : projects.value())
                list.append(storage::json::project(p));
            printJson(list);
            return kOk;
        }
        if (projects->isEmpty()) {
            out(QStringLiteral("No projects yet. Create one with: cachewise-cli project create --name NAME"));
            return kOk;
        }
        for (const storage::Project &p : projects.value())
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
            QJsonObject o = storage::json::project(*project);
            QJsonArray keyList;
            for (const storage::ApiKey &k : keys.value())
                keyList.append(storage::json::apiKey(k));
            o.insert(QStringLiteral("apiKeys"), keyList);
            o.insert(QStringLiteral("stats"), storage::json::stats(stats.value()));
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
        for (const storage::ApiKey &k : keys.value())
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
            return updated.error().code == QLatin1String("storage") ? failure(updated.errorMessage())
                                                                    : usage(updated.errorMessage());
        if (m_json)
            printJson(storage::json::project(updated.value()));
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
            QJsonObject o = storage::json::apiKey(key->key);
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
            for (const storage::ApiKey &k : keys.value())
                list.append(storage::json::apiKey(k));
            printJson(list);
            return kOk;
        }
        for (const storage::ApiKey &k : keys.value())
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
            printJson(storage::json::stats(s.value()));
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
        for (const storage::MetricInfo &info : storage::metricTable()) {
            const storage::MetricSummary &m = s->metrics[storage::metricIndex(info.metric)];
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

    int kv()
    {
        int code = kOk;
        if (!expect(1,
                    {QStringLiteral("model"), QStringLiteral("gguf"), QStringLiteral("hf-config"),
                     QStringLiteral("context"), QStringLiteral("parallel"), QStringLiteral("cache-type"),
                     QStringLiteral("cache-type-k"), QStringLiteral("cache-type-v"), QStringLiteral("engine"),
                     QStringLiteral("ubatch"), QStringLiteral("block-size"), QStringLiteral("budget-gib")},
                    &code) ||
            !noFlagsBut({QStringLiteral("unified"), QStringLiteral("swa-full")}, &code))
            return code;
        const int sources = int(m_args.options.contains(QStringLiteral("model"))) +
                            int(m_args.options.contains(QStringLiteral("gguf"))) +
                            int(m_args.options.contains(QStringLiteral("hf-config")));
        if (sources != 1)
            return usage(QStringLiteral("kv needs exactly one of --model, --gguf, --hf-config"));

        std::optional<analysis::ModelArch> model;
        if (m_args.options.contains(QStringLiteral("model"))) {
            const QString name = m_args.options.value(QStringLiteral("model"));
            model = analysis::findPreset(name);
            if (!model)
                return failure(
                    QStringLiteral("no model preset '%1' (see cachewise-cli model list)").arg(name));
        } else {
            const bool gguf = m_args.options.contains(QStringLiteral("gguf"));
            auto read =
                gguf ? analysis::modelFromGgufFile(m_args.options.value(QStringLiteral("gguf")))
                     : analysis::modelFromHfConfigFile(m_args.options.value(QStringLiteral("hf-config")));
            if (!read)
                return failure(read.errorMessage());
            model = std::move(read).value();
        }

        analysis::KvConfig config;
        if (m_args.options.contains(QStringLiteral("engine"))) {
            const auto engine = analysis::parseEngine(m_args.options.value(QStringLiteral("engine")));
            if (!engine)
                return usage(QStringLiteral("unknown engine '%1'")
                                 .arg(m_args.options.value(QStringLiteral("engine"))));
            config.engine = *engine;
        }
        const qint64 defaultContext =
            model->trainingContext > 0 ? std::min<qint64>(model->trainingContext, 4096) : 4096;
        const auto context =
            integerOption(QStringLiteral("context"), defaultContext, 1, qint64(1) << 31, &code);
        const auto parallel = integerOption(QStringLiteral("parallel"), 1, 1, 4096, &code);
        const auto ubatch = integerOption(QStringLiteral("ubatch"), 512, 1, 1 << 20, &code);
        const auto blockSize = integerOption(QStringLiteral("block-size"), 16, 1, 1 << 16, &code);
        if (!context || !parallel || !ubatch || !blockSize)
            return code;
        config.context = *context;
        config.parallel = int(*parallel);
        config.ubatch = int(*ubatch);
        config.blockSize = int(*blockSize);
        config.unified = m_args.flags.contains(QStringLiteral("unified"));
        config.swaFull = m_args.flags.contains(QStringLiteral("swa-full"));
        // vLLM/SGLang "auto" stores the cache in the model's dtype (bf16 for every preset).
        const bool paged =
            config.engine == analysis::Engine::Vllm || config.engine == analysis::Engine::Sglang;
        const analysis::CacheType fallback =
            paged && model->dtypeBytes == 2 ? analysis::CacheType::BF16 : analysis::CacheType::F16;
        config.typeK = config.typeV = fallback;
        if (m_args.options.contains(QStringLiteral("cache-type")) &&
            (m_args.options.contains(QStringLiteral("cache-type-k")) ||
             m_args.options.contains(QStringLiteral("cache-type-v"))))
            return usage(QStringLiteral("give --cache-type or --cache-type-k/--cache-type-v, not both"));
        for (const auto &[option, target] :
             {std::pair{QStringLiteral("cache-type"), 0}, std::pair{QStringLiteral("cache-type-k"), 1},
              std::pair{QStringLiteral("cache-type-v"), 2}}) {
            if (!m_args.options.contains(option))
                continue;
            const auto type = analysis::parseCacheType(m_args.options.value(option));
            if (!type)
                return usage(QStringLiteral("unknown cache type '%1'").arg(m_args.options.value(option)));
            if (target != 2)
                config.typeK = *type;
            if (target != 1)
                config.typeV = *type;
        }

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
                .arg(analysis::engineId(config.engine))
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

    Args m_args;
    QString m_dataDir;
    SystemClock m_clock;
    storage::Repository m_repository;
    bool m_json = false;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
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
