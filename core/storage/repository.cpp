// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/repository.h"

#include "core/common/clock.h"
#include "core/common/random.h"
#include "core/storage/settings.h"
#include "core/storage/sqltext.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUuid>
#include <QVariant>

#include <cmath>

namespace cachewise::storage {
namespace {

using sql::newId;
using sql::text;

constexpr qint64 kResolutions[] = {60'000, 3'600'000};

Project projectFrom(const QSqlQuery &q)
{
    Project p;
    p.id = q.value(0).toString();
    p.name = q.value(1).toString();
    p.modelName = q.value(2).toString();
    p.modelArchitecture = q.value(3).toString();
    p.createdAtMs = q.value(4).toLongLong();
    p.updatedAtMs = q.value(5).toLongLong();
    return p;
}

const QString kProjectColumns =
    QStringLiteral("id, name, model_name, model_architecture, created_at, updated_at");

Result<void> checkProjectFields(const QString &name, const QString &model, const QString &architecture)
{
    if (name.trimmed().isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("Project Name is required."),
                         QStringLiteral("name"));
    if (name.size() > 255)
        return makeError(ErrorKind::BadInput, QStringLiteral("Project Name must be at most 255 characters."),
                         QStringLiteral("name"));
    if (model.size() > 255)
        return makeError(ErrorKind::BadInput, QStringLiteral("Model Name must be at most 255 characters."),
                         QStringLiteral("modelName"));
    if (architecture.size() > 100)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Model Architecture must be at most 100 characters."),
                         QStringLiteral("modelArchitecture"));
    return {};
}

} // namespace

Repository::Repository(const Clock &clock) : m_clock(clock) {}

Repository::~Repository() = default;

Result<void> Repository::open(const QString &databasePath)
{
    return m_connection.open(databasePath);
}

bool Repository::isValidId(const QString &id)
{
    const QUuid uuid = QUuid::fromString(id);
    return !uuid.isNull() && uuid.toString(QUuid::WithoutBraces) == id;
}

Result<Project> Repository::createProject(const QString &name, const QString &modelName,
                                          const QString &architecture, const QString &fixedId)
{
    if (auto r = checkProjectFields(name, modelName, architecture); !r)
        return r.error();
    if (!fixedId.isEmpty() && !isValidId(fixedId))
        return makeError(ErrorKind::BadInput, QStringLiteral("'%1' is not a valid project id").arg(fixedId),
                         QStringLiteral("id"));
    Project p;
    p.id = fixedId.isEmpty() ? newId() : fixedId;
    p.name = text(name.trimmed());
    p.modelName = text(modelName.trimmed());
    p.modelArchitecture = text(architecture.trimmed());
    p.createdAtMs = p.updatedAtMs = m_clock.nowMs();
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO projects (%1) VALUES (?, ?, ?, ?, ?, ?)").arg(kProjectColumns));
    q.addBindValue(p.id);
    q.addBindValue(p.name);
    q.addBindValue(p.modelName);
    q.addBindValue(p.modelArchitecture);
    q.addBindValue(p.createdAtMs);
    q.addBindValue(p.updatedAtMs);
    if (!q.exec())
        return queryError(q, "cannot create project");
    return p;
}

Result<Project> Repository::updateProject(const Project &project)
{
    if (auto r = checkProjectFields(project.name, project.modelName, project.modelArchitecture); !r)
        return r.error();
    Project p = project;
    p.name = text(p.name.trimmed());
    p.modelName = text(p.modelName.trimmed());
    p.modelArchitecture = text(p.modelArchitecture.trimmed());
    p.updatedAtMs = m_clock.nowMs();
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
        "UPDATE projects SET name = ?, model_name = ?, model_architecture = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(p.name);
    q.addBindValue(p.modelName);
    q.addBindValue(p.modelArchitecture);
    q.addBindValue(p.updatedAtMs);
    q.addBindValue(p.id);
    if (!q.exec())
        return queryError(q, "cannot update project");
    if (q.numRowsAffected() != 1)
        return makeError(ErrorKind::NotFound, QStringLiteral("no project with id %1").arg(p.id));
    return p;
}

Result<QList<Project>> Repository::projects()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(
            QStringLiteral("SELECT %1 FROM projects ORDER BY name COLLATE NOCASE, id").arg(kProjectColumns)))
        return queryError(q, "cannot list projects");
    QList<Project> out;
    while (q.next())
        out << projectFrom(q);
    return out;
}

Result<std::optional<Project>> Repository::project(const QString &id)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM projects WHERE id = ?").arg(kProjectColumns));
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot read project");
    if (!q.next())
        return std::optional<Project>{};
    return std::optional<Project>{projectFrom(q)};
}

Result<bool> Repository::deleteProject(const QString &id)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM projects WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot delete project");
    return q.numRowsAffected() > 0;
}

