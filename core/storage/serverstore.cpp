// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/serverstore.h"

#include "core/common/clock.h"
#include "core/storage/sqltext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace cachewise::storage {
namespace {

using model::ModelFileEntry;
using model::ServerProcess;
using model::ServerProfile;
using sql::newId;
using sql::notFound;
using sql::nullableInteger;
using sql::optionalInteger;
using sql::text;

QString jsonList(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList listFromJson(const QString &text)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        out << v.toString();
    return out;
}

const QString kProfileColumns = QStringLiteral(
    "id, project_id, source_id, executable, model_path, context, parallel, unified, cache_type_k, "
    "cache_type_v, flash_attention, gpu_layers, threads, port, extra_args, created_at, updated_at, "
    "measured_kv_line, measured_at");

ServerProfile profileFrom(const QSqlQuery &q)
{
    ServerProfile p;
    p.id = q.value(0).toString();
    p.projectId = q.value(1).toString();
    p.sourceId = q.value(2).toString();
    p.executable = q.value(3).toString();
    p.modelPath = q.value(4).toString();
    p.context = q.value(5).toLongLong();
    p.parallel = q.value(6).toInt();
    p.unified = q.value(7).toBool();
    p.cacheTypeK = model::parseCacheType(q.value(8).toString()).value_or(model::CacheType::F16);
    p.cacheTypeV = model::parseCacheType(q.value(9).toString()).value_or(model::CacheType::F16);
    p.flashAttention =
        model::parseFlashAttention(q.value(10).toString()).value_or(model::FlashAttention::Auto);
    if (!q.value(11).isNull())
        p.gpuLayers = q.value(11).toInt();
    if (!q.value(12).isNull())
        p.threads = q.value(12).toInt();
    p.port = q.value(13).toInt();
    p.extraArgs = listFromJson(q.value(14).toString());
    p.createdAtMs = q.value(15).toLongLong();
    p.updatedAtMs = q.value(16).toLongLong();
    p.measuredKvLine = q.value(17).toString();
    p.measuredAtMs = optionalInteger(q.value(18));
    return p;
}

const QString kProcessColumns =
    QStringLiteral("id, state, state_reason, pid, process_identity, started_at, state_updated_at");

ServerProcess processFrom(const QSqlQuery &q)
{
    ServerProcess p;
    p.profileId = q.value(0).toString();
    p.state = model::parseServerState(q.value(1).toString()).value_or(model::ServerState::Stopped);
    p.stateReason = q.value(2).toString();
    p.pid = optionalInteger(q.value(3));
    p.processIdentity = q.value(4).toString();
    p.startedAtMs = optionalInteger(q.value(5));
    p.updatedAtMs = q.value(6).toLongLong();
    return p;
}

Error badInput(const QString &message, const char *field)
{
    return makeError(ErrorKind::BadInput, message, QLatin1String(field));
}

} // namespace

Result<QList<ModelFileEntry>> ModelFileStore::list()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(QStringLiteral("SELECT path, name, parts, size_bytes, modified_ms, model_json, file_type, "
                               "kv_bytes_per_token, problem, seen_at FROM model_files ORDER BY name, path")))
        return queryError(q, "cannot read the model library");
    QList<ModelFileEntry> out;
    while (q.next()) {
        ModelFileEntry e;
        e.path = q.value(0).toString();
        e.name = q.value(1).toString();
        e.parts = listFromJson(q.value(2).toString());
        e.sizeBytes = q.value(3).toLongLong();
        e.modifiedMs = q.value(4).toLongLong();
        e.modelJson = q.value(5).toString().toUtf8();
        e.fileType = optionalInteger(q.value(6));
        e.kvBytesPerToken = optionalInteger(q.value(7));
        e.problem = q.value(8).toString();
        e.seenAtMs = q.value(9).toLongLong();
        out << e;
    }
    return out;
}

