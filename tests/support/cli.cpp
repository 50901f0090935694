// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/cli.h"

#include <QProcess>

namespace cachewise::test {

QString cliBinary()
{
    return qEnvironmentVariable("CACHEWISE_CLI");
}

CliResult runCli(const QString &dataDir, QStringList args, const QByteArray &input,
                 const QProcessEnvironment &env, int timeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!dataDir.isEmpty())
        args = QStringList{QStringLiteral("--data-dir"), dataDir} + args;
    p.start(cliBinary(), args);
    if (!p.waitForStarted(10000))
        return {};
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return CliResult{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                     p.readAllStandardError()};
}

} // namespace cachewise::test