Result<ProjectStats> Repository::stats(const QString &projectId)
{
    ProjectStats s;
    s.projectId = projectId;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT metric, sum(count), min(min), max(max), total(sum) FROM metric_rollups "
                             "WHERE project_id = ? AND resolution = 3600000 GROUP BY metric"));
    q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read statistics");
    while (q.next()) {
        const int m = q.value(0).toInt();
        if (m == kSampleCountRollup)
            s.sampleCount = q.value(1).toLongLong();
        if (m < 0 || m >= static_cast<int>(kMetricCount))
            continue; // the sample count, or written by a newer version
        MetricSummary &summary = s.metrics[static_cast<std::size_t>(m)];
        summary.count = q.value(1).toLongLong();
        summary.minimum = q.value(2).toDouble();
        summary.maximum = q.value(3).toDouble();
        summary.sum = q.value(4).toDouble();
        summary.mean = summary.count > 0 ? summary.sum / double(summary.count) : 0.0;
    }
    q.prepare(QStringLiteral("SELECT count(*), min(ts), max(ts) FROM metric_samples WHERE project_id = ?"));
    q.addBindValue(projectId);
    if (!q.exec() || !q.next())
        return queryError(q, "cannot read statistics");
    s.rawSampleCount = q.value(0).toLongLong();
    if (s.rawSampleCount > 0) {
        s.firstTimestampMs = q.value(1).toLongLong();
        s.lastTimestampMs = q.value(2).toLongLong();
    }
    return s;
}

Result<std::array<MetricSummary, kMetricCount>> Repository::summary(const QString &projectId, qint64 fromMs,
                                                                    qint64 toMs)
{
    std::array<MetricSummary, kMetricCount> out{};
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
                  "SELECT metric, sum(count), min(min), max(max), total(sum) FROM metric_rollups "
                  "WHERE resolution = 60000 AND bucket_start >= ? AND bucket_start < ? %1 GROUP BY metric")
                  .arg(projectId.isEmpty() ? QString() : QStringLiteral("AND project_id = ?")));
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!projectId.isEmpty())
        q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read summary");
    while (q.next()) {
        const int m = q.value(0).toInt();
        if (m < 0 || m >= int(kMetricCount))
            continue;
        MetricSummary &summary = out[std::size_t(m)];
        summary.count = q.value(1).toLongLong();
        summary.minimum = q.value(2).toDouble();
        summary.maximum = q.value(3).toDouble();
        summary.sum = q.value(4).toDouble();
        summary.mean = summary.count > 0 ? summary.sum / double(summary.count) : 0.0;
    }
    return out;
}

Result<QList<MetricSample>> Repository::recentSamples(const QString &projectId, int limit)
{
    QString columns;
    for (const MetricInfo &info : metricTable())
        columns += QStringLiteral(", ") + QLatin1String(info.column);
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT ts, processed_data%1 FROM metric_samples WHERE project_id = ? "
                             "ORDER BY ts DESC, id DESC LIMIT ?")
                  .arg(columns));
    q.addBindValue(projectId);
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "cannot read samples");
    QList<MetricSample> out;
    while (q.next()) {
        MetricSample s;
        s.projectId = projectId;
        s.timestampMs = q.value(0).toLongLong();
        s.processedData = q.value(1).toByteArray();
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            const QVariant v = q.value(static_cast<int>(i) + 2);
            if (!v.isNull())
                s.values[i] = v.toDouble();
        }
        out << s;
    }
    return out;
}

Result<qint64> Repository::rawSampleCount(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT count(*) FROM metric_samples WHERE project_id = ?"));
    q.addBindValue(projectId);
    if (!q.exec() || !q.next())
        return queryError(q, "cannot count samples");
    return q.value(0).toLongLong();
}

