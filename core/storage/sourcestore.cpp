// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/sourcestore.h"

#include "core/common/clock.h"
#include "core/storage/sqltext.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QVariant>

namespace cachewise::storage {
namespace {

using sql::newId;
using sql::notFound;
using sql::nullableInteger;
using sql::optionalInteger;
using sql::text;

const QString kSourceColumns =
    QStringLiteral("id, project_id, engine, base_url, interval_ms, enabled, created_at, "
                   "state, state_reason, last_scrape_at, last_latency_ms, has_api_key, kv_layout, notices, "
                   "kv_capacity_tokens, restarted_at, restart_changes, erase_refused_at");

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

Result<Source> SourceStore::add(const Source &source)
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
    m_connection.noteChange(ChangeKind::Source, stored.projectId, stored.id);
    return stored;
}

Result<QList<Source>> SourceStore::list(const QString &projectId)
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

Result<bool> SourceStore::remove(const QString &sourceId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM project_sources WHERE id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return queryError(q, "cannot remove the source");
    return m_connection.noteIfChanged(q, ChangeKind::Source, {}, sourceId);
}

Result<bool> SourceStore::update(const QString &sourceId, const char *assignments, const QVariantList &values)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE project_sources SET %1 WHERE id = ?").arg(QLatin1String(assignments)));
    for (const QVariant &v : values)
        q.addBindValue(v);
    q.addBindValue(sourceId);
    if (!q.exec())
        return queryError(q, "cannot change the source");
    return m_connection.noteIfChanged(q, ChangeKind::Source, {}, sourceId);
}

Result<bool> SourceStore::setEnabled(const QString &sourceId, bool enabled)
{
    return update(sourceId, "enabled = ?", {enabled ? 1 : 0});
}

Result<bool> SourceStore::setHasApiKey(const QString &sourceId, bool hasKey)
{
    return update(sourceId, "has_api_key = ?", {hasKey ? 1 : 0});
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

Result<void> SourceStore::recordState(const SourceStateUpdate &update)
{
    auto recorded = writeSourceState(m_connection.db(), update);
    if (recorded)
        m_connection.noteChange(ChangeKind::Source, {}, update.sourceId);
    return recorded;
}

Result<void> SourceStore::recordRestart(const QString &sourceId, qint64 atMs, const QString &changes,
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
    m_connection.noteChange(ChangeKind::Source, {}, sourceId);
    return {};
}

Result<bool> SourceStore::acknowledgeRestart(const QString &sourceId)
{
    return update(sourceId, "restarted_at = NULL, restart_changes = ''", {});
}

Result<bool> SourceStore::setKvLayout(const QString &sourceId, model::KvLayout layout)
{
    return update(sourceId, "kv_layout = ?", {model::name(layout)});
}

Result<void> SourceStore::recordEraseRefused(const QString &sourceId, qint64 atMs)
{
    if (auto updated = update(sourceId, "erase_refused_at = ?", {atMs}); !updated)
        return updated.error();
    return {};
}

} // namespace cachewise::storage
