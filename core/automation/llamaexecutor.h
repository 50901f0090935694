// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/automation/actionexecutor.h"

class QThread;

namespace cachewise {
class Clock;
}

namespace cachewise::automation {

class LlamaExecutorWorker;

// Carries directives out on the llama-server sources of the directive's project: evict_lru erases idle
// slots, least recently used first (oldest task), until the cache is down to the target; a slot that
// is processing is never erased. The directive's log entry gets the HTTP outcome and the tokens in use
// before and after (success), or why it could not be done (failed: for example llama-server answers 501
// without --slot-save-path). Projects without such a source are left to their client.
class LlamaServerExecutor final : public ActionExecutor
{
public:
    LlamaServerExecutor(const QString &databasePath, const Clock &clock);
    ~LlamaServerExecutor() override;

    QString name() const override { return QStringLiteral("llama-server"); }
    bool appliesTo(const storage::AutomationSettings &) const override { return true; }
    void execute(const Directive &directive, const storage::AutomationSettings &settings) override;

private:
    QThread *m_thread;
    LlamaExecutorWorker *m_worker;
};

} // namespace cachewise::automation
