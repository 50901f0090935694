// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/actionstore.h"
#include "core/storage/database.h"
#include "core/storage/keystore.h"
#include "core/storage/projectstore.h"
#include "core/storage/recommendationstore.h"
#include "core/storage/runtimestore.h"
#include "core/storage/sampleconversion.h"
#include "core/storage/samplestore.h"
#include "core/storage/serverstore.h"
#include "core/storage/settingstore.h"
#include "core/storage/sourcestore.h"
#include "core/storage/syncstore.h"
#include "core/storage/types.h"

#include <QString>

#include <memory>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// One store per aggregate over one connection: its own (open()) or one it is given.
// Not thread-safe: use one Repository per thread. Safe across processes (SQLite locking), so the
// CLI and the running app share one database file.
class Repository
{
public:
    explicit Repository(const Clock &clock);
    // The stores over a connection someone else owns and opened (the writer's).
    Repository(Connection &connection, const Clock &clock);
    ~Repository();

    // Opens a connection of its own, first converting samples stored before the compact sample store
    // (sampleconversion.h; `conversion` hears of its progress).
    Result<void> open(const QString &databasePath, const ConversionObserver &conversion = {});
    bool isOpen() const { return m_connection.isOpen(); }
    QSqlDatabase &database() { return m_connection.db(); }

    ProjectStore &projects() { return m_projects; }
    KeyStore &keys() { return m_keys; }
    SampleStore &samples() { return m_samples; }
    RecommendationStore &recommendations() { return m_recommendations; }
    RuntimeStore &runtimes() { return m_runtimes; }
    SourceStore &sources() { return m_sources; }
    ActionStore &actions() { return m_actions; }
    SettingStore &settings() { return m_settings; }
    ServerStore &servers() { return m_servers; }
    ModelFileStore &modelFiles() { return m_modelFiles; }
    SyncStore &sync() { return m_sync; }

    static bool isValidId(const QString &id);

private:
    Repository(std::unique_ptr<Connection> own, Connection *given, const Clock &clock);

    std::unique_ptr<Connection> m_ownConnection;
    Connection &m_connection;
    ProjectStore m_projects;
    KeyStore m_keys;
    SampleStore m_samples;
    RecommendationStore m_recommendations;
    RuntimeStore m_runtimes;
    SourceStore m_sources;
    ActionStore m_actions;
    SettingStore m_settings;
    ServerStore m_servers;
    ModelFileStore m_modelFiles;
    SyncStore m_sync;
};

} // namespace cachewise::storage
