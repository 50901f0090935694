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
    if (!d.exists()) {
        if (!QDir().mkpath(d.absolutePath()))
            return makeError(ErrorKind::Io,
                             QStringLiteral("cannot create data folder %1").arg(d.absolutePath()));
        // Only a folder CacheWise made is closed to others: an existing one (a home folder, a shared
        // 1777 one) keeps the mode its owner gave it; the files inside are 0600 either way.
        QFile::setPermissions(d.absolutePath(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
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

Result<void> createPrivateFile(const QString &path)
{
    if (QFileInfo::exists(path))
        return {};
    QFile f(path);
    // Made empty with the owner's bits only, before anything writes to it; SQLite gives its -wal and -shm
    // files the database file's mode.
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return makeError(ErrorKind::Io, QStringLiteral("cannot create %1: %2").arg(path, f.errorString()));
    return {};
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
        // A token others can read is anyone's: make it the owner's alone, or refuse to use it.
        constexpr QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                    QFileDevice::ReadOther | QFileDevice::WriteOther;
        if ((existing.permissions() & others) &&
            !existing.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return makeError(
                ErrorKind::Io,
                QStringLiteral("%1 can be read by other users and its mode cannot be changed to 0600; "
                               "fix its owner or remove it")
                    .arg(path));
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
