// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/ingest/backend.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace cachewise {
class Clock;
}
namespace cachewise::automation {
class AutomationEngine;
}
namespace cachewise::storage {
class MetricWriter;
class Repository;
} // namespace cachewise::storage

namespace cachewise::services {

// The listener's backend over the database: reads and small writes on a thread of its own with its own
// connection, samples through the shared writer, and the one automation engine judging every committed
// sample. Keeps the listener's settings in memory, read again when reloadSettings() says they may have
// changed (the Engine does when the database changed elsewhere, e.g. the CLI set one).
class DatabaseIngestBackend final : public QObject, public ingest::Backend
{
    Q_OBJECT

public:
    // `automation` may be null (nothing judges pushed samples).
    DatabaseIngestBackend(QString databasePath, storage::MetricWriter &writer,
                          std::shared_ptr<automation::AutomationEngine> automation, const Clock &clock,
                          QObject *parent = nullptr);
    ~DatabaseIngestBackend() override;

    // Opens the database on the backend's thread and reads the settings; waits for both (start-up only).
    Result<void> start();
    // Reads the settings again on the backend's thread; returns at once.
    void reloadSettings();
    // Forgets the keys held in memory (a key or project changed, here or in another process).
    void forgetKeys();

    ingest::IngestSettings settings() const override;
    quint64 settingsGeneration() const override { return m_settingsGeneration.load(); }
    void setSettingsObserver(std::function<void()> observer) override;
    qsizetype queuedSamples() const override;
    const LatencyHistogram &commitLatency() const override;
    std::optional<model::ApiKey> cachedApiKey(const QString &secret) const override;
    void findApiKey(const QString &secret, Done<std::optional<model::ApiKey>> done) override;
    void project(const QString &id, Done<std::optional<model::Project>> done) override;
    void projects(Done<QList<model::Project>> done) override;
    void otlpProjects(const QStringList &names, int maxKeylessProjects,
                      Done<QHash<QString, QString>> done) override;
    void createProjectWithKey(const QString &name, const QString &modelName, const QString &architecture,
                              Done<QPair<model::Project, model::NewApiKey>> done) override;
    void projectDetails(const QString &projectId, int recentSamples,
                        Done<ingest::ProjectDetails> done) override;
    void recommendations(const QString &projectId, Done<QList<model::Recommendation>> done) override;
    void acknowledgeAction(const QString &projectId, const QString &actionId, const QString &outcome,
                           const QString &message, Done<model::ActionLogEntry> done) override;
    void selfState(Done<ingest::SelfState> done) override;
    void recordKeyUse(const QString &keyId, qint64 atMs) override;
    void submit(QList<model::MetricSample> samples, const QString &keyId,
                std::function<void(ingest::SubmitOutcome)> done) override;

Q_SIGNALS:
    // A project crossed one of its automation thresholds (dryRun: only logged); from pushes and scrapes.
    void alert(const QString &projectId, const QString &rule, const QString &message, bool dryRun);

private:
    // Runs `work` on the backend's thread and hands its result to `done` there.
    // Runs `work` on this backend's thread: reads on its connection, writes through the writer's.
    template <typename T> void run(Done<T> done, std::function<Result<T>(storage::Repository &)> work);
    template <typename T> void write(Done<T> done, std::function<Result<T>(storage::Repository &)> work);
    // Backend thread.
    void readSettings();

    const QString m_databasePath;
    storage::MetricWriter &m_writer;
    std::shared_ptr<automation::AutomationEngine> m_automation;
    const Clock &m_clock;
    QThread *m_thread;
    QObject *m_context;                                // lives on m_thread
    std::unique_ptr<storage::Repository> m_repository; // used on m_thread only
    mutable std::mutex m_settingsMutex;
    ingest::IngestSettings m_settings;
    std::function<void()> m_settingsObserver;     // under m_settingsMutex
    std::atomic<quint64> m_settingsGeneration{0}; // m_settings.generation, readable without the lock
    // The keys read so far, by the hash of their secret; cleared when keys or projects change.
    mutable std::mutex m_keysMutex;
    QHash<QByteArray, model::ApiKey> m_keys; // under m_keysMutex
    quint64 m_keysGeneration = 0;            // under m_keysMutex; a lookup begun before a clear is not kept
};

} // namespace cachewise::services