Result<qint64> Repository::clearSamples(const QString &projectId, std::optional<qint64> beforeMs)
{
    QSqlDatabase &db = m_connection.db();
    Transaction tx(db);
    if (!tx.begun())
        return makeError(ErrorKind::Storage, QStringLiteral("cannot clear samples: %1").arg(tx.beginError()));
    QSqlQuery q(db);
    if (!beforeMs) {
        q.prepare(QStringLiteral("DELETE FROM metric_samples WHERE project_id = ?"));
        q.addBindValue(projectId);
        if (!q.exec())
            return queryError(q, "cannot clear samples");
        const qint64 deleted = q.numRowsAffected();
        q.prepare(QStringLiteral("DELETE FROM metric_rollups WHERE project_id = ?"));
        q.addBindValue(projectId);
        if (!q.exec())
            return queryError(q, "cannot clear rollups");
        if (auto r = tx.commit(); !r)
            return r.error();
        return deleted;
    }
    const qint64 before = *beforeMs;
    q.prepare(QStringLiteral("DELETE FROM metric_samples WHERE project_id = ? AND ts < ?"));
    q.addBindValue(projectId);
    q.addBindValue(before);
    if (!q.exec())
        return queryError(q, "cannot clear samples");
    const qint64 deleted = q.numRowsAffected();
    for (const qint64 resolution : kResolutions) {
        // Buckets wholly before the cut go; the bucket the cut falls in is rebuilt from what is left.
        const qint64 straddle = before - ((before % resolution) + resolution) % resolution;
        const bool aligned = straddle == before;
        q.prepare(QStringLiteral(
            "DELETE FROM metric_rollups WHERE project_id = ? AND resolution = ? AND bucket_start < ?"));
        q.addBindValue(projectId);
        q.addBindValue(resolution);
        q.addBindValue(aligned ? before : straddle + 1);
        if (!q.exec())
            return queryError(q, "cannot clear rollups");
        if (aligned)
            continue;
        // The bucket's sample count, then each field's aggregates over the samples that measured it.
        QList<std::pair<int, QString>> rebuilt{
            {kSampleCountRollup, QStringLiteral("count(*), 1, 1, count(*) FROM metric_samples WHERE 1")}};
        for (const MetricInfo &info : metricTable())
            rebuilt.append(
                {static_cast<int>(info.metric),
                 QStringLiteral("count(%1), min(%1), max(%1), total(%1) FROM metric_samples WHERE %1 IS "
                                "NOT NULL")
                     .arg(QLatin1String(info.column))});
        for (const auto &[metric, select] : rebuilt) {
            q.prepare(
                QStringLiteral("INSERT INTO metric_rollups (project_id, resolution, metric, bucket_start, "
                               "count, min, max, sum) SELECT project_id, ?, ?, ?, %1 AND project_id = ? AND "
                               "ts >= ? AND ts < ? GROUP BY project_id")
                    .arg(select));
            q.addBindValue(resolution);
            q.addBindValue(metric);
            q.addBindValue(straddle);
            q.addBindValue(projectId);
            q.addBindValue(straddle);
            q.addBindValue(straddle + resolution);
            if (!q.exec())
                return queryError(q, "cannot rebuild rollups");
        }
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return deleted;
}

Result<QList<RollupPoint>> Repository::rollups(const QString &projectId, Metric metric, qint64 resolutionMs,
                                               qint64 fromMs, qint64 toMs)
{
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("SELECT bucket_start, count, min, max, sum FROM metric_rollups WHERE project_id = ? "
                       "AND resolution = ? AND metric = ? AND bucket_start >= ? AND bucket_start < ? "
                       "ORDER BY bucket_start"));
    q.addBindValue(projectId);
    q.addBindValue(resolutionMs);
    q.addBindValue(static_cast<int>(metric));
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return queryError(q, "cannot read rollups");
    QList<RollupPoint> out;
    while (q.next()) {
        RollupPoint p;
        p.bucketStartMs = q.value(0).toLongLong();
        p.count = q.value(1).toLongLong();
        p.minimum = q.value(2).toDouble();
        p.maximum = q.value(3).toDouble();
        p.mean = p.count > 0 ? q.value(4).toDouble() / double(p.count) : 0.0;
        out << p;
    }
    return out;
}

qint64 Repository::seriesResolutionFor(qint64 rangeMs)
{
    constexpr qint64 kHour = 3'600'000;
    if (rangeMs <= 6 * kHour)
        return 0;
    if (rangeMs <= 14 * 24 * kHour)
        return 60'000;
    return kHour;
}

Result<Repository::Series> Repository::series(const QString &projectId, Metric metric, qint64 fromMs,
                                              qint64 toMs, int maxPoints)
{
    Series out;
    if (toMs <= fromMs)
        return out;
    out.resolutionMs = seriesResolutionFor(toMs - fromMs);
    QList<SeriesPoint> points;
    if (out.resolutionMs == 0) {
        const QString column = QLatin1String(metricInfo(metric).column);
        QSqlQuery q(m_connection.db());
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral("SELECT ts, %1 FROM metric_samples WHERE project_id = ? AND ts >= ? AND ts < ? "
                           "AND %1 IS NOT NULL ORDER BY ts, id")
                .arg(column));
        q.addBindValue(projectId);
        q.addBindValue(fromMs);
        q.addBindValue(toMs);
        if (!q.exec())
            return queryError(q, "cannot read samples");
        while (q.next()) {
            const double v = q.value(1).toDouble();
            points.append(SeriesPoint{q.value(0).toLongLong(), v, v, v});
        }
    } else {
        auto buckets = rollups(projectId, metric, out.resolutionMs, fromMs - fromMs % out.resolutionMs, toMs);
        if (!buckets)
            return buckets.error();
        for (const RollupPoint &b : buckets.value())
            points.append(SeriesPoint{b.bucketStartMs, b.mean, b.minimum, b.maximum});
    }
    out.points = decimateLttb(points, maxPoints);
    return out;
}

