// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/teststack.h"

#include "core/analysis/projectanalysis.h"
#include "core/common/paths.h"
#include "core/demo/demodata.h"
#include "core/services/projectanalysis.h"
#include "core/services/projects.h"
#include "core/storage/sampleinserter.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QUrl>

#include <future>
#include <limits>

namespace cachewise::test {

TestStack::TestStack() = default;

TestStack::~TestStack()
{
    stop();
}

bool TestStack::start(const http::Limits &limits, bool limitsFromSettings)
{
    if (!m_dir.isValid())
        return false;
    m_databasePath = paths::databaseFile(m_dir.path());
    auto token = paths::loadOrCreateAdminToken(m_dir.path());
    if (!token)
        return false;
    m_adminToken = token.value();
    m_repository = std::make_unique<storage::Repository>(m_clock);
    if (!m_repository->open(m_databasePath))
        return false;
    m_engine = std::make_unique<services::Engine>(m_clock);
    QSignalSpy listening(m_engine.get(), &services::Engine::listening);
    services::EngineConfig config;
    config.databasePath = m_databasePath;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.adminToken = m_adminToken;
    config.limits = limits;
    config.takeLimitsFromSettings = limitsFromSettings;
    config.scrape = false;
    config.analyse = false;
    if (!m_engine->start(config))
        return false;
    if (!listening.wait(10000))
        return false;
    m_port = quint16(QUrl(listening.first().first().toString()).port());
    return m_port != 0;
}

void TestStack::stop()
{
    m_engine.reset();
}

CreatedProject TestStack::createProject(const QString &name)
{
    auto project = m_repository->projects().create(name, QStringLiteral("Llama-3.1-8B"),
                                                   QStringLiteral("Decoder-only Transformer"));
    if (!project)
        return {};
    auto key = m_repository->keys().create(project->id);
    if (!key)
        return {};
    return CreatedProject{project->id, key->secret, key->key.id};
}

qint64 TestStack::rawCount(const QString &projectId)
{
    auto n = m_repository->samples().rawCount(projectId);
    return n ? n.value() : -1;
}

bool TestStack::settleChangeChecks()
{
    for (int loop = 0; loop < 2; ++loop) {
        if (!writer().write([](storage::Repository &) { return Result<void>{}; }))
            return false;
    }
    QCoreApplication::processEvents();
    return true;
}

qint64 TestStack::totalRawCount()
{
    QSqlQuery q(m_repository->database());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM samples")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

bool insertSamples(storage::Repository &repository, qint64 count,
                   const std::function<model::MetricSample(qint64 index)> &make, QString *error)
{
    storage::Transaction tx(repository.database());
    if (!tx.begun()) {
        if (error)
            *error = tx.beginError();
        return false;
    }
    storage::SampleInserter inserter(repository.database());
    for (qint64 i = 0; i < count; ++i) {
        if (auto r = inserter.insert(make(i)); !r) {
            if (error)
                *error = r.errorMessage();
            return false;
        }
    }
    if (auto r = tx.commit(); !r) {
        if (error)
            *error = r.errorMessage();
        return false;
    }
    return true;
}

storage::WriteOutcome writeAndWait(storage::MetricWriter &writer, QList<model::MetricSample> samples)
{
    std::promise<storage::WriteOutcome> done;
    auto future = done.get_future();
    writer.submit(std::move(samples), [&done](const storage::WriteOutcome &o) { done.set_value(o); });
    return future.get();
}

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QList<model::MetricSample> storedSamples(storage::Repository &repository, const QString &projectId)
{
    QList<model::MetricSample> out;
    std::optional<storage::SampleStore::PageCursor> after;
    for (;;) {
        auto page = repository.samples().page(projectId, std::numeric_limits<qint64>::min(),
                                              std::numeric_limits<qint64>::max(), false, after, 10'000);
        if (!page || page->isEmpty())
            return out;
        for (const storage::SampleRow &row : page.value())
            out << row.sample;
        after = storage::SampleStore::PageCursor{page->last().sample.timestampMs, page->last().seq};
    }
}

QByteArray sampleJson(const QString &projectId, qint64 tokens)
{
    return QStringLiteral(
               R"({"projectId":"%1","tokensProcessed":%2,"kvCacheSizeKB":480000,"memoryUsageGB":2.7,"inferenceTimeMs":550})")
        .arg(projectId)
        .arg(tokens)
        .toUtf8();
}

QByteArray usageJson(const QString &projectId, double ratio, qint64 inferenceMs)
{
    return QStringLiteral(R"({"projectId":"%1","tokensProcessed":100,"kvCacheSizeKB":1000,"memoryUsageGB":2,)"
                          R"("inferenceTimeMs":%2,"kvCacheUsageRatio":%3})")
        .arg(projectId)
        .arg(inferenceMs)
        .arg(ratio)
        .toUtf8();
}

bool loadDemo(TestStack &stack)
{
    // As the app loads it (--demo, or Explore with sample data): through the writer.
    SystemClock clock;
    return services::loadSampleData(stack.writer(), stack.databasePath(), clock).ok();
}

} // namespace cachewise::test
