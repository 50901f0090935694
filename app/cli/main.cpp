// SPDX-License-Identifier: GPL-3.0-or-later
// cachewise-cli: manage projects, keys, settings and data from a shell; safe beside a running app.
#include "app/cli/cli.h"
#include "core/common/paths.h"

#include <QCoreApplication>
#ifdef CACHEWISE_CLI_REPORTS
#include <QGuiApplication>
#endif

#include <cstdio>
#include <memory>

namespace {

using namespace cachewise;
using namespace cachewise::cli;

const QStringList kGlobalOptions{QStringLiteral("data-dir")};
const QStringList kGlobalFlags{QStringLiteral("json"), QStringLiteral("help"), QStringLiteral("version")};

QList<Command> allCommands()
{
    QList<Command> all;
    for (const auto &group : {projectCommands, keyCommands, dataCommands, configCommands, listenerCommands,
                              kvCommands, analysisCommands, sourceCommands, serverCommands, syncCommands})
        all += group();
    return all;
}

// Breaks `text` into lines of at most `width` columns, each starting with `indent` spaces, and `hang` more
// after the first.
QString wrapped(const QString &text, int indent, int hang = 0, int width = 100)
{
    const QString pad(indent, QLatin1Char(' '));
    QString all;
    QString line = pad;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (line.size() > indent && line.size() + 1 + word.size() > width) {
            all += line + QLatin1Char('\n');
            line = pad + QString(hang, QLatin1Char(' '));
        }
        if (line.size() > indent && !line.endsWith(QLatin1Char(' ')))
            line += QLatin1Char(' ');
        line += word;
    }
    return all + line + QLatin1Char('\n');
}

QString commandLine(const Command &command)
{
    return QString(command.words.join(QLatin1Char(' ')) + QLatin1Char(' ') + command.synopsis).trimmed();
}

QString usageText(const QList<Command> &commands)
{
    QString text =
        QStringLiteral("Usage: cachewise-cli [--data-dir DIR] [--json] COMMAND [ARGS]\n"
                       "       cachewise-cli COMMAND --help   the command's options and examples\n\n"
                       "Commands:\n");
    for (const Command &command : commands)
        text += wrapped(commandLine(command), 2, 2) + wrapped(command.summary, 6);
    text += QStringLiteral("\nOptions:\n"
                           "  --data-dir DIR   the data folder (default: the app's, or $CACHEWISE_DATA_DIR)\n"
                           "  --json           machine-readable output\n"
                           "  -h, --help       this help, or a command's\n"
                           "  -v, --version    the version\n\n"
                           "Exit codes: 0 ok, 1 failure, 2 bad usage. Errors go to stderr.\n");
    return text;
}

QString commandHelp(const Command &command)
{
    QString text =
        wrapped(QStringLiteral("Usage: cachewise-cli [--data-dir DIR] [--json] ") + commandLine(command), 0,
                7) +
        QLatin1Char('\n') + wrapped(command.summary, 0);
    if (!command.examples.isEmpty()) {
        text += QStringLiteral("\nExamples:\n");
        for (const QString &example : command.examples)
            text += QStringLiteral("  ") +
                    (example.contains(QLatin1String("cachewise-cli"))
                         ? example
                         : QStringLiteral("cachewise-cli ") + example) +
                    QLatin1Char('\n');
    }
    return text;
}