namespace {

const QString kRecommendationColumns =
    QStringLiteral("id, project_id, generated_at, title, description, memory_saving_percent, "
                   "speed_increase_percent, status, rule, details");

Recommendation recommendationFrom(const QSqlQuery &q)
{
    Recommendation r;
    r.id = q.value(0).toString();
    r.projectId = q.value(1).toString();
    r.generatedAtMs = q.value(2).toLongLong();
    r.title = q.value(3).toString();
    r.description = q.value(4).toString();
    if (!q.value(5).isNull())
        r.memorySavingPercent = q.value(5).toDouble();
    if (!q.value(6).isNull())
        r.speedIncreasePercent = q.value(6).toDouble();
    r.status = model::parseRecommendationStatus(q.value(7).toString())
                   .value_or(model::RecommendationStatus::Pending);
    r.rule = q.value(8).toString();
    r.details = q.value(9).toString().toUtf8();
    return r;
}

const QString kActionColumns =
    QStringLiteral("id, project_id, ts, action_type, details, status, rule, directive, acked_at, outcome");

ActionLogEntry actionFrom(const QSqlQuery &q)
{
    ActionLogEntry a;
    a.id = q.value(0).toString();
    a.projectId = q.value(1).toString();
    a.timestampMs = q.value(2).toLongLong();
    a.actionType = q.value(3).toString();
    a.details = q.value(4).toString();
    a.status = model::parseActionStatus(q.value(5).toString()).value_or(model::ActionStatus::Error);
    a.rule = q.value(6).toString();
    a.directive = q.value(7).toString().toUtf8();
    if (!q.value(8).isNull())
        a.ackedAtMs = q.value(8).toLongLong();
    a.outcome = q.value(9).toString();
    return a;
}

QVariant optionalValue(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::Double));
}

Error notFound(const QString &what, const QString &id)
{
    return makeError(ErrorKind::NotFound, QStringLiteral("no %1 with id %2").arg(what, id));
}

} // namespace

Result<QList<Recommendation>> Repository::recommendations(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM recommendations WHERE project_id = ? "
                             "ORDER BY generated_at DESC, rowid")
                  .arg(kRecommendationColumns));
    q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read recommendations");
    QList<Recommendation> out;
    while (q.next())
        out << recommendationFrom(q);
    return out;
}

Result<bool> Repository::setRecommendationStatus(const QString &recommendationId,
                                                 model::RecommendationStatus status)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE recommendations SET status = ? WHERE id = ?"));
    q.addBindValue(model::name(status));
    q.addBindValue(recommendationId);
    if (!q.exec())
        return queryError(q, "cannot update the recommendation");
    return q.numRowsAffected() > 0;
}

Result<QList<Recommendation>> Repository::replaceRecommendations(const QString &projectId,
                                                                 const QList<Recommendation> &current)
{
    QSqlDatabase &db = m_connection.db();
    Transaction tx(db);
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    QStringList rules;
    for (const Recommendation &r : current) {
        if (r.rule.isEmpty() || r.title.trimmed().isEmpty())
            return makeError(ErrorKind::BadInput, QStringLiteral("a recommendation needs a rule and a title"),
                             QStringLiteral("rule"));
        rules << r.rule;
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO recommendations (id, project_id, generated_at, title, description, "
            "memory_saving_percent, speed_increase_percent, status, rule, details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (project_id, rule) WHERE rule IS NOT NULL DO UPDATE SET generated_at = "
            "excluded.generated_at, title = excluded.title, description = excluded.description, "
            "memory_saving_percent = excluded.memory_saving_percent, speed_increase_percent = "
            "excluded.speed_increase_percent, details = excluded.details"));
        q.addBindValue(newId());
        q.addBindValue(projectId);
        q.addBindValue(r.generatedAtMs > 0 ? r.generatedAtMs : m_clock.nowMs());
        q.addBindValue(r.title);
        q.addBindValue(text(r.description));
        q.addBindValue(optionalValue(r.memorySavingPercent));
        q.addBindValue(optionalValue(r.speedIncreasePercent));
        q.addBindValue(model::name(model::RecommendationStatus::Pending));
        q.addBindValue(r.rule);
        q.addBindValue(QString::fromUtf8(r.details));
        if (!q.exec()) {
            if (q.lastError().text().contains(QStringLiteral("FOREIGN KEY")))
                return notFound(QStringLiteral("project"), projectId);
            return queryError(q, "cannot store a recommendation");
        }
    }
    // Pending advice whose rule no longer fires is stale; decided advice stays as the user left it.
    QSqlQuery stale(db);
    const QString placeholders = QStringList(rules.size(), QStringLiteral("?")).join(QStringLiteral(", "));
    stale.prepare(
        QStringLiteral("DELETE FROM recommendations WHERE project_id = ? AND status = ? AND "
                       "rule IS NOT NULL%1")
            .arg(rules.isEmpty() ? QString() : QStringLiteral(" AND rule NOT IN (%1)").arg(placeholders)));
    stale.addBindValue(projectId);
    stale.addBindValue(model::name(model::RecommendationStatus::Pending));
    for (const QString &rule : std::as_const(rules))
        stale.addBindValue(rule);
    if (!stale.exec())
        return queryError(stale, "cannot remove stale recommendations");
    if (auto c = tx.commit(); !c)
        return c.error();
    return recommendations(projectId);
}

