// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/types.h"

#include <QJsonObject>
#include <QString>

namespace cachewise::automation {

// An action the automation decided on, as it is logged and handed out.
struct Directive
{
    QString id; // the action log entry's id; clients acknowledge with it
    QString projectId;
    QString rule;
    QString type;       // evict_lru, set_chunk_size, …
    QJsonObject params; // type-specific, e.g. targetPercent
    QString details;    // English, for the client
    QJsonArray phrases; // the decision's, to which an executor adds how it ended
    qint64 timestampMs = 0;

    // {"id":…, "type":…, …params}: what clients receive in the reply to POST /api/metrics.
    QJsonObject toJson() const;
};

// Something that carries a directive out beyond the client's reply: a webhook today, the engines'
// own management endpoints (llama-server slots, vLLM, SGLang, Ollama) behind the same interface later.
// execute() must not block: deliver asynchronously and log the outcome.
class ActionExecutor
{
public:
    virtual ~ActionExecutor();
    virtual QString name() const = 0;
    // Whether this executor has anything to do for the project's settings.
    virtual bool appliesTo(const model::AutomationSettings &settings) const = 0;
    virtual void execute(const Directive &directive, const model::AutomationSettings &settings) = 0;
};

} // namespace cachewise::automation
