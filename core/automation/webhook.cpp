// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/automation/webhook.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/common/timeformat.h"
#include "core/model/actiondetails.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>

namespace cachewise::automation {

ActionExecutor::~ActionExecutor() = default;

QJsonObject Directive::toJson() const
{
    QJsonObject o = params;
    o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("type"), type);
    o.insert(QStringLiteral("rule"), rule);
    o.insert(QStringLiteral("reason"), details);
    return o;
}

QByteArray webhookSignature(const QByteArray &secret, const QByteArray &body)
{
    return "sha256=" + QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

// Lives on the executor's thread: its network manager and its database connection belong there.
class WebhookWorker final : public QObject
{
    Q_OBJECT

public:
    WebhookWorker(StoreOpener openStore, const Clock &clock, int timeoutMs)
        : m_store(std::move(openStore)), m_clock(clock), m_timeoutMs(timeoutMs)
    {}

    void deliver(const Directive &directive, const QString &url, const QByteArray &secret)
    {
        if (!m_network)
            m_network = new QNetworkAccessManager(this);
        const QJsonObject payload{{QStringLiteral("event"), QStringLiteral("cachewise.action")},
                                  {QStringLiteral("projectId"), directive.projectId},
                                  {QStringLiteral("timestamp"), isoUtc(directive.timestampMs)},
                                  {QStringLiteral("action"), directive.toJson()}};
        const QByteArray body = QJsonDocument(payload).toJson(QJsonDocument::Compact);
        QNetworkRequest request{QUrl(url)};
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("X-CacheWise-Signature", webhookSignature(secret, body));
        request.setRawHeader("X-CacheWise-Action", directive.id.toUtf8());
        request.setTransferTimeout(m_timeoutMs);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_network->post(request, body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, directive, url] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
            model::ActionLogEntry entry;
            entry.projectId = directive.projectId;
            entry.actionType = QStringLiteral("webhook");
            entry.rule = directive.rule;
            entry.status = ok ? model::ActionStatus::Success : model::ActionStatus::Failed;
            entry.phrases = {
                ok ? model::phrase::webhookDelivered(directive.type, url, status)
                   : model::phrase::webhookFailed(directive.type, url,
                                                  model::phrase::httpError(status, reply->errorString()))};
            entry.directive = QJsonDocument(directive.toJson()).toJson(QJsonDocument::Compact);
            log(entry);
        });
    }

private:
    void log(const model::ActionLogEntry &entry)
    {
        if (!m_store.get("the webhook log"))
            return;
        if (auto added = m_store->addAction(entry); !added)
            qCWarning(lcAutomation) << "webhook outcome not logged:" << added.errorMessage();
    }

    LazyStore m_store;
    const Clock &m_clock;
    QNetworkAccessManager *m_network = nullptr;
    int m_timeoutMs;
};

WebhookExecutor::WebhookExecutor(StoreOpener openStore, const Clock &clock, int timeoutMs)
    : m_thread(new QThread), m_worker(new WebhookWorker(std::move(openStore), clock, timeoutMs))
{
    m_thread->setObjectName(QStringLiteral("cachewise-webhook"));
    m_worker->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

WebhookExecutor::~WebhookExecutor()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

bool WebhookExecutor::appliesTo(const model::AutomationSettings &settings) const
{
    return !settings.webhookUrl.isEmpty();
}

void WebhookExecutor::execute(const Directive &directive, const model::AutomationSettings &settings)
{
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, directive, url = settings.webhookUrl, secret = settings.webhookSecret.toUtf8()] {
            worker->deliver(directive, url, secret);
        },
        Qt::QueuedConnection);
}

} // namespace cachewise::automation

#include "webhook.moc"
