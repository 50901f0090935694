// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace cachewise::storage {

// What a write changed, as the stores tell it; the writer hands them on once they are committed.
enum class ChangeKind
{
    Project,        // created, renamed or deleted
    Key,            // created or revoked
    Setting,        // a setting or an OpenTelemetry name
    Samples,        // removed (new samples are the live feed's)
    Recommendation, // regenerated, or the user's answer
    Runtime,        // how the project runs its model
    Source,         // added, removed, or changed by the user or the scraper
    Automation,     // a project's limits
    Action,         // recorded, acknowledged or its status changed
    Server,         // a server profile added, changed or removed, or its process's state
    ModelLibrary,   // a scan of the model library stored
};

// For logs.
inline const char *name(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::Project: return "project";
    case ChangeKind::Key: return "key";
    case ChangeKind::Setting: return "setting";
    case ChangeKind::Samples: return "samples";
    case ChangeKind::Recommendation: return "recommendation";
    case ChangeKind::Runtime: return "runtime";
    case ChangeKind::Source: return "source";
    case ChangeKind::Automation: return "automation";
    case ChangeKind::Action: return "action";
    case ChangeKind::Server: return "server";
    case ChangeKind::ModelLibrary: return "model_library";
    }
    return "?";
}

struct Change
{
    ChangeKind kind;
    QString projectId; // empty when the store did not have it at hand (the record's id is given)
    QString id;        // the record's id (the setting's key), when there is one
};

using Changes = QList<Change>;

} // namespace cachewise::storage

Q_DECLARE_METATYPE(cachewise::storage::Change)
