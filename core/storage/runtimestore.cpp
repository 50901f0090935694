// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/runtimestore.h"

#include "core/common/clock.h"
#include "core/model/json.h"
#include "core/storage/sqltext.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace cachewise::storage {

using sql::newId;
using sql::notFound;
using sql::text;

namespace {

// The same settings (the time of the save aside; the model compared as JSON, not as text).
bool sameRuntime(const ProjectRuntime &a, const ProjectRuntime &b)
{
    return model::json::runtime(a) == model::json::runtime(b);
}

QString runtimeText(const ProjectRuntime &r)
{
    return QString::fromUtf8(QJsonDocument(model::json::runtime(r)).toJson(QJsonDocument::Compact));
}

std::optional<ProjectRuntime> runtimeFromText(const QString &text)
{
    return model::json::runtimeFrom(QJsonDocument::fromJson(text.toUtf8()).object());
}

const QString kChangeColumns =
    QStringLiteral("id, project_id, changed_at, recommendation_id, before_json, after_json, undone_at");

Result<RuntimeChange> changeFrom(const QSqlQuery &q)
{
    RuntimeChange c;
    c.id = q.value(0).toString();
    c.projectId = q.value(1).toString();
    c.changedAtMs = q.value(2).toLongLong();
    c.recommendationId = q.value(3).toString();
    if (!q.value(4).isNull()) {
        c.before = runtimeFromText(q.value(4).toString());
        if (!c.before)
            return makeError(ErrorKind::Storage, QStringLiteral("runtime change %1 is unreadable").arg(c.id));
    }
    const auto after = runtimeFromText(q.value(5).toString());
    if (!after)
        return makeError(ErrorKind::Storage, QStringLiteral("runtime change %1 is unreadable").arg(c.id));
    c.after = *after;
    if (!q.value(6).isNull())
        c.undoneAtMs = q.value(6).toLongLong();
    return c;
}

} // namespace

Result<std::optional<ProjectRuntime>> RuntimeStore::get(const QString &projectId)
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

Result<ProjectRuntime> RuntimeStore::set(const QString &projectId, const ProjectRuntime &runtime,
                                         const QString &recommendationId)
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
    Transaction tx(m_connection.db());
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    auto previous = get(projectId);
    if (!previous)
        return previous.error();
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
    if (!previous->has_value() || !sameRuntime(**previous, stored)) {
        QSqlQuery history(m_connection.db());
        history.prepare(QStringLiteral("INSERT INTO runtime_changes (%1) VALUES (?, ?, ?, ?, ?, ?, NULL)")
                            .arg(kChangeColumns));
        history.addBindValue(newId());
        history.addBindValue(projectId);
        history.addBindValue(stored.updatedAtMs);
        history.addBindValue(recommendationId.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                        : QVariant(recommendationId));
        history.addBindValue(previous->has_value() ? QVariant(runtimeText(**previous))
                                                   : QVariant(QMetaType(QMetaType::QString)));
        history.addBindValue(runtimeText(stored));
        if (!history.exec())
            return queryError(history, "cannot record the runtime's change");
    }
    if (auto c = tx.commit(); !c)
        return c.error();
    m_connection.noteChange(ChangeKind::Runtime, projectId, {});
    return stored;
}

Result<QList<RuntimeChange>> RuntimeStore::changes(const QString &projectId, qint64 fromMs, qint64 toMs)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM runtime_changes WHERE project_id = ? AND changed_at >= ? AND "
                             "changed_at < ? ORDER BY changed_at, rowid")
                  .arg(kChangeColumns));
    q.addBindValue(projectId);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return queryError(q, "cannot read the runtime's history");
    QList<RuntimeChange> out;
    while (q.next()) {
        auto change = changeFrom(q);
        if (!change)
            return change.error();
        out << change.value();
    }
    return out;
}

Result<std::optional<RuntimeChange>> RuntimeStore::appliedChange(const QString &recommendationId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM runtime_changes WHERE recommendation_id = ? AND undone_at IS "
                             "NULL ORDER BY changed_at DESC, rowid DESC LIMIT 1")
                  .arg(kChangeColumns));
    q.addBindValue(recommendationId);
    if (!q.exec())
        return queryError(q, "cannot read the runtime's history");
    if (!q.next())
        return std::optional<RuntimeChange>();
    auto change = changeFrom(q);
    q.finish();
    if (!change)
        return change.error();
    return std::optional<RuntimeChange>(change.value());
}

Result<bool> RuntimeStore::markUndone(const QString &changeId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE runtime_changes SET undone_at = ? WHERE id = ? AND undone_at IS NULL"));
    q.addBindValue(m_clock.nowMs());
    q.addBindValue(changeId);
    if (!q.exec())
        return queryError(q, "cannot mark the runtime's change undone");
    return q.numRowsAffected() > 0;
}

} // namespace cachewise::storage
