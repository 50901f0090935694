// SPDX-License-Identifier: GPL-3.0-or-later
// config show, get, set.
#include "app/cli/cli.h"
#include "core/storage/settings.h"

#include <QJsonObject>

namespace cachewise::cli {
namespace {

int configShow(Context &c)
{
    int code = kOk;
    if (!c.expect(2, &code) || !c.openStorage(&code))
        return code;
    auto all = c.repository.settings().all();
    if (!all)
        return c.failure(all.errorMessage());
    if (c.json) {
        QJsonObject o;
        for (auto it = all->begin(); it != all->end(); ++it)
            o.insert(it.key(), it.value());
        printJson(o);
        return kOk;
    }
    for (const storage::SettingSpec &spec : storage::settingSpecs())
        out(QStringLiteral("%1 = %2    # %3").arg(spec.key, all->value(spec.key), spec.description));
    return kOk;
}

int configGet(Context &c)
{
    int code = kOk;
    if (!c.expect(3, &code))
        return code;
    const QString key = c.args.positional.at(2);
    if (!storage::findSetting(key))
        return c.usage(QStringLiteral("unknown setting '%1'").arg(key));
    if (!c.openStorage(&code))
        return code;
    auto value = c.repository.settings().value(key);
    if (!value)
        return c.failure(value.errorMessage());
    if (c.json)
        printJson(QJsonObject{{key, value.value()}});
    else
        out(value.value());
    return kOk;
}

int configSet(Context &c)
{
    int code = kOk;
    if (!c.expect(4, &code))
        return code;
    const QString key = c.args.positional.at(2);
    auto checked = storage::validateSetting(key, c.args.positional.at(3));
    if (!checked)
        return c.usage(checked.errorMessage());
    if (!c.openStorage(&code))
        return code;
    auto saved = c.repository.settings().set(key, checked.value());
    if (!saved)
        return c.failure(saved.errorMessage());
    if (c.json)
        printJson(QJsonObject{{key, saved.value()}});
    else
        out(QStringLiteral("%1 = %2").arg(key, saved.value()));
    return kOk;
}

} // namespace

QList<Command> configCommands()
{
    return {
        {{QStringLiteral("config"), QStringLiteral("show")},
         QStringLiteral(""),
         QStringLiteral("show every setting"),
         {},
         {},
         {QStringLiteral("config show")},
         configShow},
        {{QStringLiteral("config"), QStringLiteral("get")},
         QStringLiteral("KEY"),
         QStringLiteral("show one setting"),
         {},
         {},
         {QStringLiteral("config get retention.rawDays")},
         configGet},
        {{QStringLiteral("config"), QStringLiteral("set")},
         QStringLiteral("KEY VALUE"),
         QStringLiteral("change a setting (the running app picks it up)"),
         {},
         {},
         {QStringLiteral("config set listen.address 127.0.0.1:4318")},
         configSet},
    };
}

} // namespace cachewise::cli
