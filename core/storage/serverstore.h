// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/types.h"
#include "core/storage/database.h"

#include <QList>
#include <QString>

#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// The model library's last scan: one row per model file (a split model's first part), so the next scan
// reads only headers that changed.
class ModelFileStore
{
public:
    explicit ModelFileStore(Connection &connection) : m_connection(connection) {}

    Result<QList<model::ModelFileEntry>> list();
    // What a scan of `roots` found replaces what was stored under them (a file gone from a scanned
    // folder is forgotten; other folders' files stay), in one transaction.
    Result<void> replaceUnder(const QStringList &roots, const QList<model::ModelFileEntry> &entries);

private:
    Connection &m_connection;
};

// The llama-servers CacheWise launches: their profiles (the flags) and their processes' last state.
class ServerStore
{
public:
    ServerStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock) {}

    // A new profile (id and times set here). Checks the ranges: context 1…16,777,216, parallel 1…256, port
    // 1…65535, GPU layers 0…10,000, threads 1…1024, an executable and a model path; a port
    // another profile has is a Conflict, an unknown project NotFound.
    Result<model::ServerProfile> add(const model::ServerProfile &profile);
    // Changes a profile's flags (apply, revert, an edit), with the same checks; NotFound when gone.
    Result<model::ServerProfile> update(const model::ServerProfile &profile);
    Result<std::optional<model::ServerProfile>> get(const QString &id);
    // Every project's profiles when projectId is empty; oldest first.
    Result<QList<model::ServerProfile>> list(const QString &projectId = {});
    Result<bool> remove(const QString &id);
    Result<bool> setSource(const QString &id, const QString &sourceId);
    // The KV allocation line the server logged on its last start.
    Result<bool> recordMeasuredKv(const QString &id, const QString &line, qint64 atMs);

    Result<std::optional<model::ServerProcess>> process(const QString &profileId);
    Result<QList<model::ServerProcess>> processes();
    Result<bool> recordProcess(const model::ServerProcess &process);

    // What a server's process used (the manager's bookkeeping: not a change anyone must hear of). Rows
    // older than `keepMs` before it are dropped.
    Result<void> recordUsage(const QString &profileId, const model::ServerUsage &usage, qint64 keepMs);
    // Oldest first, in [fromMs, toMs).
    Result<QList<model::ServerUsage>> usage(const QString &profileId, qint64 fromMs, qint64 toMs);

private:
    Result<void> check(const model::ServerProfile &profile) const;
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
