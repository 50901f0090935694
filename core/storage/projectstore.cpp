// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/projectstore.h"

#include "core/common/clock.h"
#include "core/storage/sqltext.h"

#include <QSqlQuery>
#include <QVariant>

namespace cachewise::storage {
namespace {

using sql::newId;
using sql::text;

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

Error nameTaken(const QString &name)
{
    return makeError(ErrorKind::Conflict, QStringLiteral("A project named \"%1\" already exists.").arg(name),
                     QStringLiteral("name"));
}

} // namespace

Result<Project> ProjectStore::create(const QString &name, const QString &modelName,
                                     const QString &architecture, const QString &fixedId)
{
    if (auto r = checkProjectFields(name, modelName, architecture); !r)
        return r.error();
    if (!fixedId.isEmpty() && !sql::isValidId(fixedId))
        return makeError(ErrorKind::BadInput, QStringLiteral("'%1' is not a valid project id").arg(fixedId),
                         QStringLiteral("id"));
    Project p;
    p.id = fixedId.isEmpty() ? newId() : fixedId;
    p.name = text(name.trimmed());
    p.modelName = text(modelName.trimmed());
    p.modelArchitecture = text(architecture.trimmed());
    p.createdAtMs = p.updatedAtMs = m_clock.nowMs();
    QSqlQuery q(m_connection.db());
    // One statement, so two writers cannot both take a name.
    q.prepare(QStringLiteral("INSERT INTO projects (%1) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                             "(SELECT 1 FROM projects WHERE name = ? COLLATE NOCASE)")
                  .arg(kProjectColumns));
    q.addBindValue(p.id);
    q.addBindValue(p.name);
    q.addBindValue(p.modelName);
    q.addBindValue(p.modelArchitecture);
    q.addBindValue(p.createdAtMs);
    q.addBindValue(p.updatedAtMs);
    q.addBindValue(p.name);
    if (!q.exec())
        return queryError(q, "cannot create project");
    if (q.numRowsAffected() != 1)
        return nameTaken(p.name);
    m_connection.noteChange(ChangeKind::Project, p.id, p.id);
    return p;
}

Result<Project> ProjectStore::update(const Project &project)
{
    if (auto r = checkProjectFields(project.name, project.modelName, project.modelArchitecture); !r)
        return r.error();
    Project p = project;
    p.name = text(p.name.trimmed());
    p.modelName = text(p.modelName.trimmed());
    p.modelArchitecture = text(p.modelArchitecture.trimmed());
    p.updatedAtMs = m_clock.nowMs();
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("UPDATE projects SET name = ?, model_name = ?, model_architecture = ?, updated_at = ? "
                       "WHERE id = ? AND NOT EXISTS (SELECT 1 FROM projects WHERE name = ? COLLATE NOCASE "
                       "AND id <> ?)"));
    q.addBindValue(p.name);
    q.addBindValue(p.modelName);
    q.addBindValue(p.modelArchitecture);
    q.addBindValue(p.updatedAtMs);
    q.addBindValue(p.id);
    q.addBindValue(p.name);
    q.addBindValue(p.id);
    if (!q.exec())
        return queryError(q, "cannot update project");
    if (q.numRowsAffected() != 1) {
        auto exists = get(p.id);
        if (!exists)
            return exists.error();
        if (!exists->has_value())
            return makeError(ErrorKind::NotFound, QStringLiteral("no project with id %1").arg(p.id));
        return nameTaken(p.name);
    }
    m_connection.noteChange(ChangeKind::Project, p.id, p.id);
    return p;
}

Result<QList<Project>> ProjectStore::list()
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

Result<std::optional<Project>> ProjectStore::get(const QString &id)
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

Result<bool> ProjectStore::remove(const QString &id)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM projects WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return queryError(q, "cannot delete project");
    return m_connection.noteIfChanged(q, ChangeKind::Project, id, id);
}

} // namespace cachewise::storage
