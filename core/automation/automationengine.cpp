// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/automation/automationengine.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/model/actiondetails.h"

#include <QJsonDocument>
#include <QUuid>

namespace cachewise::automation {

AutomationEngine::AutomationEngine(StoreOpener openStore, const Clock &clock)
    : m_store(std::move(openStore)), m_clock(clock)
{}

AutomationEngine::~AutomationEngine() = default;

void AutomationEngine::addExecutor(std::unique_ptr<ActionExecutor> executor)
{
    const std::lock_guard lock(m_mutex);
    m_executors.push_back(std::move(executor));
}

void AutomationEngine::setAlertHandler(std::function<void(const Alert &)> handler)
{
    const std::lock_guard lock(m_mutex);
    m_alertHandler = std::move(handler);
}

bool AutomationEngine::ensureOpen()
{
    return m_store.get("automation") != nullptr;
}

ProjectState &AutomationEngine::stateFor(const QString &projectId)
{
    auto it = m_states.find(projectId);
    if (it != m_states.end())
        return *it;
    // A restart keeps the cooldowns: each rule's last action comes from the log.
    ProjectState state;
    if (auto recent = m_store->actions(projectId, 200)) {
        for (const model::ActionLogEntry &a : *recent) {
            RuleState *rule = a.rule == QLatin1String("cache_size") ? &state.cache
                              : a.rule == QLatin1String("latency")  ? &state.latency
                                                                    : nullptr;
            if (rule && a.actionType != QLatin1String("webhook") && a.status != model::ActionStatus::Alert &&
                rule->lastActionMs < a.timestampMs) {
                rule->lastActionMs = a.timestampMs;
                rule->armed = false;
                rule->aboveSinceMs = a.timestampMs; // assume it stayed above until a sample says otherwise
            }
        }
    }
    return *m_states.insert(projectId, state);
}

void AutomationEngine::holdBack(Decision &decision, const std::optional<model::Source> &server)
{
    if (!server)
        return; // a program that pushes acts on its own cache: it gets the directive
    const model::Engine engine = server->engine;
    if (decision.rule == QLatin1String("latency")) {
        // No engine changes its batching at run time: say what to restart it with.
        decision.alertOnly = true;
        // The measurement stays; what to do instead of smaller prefill chunks replaces it.
        decision.phrases = {decision.phrases.first(), model::phrase::restartToChangeBatching(engine)};
        decision.details = model::englishPhrasesText(decision.phrases);
        return;
    }
    if (decision.actionType == QLatin1String("evict_lru") && engine == model::Engine::LlamaCpp &&
        server->eraseRefusedAtMs) {
        decision.alertOnly = true;
        decision.phrases.append(model::phrase::eraseRefusedBefore());
        decision.details = model::englishPhrasesText(decision.phrases);
    }
}

QJsonArray AutomationEngine::samplesCommitted(const QString &projectId,
                                              const QList<model::MetricSample> &samples)
{
    const std::lock_guard lock(m_mutex);
    QJsonArray directives;
    if (samples.isEmpty() || !ensureOpen())
        return directives;
    if (const quint64 generation = m_settingsGeneration.load(); generation != m_settingsRead) {
        m_settings.clear();
        m_settingsRead = generation;
    }
    auto held = m_settings.constFind(projectId);
    if (held == m_settings.constEnd()) {
        auto read = m_store->automation(projectId);
        if (!read) {
            qCWarning(lcAutomation) << "automation settings unreadable:" << read.errorMessage();
            return directives;
        }
        held = m_settings.insert(projectId, read.value());
    }
    if (!held.value().enabled) {
        qCDebug(lcAutomation) << projectId << "automation is off:" << samples.size()
                              << "sample(s) not judged";
        return directives;
    }
    // A copy: a write below (the action log) may make the next call forget the held ones.
    const model::AutomationSettings settingsCopy = held.value();
    const model::AutomationSettings *settings = &settingsCopy;
    ProjectState &state = stateFor(projectId);
    const qint64 now = m_clock.nowMs();
    // The engine the project is scraped from, if any: read only when a rule fires, not for every push.
    std::optional<std::optional<model::Source>> server;
    const auto scrapedFrom = [this, &server, &projectId]() -> const std::optional<model::Source> & {
        if (!server) {
            server.emplace();
            if (auto sources = m_store->sources(projectId)) {
                for (const model::Source &source : *sources) {
                    if (source.enabled) {
                        *server = source;
                        break;
                    }
                }
            }
        }
        return *server;
    };
    for (const model::MetricSample &sample : samples) {
        for (Decision d : m_policy.evaluate(state, *settings, sample, now)) {
            holdBack(d, scrapedFrom());
            qCDebug(lcAutomation) << projectId << "rule" << d.rule << "fired:" << d.details
                                  << (d.alertOnly        ? "(alert only)"
                                      : settings->dryRun ? "(dry run: logged, not sent)"
                                                         : "(directive sent)");
            if (m_alertHandler)
                m_alertHandler(Alert{projectId, d.rule, d.details, settings->dryRun});
            // One entry per event: the action (dry run or sent) is the record of the crossing; only a
            // crossing with nothing to do is logged as an alert of its own.
            if (d.alertOnly) {
                model::ActionLogEntry alert;
                alert.projectId = projectId;
                alert.timestampMs = now;
                alert.actionType = QStringLiteral("threshold_crossed");
                alert.rule = d.rule;
                alert.status = model::ActionStatus::Alert;
                alert.phrases = d.phrases;
                if (auto added = m_store->addAction(alert); !added)
                    qCWarning(lcAutomation) << "alert not logged:" << added.errorMessage();
                qCDebug(lcAutomation)
                    << "automation:" << d.rule << "alert only for" << projectId << d.details;
                continue;
            }

            model::ActionLogEntry entry;
            entry.projectId = projectId;
            entry.timestampMs = now;
            entry.actionType = d.actionType;
            entry.rule = d.rule;
            entry.phrases = d.phrases;
            entry.status = settings->dryRun ? model::ActionStatus::DryRun : model::ActionStatus::Pending;
            Directive directive{QString(), projectId, d.rule,    d.actionType,
                                d.params,  d.details, d.phrases, now};
            if (!settings->dryRun) {
                entry.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
                directive.id = entry.id;
                entry.directive = QJsonDocument(directive.toJson()).toJson(QJsonDocument::Compact);
            }
            auto added = m_store->addAction(entry);
            if (!added) {
                // Not logged means not handed out: a directive nobody can acknowledge would be lost.
                qCWarning(lcAutomation) << "action not logged, not sent:" << added.errorMessage();
                continue;
            }
            if (settings->dryRun)
                continue;
            directives.append(directive.toJson());
            for (const auto &executor : m_executors) {
                if (executor->appliesTo(*settings))
                    executor->execute(directive, *settings);
            }
        }
    }
    return directives;
}

} // namespace cachewise::automation
