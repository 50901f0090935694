// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/paths.h"

#include "core/common/random.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace cachewise::paths {

QString defaultDataDir()
{
    const QString fromEnvironment = qEnvironmentVariable("CACHEWISE_DATA_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

Result<QString> ensureDataDir(const QString &dir)
{
    if (dir.isEmpty())
        return makeError(ErrorKind::Io, QStringLiteral("no data folder given"));
    QDir d(dir);
    if (!d.exists() && !QDir().mkpath(d.absolutePath()))
        return makeError(ErrorKind::Io, QStringLiteral("cannot create data folder %1").arg(d.absolutePath()));
    QFile::setPermissions(d.absolutePath(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QFileInfo info(d.absolutePath());
    if (!info.isDir() || !info.isWritable())
        return makeError(
            ErrorKind::Io,
            QStringLiteral("data folder %1 is not a writable folder").arg(info.absoluteFilePath()));
    return info.absoluteFilePath();
}

QString databaseFile(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("cachewise.sqlite"));
}

QString adminTokenFile(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("admin-token"));
}

Result<QString> loadOrCreateAdminToken(const QString &dataDir)
{
    const QString path = adminTokenFile(dataDir);
    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::Io,
                             QStringLiteral("cannot read %1: %2").arg(path, existing.errorString()));
        const QString token = QString::fromLatin1(existing.readAll()).trimmed();
        if (token.size() >= 32)
            return token;
        // Too short to be ours: replace it below.
    }
    const QString token = QStringLiteral("cwadm_") + random::urlSafeToken(32);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, out.errorString()));
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    out.write(token.toLatin1() + '\n');
    if (!out.commit())
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, out.errorString()));
    return token;
}

} // namespace cachewise::paths
