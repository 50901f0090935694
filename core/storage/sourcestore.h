// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/database.h"
#include "core/storage/types.h"

#include <QList>
#include <QString>
#include <QVariantList>

#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// The UPDATE behind SourceStore::recordState, for a connection the caller owns (the writer's).
Result<void> writeSourceState(QSqlDatabase &db, const SourceStateUpdate &update);

// The servers scraped for each project, and what their scrapes learnt.
class SourceStore
{
public:
    SourceStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock) {}

    // Validates the engine, an http(s) URL with a host and 250 <= intervalMs <= 3600000; a bad input
    // names its field, a URL the project already has is a Conflict.
    Result<Source> add(const Source &source);
    // Every project's sources when projectId is empty.
    Result<QList<Source>> list(const QString &projectId = {});
    Result<bool> remove(const QString &sourceId);
    Result<bool> setEnabled(const QString &sourceId, bool enabled);
    Result<bool> setHasApiKey(const QString &sourceId, bool hasKey);
    // The state of a scrape and what it learnt (notices as JSON; the pool in tokens, when known).
    Result<void> recordState(const SourceStateUpdate &update);
    // A restart seen by the scraper: kept until acknowledged; an erase refused before may work now; a
    // server whose slots changed needs its cache layout told again.
    Result<void> recordRestart(const QString &sourceId, qint64 atMs, const QString &changes,
                               bool layoutUnknownAgain);
    Result<bool> acknowledgeRestart(const QString &sourceId);
    // The user's answer to "do the slots share one cache?": unified, per_slot or unknown.
    Result<bool> setKvLayout(const QString &sourceId, model::KvLayout layout);
    Result<void> recordEraseRefused(const QString &sourceId, qint64 atMs);

private:
    // UPDATE project_sources SET `assignments` (with `values` bound in order) for one source; false when
    // there is no such source.
    Result<bool> update(const QString &sourceId, const char *assignments, const QVariantList &values);
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
