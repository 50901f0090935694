// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/clock.h"
#include "core/http/message.h"
#include "core/ingest/listener.h"
#include "core/services/ingestbackend.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"

#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace cachewise::test {

struct CreatedProject
{
    QString id;
    QString apiKey;
    QString apiKeyId;
};

// The real storage writer and listener on loopback port 0 over a SQLite file in a temporary
// folder, as the app wires them, plus a repository on the test's thread to check what was stored.
class TestStack
{
public:
    TestStack();
    ~TestStack();

    // limitsFromSettings=false uses exactly `limits` (guard tests); true reads the settings table.
    bool start(const http::Limits &limits = {}, bool limitsFromSettings = true);
    void stop();
    // Runs before the writer starts (to attach a commit observer such as a LiveFeed).
    void setBeforeWriterStart(std::function<void(storage::MetricWriter &)> hook)
    {
        m_beforeStart = std::move(hook);
    }

    quint16 port() const { return m_port; }
    const QString &databasePath() const { return m_databasePath; }
    const QString &adminToken() const { return m_adminToken; }
    storage::Repository &repository() { return *m_repository; }
    storage::MetricWriter &writer() { return *m_writer; }
    ingest::Listener &listener() { return *m_listener; }
    // The listener's backend, with the automation engine the app uses; reports its alerts.
    services::DatabaseIngestBackend &ingest() { return *m_ingest; }

    CreatedProject createProject(const QString &name);
    qint64 rawCount(const QString &projectId);
    qint64 totalRawCount();

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    QString m_databasePath;
    QString m_adminToken;
    quint16 m_port = 0;
    std::unique_ptr<storage::Repository> m_repository;
    std::unique_ptr<storage::MetricWriter> m_writer;
    std::unique_ptr<services::DatabaseIngestBackend> m_ingest;
    std::unique_ptr<ingest::Listener> m_listener;
    std::function<void(storage::MetricWriter &)> m_beforeStart;
};

// The sample projects as `cachewise --demo` loads them: two hours of history each, their runtimes, and
// the analysis run once (recommendations stored). False when any step failed.
bool loadDemo(TestStack &stack);

// A valid sample body with a KV-cache usage ratio (what automation reacts to) and an inference time.
QByteArray usageJson(const QString &projectId, double ratio, qint64 inferenceMs = 300);

// A valid sample body for a project, with a marker in tokensProcessed.
QByteArray sampleJson(const QString &projectId, qint64 tokens = 1250);

} // namespace cachewise::test
