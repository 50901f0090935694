// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/cli.h"

#include "core/common/paths.h"
#include "core/ingest/samplejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

namespace cachewise::cli {

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

Context::Context(Args arguments, QString dataFolder)
    : args(std::move(arguments)), dataDir(std::move(dataFolder)), repository(clock),
      json(args.flags.contains(QStringLiteral("json")))
{}

int Context::usage(const QString &message)
{
    err(message + QStringLiteral(" (see cachewise-cli --help)"));
    return kUsage;
}

int Context::failure(const QString &message)
{
    err(message);
    return kFailure;
}

bool Context::expect(int positionals, int *code)
{
    if (args.positional.size() == positionals)
        return true;
    *code = usage(args.positional.size() > positionals
                      ? QStringLiteral("unexpected argument '%1'").arg(args.positional.at(positionals))
                      : QStringLiteral("missing argument"));
    return false;
}

bool Context::openStorage(int *code)
{
    auto dir = paths::ensureDataDir(dataDir);
    if (!dir) {
        *code = failure(dir.errorMessage());
        return false;
    }
    // A database written before the compact sample store is converted first, its progress on stderr (a line
    // each tenth); stopped, the next command goes on from there.
    int toldTenths = 0;
    const auto progress = [&toldTenths](qint64 converted, qint64 total) {
        const int tenths = total > 0 ? int(converted * 10 / total) : 10;
        if (tenths > toldTenths || converted == total) {
            toldTenths = tenths;
            std::fprintf(stderr, "converting samples to the compact store: %lld of %lld (%d%%)\n",
                         static_cast<long long>(converted), static_cast<long long>(total),
                         total > 0 ? int(converted * 100 / total) : 100);
        }
        return true;
    };
    if (auto r = repository.open(paths::databaseFile(dir.value()), progress); !r) {
        *code = failure(r.errorMessage());
        return false;
    }
    return true;
}

std::optional<qint64> Context::integerOption(const QString &name, qint64 fallback, qint64 min, qint64 max,
                                             int *code)
{
    if (!args.options.contains(name))
        return fallback;
    bool ok = false;
    const qint64 v = args.options.value(name).toLongLong(&ok);
    if (!ok || v < min || v > max) {
        *code =
            usage(QStringLiteral("--%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
        return std::nullopt;
    }
    return v;
}

std::optional<QString> Context::secretFromStdin(const QString &what, int *code)
{
    // One stream for the process: a command may read two secrets, one line each, and a second stream would
    // miss what the first one buffered.
    static QTextStream in(stdin);
    const QString secret = in.readLine().trimmed();
    if (secret.isEmpty() || secret.size() > 4096) {
        *code = usage(
            QStringLiteral("the %1 on standard input must be one line of 1 to 4096 characters").arg(what));
        return std::nullopt;
    }
    return secret;
}

std::optional<QString> Context::projectIdArg(const QString &text, int *code)
{
    const QString id = ingest::normaliseUuid(text);
    if (id.isEmpty()) {
        *code = usage(QStringLiteral("'%1' is not a project id (a UUID)").arg(text));
        return std::nullopt;
    }
    return id;
}

std::optional<QString> Context::requiredProjectOption(int *code)
{
    if (!args.options.contains(QStringLiteral("project"))) {
        *code = usage(QStringLiteral("--project ID is required"));
        return std::nullopt;
    }
    return projectIdArg(args.options.value(QStringLiteral("project")), code);
}

std::optional<model::Project> Context::requireProject(const QString &id, int *code)
{
    auto project = repository.projects().get(id);
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

std::optional<model::Project> Context::openProject(int positionals, int index, int *code)
{
    if (!expect(positionals, code))
        return std::nullopt;
    const auto id = index >= 0 ? projectIdArg(args.positional.at(index), code) : requiredProjectOption(code);
    if (!id || !openStorage(code))
        return std::nullopt;
    return requireProject(*id, code);
}

} // namespace cachewise::cli