Result<std::optional<ProjectRuntime>> Repository::runtime(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT engine, model_id, model_json, context, parallel, unified, swa_full, "
                             "cache_type_k, cache_type_v, flash_attention, prefix_caching, gpu_memory_gb, "
                             "updated_at FROM project_runtime WHERE project_id = ?"));
    q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read the project's runtime");
    if (!q.next())
        return std::optional<ProjectRuntime>();
    ProjectRuntime r;
    r.engine = model::parseEngine(q.value(0).toString()).value_or(model::Engine::Generic);
    r.modelId = q.value(1).toString();
    r.modelJson = q.value(2).toString().toUtf8();
    r.context = q.value(3).toLongLong();
    r.parallel = q.value(4).toInt();
    r.unified = q.value(5).toBool();
    r.swaFull = q.value(6).toBool();
    r.cacheTypeK = model::parseCacheType(q.value(7).toString()).value_or(model::CacheType::F16);
    r.cacheTypeV = model::parseCacheType(q.value(8).toString()).value_or(model::CacheType::F16);
    r.flashAttention = q.value(9).toBool();
    r.prefixCaching = q.value(10).toBool();
    r.gpuMemoryGB = q.value(11).toDouble();
    r.updatedAtMs = q.value(12).toLongLong();
    return std::optional<ProjectRuntime>(r);
}

Result<ProjectRuntime> Repository::setRuntime(const QString &projectId, const ProjectRuntime &runtime)
{
    // What the architecture says is the KV model's to judge (services::saveRuntime); storage keeps JSON.
    if (!QJsonDocument::fromJson(runtime.modelJson).isObject())
        return makeError(ErrorKind::BadInput, QStringLiteral("The model description is not a JSON object."),
                         QStringLiteral("model"));
    if (runtime.context <= 0 || runtime.context > (qint64(1) << 31))
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The context must be between 1 and 2147483648 tokens."),
                         QStringLiteral("context"));
    if (runtime.parallel < 1 || runtime.parallel > 4096)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The number of parallel sequences must be between 1 and 4096."),
                         QStringLiteral("parallel"));
    if (!std::isfinite(runtime.gpuMemoryGB) || runtime.gpuMemoryGB < 0 || runtime.gpuMemoryGB > 100000)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("GPU memory must be from 0 (unknown) to 100000 GB."),
                         QStringLiteral("gpu_memory_gb"));
    ProjectRuntime stored = runtime;
    stored.updatedAtMs = m_clock.nowMs();
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
        "INSERT INTO project_runtime (project_id, engine, model_id, model_json, context, parallel, unified, "
        "swa_full, cache_type_k, cache_type_v, flash_attention, prefix_caching, gpu_memory_gb, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET "
        "engine = excluded.engine, model_id = excluded.model_id, model_json = excluded.model_json, "
        "context = excluded.context, parallel = excluded.parallel, unified = excluded.unified, "
        "swa_full = excluded.swa_full, cache_type_k = excluded.cache_type_k, cache_type_v = "
        "excluded.cache_type_v, flash_attention = excluded.flash_attention, prefix_caching = "
        "excluded.prefix_caching, gpu_memory_gb = excluded.gpu_memory_gb, updated_at = excluded.updated_at"));
    q.addBindValue(projectId);
    q.addBindValue(model::name(stored.engine));
    q.addBindValue(text(stored.modelId));
    q.addBindValue(QString::fromUtf8(stored.modelJson));
    q.addBindValue(stored.context);
    q.addBindValue(stored.parallel);
    q.addBindValue(stored.unified ? 1 : 0);
    q.addBindValue(stored.swaFull ? 1 : 0);
    q.addBindValue(model::name(stored.cacheTypeK));
    q.addBindValue(model::name(stored.cacheTypeV));
    q.addBindValue(stored.flashAttention ? 1 : 0);
    q.addBindValue(stored.prefixCaching ? 1 : 0);
    q.addBindValue(stored.gpuMemoryGB);
    q.addBindValue(stored.updatedAtMs);
    if (!q.exec()) {
        if (q.lastError().text().contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("project"), projectId);
        return queryError(q, "cannot save the project's runtime");
    }
    return stored;
}