// Splits the command line into words, options and flags. Which names take a value is known from every
// command's options; whether an option applies to the command is checked once the command is known.
// A name that is a flag for one command and takes a value for another (--flash-attention) is read as
// `command` (once known) has it.
std::optional<Args> parseArgs(const QStringList &arguments, const QList<Command> &commands, QString *error,
                              const Command *command = nullptr)
{
    QSet<QString> valueOptions(kGlobalOptions.begin(), kGlobalOptions.end());
    QSet<QString> flagOptions(kGlobalFlags.begin(), kGlobalFlags.end());
    for (const Command &each : commands) {
        valueOptions.unite(QSet<QString>(each.options.begin(), each.options.end()));
        flagOptions.unite(QSet<QString>(each.flags.begin(), each.flags.end()));
    }
    if (command) {
        for (const QString &name : command->options)
            flagOptions.remove(name);
        for (const QString &name : command->flags)
            valueOptions.remove(name);
    }
    Args args;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--")) {
            args.rest = arguments.mid(i + 1);
            break;
        }
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
            if (flagOptions.contains(name)) {
                if (inlineValue) {
                    *error = QStringLiteral("--%1 takes no value").arg(name);
                    return std::nullopt;
                }
                args.flags.insert(name);
            } else if (valueOptions.contains(name)) {
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

// The command the words name, or the usage error to print.
const Command *findCommand(const QList<Command> &commands, const QStringList &words, QString *error)
{
    if (words.isEmpty()) {
        *error = QStringLiteral("no command given");
        return nullptr;
    }
    const QString &group = words.first();
    QStringList subcommands;
    for (const Command &command : commands) {
        if (command.words.first() != group)
            continue;
        // Every word of the command, so "sync account test" is not taken for "sync account set".
        if (words.mid(0, command.words.size()) == command.words)
            return &command;
        subcommands << command.words.mid(1).join(QLatin1Char(' '));
    }
    if (subcommands.isEmpty())
        *error = QStringLiteral("unknown command '%1'").arg(group);
    else if (words.size() < 2)
        *error =
            QStringLiteral("%1 needs a subcommand: %2").arg(group, subcommands.join(QStringLiteral(", ")));
    else
        *error = QStringLiteral("unknown subcommand '%1 %2'").arg(group, words.at(1));
    return nullptr;
}

// The first option or flag the command does not take, if any.
std::optional<QString> notApplying(const Command &command, const Args &args)
{
    for (auto it = args.options.begin(); it != args.options.end(); ++it) {
        if (!kGlobalOptions.contains(it.key()) && !command.options.contains(it.key()))
            return it.key();
    }
    for (const QString &flag : args.flags) {
        if (!kGlobalFlags.contains(flag) && !command.flags.contains(flag))
            return flag;
    }
    return std::nullopt;
}

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

} // namespace

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

    const QList<Command> commands = allCommands();
    QString error;
    auto args = parseArgs(QCoreApplication::arguments(), commands, &error);
    if (!args) {
        err(error + QStringLiteral(" (see cachewise-cli --help)"));
        return kUsage;
    }
    const Command *command = findCommand(commands, args->positional, &error);
    if (command) {
        args = parseArgs(QCoreApplication::arguments(), commands, &error, command);
        if (!args) {
            err(error +
                QStringLiteral(" (see cachewise-cli %1 --help)").arg(command->words.join(QLatin1Char(' '))));
            return kUsage;
        }
    }
    if (args->flags.contains(QStringLiteral("help"))) {
        std::fputs((command ? commandHelp(*command) : usageText(commands)).toUtf8().constData(), stdout);
        return kOk;
    }
    if (args->flags.contains(QStringLiteral("version"))) {
        out(QStringLiteral("cachewise-cli " CACHEWISE_VERSION));
        return kOk;
    }
    if (!command) {
        err(error + QStringLiteral(" (see cachewise-cli --help)"));
        return kUsage;
    }
    if (const auto option = notApplying(*command, *args)) {
        err(QStringLiteral("--%1 does not apply here (see cachewise-cli %2 --help)")
                .arg(*option, command->words.join(QLatin1Char(' '))));
        return kUsage;
    }
    if (!args->rest.isEmpty() && !command->takesRest) {
        err(QStringLiteral("'%1' takes no arguments after -- (see cachewise-cli %1 --help)")
                .arg(command->words.join(QLatin1Char(' '))));
        return kUsage;
    }
    QString dataDir = args->options.value(QStringLiteral("data-dir"));
    if (dataDir.isEmpty())
        dataDir = paths::defaultDataDir();
    Context context(std::move(*args), dataDir);
    return command->run(context);
}