Result<void> ModelFileStore::replaceUnder(const QStringList &roots, const QList<ModelFileEntry> &entries)
{
    QSqlDatabase &db = m_connection.db();
    Transaction tx(db);
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM model_files WHERE path = ? OR substr(path, 1, ?) = ?"));
    for (QString root : roots) {
        while (root.size() > 1 && root.endsWith(QLatin1Char('/')))
            root.chop(1);
        const QString prefix = root + QLatin1Char('/');
        q.addBindValue(root);
        q.addBindValue(prefix.size());
        q.addBindValue(prefix);
        if (!q.exec())
            return queryError(q, "cannot forget the models of a scanned folder");
    }
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO model_files (path, name, parts, size_bytes, "
                             "modified_ms, model_json, file_type, "
                             "kv_bytes_per_token, problem, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const ModelFileEntry &e : entries) {
        q.addBindValue(e.path);
        q.addBindValue(text(e.name));
        q.addBindValue(jsonList(e.parts));
        q.addBindValue(e.sizeBytes);
        q.addBindValue(e.modifiedMs);
        q.addBindValue(e.modelJson.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                             : QVariant(QString::fromUtf8(e.modelJson)));
        q.addBindValue(nullableInteger(e.fileType));
        q.addBindValue(nullableInteger(e.kvBytesPerToken));
        q.addBindValue(text(e.problem));
        q.addBindValue(e.seenAtMs);
        if (!q.exec())
            return queryError(q, "cannot store a scanned model");
    }
    if (auto r = tx.commit(); !r)
        return r;
    m_connection.noteChange(ChangeKind::ModelLibrary);
    return {};
}

Result<void> ServerStore::check(const ServerProfile &p) const
{
    if (p.executable.trimmed().isEmpty())
        return badInput(QStringLiteral("A server needs the llama-server program to run."), "executable");
    if (p.modelPath.trimmed().isEmpty())
        return badInput(QStringLiteral("A server needs a model file."), "model");
    if (p.context < 1 || p.context > (qint64(1) << 24))
        return badInput(QStringLiteral("The context must be from 1 to 16,777,216 tokens."), "context");
    if (p.parallel < 1 || p.parallel > 256)
        return badInput(QStringLiteral("Parallel slots must be from 1 to 256."), "parallel");
    if (p.port < 1 || p.port > 65535)
        return badInput(QStringLiteral("The port must be from 1 to 65535."), "port");
    if (p.gpuLayers && (*p.gpuLayers < 0 || *p.gpuLayers > 10000))
        return badInput(QStringLiteral("GPU layers must be from 0 to 10,000."), "gpu-layers");
    if (p.threads && (*p.threads < 1 || *p.threads > 1024))
        return badInput(QStringLiteral("Threads must be from 1 to 1,024."), "threads");
    return {};
}

namespace {

// The columns a user sets, in the order bindFlags() binds them.
const char *const kFlagColumns[] = {"executable", "model_path",   "context",      "parallel",
                                    "unified",    "cache_type_k", "cache_type_v", "flash_attention",
                                    "gpu_layers", "threads",      "port",         "extra_args"};

void bindFlags(QSqlQuery &q, const ServerProfile &p)
{
    q.addBindValue(p.executable);
    q.addBindValue(p.modelPath);
    q.addBindValue(p.context);
    q.addBindValue(p.parallel);
    q.addBindValue(p.unified ? 1 : 0);
    q.addBindValue(model::name(p.cacheTypeK));
    q.addBindValue(model::name(p.cacheTypeV));
    q.addBindValue(model::name(p.flashAttention));
    q.addBindValue(nullableInteger(p.gpuLayers ? std::optional<qint64>(*p.gpuLayers) : std::nullopt));
    q.addBindValue(nullableInteger(p.threads ? std::optional<qint64>(*p.threads) : std::nullopt));
    q.addBindValue(p.port);
    q.addBindValue(jsonList(p.extraArgs));
}

Error portTaken(int port)
{
    return makeError(ErrorKind::Conflict, QStringLiteral("Another server already uses port %1.").arg(port),
                     QStringLiteral("port"));
}

} // namespace

