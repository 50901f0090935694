// SPDX-License-Identifier: GPL-3.0-or-later
// recommendations, actions, automation.
#include "app/cli/cli.h"
#include "core/common/timeformat.h"
#include "core/model/json.h"
#include "core/services/projectanalysis.h"

#include <QJsonArray>
#include <QJsonObject>

namespace cachewise::cli {
namespace {

int recommendations(Context &c)
{
    int code = kOk;
    if (!c.expect(1, &code))
        return code;
    if (!c.args.options.contains(QStringLiteral("project")))
        return c.usage(QStringLiteral("recommendations needs --project ID"));
    const auto id = c.projectIdArg(c.args.options.value(QStringLiteral("project")), &code);
    if (!id || !c.openStorage(&code))
        return code;
    if (!c.requireProject(*id, &code))
        return code;
    const bool refresh = c.args.flags.contains(QStringLiteral("refresh"));
    auto analysed = services::analyseProject(c.repository, *id, c.clock.nowMs(),
                                             refresh ? storage::writesOn(c.repository) : storage::Writes{});
    if (!analysed)
        return c.failure(analysed.errorMessage());
    if (c.json) {
        QJsonArray list;
        for (const model::Recommendation &r : analysed->recommendations)
            list.append(model::json::recommendation(r));
        QJsonObject score;
        if (analysed->score.score)
            score.insert(QStringLiteral("value"), *analysed->score.score);
        QJsonArray parts;
        for (const model::ScorePart &p : analysed->score.parts) {
            QJsonObject part{{QStringLiteral("id"), p.id},
                             {QStringLiteral("weight"), p.weight},
                             {QStringLiteral("inputs"), p.inputs}};
            part.insert(QStringLiteral("value"), p.value ? QJsonValue(*p.value) : QJsonValue());
            parts.append(part);
        }
        score.insert(QStringLiteral("parts"), parts);
        printJson(QJsonObject{{QStringLiteral("projectId"), *id},
                              {QStringLiteral("configured"), analysed->configured},
                              {QStringLiteral("minutesCollected"), analysed->minutesCollected},
                              {QStringLiteral("minutesRequired"), analysed->minutesRequired},
                              {QStringLiteral("score"), score},
                              {QStringLiteral("recommendations"), list}});
        return kOk;
    }
    if (!analysed->configured)
        out(QStringLiteral("describe the project's engine and model first: cachewise-cli project runtime %1 "
                           "--model NAME ...")
                .arg(*id));
    else if (!analysed->enoughData())
        out(QStringLiteral("%1 of %2 minutes of data collected; recommendations come after that")
                .arg(analysed->minutesCollected, 0, 'f', 0)
                .arg(analysed->minutesRequired, 0, 'f', 0));
    if (analysed->score.score) {
        QStringList parts;
        for (const model::ScorePart &p : analysed->score.parts) {
            if (p.value)
                parts
                    << QStringLiteral("%1 %2/%3").arg(p.id).arg(*p.value * p.weight, 0, 'f', 0).arg(p.weight);
            else
                parts << QStringLiteral("%1 not measured").arg(p.id);
        }
        out(QStringLiteral("optimization score: %1 (%2)")
                .arg(*analysed->score.score)
                .arg(parts.join(QStringLiteral(", "))));
    }
    for (const model::Recommendation &r : analysed->recommendations) {
        out(QString());
        out(QStringLiteral("[%1] %2").arg(model::name(r.status), r.title));
        out(QStringLiteral("  %1").arg(r.description));
    }
    return kOk;
}

int actions(Context &c)
{
    int code = kOk;
    if (!c.expect(1, &code))
        return code;
    if (!c.args.options.contains(QStringLiteral("project")))
        return c.usage(QStringLiteral("actions needs --project ID"));
    const auto id = c.projectIdArg(c.args.options.value(QStringLiteral("project")), &code);
    const auto limit = c.integerOption(QStringLiteral("limit"), 100, 1, 100000, &code);
    if (!id || !limit || !c.openStorage(&code))
        return code;
    auto list = c.repository.actions().list(*id, int(*limit));
    if (!list)
        return c.failure(list.errorMessage());
    if (c.json) {
        QJsonArray array;
        for (const model::ActionLogEntry &a : *list)
            array.append(model::json::action(a));
        printJson(array);
        return kOk;
    }
    for (const model::ActionLogEntry &a : *list)
        out(QStringLiteral("%1  %2  %3  %4")
                .arg(isoUtc(a.timestampMs), model::name(a.status), a.actionType, a.details));
    return kOk;
}

int automation(Context &c)
{
    int code = kOk;
    if (!c.expect(1, &code))
        return code;
    if (!c.args.options.contains(QStringLiteral("project")))
        return c.usage(QStringLiteral("automation needs --project ID"));
    if ((c.args.flags.contains(QStringLiteral("enable")) &&
         c.args.flags.contains(QStringLiteral("disable"))) ||
        (c.args.flags.contains(QStringLiteral("dry-run")) && c.args.flags.contains(QStringLiteral("live"))))
        return c.usage(QStringLiteral("--enable/--disable and --dry-run/--live are either-or"));
    const auto id = c.projectIdArg(c.args.options.value(QStringLiteral("project")), &code);
    if (!id || !c.openStorage(&code))
        return code;
    if (!c.requireProject(*id, &code))
        return code;
    auto current = c.repository.actions().automation(*id);
    if (!current)
        return c.failure(current.errorMessage());
    model::AutomationSettings settings = *current;
    const bool changing = !c.args.flags.isEmpty() && !(c.args.flags.size() == 1 && c.json);
    bool anyOption = false;
    for (const auto &[option, target] :
         {std::pair{QStringLiteral("max-cache-percent"), &settings.maxCachePercent},
          std::pair{QStringLiteral("max-latency-increase-percent"), &settings.maxLatencyIncreasePercent},
          std::pair{QStringLiteral("hysteresis"), &settings.hysteresisPercent}}) {
        if (!c.args.options.contains(option))
            continue;
        bool ok = false;
        *target = c.args.options.value(option).toDouble(&ok);
        if (!ok)
            return c.usage(QStringLiteral("--%1 must be a number").arg(option));
        anyOption = true;
    }
    if (c.args.options.contains(QStringLiteral("cooldown"))) {
        const auto cooldown = c.integerOption(QStringLiteral("cooldown"), 0, 0, 86400, &code);
        if (!cooldown)
            return code;
        settings.cooldownSeconds = int(*cooldown);
        anyOption = true;
    }
    if (c.args.options.contains(QStringLiteral("webhook-url"))) {
        settings.webhookUrl = c.args.options.value(QStringLiteral("webhook-url"));
        anyOption = true;
    }
    if (c.args.options.contains(QStringLiteral("webhook-secret")))
        return c.usage(
            QStringLiteral("a secret on the command line stays in the shell's history and in `ps`: "
                           "give it on standard input with --webhook-secret-stdin"));
    if (c.args.flags.contains(QStringLiteral("webhook-secret-stdin"))) {
        const auto secret = c.secretFromStdin(QStringLiteral("webhook secret"), &code);
        if (!secret)
            return code;
        settings.webhookSecret = *secret;
        anyOption = true;
    }
    if (c.args.flags.contains(QStringLiteral("enable")))
        settings.enabled = true;
    if (c.args.flags.contains(QStringLiteral("disable")))
        settings.enabled = false;
    if (c.args.flags.contains(QStringLiteral("dry-run")))
        settings.dryRun = true;
    if (c.args.flags.contains(QStringLiteral("live")))
        settings.dryRun = false;
    if (changing || anyOption) {
        auto saved = c.repository.actions().setAutomation(*id, settings);
        if (!saved)
            return c.usage(saved.errorMessage());
        settings = *saved;
    }
    if (c.json) {
        printJson(
            QJsonObject{{QStringLiteral("projectId"), *id},
                        {QStringLiteral("enabled"), settings.enabled},
                        {QStringLiteral("dryRun"), settings.dryRun},
                        {QStringLiteral("maxCachePercent"), settings.maxCachePercent},
                        {QStringLiteral("maxLatencyIncreasePercent"), settings.maxLatencyIncreasePercent},
                        {QStringLiteral("hysteresisPercent"), settings.hysteresisPercent},
                        {QStringLiteral("cooldownSeconds"), settings.cooldownSeconds},
                        {QStringLiteral("webhookUrl"), settings.webhookUrl},
                        {QStringLiteral("webhookSecretSet"), !settings.webhookSecret.isEmpty()}});
        return kOk;
    }
    out(QStringLiteral(
            "automation: %1%2; cache above %3 %, latency above +%4 %, hysteresis %5, cooldown %6 s%7")
            .arg(settings.enabled ? QStringLiteral("on") : QStringLiteral("off"),
                 settings.dryRun ? QStringLiteral(" (dry run)") : QString())
            .arg(settings.maxCachePercent)
            .arg(settings.maxLatencyIncreasePercent)
            .arg(settings.hysteresisPercent)
            .arg(settings.cooldownSeconds)
            .arg(settings.webhookUrl.isEmpty() ? QString()
                                               : QStringLiteral(", webhook ") + settings.webhookUrl));
    return kOk;
}

} // namespace

QList<Command> analysisCommands()
{
    return {
        {{QStringLiteral("recommendations")},
         QStringLiteral("--project ID [--refresh]"),
         QStringLiteral("the project's recommendations and optimization score; --refresh recomputes them "
                        "from the data first"),
         {QStringLiteral("project")},
         {QStringLiteral("refresh")},
         {QStringLiteral("recommendations --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --refresh")},
         recommendations},
        {{QStringLiteral("actions")},
         QStringLiteral("--project ID [--limit N]"),
         QStringLiteral("the automated-management log (newest first)"),
         {QStringLiteral("project"), QStringLiteral("limit")},
         {},
         {QStringLiteral("actions --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --limit 20")},
         actions},
        {{QStringLiteral("automation")},
         QStringLiteral("--project ID [--enable | --disable] [--dry-run | --live] [--max-cache-percent P] "
                        "[--max-latency-increase-percent P] [--hysteresis P] [--cooldown SECONDS] "
                        "[--webhook-url URL --webhook-secret-stdin]"),
         QStringLiteral("show or change the project's automated-management limits"),
         {QStringLiteral("project"), QStringLiteral("max-cache-percent"),
          QStringLiteral("max-latency-increase-percent"), QStringLiteral("hysteresis"),
          QStringLiteral("cooldown"), QStringLiteral("webhook-url"), QStringLiteral("webhook-secret")},
         {QStringLiteral("enable"), QStringLiteral("disable"), QStringLiteral("dry-run"),
          QStringLiteral("live"), QStringLiteral("webhook-secret-stdin")},
         {QStringLiteral("automation --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10"),
          QStringLiteral("automation --project 0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10 --enable --live "
                         "--max-cache-percent 85")},
         automation},
    };
}

} // namespace cachewise::cli
