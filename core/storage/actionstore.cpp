// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/actionstore.h"

#include "core/common/clock.h"
#include "core/model/actiondetails.h"
#include "core/storage/sqltext.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QVariant>

#include <cmath>

namespace cachewise::storage {
namespace {

using sql::newId;
using sql::notFound;
using sql::text;

const QString kActionColumns = QStringLiteral(
    "id, project_id, ts, action_type, details, status, rule, directive, acked_at, outcome, phrases");

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
    if (!q.value(10).isNull())
        a.phrases = QJsonDocument::fromJson(q.value(10).toString().toUtf8()).array();
    return a;
}

QVariant phrasesColumn(const QJsonArray &phrases)
{
    return phrases.isEmpty()
               ? QVariant(QMetaType(QMetaType::QString))
               : QVariant(QString::fromUtf8(QJsonDocument(phrases).toJson(QJsonDocument::Compact)));
}

} // namespace

Result<AutomationSettings> ActionStore::automation(const QString &projectId)
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

Result<AutomationSettings> ActionStore::setAutomation(const QString &projectId,
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
    m_connection.noteChange(ChangeKind::Automation, projectId, {});
    return settings;
}

Result<QList<ActionLogEntry>> ActionStore::list(const QString &projectId, int limit)
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

Result<ActionLogEntry> ActionStore::add(const ActionLogEntry &entry)
{
    if (entry.actionType.trimmed().isEmpty())
        return makeError(ErrorKind::BadInput, QStringLiteral("an action needs a type"),
                         QStringLiteral("type"));
    ActionLogEntry stored = entry;
    if (stored.id.isEmpty())
        stored.id = newId();
    if (stored.timestampMs <= 0)
        stored.timestampMs = m_clock.nowMs();
    if (!stored.phrases.isEmpty())
        stored.details = model::englishPhrasesText(stored.phrases);
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO automated_actions (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
    q.addBindValue(phrasesColumn(stored.phrases));
    if (!q.exec()) {
        if (q.lastError().text().contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("project"), stored.projectId);
        return queryError(q, "cannot write the action log");
    }
    m_connection.noteChange(ChangeKind::Action, stored.projectId, stored.id);
    return stored;
}

Result<std::optional<ActionLogEntry>> ActionStore::get(const QString &actionId)
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

Result<ActionLogEntry> ActionStore::acknowledge(const QString &projectId, const QString &actionId,
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
    auto existing = get(actionId);
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
    m_connection.noteChange(ChangeKind::Action, projectId, actionId);
    return updated;
}

Result<bool> ActionStore::setStatus(const QString &actionId, model::ActionStatus status,
                                    const QJsonArray &phrases)
{
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("UPDATE automated_actions SET status = ?, details = ?, phrases = ? WHERE id = ?"));
    q.addBindValue(model::name(status));
    q.addBindValue(text(model::englishPhrasesText(phrases)));
    q.addBindValue(phrasesColumn(phrases));
    q.addBindValue(actionId);
    if (!q.exec())
        return queryError(q, "cannot update the action log");
    return m_connection.noteIfChanged(q, ChangeKind::Action, {}, actionId);
}

} // namespace cachewise::storage
