// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/servers/gpu.h"

#include <QList>
#include <QProcess>
#include <QStandardPaths>

namespace cachewise::servers {

Result<QHash<qint64, qint64>> parseNvidiaComputeApps(const QByteArray &csv)
{
    QHash<qint64, qint64> bytes;
    for (const QByteArray &raw : csv.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> fields = line.split(',');
        bool pidOk = false;
        const qint64 pid = fields.value(0).trimmed().toLongLong(&pidOk);
        if (fields.size() != 2 || !pidOk || pid <= 0)
            return makeError(
                ErrorKind::BadInput,
                QStringLiteral("not nvidia-smi's compute-apps CSV: '%1'").arg(QString::fromUtf8(line)));
        const QByteArray used = fields.at(1).trimmed();
        if (used == "[N/A]")
            continue;
        bool usedOk = false;
        const qint64 mib = used.toLongLong(&usedOk);
        if (!usedOk || mib < 0)
            return makeError(
                ErrorKind::BadInput,
                QStringLiteral("not nvidia-smi's compute-apps CSV: '%1'").arg(QString::fromUtf8(line)));
        bytes[pid] += mib * 1048576;
    }
    return bytes;
}

Result<QHash<qint64, qint64>> readNvidiaGpuMemory(const QString &program, int timeoutMs)
{
    if (QStandardPaths::findExecutable(program).isEmpty() && !program.contains(QLatin1Char('/')))
        return makeError(ErrorKind::Unavailable, QStringLiteral("no NVIDIA GPU to read (no nvidia-smi)"));
    QProcess smi;
    smi.start(program, {QStringLiteral("--query-compute-apps=pid,used_memory"),
                        QStringLiteral("--format=csv,noheader,nounits")});
    if (!smi.waitForStarted(timeoutMs))
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("no NVIDIA GPU to read (%1)").arg(smi.errorString()));
    if (!smi.waitForFinished(timeoutMs)) {
        smi.kill();
        smi.waitForFinished();
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("nvidia-smi did not answer within %1 ms").arg(timeoutMs));
    }
    if (smi.exitStatus() != QProcess::NormalExit || smi.exitCode() != 0)
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("no NVIDIA GPU to read (nvidia-smi: %1)")
                             .arg(QString::fromLocal8Bit(smi.readAllStandardError()).trimmed()));
    return parseNvidiaComputeApps(smi.readAllStandardOutput());
}

} // namespace cachewise::servers