Result<ServerProfile> ServerStore::add(const ServerProfile &profile)
{
    if (auto r = check(profile); !r)
        return r.error();
    ServerProfile p = profile;
    p.id = newId();
    p.createdAtMs = p.updatedAtMs = m_clock.nowMs();
    QStringList columns{QStringLiteral("id"), QStringLiteral("project_id"), QStringLiteral("source_id")};
    for (const char *column : kFlagColumns)
        columns << QLatin1String(column);
    columns << QStringLiteral("created_at") << QStringLiteral("updated_at");
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO server_profiles (%1) VALUES (%2)")
                  .arg(columns.join(QStringLiteral(", ")),
                       QStringList(columns.size(), QStringLiteral("?")).join(QStringLiteral(", "))));
    q.addBindValue(p.id);
    q.addBindValue(p.projectId);
    q.addBindValue(p.sourceId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(p.sourceId));
    bindFlags(q, p);
    q.addBindValue(p.createdAtMs);
    q.addBindValue(p.updatedAtMs);
    if (!q.exec()) {
        const QString e = q.lastError().text();
        if (e.contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("project"), p.projectId);
        if (e.contains(QStringLiteral("UNIQUE")))
            return portTaken(p.port);
        return queryError(q, "cannot add the server");
    }
    m_connection.noteChange(ChangeKind::Server, p.projectId, p.id);
    p.measuredKvLine.clear();
    p.measuredAtMs.reset();
    return p;
}

Result<ServerProfile> ServerStore::update(const ServerProfile &profile)
{
    if (auto r = check(profile); !r)
        return r.error();
    QStringList assignments;
    for (const char *column : kFlagColumns)
        assignments << QLatin1String(column) + QStringLiteral(" = ?");
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE server_profiles SET %1, updated_at = ? WHERE id = ?")
                  .arg(assignments.join(QStringLiteral(", "))));
    bindFlags(q, profile);
    q.addBindValue(m_clock.nowMs());
    q.addBindValue(profile.id);
    if (!q.exec()) {
        if (q.lastError().text().contains(QStringLiteral("UNIQUE")))
            return portTaken(profile.port);
        return queryError(q, "cannot change the server");
    }
    if (q.numRowsAffected() == 0)
        return notFound(QStringLiteral("server"), profile.id);
    m_connection.noteChange(ChangeKind::Server, profile.projectId, profile.id);
    auto stored = get(profile.id);
    if (!stored)
        return stored.error();
    if (!stored.value())
        return notFound(QStringLiteral("server"), profile.id);
    return *stored.value();
}

Result<std::optional<ServerProfile>> ServerStore::get(const QString &id)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM server_profiles WHERE id = ?").arg(kProfileColumns));
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot read the server");
    if (!q.next())
        return std::optional<ServerProfile>();
    return std::optional<ServerProfile>(profileFrom(q));
}

Result<QList<ServerProfile>> ServerStore::list(const QString &projectId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("SELECT %1 FROM server_profiles %2 ORDER BY created_at, id")
            .arg(kProfileColumns, projectId.isEmpty() ? QString() : QStringLiteral("WHERE project_id = ?")));
    if (!projectId.isEmpty())
        q.addBindValue(projectId);
    if (!q.exec())
        return queryError(q, "cannot read the servers");
    QList<ServerProfile> out;
    while (q.next())
        out << profileFrom(q);
    return out;
}

Result<bool> ServerStore::remove(const QString &id)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM server_profiles WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot remove the server");
    return m_connection.noteIfChanged(q, ChangeKind::Server, {}, id);
}

Result<bool> ServerStore::setSource(const QString &id, const QString &sourceId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("UPDATE server_profiles SET source_id = ? WHERE id = ?"));
    q.addBindValue(sourceId.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(sourceId));
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot link the server to its source");
    return m_connection.noteIfChanged(q, ChangeKind::Server, {}, id);
}

