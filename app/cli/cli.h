// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"
#include "core/common/clock.h"
#include "core/model/types.h"
#include "core/storage/repository.h"

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// cachewise-cli: one Command per verb, grouped in one file per noun (project, key, data, config,
// kv, analysis, source, listener); main.cpp parses the line, finds the command and runs it.
namespace cachewise::cli {

inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kUsage = 2;

struct Args
{
    QStringList positional;          // the command's words, then its arguments
    QHash<QString, QString> options; // --name value
    QSet<QString> flags;             // --json
    QStringList rest;                // what follows "--", passed on as is (server add's extra arguments)
};

void out(const QString &text);
void err(const QString &text);
void printJson(const QJsonValue &value);

// What a command runs with: its arguments, the data folder, the database (opened on demand) and the
// helpers that turn bad input into the right exit code.
class Context
{
public:
    Context(Args arguments, QString dataFolder);

    Args args;
    QString dataDir;
    SystemClock clock;
    storage::Repository repository;
    bool json = false;

    // Prints the message and the hint to --help; returns kUsage.
    int usage(const QString &message);
    // Prints the message; returns kFailure.
    int failure(const QString &message);
    // Checks the count of positional arguments (the command's words included).
    bool expect(int positionals, int *code);
    bool openStorage(int *code);
    std::optional<qint64> integerOption(const QString &name, qint64 fallback, qint64 min, qint64 max,
                                        int *code);
    std::optional<QString> projectIdArg(const QString &text, int *code);
    // One line from standard input (a pipe, or typed): a secret is never an argument, which `ps` and the
    // shell's history would keep. `what` names it in the usage error.
    std::optional<QString> secretFromStdin(const QString &what, int *code);
    // --project as a project id; a usage error when missing or not a UUID.
    std::optional<QString> requiredProjectOption(int *code);
    // The project, or the exit code: 1 if it does not exist.
    std::optional<model::Project> requireProject(const QString &id, int *code);
    // What most project commands start with: the count of positionals checked, the project's id read (from
    // the positional at `index`, or from --project when -1), the database opened and the project found.
    std::optional<model::Project> openProject(int positionals, int index, int *code);
};

struct Command
{
    QStringList words;    // "project", "create"
    QString synopsis;     // its arguments and options, as the help shows them
    QString summary;      // what it does
    QStringList options;  // the options that take a value
    QStringList flags;    // the options that take none (--json and --data-dir apply everywhere)
    QStringList examples; // command lines, without "cachewise-cli"
    std::function<int(Context &)> run;
    bool takesRest = false; // accepts "-- ARGS…"
};

QList<Command> projectCommands();
QList<Command> keyCommands();
QList<Command> dataCommands();
QList<Command> configCommands();
QList<Command> kvCommands();
QList<Command> analysisCommands();
QList<Command> sourceCommands();
QList<Command> listenerCommands();
QList<Command> serverCommands();
QList<Command> syncCommands();

// The options several commands share: a model and an engine configuration (kv, project runtime).
std::optional<analysis::ModelArch> modelFromOptions(Context &c, int *code);
// Engine flags on top of `config` (defaults, or the project's stored configuration).
std::optional<analysis::KvConfig> configFromOptions(Context &c, const analysis::ModelArch &model,
                                                    analysis::KvConfig config, bool defaultTypes, int *code);
QStringList modelOptions();

} // namespace cachewise::cli
