// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QString>

namespace cachewise::paths {

// Where the app keeps its data unless --data-dir says otherwise: $CACHEWISE_DATA_DIR, else
// QStandardPaths::AppDataLocation of the application name "cachewise" (shared by the GUI, headless
// mode and the CLI).
QString defaultDataDir();

// Creates the folder if needed (mode 0700; an existing folder's mode is left alone) and returns its
// absolute path.
Result<QString> ensureDataDir(const QString &dir);

QString databaseFile(const QString &dataDir);
// Creates an empty file of mode 0600 unless it exists (a database before SQLite first opens it).
Result<void> createPrivateFile(const QString &path);
QString adminTokenFile(const QString &dataDir);

// Reads the local admin token, creating a random one (file mode 0600) on first use; an existing one
// that others may read is made 0600, or refused when that fails.
Result<QString> loadOrCreateAdminToken(const QString &dataDir);

} // namespace cachewise::paths