Result<bool> ServerStore::recordMeasuredKv(const QString &id, const QString &line, qint64 atMs)
{
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("UPDATE server_profiles SET measured_kv_line = ?, measured_at = ? WHERE id = ?"));
    q.addBindValue(text(line));
    q.addBindValue(atMs);
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot record the measured KV allocation");
    return m_connection.noteIfChanged(q, ChangeKind::Server, {}, id);
}

Result<std::optional<ServerProcess>> ServerStore::process(const QString &profileId)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT %1 FROM server_profiles WHERE id = ?").arg(kProcessColumns));
    q.addBindValue(profileId);
    if (!q.exec())
        return queryError(q, "cannot read the server's process");
    if (!q.next())
        return std::optional<ServerProcess>();
    return std::optional<ServerProcess>(processFrom(q));
}

Result<QList<ServerProcess>> ServerStore::processes()
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(
            QStringLiteral("SELECT %1 FROM server_profiles ORDER BY created_at, id").arg(kProcessColumns)))
        return queryError(q, "cannot read the servers' processes");
    QList<ServerProcess> out;
    while (q.next())
        out << processFrom(q);
    return out;
}

Result<bool> ServerStore::recordProcess(const ServerProcess &p)
{
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("UPDATE server_profiles SET state = ?, state_reason = ?, pid = ?, process_identity = "
                       "?, started_at = ?, state_updated_at = ? WHERE id = ?"));
    q.addBindValue(model::name(p.state));
    q.addBindValue(text(p.stateReason));
    q.addBindValue(nullableInteger(p.pid));
    q.addBindValue(text(p.processIdentity));
    q.addBindValue(nullableInteger(p.startedAtMs));
    q.addBindValue(p.updatedAtMs > 0 ? p.updatedAtMs : m_clock.nowMs());
    q.addBindValue(p.profileId);
    if (!q.exec())
        return queryError(q, "cannot record the server's process");
    return m_connection.noteIfChanged(q, ChangeKind::Server, {}, p.profileId);
}

Result<void> ServerStore::recordUsage(const QString &profileId, const model::ServerUsage &usage,
                                      qint64 keepMs)
{
    if (usage.residentBytes < 0 || !(usage.cpuPercent >= 0) || (usage.gpuBytes && *usage.gpuBytes < 0))
        return makeError(ErrorKind::BadInput, QStringLiteral("usage figures are never negative"));
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO server_usage (profile_id, ts, resident_bytes, cpu_percent, "
                       "gpu_bytes) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(profileId);
    q.addBindValue(usage.timestampMs);
    q.addBindValue(usage.residentBytes);
    q.addBindValue(usage.cpuPercent);
    q.addBindValue(nullableInteger(usage.gpuBytes));
    if (!q.exec()) {
        if (q.lastError().text().contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("server"), profileId);
        return queryError(q, "cannot record the server's usage");
    }
    q.prepare(QStringLiteral("DELETE FROM server_usage WHERE profile_id = ? AND ts < ?"));
    q.addBindValue(profileId);
    q.addBindValue(usage.timestampMs - keepMs);
    if (!q.exec())
        return queryError(q, "cannot drop old usage");
    return {};
}

Result<QList<model::ServerUsage>> ServerStore::usage(const QString &profileId, qint64 fromMs, qint64 toMs)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
        "SELECT ts, resident_bytes, cpu_percent, gpu_bytes FROM server_usage WHERE profile_id = ? "
        "AND ts >= ? AND ts < ? ORDER BY ts"));
    q.addBindValue(profileId);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return queryError(q, "cannot read the server's usage");
    QList<model::ServerUsage> out;
    while (q.next())
        out << model::ServerUsage{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toDouble(),
                                  optionalInteger(q.value(3))};
    return out;
}

} // namespace cachewise::storage
