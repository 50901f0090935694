// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/automation/actionexecutor.h"
#include "core/automation/automationstore.h"

class QThread;

namespace cachewise {
class Clock;
}

namespace cachewise::automation {

class EngineExecutorWorker;

// Carries directives out on the sources of the directive's project, through each engine's own API, and
// records in the directive's log entry the HTTP outcome with the value it changed before and after
// (success), why it could not (failed), or that the engine has no such switch (skipped):
// - llama-server: evict_lru erases idle slots (POST /slots/{id}?action=erase), least recently used first
//   (oldest task), down to the target; never a slot that is processing; 501 means no --slot-save-path.
// - vLLM: evict_lru resets the prefix cache (POST /reset_prefix_cache, needs VLLM_SERVER_DEV_MODE=1) and
//   checks the KV usage in /metrics afterwards, since a 200 can still mean "not reset".
// - SGLang: evict_lru flushes the cache (POST /flush_cache; 400 while requests run), usage checked after.
// - Ollama: evict_lru unloads the loaded model that expires first (keep_alive 0).
// Projects without a source are left to their client.
class EngineExecutor final : public ActionExecutor
{
public:
    EngineExecutor(StoreOpener openStore, const Clock &clock);
    ~EngineExecutor() override;

    QString name() const override { return QStringLiteral("engines"); }
    bool appliesTo(const model::AutomationSettings &) const override { return true; }
    void execute(const Directive &directive, const model::AutomationSettings &settings) override;

private:
    QThread *m_thread;
    EngineExecutorWorker *m_worker;
};

} // namespace cachewise::automation
