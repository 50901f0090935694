// SPDX-License-Identifier: GPL-3.0-or-later
// key create, list, revoke.
#include "app/cli/cli.h"
#include "core/common/timeformat.h"
#include "core/ingest/samplejson.h"
#include "core/model/json.h"

#include <QJsonArray>
#include <QJsonObject>

namespace cachewise::cli {
namespace {

int keyCreate(Context &c)
{
    int code = kOk;
    const auto project = c.openProject(2, -1, &code);
    if (!project)
        return code;
    auto key = c.repository.keys().create(project->id, c.args.options.value(QStringLiteral("name")));
    if (!key)
        return c.failure(key.errorMessage());
    if (c.json) {
        QJsonObject o = model::json::apiKey(key->key);
        o.insert(QStringLiteral("apiKey"), key->secret);
        printJson(o);
    } else {
        out(QStringLiteral("Key created: %1").arg(key->key.id));
        out(QStringLiteral("API key (shown once, store it now): %1").arg(key->secret));
    }
    return kOk;
}

int keyList(Context &c)
{
    int code = kOk;
    const auto project = c.openProject(2, -1, &code);
    if (!project)
        return code;
    auto keys = c.repository.keys().list(project->id);
    if (!keys)
        return c.failure(keys.errorMessage());
    if (c.json) {
        QJsonArray list;
        for (const model::ApiKey &k : keys.value())
            list.append(model::json::apiKey(k));
        printJson(list);
        return kOk;
    }
    for (const model::ApiKey &k : keys.value())
        out(QStringLiteral("%1  %2…  %3  %4")
                .arg(k.id, k.prefix, k.revoked() ? QStringLiteral("revoked") : QStringLiteral("active"),
                     k.name)
                .trimmed());
    return kOk;
}

int keyRevoke(Context &c)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    const QString keyId = ingest::normaliseUuid(c.args.positional.at(2));
    if (keyId.isEmpty())
        return c.usage(QStringLiteral("'%1' is not a key id (a UUID)").arg(c.args.positional.at(2)));
    if (!c.openStorage(&code))
        return code;
    auto key = c.repository.keys().get(keyId);
    if (!key)
        return c.failure(key.errorMessage());
    if (!key.value())
        return c.failure(QStringLiteral("no API key with id %1").arg(keyId));
    if (key.value()->revoked())
        return c.failure(QStringLiteral("API key %1 is already revoked").arg(keyId));
    auto revoked = c.repository.keys().revoke(keyId);
    if (!revoked)
        return c.failure(revoked.errorMessage());
    if (c.json)
        printJson(QJsonObject{{QStringLiteral("revoked"), keyId}});
    else
        out(QStringLiteral("API key revoked: %1").arg(keyId));
    return kOk;
}

} // namespace

QList<Command> keyCommands()
{
    return {
        {{QStringLiteral("key"), QStringLiteral("create")},
         QStringLiteral("--project ID [--name NAME]"),
         QStringLiteral("create another API key (shown once)"),
         {QStringLiteral("project"), QStringLiteral("name")},
         {},
         {QStringLiteral("key create --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --name ci")},
         keyCreate},
        {{QStringLiteral("key"), QStringLiteral("list")},
         QStringLiteral("--project ID"),
         QStringLiteral("list a project's keys (never the secrets)"),
         {QStringLiteral("project")},
         {},
         {QStringLiteral("key list --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10")},
         keyList},
        {{QStringLiteral("key"), QStringLiteral("revoke")},
         QStringLiteral("KEY_ID"),
         QStringLiteral("revoke a key; pushes with it get 401 at once"),
         {},
         {},
         {QStringLiteral("key revoke 6c3f2d8e-1b4a-4f3e-8e2a-9d7c5b1a0f42")},
         keyRevoke},
    };
}

} // namespace cachewise::cli
