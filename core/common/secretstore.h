// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QString>

#include <functional>
#include <optional>

class QObject;

namespace cachewise::secrets {

// Secrets in the OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows) under the application id, never in the database, a file or a log. There is no plaintext
// fallback: without a keychain, storing fails with the keychain's reason (ErrorKind::Unavailable).

// The keychain entry of a source's API key.
QString sourceKeyName(const QString &sourceId);

// Asynchronous: `done` runs in `context`'s thread once the keychain answers (not at all if `context`
// is destroyed first). A missing entry reads as nullopt.
void read(const QString &name, QObject *context, std::function<void(Result<std::optional<QString>>)> done);
void write(const QString &name, const QString &secret, QObject *context,
           std::function<void(Result<void>)> done);
// Removing an entry that does not exist succeeds.
void remove(const QString &name, QObject *context, std::function<void(Result<void>)> done);

// Blocking, for the command line and worker threads: a local event loop until the keychain answers or
// timeoutMs passes (an unanswered keychain, e.g. a locked one waiting for a password, is an error).
Result<std::optional<QString>> readNow(const QString &name, int timeoutMs = 15000);
Result<void> writeNow(const QString &name, const QString &secret, int timeoutMs = 15000);
Result<void> removeNow(const QString &name, int timeoutMs = 15000);

} // namespace cachewise::secrets