namespace {

const QString kSourceColumns =
    QStringLiteral("id, project_id, engine, base_url, interval_ms, enabled, created_at, "
                   "state, state_reason, last_scrape_at, last_latency_ms, has_api_key, kv_layout, notices, "
                   "kv_capacity_tokens, restarted_at, restart_changes, erase_refused_at");

std::optional<qint64> optionalInteger(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

QVariant nullableInteger(std::optional<qint64> v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

Source sourceFrom(const QSqlQuery &q)
{
    Source s;
    s.id = q.value(0).toString();
    s.projectId = q.value(1).toString();
    s.engine = model::parseEngine(q.value(2).toString()).value_or(model::Engine::LlamaCpp);
    s.baseUrl = q.value(3).toString();
    s.intervalMs = q.value(4).toInt();
    s.enabled = q.value(5).toBool();
    s.createdAtMs = q.value(6).toLongLong();
    s.state = model::parseSourceState(q.value(7).toString()).value_or(model::SourceState::Unknown);
    s.stateReason = q.value(8).toString();
    if (!q.value(9).isNull())
        s.lastScrapeAtMs = q.value(9).toLongLong();
    if (!q.value(10).isNull())
        s.lastLatencyMs = q.value(10).toLongLong();
    s.hasApiKey = q.value(11).toBool();
    s.kvLayout = model::parseKvLayout(q.value(12).toString()).value_or(model::KvLayout::Unknown);
    s.noticesJson = q.value(13).toString().toUtf8();
    s.capacityTokens = optionalInteger(q.value(14));
    s.restartedAtMs = optionalInteger(q.value(15));
    s.restartChanges = q.value(16).toString();
    s.eraseRefusedAtMs = optionalInteger(q.value(17));
    return s;
}

} // namespace

Result<Source> Repository::addSource(const Source &source)
{
    if (source.engine == model::Engine::Generic)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Unknown source engine '%1' (llama.cpp, vllm, sglang, ollama).")
                             .arg(model::name(source.engine)),
                         QStringLiteral("engine"));
    const QUrl url(source.baseUrl, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.hasQuery() ||
        url.hasFragment())
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The source URL must be http:// or https:// with a host, for example "
                                        "http://127.0.0.1:8080."),
                         QStringLiteral("url"));
    if (source.intervalMs < 250 || source.intervalMs > 3'600'000)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("The scrape interval must be from 250 ms to one hour."),
                         QStringLiteral("interval"));
    Source stored = source;
    stored.id = newId();
    stored.baseUrl = url.toString();
    while (stored.baseUrl.endsWith(QLatin1Char('/')))
        stored.baseUrl.chop(1); // paths are appended: "/slots", "/metrics"
    stored.createdAtMs = m_clock.nowMs();
    stored.state = model::SourceState::Unknown;
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("INSERT INTO project_sources (id, project_id, engine, base_url, interval_ms, enabled, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(stored.id);
    q.addBindValue(stored.projectId);
    q.addBindValue(model::name(stored.engine));
    q.addBindValue(stored.baseUrl);
    q.addBindValue(stored.intervalMs);
    q.addBindValue(stored.enabled ? 1 : 0);
    q.addBindValue(stored.createdAtMs);
    if (!q.exec()) {
        const QString e = q.lastError().text();
        if (e.contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("project"), stored.projectId);
        if (e.contains(QStringLiteral("UNIQUE")))
            return makeError(ErrorKind::Conflict,
                             QStringLiteral("The project already has a source at %1.").arg(stored.baseUrl));
        return queryError(q, "cannot add the source");
    }
    return stored;
}

Result<QList<Source>> Repository::sources(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("SELECT %1 FROM project_sources %2 ORDER BY created_at, id")
            .arg(kSourceColumns, projectId.isEmpty() ? QString() : QStringLiteral("WHERE project_id = ?")));
    if (!projectId.isEmpty())
        q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read the sources");
    QList<Source> out;
    while (q.next())
        out << sourceFrom(q);
    return out;
}

Result<bool> Repository::removeSource(const QString &sourceId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM project_sources WHERE id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return queryError(q, "cannot remove the source");
    return q.numRowsAffected() > 0;
}

Result<bool> Repository::updateSource(const QString &sourceId, const char *assignments,
                                      const QVariantList &values)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE project_sources SET %1 WHERE id = ?").arg(QLatin1String(assignments)));
    for (const QVariant &v : values)
        q.addBindValue(v);
    q.addBindValue(sourceId);
    if (!q.exec())
        return queryError(q, "cannot change the source");
    return q.numRowsAffected() > 0;
}

Result<bool> Repository::setSourceEnabled(const QString &sourceId, bool enabled)
{
    return updateSource(sourceId, "enabled = ?", {enabled ? 1 : 0});
}

Result<bool> Repository::setSourceHasApiKey(const QString &sourceId, bool hasKey)
{
    return updateSource(sourceId, "has_api_key = ?", {hasKey ? 1 : 0});
}

Result<void> writeSourceState(QSqlDatabase &db, const SourceStateUpdate &u)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE project_sources SET state = ?, state_reason = ?, last_scrape_at = ?, "
                             "last_latency_ms = ?, notices = ?, kv_capacity_tokens = ? WHERE id = ?"));
    q.addBindValue(model::name(u.state));
    q.addBindValue(text(u.reason.left(500)));
    q.addBindValue(u.atMs);
    q.addBindValue(nullableInteger(u.latencyMs));
    q.addBindValue(QString::fromUtf8(u.noticesJson.isEmpty() ? QByteArrayLiteral("[]") : u.noticesJson));
    q.addBindValue(
        nullableInteger(u.capacityTokens && *u.capacityTokens > 0 ? u.capacityTokens : std::nullopt));
    q.addBindValue(u.sourceId);
    if (!q.exec())
        return queryError(q, "cannot record the source's state");
    return {};
}

Result<void> Repository::recordSourceState(const SourceStateUpdate &update)
{
    return writeSourceState(m_connection.db(), update);
}

Result<void> Repository::recordSourceRestart(const QString &sourceId, qint64 atMs, const QString &changes,
                                             bool layoutUnknownAgain)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE project_sources SET restarted_at = ?, restart_changes = ?, "
                             "erase_refused_at = NULL, kv_layout = CASE WHEN ? THEN ? ELSE kv_layout "
                             "END WHERE id = ?"));
    q.addBindValue(atMs);
    q.addBindValue(text(changes.left(500)));
    q.addBindValue(layoutUnknownAgain ? 1 : 0);
    q.addBindValue(model::name(model::KvLayout::Unknown));
    q.addBindValue(sourceId);
    if (!q.exec())
        return queryError(q, "cannot record the source's restart");
    return {};
}

