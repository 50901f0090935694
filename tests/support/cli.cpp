// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/cli.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QTcpSocket>

#include <csignal>

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

int killProcessesUsing(const QString &folder)
{
    int killed = 0;
#ifdef Q_OS_LINUX
    const QByteArray needle = folder.toUtf8();
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool number = false;
        const qint64 pid = entry.toLongLong(&number);
        if (!number || pid == QCoreApplication::applicationPid())
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle) &&
            ::kill(pid_t(pid), SIGKILL) == 0)
            ++killed;
    }
#else
    Q_UNUSED(folder)
#endif
    return killed;
}

bool crashStandIn(int port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    if (!socket.waitForConnected(2000))
        return false;
    socket.write("POST /stand-in/crash HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
    socket.waitForBytesWritten(2000);
    socket.waitForDisconnected(2000);
    return true;
}

} // namespace cachewise::test
