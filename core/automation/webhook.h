// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/automation/actionexecutor.h"
#include "core/automation/automationstore.h"

#include <QByteArray>
#include <QString>

class QThread;

namespace cachewise {
class Clock;
}

namespace cachewise::automation {

class WebhookWorker;

// "sha256=<hex>" of HMAC-SHA256(secret, body): the X-CacheWise-Signature header value.
QByteArray webhookSignature(const QByteArray &secret, const QByteArray &body);

// Posts each directive as JSON to the project's webhook URL, signed with its secret, from a thread of
// its own; the outcome (HTTP status or error) goes to the action log as a "webhook" entry.
class WebhookExecutor final : public ActionExecutor
{
public:
    WebhookExecutor(StoreOpener openStore, const Clock &clock, int timeoutMs = 10'000);
    ~WebhookExecutor() override;

    QString name() const override { return QStringLiteral("webhook"); }
    bool appliesTo(const model::AutomationSettings &settings) const override;
    void execute(const Directive &directive, const model::AutomationSettings &settings) override;

private:
    QThread *m_thread;
    WebhookWorker *m_worker;
};

} // namespace cachewise::automation