Result<bool> Repository::acknowledgeSourceRestart(const QString &sourceId)
{
    return updateSource(sourceId, "restarted_at = NULL, restart_changes = ''", {});
}

Result<bool> Repository::setSourceKvLayout(const QString &sourceId, model::KvLayout layout)
{
    return updateSource(sourceId, "kv_layout = ?", {model::name(layout)});
}

Result<void> Repository::recordSourceEraseRefused(const QString &sourceId, qint64 atMs)
{
    if (auto updated = updateSource(sourceId, "erase_refused_at = ?", {atMs}); !updated)
        return updated.error();
    return {};
}

Result<AutomationSettings> Repository::automation(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT enabled, max_cache_percent, max_latency_increase_percent, dry_run, "
                             "hysteresis_percent, cooldown_seconds, webhook_url, webhook_secret FROM "
                             "project_automation WHERE project_id = ?"));
    q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read automation settings");
    AutomationSettings settings;
    if (q.next()) {
        settings.enabled = q.value(0).toBool();
        settings.maxCachePercent = q.value(1).toDouble();
        settings.maxLatencyIncreasePercent = q.value(2).toDouble();
        settings.dryRun = q.value(3).toBool();
        settings.hysteresisPercent = q.value(4).toDouble();
        settings.cooldownSeconds = q.value(5).toInt();
        settings.webhookUrl = q.value(6).toString();
        settings.webhookSecret = q.value(7).toString();
    }
    return settings;
}

Result<AutomationSettings> Repository::setAutomation(const QString &projectId,
                                                     const AutomationSettings &settings)
{
    if (!std::isfinite(settings.maxCachePercent) || settings.maxCachePercent <= 0 ||
        settings.maxCachePercent > 100)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Max cache size must be more than 0 and at most 100 %."),
                         QStringLiteral("maxCachePercent"));
    if (!std::isfinite(settings.maxLatencyIncreasePercent) || settings.maxLatencyIncreasePercent < 0 ||
        settings.maxLatencyIncreasePercent > 1000)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Max latency increase must be from 0 to 1000 %."),
                         QStringLiteral("maxLatencyIncreasePercent"));
    if (!std::isfinite(settings.hysteresisPercent) || settings.hysteresisPercent < 0 ||
        settings.hysteresisPercent > 50)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Hysteresis must be from 0 to 50 percentage points."),
                         QStringLiteral("hysteresisPercent"));
    if (settings.cooldownSeconds < 0 || settings.cooldownSeconds > 86400)
        return makeError(ErrorKind::BadInput, QStringLiteral("Cooldown must be from 0 to 86400 seconds."),
                         QStringLiteral("cooldownSeconds"));
    if (!settings.webhookUrl.isEmpty()) {
        const QUrl url(settings.webhookUrl, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("The webhook must be an http:// or https:// URL."),
                             QStringLiteral("webhookUrl"));
        if (settings.webhookSecret.size() < 16)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("The webhook secret must have at least 16 characters."),
                             QStringLiteral("webhookSecret"));
    }
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
        "INSERT INTO project_automation (project_id, enabled, max_cache_percent, "
        "max_latency_increase_percent, dry_run, hysteresis_percent, cooldown_seconds, webhook_url, "
        "webhook_secret, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id) DO "
        "UPDATE "
        "SET enabled = excluded.enabled, max_cache_percent = excluded.max_cache_percent, "
        "max_latency_increase_percent = excluded.max_latency_increase_percent, dry_run = excluded.dry_run, "
        "hysteresis_percent = excluded.hysteresis_percent, cooldown_seconds = excluded.cooldown_seconds, "
        "webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret, "
        "updated_at = excluded.updated_at"));
    q.addBindValue(projectId);
    q.addBindValue(settings.enabled ? 1 : 0);
    q.addBindValue(settings.maxCachePercent);
    q.addBindValue(settings.maxLatencyIncreasePercent);
    q.addBindValue(settings.dryRun ? 1 : 0);
    q.addBindValue(settings.hysteresisPercent);
    q.addBindValue(settings.cooldownSeconds);
    q.addBindValue(text(settings.webhookUrl));
    q.addBindValue(text(settings.webhookSecret));
    q.addBindValue(m_clock.nowMs());
    if (!q.exec()) {
        if (q.lastError().text().contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("project"), projectId);
        return queryError(q, "cannot save automation settings");
    }
    return settings;
}

Result<QList<ActionLogEntry>> Repository::actions(const QString &projectId, int limit)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM automated_actions WHERE project_id = ? ORDER BY ts DESC, "
                             "rowid DESC LIMIT ?")
                  .arg(kActionColumns));
    q.addBindValue(projectId);
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "cannot read the action log");
    QList<ActionLogEntry> out;
    while (q.next())
        out << actionFrom(q);
    return out;
}

