// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/recommendationstore.h"

#include "core/common/clock.h"
#include "core/storage/sqltext.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace cachewise::storage {
namespace {

using sql::newId;
using sql::notFound;
using sql::text;

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

QVariant optionalValue(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::Double));
}

} // namespace

Result<QList<Recommendation>> RecommendationStore::list(const QString &projectId)
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

Result<std::optional<Recommendation>> RecommendationStore::get(const QString &recommendationId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM recommendations WHERE id = ?").arg(kRecommendationColumns));
    q.addBindValue(recommendationId);
    if (!q.exec())
        return queryError(q, "cannot read the recommendation");
    if (!q.next())
        return std::optional<Recommendation>();
    return std::optional<Recommendation>(recommendationFrom(q));
}

Result<bool> RecommendationStore::setStatus(const QString &recommendationId,
                                            model::RecommendationStatus status)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE recommendations SET status = ? WHERE id = ?"));
    q.addBindValue(model::name(status));
    q.addBindValue(recommendationId);
    if (!q.exec())
        return queryError(q, "cannot update the recommendation");
    return m_connection.noteIfChanged(q, ChangeKind::Recommendation, {}, recommendationId);
}

Result<QList<Recommendation>> RecommendationStore::replace(const QString &projectId,
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
            // Advice another device's user answered already comes with that answer (sync keeps it).
            "VALUES (?, ?, ?, ?, ?, ?, ?, coalesce((SELECT json_extract(data, '$.status') FROM sync_records "
            "WHERE kind = 'recommendation' AND record_id = ? AND deleted = 0), ?), ?, ?) "
            "ON CONFLICT (project_id, rule) WHERE rule IS NOT NULL DO UPDATE SET generated_at = "
            "excluded.generated_at, title = excluded.title, description = excluded.description, "
            "memory_saving_percent = excluded.memory_saving_percent, speed_increase_percent = "
            "excluded.speed_increase_percent, details = excluded.details, "
            // Applied advice that now asks for something else is new advice: pending again.
            "status = CASE WHEN recommendations.status = 'applied' AND "
            "json_extract(recommendations.details, '$.apply') IS NOT json_extract(excluded.details, "
            "'$.apply') "
            "THEN 'pending' ELSE recommendations.status END"));
        q.addBindValue(newId());
        q.addBindValue(projectId);
        q.addBindValue(r.generatedAtMs > 0 ? r.generatedAtMs : m_clock.nowMs());
        q.addBindValue(r.title);
        q.addBindValue(text(r.description));
        q.addBindValue(optionalValue(r.memorySavingPercent));
        q.addBindValue(optionalValue(r.speedIncreasePercent));
        q.addBindValue(QString(projectId + QLatin1Char('/') + r.rule));
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
    m_connection.noteChange(ChangeKind::Recommendation, projectId, {});
    return list(projectId);
}

} // namespace cachewise::storage
