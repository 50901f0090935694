// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStringList>

namespace cachewise::test {

// What one run of cachewise-cli (the executable named by $CACHEWISE_CLI) did.
struct CliResult
{
    int exitCode = -1; // -1: did not start, crashed or hung (killed after the timeout)
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(out).array(); }
};

QString cliBinary();

// Runs cachewise-cli with --data-dir (unless empty), `input` on its standard input (then closed).
CliResult runCli(const QString &dataDir, QStringList args, const QByteArray &input = {},
                 const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                 int timeoutMs = 30000);

// Kills (SIGKILL) every process whose command line names `folder`: what a failed test left running (the
// servers it launched run detached). Returns how many.
int killProcessesUsing(const QString &folder);

// Asks the test llama-server on 127.0.0.1:`port` to crash (POST /stand-in/crash); false when it did not
// answer.
bool crashStandIn(int port);

} // namespace cachewise::test