Result<ActionLogEntry> Repository::addAction(const ActionLogEntry &entry)
{
    if (entry.actionType.trimmed().isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("an action needs a type"),
                         QStringLiteral("type"));
    ActionLogEntry stored = entry;
    if (stored.id.isEmpty())
        stored.id = newId();
    if (stored.timestampMs <= 0)
        stored.timestampMs = m_clock.nowMs();
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO automated_actions (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .arg(kActionColumns));
    q.addBindValue(stored.id);
    q.addBindValue(stored.projectId);
    q.addBindValue(stored.timestampMs);
    q.addBindValue(stored.actionType);
    q.addBindValue(text(stored.details));
    q.addBindValue(model::name(stored.status));
    q.addBindValue(text(stored.rule));
    q.addBindValue(stored.directive.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                              : QVariant(QString::fromUtf8(stored.directive)));
    q.addBindValue(stored.ackedAtMs ? QVariant(*stored.ackedAtMs) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(stored.outcome.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                            : QVariant(stored.outcome));
    if (!q.exec()) {
        if (q.lastError().text().contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("project"), stored.projectId);
        return queryError(q, "cannot write the action log");
    }
    return stored;
}

Result<std::optional<ActionLogEntry>> Repository::action(const QString &actionId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM automated_actions WHERE id = ?").arg(kActionColumns));
    q.addBindValue(actionId);
    if (!q.exec())
        return queryError(q, "cannot read the action log");
    if (!q.next())
        return std::optional<ActionLogEntry>();
    return std::optional<ActionLogEntry>(actionFrom(q));
}

Result<ActionLogEntry> Repository::acknowledgeAction(const QString &projectId, const QString &actionId,
                                                     const QString &outcome, const QString &message)
{
    const auto status = model::parseActionStatus(outcome);
    if (status != model::ActionStatus::Success && status != model::ActionStatus::Failed)
        return makeError(ErrorKind::BadInput, QStringLiteral("\"outcome\" must be \"success\" or \"failed\""),
                         QStringLiteral("outcome"));
    QSqlDatabase &db = m_connection.db();
    Transaction tx(db);
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    auto existing = action(actionId);
    if (!existing)
        return existing.error();
    // Another project's action is reported as missing: ids must not leak across keys.
    if (!existing->has_value() || (*existing)->projectId != projectId)
        return notFound(QStringLiteral("action"), actionId);
    if ((*existing)->status != model::ActionStatus::Pending)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("action %1 is not waiting for an acknowledgement (it is %2)")
                             .arg(actionId, model::name((*existing)->status)));
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("UPDATE automated_actions SET status = ?, acked_at = ?, outcome = ? WHERE id = ?"));
    const qint64 now = m_clock.nowMs();
    q.addBindValue(model::name(*status));
    q.addBindValue(now);
    q.addBindValue(message.left(2000));
    q.addBindValue(actionId);
    if (!q.exec())
        return queryError(q, "cannot record the acknowledgement");
    if (auto c = tx.commit(); !c)
        return c.error();
    ActionLogEntry updated = **existing;
    updated.status = *status;
    updated.ackedAtMs = now;
    updated.outcome = message.left(2000);
    return updated;
}

Result<bool> Repository::updateActionStatus(const QString &actionId, model::ActionStatus status,
                                            const QString &details)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE automated_actions SET status = ?, details = ? WHERE id = ?"));
    q.addBindValue(model::name(status));
    q.addBindValue(text(details));
    q.addBindValue(actionId);
    if (!q.exec())
        return queryError(q, "cannot update the action log");
    return q.numRowsAffected() > 0;
}

Result<QList<SampleRow>> Repository::samplePage(const QString &projectId, qint64 fromMs, qint64 toMs,
                                                bool newestFirst, std::optional<PageCursor> after, int limit)
{
    QString columns;
    for (const MetricInfo &info : metricTable())
        columns += QStringLiteral(", ") + QLatin1String(info.column);
    const QString order = newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC");
    const QString cursor = !after        ? QString()
                           : newestFirst ? QStringLiteral("AND (ts < ? OR (ts = ? AND id < ?))")
                                         : QStringLiteral("AND (ts > ? OR (ts = ? AND id > ?))");
    QSqlQuery q(m_connection.db());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT id, ts, processed_data%1 FROM metric_samples WHERE project_id = ? AND ts >= ? "
                       "AND ts < ? %2 ORDER BY ts %3, id %3 LIMIT ?")
            .arg(columns, cursor, order));
    q.addBindValue(projectId);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (after) {
        q.addBindValue(after->timestampMs);
        q.addBindValue(after->timestampMs);
        q.addBindValue(after->rowId);
    }
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "cannot read samples");
    QList<SampleRow> out;
    while (q.next()) {
        SampleRow row;
        row.rowId = q.value(0).toLongLong();
        row.sample.projectId = projectId;
        row.sample.timestampMs = q.value(1).toLongLong();
        row.sample.processedData = q.value(2).toByteArray();
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            const QVariant v = q.value(int(i) + 3);
            if (!v.isNull())
                row.sample.values[i] = v.toDouble();
        }
        out << row;
    }
    return out;
}

} // namespace cachewise::storage
