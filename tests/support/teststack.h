// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/clock.h"
#include "core/http/message.h"
#include "core/ingest/listener.h"
#include "core/services/engine.h"
#include "core/services/scraper.h"
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

// The app's Engine (writer, listener and its backend, the automation engine; the scraper on demand) on
// loopback port 0 over a SQLite file in a temporary folder, plus a repository on the test's thread to
// check what was stored.
class TestStack
{
public:
    TestStack();
    ~TestStack();

    // limitsFromSettings=false uses exactly `limits` (guard tests); true reads the settings table.
    bool start(const http::Limits &limits = {}, bool limitsFromSettings = true);
    void stop();

    quint16 port() const { return m_port; }
    const QString &databasePath() const { return m_databasePath; }
    const QString &adminToken() const { return m_adminToken; }
    storage::Repository &repository() { return *m_repository; }
    storage::MetricWriter &writer() { return m_engine->writer(); }
    ingest::Listener &listener() { return m_engine->listener(); }
    services::Engine &engine() { return *m_engine; }
    // Starts the engine's scraper (with the engine's automation), which reads sources as the app does.
    services::SourceScraper &startScraping() { return m_engine->startScraper(); }

    CreatedProject createProject(const QString &name);
    qint64 rawCount(const QString &projectId);
    // Returns once the writer has checked SQLite's change counter after everything committed so far and
    // the event loop has delivered what that check posted (two more writer loops, then the events), so a
    // test can say that something did *not* count as another process's change.
    bool settleChangeChecks();
    qint64 totalRawCount();

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    QString m_databasePath;
    QString m_adminToken;
    quint16 m_port = 0;
    std::unique_ptr<storage::Repository> m_repository;
    std::unique_ptr<services::Engine> m_engine;
};

// The sample projects as `cachewise --demo` loads them: two hours of history each, their runtimes, and
// the analysis run once (recommendations stored). False when any step failed.
bool loadDemo(TestStack &stack);

// Samples written straight into the store in one transaction, without rollups or the writer (for tests about
// reading many rows: seconds, not minutes). False, with the reason in *error, when any failed.
bool insertSamples(storage::Repository &repository, qint64 count,
                   const std::function<model::MetricSample(qint64 index)> &make, QString *error = nullptr);

// Submits samples to the writer and waits for its answer.
storage::WriteOutcome writeAndWait(storage::MetricWriter &writer, QList<model::MetricSample> samples);

// The first column of the first row of a query, or -1 when it fails or has no row.
qint64 scalar(QSqlDatabase &db, const QString &sql);

// Every stored sample of a project, oldest first, read through the store.
QList<model::MetricSample> storedSamples(storage::Repository &repository, const QString &projectId);

// A valid sample body with a KV-cache usage ratio (what automation reacts to) and an inference time.
QByteArray usageJson(const QString &projectId, double ratio, qint64 inferenceMs = 300);

// A valid sample body for a project, with a marker in tokensProcessed.
QByteArray sampleJson(const QString &projectId, qint64 tokens = 1250);

} // namespace cachewise::test
