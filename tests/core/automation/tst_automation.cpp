// SPDX-License-Identifier: GPL-3.0-or-later
// Automated management: the policy on a test clock (crossing, hysteresis, cooldown, latency baseline),
// then end to end over the real listener: directives in the reply, acknowledgements, the action log,
// dry-run, and a webhook whose signature a real HTTP receiver on loopback verifies.
#include "core/automation/automationengine.h"
#include "core/automation/policy.h"
#include "core/automation/webhook.h"
#include "core/model/actiondetails.h"
#include "core/services/automationstore.h"
#include "core/storage/writes.h"
#include "tests/support/httpclient.h"
#include "tests/support/teststack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using namespace cachewise::automation;
using model::Metric;

namespace {

model::MetricSample cacheSample(double percent)
{
    model::MetricSample s;
    s.setValue(Metric::KvCacheUsageRatio, percent / 100.0);
    return s;
}

model::MetricSample latencySample(double ms)
{
    model::MetricSample s;
    s.setValue(Metric::InferenceTimeMs, ms);
    return s;
}

model::AutomationSettings settings(double maxCache = 90, double hysteresis = 5, int cooldownSeconds = 300)
{
    model::AutomationSettings s;
    s.enabled = true;
    s.dryRun = false;
    s.maxCachePercent = maxCache;
    s.maxLatencyIncreasePercent = 20;
    s.hysteresisPercent = hysteresis;
    s.cooldownSeconds = cooldownSeconds;
    return s;
}

// A minimal HTTP receiver: records each request's headers and body, answers with `status`.
class WebhookReceiver : public QObject
{
public:
    struct Received
    {
        QByteArray head;
        QByteArray body;
        QByteArray header(const QByteArray &name) const
        {
            for (const QByteArray &line : head.split('\n')) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().toLower() == name)
                    return line.mid(colon + 1).trimmed();
            }
            return {};
        }
    };

    explicit WebhookReceiver(int status) : m_status(status)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const
    {
        return QStringLiteral("http://127.0.0.1:%1/hooks/cachewise").arg(m_server.serverPort());
    }
    QList<Received> received;

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        Received r;
        r.head = buffer.left(end);
        const qsizetype length = r.header("content-length").toLongLong();
        if (buffer.size() < end + 4 + length)
            return;
        r.body = buffer.mid(end + 4, length);
        received << r;
        m_buffers.remove(socket);
        socket->write(QStringLiteral("HTTP/1.1 %1 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                          .arg(m_status)
                          .toLatin1());
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_status;
};

QList<model::ActionLogEntry> logOf(test::TestStack &stack, const QString &projectId)
{
    auto list = stack.repository().actions().list(projectId, 100);
    return list ? *list : QList<model::ActionLogEntry>{};
}

int count(const QList<model::ActionLogEntry> &log, model::ActionStatus status, const QString &type = {})
{
    return int(std::count_if(log.begin(), log.end(), [&](const model::ActionLogEntry &a) {
        return a.status == status && (type.isEmpty() || a.actionType == type);
    }));
}

} // namespace

class TestAutomation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crossingHysteresisCooldown();
    void actsAgainWhenStillAboveAfterCooldown();
    void latencyAgainstBaseline();
    void latencyNeverFromNothing();
    void latencyComparedAtTheSameLoad();
    void withoutCacheMetricsNothingHappens();
    void signature();
    void directivesAcknowledgementsAndLog();
    void webhookSignedAndLogged();
    void webhookFailureLogged();
    void dryRunOnlyLogs();
    void disabledDoesNothing();
    void changedLimitsTakeEffectAtOnce();
    void settingsRefused();
    void restartKeepsCooldown();
    void scrapedEnginesGetAlerts();
};

void TestAutomation::crossingHysteresisCooldown()
{
    Policy policy;
    ProjectState state;
    const auto s = settings(90, 5, 300);
    qint64 t = 1'000'000;
    QVERIFY(policy.evaluate(state, s, cacheSample(80), t).isEmpty());
    auto d = policy.evaluate(state, s, cacheSample(92), t += 10'000);
    QCOMPARE(d.size(), 1);
    QCOMPARE(d[0].actionType, QStringLiteral("evict_lru"));
    QCOMPARE(d[0].params.value(QLatin1String("targetPercent")).toDouble(), 85.0);
    QVERIFY(d[0].details.contains(QLatin1String("92")));
    // Still above: no second action.
    QVERIFY(policy.evaluate(state, s, cacheSample(95), t += 10'000).isEmpty());
    // A dip that stays within the hysteresis band does not re-arm.
    QVERIFY(policy.evaluate(state, s, cacheSample(88), t += 10'000).isEmpty());
    QVERIFY(policy.evaluate(state, s, cacheSample(93), t += 10'000).isEmpty());
    // Below 85 re-arms, but the cooldown still holds.
    QVERIFY(policy.evaluate(state, s, cacheSample(84), t += 10'000).isEmpty());
    QVERIFY(policy.evaluate(state, s, cacheSample(92), t += 10'000).isEmpty());
    // After the cooldown a new crossing acts.
    QVERIFY(policy.evaluate(state, s, cacheSample(80), t += 300'000).isEmpty());
    QCOMPARE(policy.evaluate(state, s, cacheSample(91), t += 1'000).size(), 1);
}

void TestAutomation::actsAgainWhenStillAboveAfterCooldown()
{
    Policy policy;
    ProjectState state;
    const auto s = settings(90, 5, 60);
    const qint64 t0 = 5'000'000;
    QCOMPARE(policy.evaluate(state, s, cacheSample(95), t0).size(), 1);
    for (int i = 1; i < 6; ++i)
        QVERIFY(policy.evaluate(state, s, cacheSample(95), t0 + i * 10'000).isEmpty());
    // Above for a whole cooldown: the eviction did not help, act again, once.
    QCOMPARE(policy.evaluate(state, s, cacheSample(95), t0 + 60'000).size(), 1);
    QVERIFY(policy.evaluate(state, s, cacheSample(95), t0 + 70'000).isEmpty());
}

void TestAutomation::latencyAgainstBaseline()
{
    Policy policy;
    ProjectState state;
    const auto s = settings(90, 5, 0);
    qint64 t = 0;
    for (int i = 0; i < Policy::kBaselineSamples; ++i)
        QVERIFY(policy.evaluate(state, s, latencySample(i % 2 ? 190 : 210), t += 1000).isEmpty());
    QCOMPARE(state.latencyBaselines.value(0).meanMs, 200.0);
    // +15 %: under the 20 % limit.
    QVERIFY(policy.evaluate(state, s, latencySample(230), t += 1000).isEmpty());
    auto d = policy.evaluate(state, s, latencySample(250), t += 1000);
    QCOMPARE(d.size(), 1);
    QCOMPARE(d[0].actionType, QStringLiteral("set_chunk_size"));
    QCOMPARE(d[0].params.value(QLatin1String("chunkSize")).toInt(), 512);
    // Slow samples do not move the baseline, and do not act again while disarmed.
    QVERIFY(policy.evaluate(state, s, latencySample(260), t += 1000).isEmpty());
    QVERIFY(state.latencyBaselines.value(0).meanMs < 202.0);
    // Below baseline × 1.15 re-arms; the next crossing acts (no cooldown here).
    QVERIFY(policy.evaluate(state, s, latencySample(205), t += 1000).isEmpty());
    QCOMPARE(policy.evaluate(state, s, latencySample(260), t += 1000).size(), 1);
}

void TestAutomation::latencyNeverFromNothing()
{
    Policy policy;
    ProjectState state;
    const auto s = settings(90, 5, 0);
    qint64 t = 0;
    // Zeros are no measurement: they never build a baseline (which would make any latency "inf %" above).
    for (int i = 0; i < 3 * Policy::kBaselineSamples; ++i)
        QVERIFY(policy.evaluate(state, s, latencySample(0), t += 1000).isEmpty());
    QVERIFY(state.latencyBaselines.isEmpty());
    for (int i = 0; i < Policy::kBaselineSamples; ++i)
        policy.evaluate(state, s, latencySample(100), t += 1000);
    // An idle server's last latency (no token processed in the interval) is not a fresh measurement.
    model::MetricSample stale = latencySample(500);
    stale.setValue(Metric::TokensProcessed, 0);
    for (int i = 0; i < 5; ++i)
        QVERIFY(policy.evaluate(state, s, stale, t += 1000).isEmpty());
    stale.setValue(Metric::TokensProcessed, 40);
    const auto d = policy.evaluate(state, s, stale, t += 1000);
    QCOMPARE(d.size(), 1);
    QVERIFY2(d[0].details.contains(QStringLiteral("400 % above its 100 ms baseline")),
             qPrintable(d[0].details));
}

void TestAutomation::latencyComparedAtTheSameLoad()
{
    // Per output token, which grows with concurrency: four requests at once are compared with four.
    const auto perToken = [](double ms, double running) {
        model::MetricSample s;
        s.setValue(Metric::TimePerOutputTokenMs, ms);
        s.setValue(Metric::InferenceTimeMs, 9999); // a request's time depends on its length: not used
        s.setValue(Metric::RequestsRunning, running);
        s.setValue(Metric::TokensProcessed, 100);
        return s;
    };
    Policy policy;
    ProjectState state;
    const auto s = settings(90, 5, 0);
    qint64 t = 0;
    for (int i = 0; i < Policy::kBaselineSamples; ++i)
        QVERIFY(policy.evaluate(state, s, perToken(5, 1), t += 1000).isEmpty());
    // Four running requests make each token slower: a new load, with a baseline of its own, no alert.
    for (int i = 0; i < Policy::kBaselineSamples; ++i)
        QVERIFY(policy.evaluate(state, s, perToken(12, 4), t += 1000).isEmpty());
    QVERIFY(policy.evaluate(state, s, perToken(5.5, 1), t += 1000).isEmpty());
    QVERIFY(policy.evaluate(state, s, perToken(13, 3), t += 1000).isEmpty()); // 3 and 4 are one load
    // Slower at the same load does act, and says at which.
    const auto d = policy.evaluate(state, s, perToken(16, 4), t += 1000);
    QCOMPARE(d.size(), 1);
    QVERIFY2(
        d[0].details.startsWith(QStringLiteral("time per output token 16 ms with 4 request(s) running, 33 % "
                                               "above its 12 ms baseline at that load")),
        qPrintable(d[0].details));
}

void TestAutomation::withoutCacheMetricsNothingHappens()
{
    Policy policy;
    ProjectState state;
    model::MetricSample s;
    s.setValue(Metric::KvCacheSizeKB, 1'000'000); // no capacity: no percentage
    QVERIFY(policy.evaluate(state, settings(), s, 1000).isEmpty());
    QVERIFY(!Policy::cachePercent(s).has_value());
    s.setValue(Metric::KvCacheCapacityKB, 1'000'000);
    QCOMPARE(*Policy::cachePercent(s), 100.0);
}

void TestAutomation::signature()
{
    // RFC 4231 test case 2.
    const QByteArray expected = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    QCOMPARE(webhookSignature("Jefe", "what do ya want for nothing?"), expected);
}

void TestAutomation::directivesAcknowledgementsAndLog()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Auto"));
    const test::CreatedProject other = stack.createProject(QStringLiteral("Other"));
    QVERIFY(stack.repository().actions().setAutomation(p.id, settings(90, 5, 0)));
    QSignalSpy alerts(&stack.engine(), &services::Engine::alert);

    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    test::HttpReply below = client.postJson("/api/metrics", test::usageJson(p.id, 0.5), p.apiKey);
    QCOMPARE(below.status, 200);
    QVERIFY(below.json().value(QLatin1String("actions")).toArray().isEmpty());

    test::HttpReply above = client.postJson("/api/metrics", test::usageJson(p.id, 0.95), p.apiKey);
    QCOMPARE(above.status, 200);
    QCOMPARE(above.json().value(QLatin1String("accepted")).toInt(), 1);
    const QJsonArray actions = above.json().value(QLatin1String("actions")).toArray();
    QCOMPARE(actions.size(), 1);
    const QJsonObject directive = actions.first().toObject();
    QCOMPARE(directive.value(QLatin1String("type")).toString(), QStringLiteral("evict_lru"));
    QCOMPARE(directive.value(QLatin1String("targetPercent")).toDouble(), 85.0);
    const QString actionId = directive.value(QLatin1String("id")).toString();
    QVERIFY(!actionId.isEmpty());

    QTRY_COMPARE(alerts.size(), 1);
    QCOMPARE(alerts.first().at(0).toString(), p.id);
    QCOMPARE(alerts.first().at(3).toBool(), false);

    auto log = logOf(stack, p.id);
    // One entry for the crossing: the directive, not an alert beside it.
    QCOMPARE(count(log, model::ActionStatus::Alert), 0);
    QCOMPARE(count(log, model::ActionStatus::Pending, QStringLiteral("evict_lru")), 1);
    QCOMPARE(log.size(), 1);

    // Acknowledgement: bad inputs first, each changing nothing.
    const QByteArray ackPath = "/api/actions/" + actionId.toUtf8() + "/ack";
    QCOMPARE(
        client.request("POST", ackPath, R"({"outcome":"success"})", {{"Content-Type", "application/json"}})
            .status,
        401);
    QCOMPARE(client.postJson(ackPath, R"({"outcome":"maybe"})", p.apiKey).errorCode(),
             QStringLiteral("invalid_outcome"));
    QCOMPARE(client.postJson(ackPath, R"({"outcome":"success","message":5})", p.apiKey).status, 400);
    QCOMPARE(client.postJson(ackPath, R"(not json)", p.apiKey).status, 400);
    QCOMPARE(client.postJson(ackPath, R"({"outcome":"success"})", other.apiKey).status,
             404); // not its project
    QCOMPARE(client.postJson("/api/actions/nope/ack", R"({"outcome":"success"})", p.apiKey).status, 404);
    QCOMPARE(client.request("GET", ackPath).status, 405);
    QCOMPARE(count(logOf(stack, p.id), model::ActionStatus::Pending), 1);

    test::HttpReply ack =
        client.postJson(ackPath, R"({"outcome":"success","message":"evicted 412 entries"})", p.apiKey);
    QCOMPARE(ack.status, 200);
    QCOMPARE(ack.json().value(QLatin1String("status")).toString(), QStringLiteral("success"));
    QCOMPARE(ack.json().value(QLatin1String("outcome")).toString(), QStringLiteral("evicted 412 entries"));
    QCOMPARE(client.postJson(ackPath, R"({"outcome":"failed"})", p.apiKey).status, 409);
    log = logOf(stack, p.id);
    QCOMPARE(count(log, model::ActionStatus::Success, QStringLiteral("evict_lru")), 1);
    QCOMPARE(count(log, model::ActionStatus::Pending), 0);

    // A failed outcome is logged as such.
    QVERIFY(client.postJson("/api/metrics", test::usageJson(p.id, 0.5), p.apiKey).status == 200);
    const QJsonArray again = client.postJson("/api/metrics", test::usageJson(p.id, 0.97), p.apiKey)
                                 .json()
                                 .value(QLatin1String("actions"))
                                 .toArray();
    QCOMPARE(again.size(), 1);
    const QByteArray againPath =
        "/api/actions/" + again.first().toObject().value(QLatin1String("id")).toString().toUtf8() + "/ack";
    QCOMPARE(
        client.postJson(againPath, R"({"outcome":"failed","message":"no cache to evict"})", p.apiKey).status,
        200);
    QCOMPARE(count(logOf(stack, p.id), model::ActionStatus::Failed, QStringLiteral("evict_lru")), 1);
}

void TestAutomation::webhookSignedAndLogged()
{
    WebhookReceiver receiver(204);
    QVERIFY(receiver.listen());
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Hooked"));
    auto s = settings(90, 5, 0);
    s.webhookUrl = receiver.url();
    s.webhookSecret = QStringLiteral("a-very-secret-signing-key");
    QVERIFY(stack.repository().actions().setAutomation(p.id, s));

    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    const QJsonArray actions = client.postJson("/api/metrics", test::usageJson(p.id, 0.99), p.apiKey)
                                   .json()
                                   .value(QLatin1String("actions"))
                                   .toArray();
    QCOMPARE(actions.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.received.size(), 1, 10000);
    const auto &got = receiver.received.first();
    QVERIFY(got.head.startsWith("POST /hooks/cachewise HTTP/1.1"));
    // The receiver checks the signature with the shared secret, as a user's endpoint would.
    const QByteArray expected =
        "sha256=" +
        QMessageAuthenticationCode::hash(got.body, s.webhookSecret.toUtf8(), QCryptographicHash::Sha256)
            .toHex();
    QCOMPARE(got.header("x-cachewise-signature"), expected);
    const QJsonObject payload = QJsonDocument::fromJson(got.body).object();
    QCOMPARE(payload.value(QLatin1String("projectId")).toString(), p.id);
    QCOMPARE(payload.value(QLatin1String("action")).toObject().value(QLatin1String("id")),
             actions.first().toObject().value(QLatin1String("id")));
    QTRY_COMPARE_WITH_TIMEOUT(
        count(logOf(stack, p.id), model::ActionStatus::Success, QStringLiteral("webhook")), 1, 10000);
}

void TestAutomation::webhookFailureLogged()
{
    WebhookReceiver receiver(500);
    QVERIFY(receiver.listen());
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Broken hook"));
    auto s = settings(90, 5, 0);
    s.webhookUrl = receiver.url();
    s.webhookSecret = QStringLiteral("another-signing-secret");
    QVERIFY(stack.repository().actions().setAutomation(p.id, s));
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    QCOMPARE(client.postJson("/api/metrics", test::usageJson(p.id, 0.99), p.apiKey).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(
        count(logOf(stack, p.id), model::ActionStatus::Failed, QStringLiteral("webhook")), 1, 10000);
    const auto log = logOf(stack, p.id);
    for (const auto &a : log) {
        if (a.actionType == QLatin1String("webhook"))
            QVERIFY2(a.details.contains(QLatin1String("HTTP 500")), qPrintable(a.details));
    }
    // The directive itself still went to the client and waits for its acknowledgement.
    QCOMPARE(count(log, model::ActionStatus::Pending, QStringLiteral("evict_lru")), 1);
}

void TestAutomation::dryRunOnlyLogs()
{
    WebhookReceiver receiver(204);
    QVERIFY(receiver.listen());
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Dry"));
    auto s = settings(90, 5, 0);
    s.dryRun = true;
    s.webhookUrl = receiver.url();
    s.webhookSecret = QStringLiteral("dry-run-signing-secret");
    QVERIFY(stack.repository().actions().setAutomation(p.id, s));
    QSignalSpy alerts(&stack.engine(), &services::Engine::alert);
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    test::HttpReply r = client.postJson("/api/metrics", test::usageJson(p.id, 0.96), p.apiKey);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value(QLatin1String("actions")).toArray().isEmpty());
    const auto log = logOf(stack, p.id);
    QCOMPARE(count(log, model::ActionStatus::DryRun, QStringLiteral("evict_lru")), 1);
    QCOMPARE(count(log, model::ActionStatus::Alert), 0); // one entry per event
    QCOMPARE(count(log, model::ActionStatus::Pending), 0);
    QTRY_COMPARE(alerts.size(), 1);
    QCOMPARE(alerts.first().at(3).toBool(), true);
    QTest::qWait(300);
    QVERIFY(receiver.received.isEmpty()); // no webhook in dry-run
}

void TestAutomation::disabledDoesNothing()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Off"));
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    test::HttpReply r = client.postJson("/api/metrics", test::usageJson(p.id, 1.0), p.apiKey);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value(QLatin1String("actions")).toArray().isEmpty());
    QVERIFY(logOf(stack, p.id).isEmpty());
}

void TestAutomation::changedLimitsTakeEffectAtOnce()
{
    // The limits are held in memory after the first push; a change made in this process counts for the very
    // next push, one made by another process (the CLI) once the writer has seen SQLite's change counter move.
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Changing"));
    QVERIFY(stack.settleChangeChecks()); // the project, made on the test's connection, is told by now
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    const auto actionsFor = [&](double ratio) {
        const test::HttpReply r = client.postJson("/api/metrics", test::usageJson(p.id, ratio), p.apiKey);
        return r.status == 200 ? r.json().value(QLatin1String("actions")).toArray().size() : -1;
    };
    QCOMPARE(actionsFor(0.96), 0); // off, and now held so
    QVERIFY(storage::writeThrough(stack.writer().writes(), [&](storage::Repository &r) {
        return r.actions().setAutomation(p.id, settings(90, 5, 0));
    }));
    QCOMPARE(actionsFor(0.5), 0);
    QCOMPARE(actionsFor(0.97), 1);
    QCOMPARE(actionsFor(0.5), 0); // below the hysteresis: armed again
    QVERIFY(
        stack.settleChangeChecks()); // what the earlier writes of the test's own connection caused is told
    QSignalSpy elsewhere(&stack.engine(), &services::Engine::changedElsewhere);
    auto off = settings(90, 5, 0);
    off.enabled = false;
    QVERIFY(stack.repository().actions().setAutomation(p.id, off)); // another connection, as the CLI
    QTRY_VERIFY(!elsewhere.isEmpty());
    QCOMPARE(actionsFor(0.99), 0);
}

void TestAutomation::settingsRefused()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Limits"));
    auto s = settings();
    s.hysteresisPercent = 60;
    QCOMPARE(stack.repository().actions().setAutomation(p.id, s).error().field,
             QStringLiteral("hysteresisPercent"));
    s = settings();
    s.cooldownSeconds = -1;
    QCOMPARE(stack.repository().actions().setAutomation(p.id, s).error().field,
             QStringLiteral("cooldownSeconds"));
    s = settings();
    s.webhookUrl = QStringLiteral("ftp://example.org/x");
    s.webhookSecret = QStringLiteral("0123456789abcdef");
    QCOMPARE(stack.repository().actions().setAutomation(p.id, s).error().field, QStringLiteral("webhookUrl"));
    s.webhookUrl = QStringLiteral("https://example.org/hook");
    s.webhookSecret = QStringLiteral("short");
    QCOMPARE(stack.repository().actions().setAutomation(p.id, s).error().field,
             QStringLiteral("webhookSecret"));
    // Nothing was saved by the refusals.
    QVERIFY(!stack.repository().actions().automation(p.id)->enabled);
}

namespace {

// A database file on disk with one project whose automation is live, on a test clock.
struct AutomatedProject
{
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("cachewise.sqlite"));
    ManualClock clock{1'800'000'000'000};
    storage::Repository repository{clock};
    QString id;

    bool create(const QString &name, const model::AutomationSettings &limits)
    {
        auto project =
            repository.open(path)
                ? repository.projects().create(name, QString(), QString())
                : Result<model::Project>(makeError(ErrorKind::Storage, QStringLiteral("not open")));
        id = project ? project->id : QString();
        return project && repository.actions().setAutomation(id, limits).ok();
    }
};

} // namespace

void TestAutomation::restartKeepsCooldown()
{
    AutomatedProject p;
    QVERIFY(p.create(QStringLiteral("Restart"), settings(90, 5, 300)));
    model::MetricSample high = cacheSample(97);
    high.projectId = p.id;
    {
        AutomationEngine engine(
            services::databaseAutomationStore(p.path, p.clock, storage::writesOn(p.repository)), p.clock);
        QCOMPARE(engine.samplesCommitted(p.id, {high}).size(), 1);
    }
    // A new process within the cooldown: the last action comes from the log, nothing is repeated.
    p.clock.advanceMs(60'000);
    AutomationEngine restarted(
        services::databaseAutomationStore(p.path, p.clock, storage::writesOn(p.repository)), p.clock);
    QVERIFY(restarted.samplesCommitted(p.id, {high}).isEmpty());
    p.clock.advanceMs(300'000);
    QCOMPARE(restarted.samplesCommitted(p.id, {high}).size(), 1); // still above after the cooldown
}

void TestAutomation::scrapedEnginesGetAlerts()
{
    // A project read from llama-server: no engine changes its batching at run time, so the latency rule
    // alerts with what to restart it with, instead of a directive nobody can carry out.
    AutomatedProject p;
    QVERIFY(p.create(QStringLiteral("Scraped"), settings(90, 5, 0)));
    storage::Repository &repository = p.repository;
    const QString projectId = p.id;
    model::Source source;
    source.projectId = projectId;
    source.engine = model::Engine::LlamaCpp;
    source.baseUrl = QStringLiteral("http://127.0.0.1:9");
    const auto added = repository.sources().add(source);
    QVERIFY(added);
    AutomationEngine engine(
        services::databaseAutomationStore(p.path, p.clock, storage::writesOn(p.repository)), p.clock);
    const auto perToken = [&projectId](double ms) {
        model::MetricSample s;
        s.projectId = projectId;
        s.setValue(Metric::TimePerOutputTokenMs, ms);
        s.setValue(Metric::TokensProcessed, 50);
        return s;
    };
    for (int i = 0; i < Policy::kBaselineSamples; ++i)
        QVERIFY(engine.samplesCommitted(projectId, {perToken(5)}).isEmpty());
    QVERIFY(engine.samplesCommitted(projectId, {perToken(9)}).isEmpty()); // no directive
    const QList<model::ActionLogEntry> log = repository.actions().list(projectId, 10).value();
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.first().status, model::ActionStatus::Alert);
    QVERIFY2(
        log.first().details.contains(QStringLiteral("restart it with a smaller batch (-ub 256 -b 1024)")),
        qPrintable(log.first().details));
    QVERIFY(!log.first().details.contains(QStringLiteral("prefill in chunks")));
    // Kept as phrases for the reader's language: the measurement, then what to restart with.
    QCOMPARE(log.first().phrases.size(), 2);
    QCOMPARE(log.first().phrases.at(1).toObject().value(QLatin1String("say")).toString(),
             QStringLiteral("restart_batching"));
    QCOMPARE(model::englishPhrasesText(log.first().phrases), log.first().details);

    // After a refused erase (no --slot-save-path) the cache rule alerts, with the flag, instead of acting.
    QVERIFY(repository.sources().recordEraseRefused(added->id, p.clock.nowMs()));
    model::MetricSample full = cacheSample(97);
    full.projectId = projectId;
    QVERIFY(engine.samplesCommitted(projectId, {full}).isEmpty());
    const model::ActionLogEntry alert = repository.actions().list(projectId, 1).value().first();
    QCOMPARE(alert.status, model::ActionStatus::Alert);
    QVERIFY2(alert.details.contains(QStringLiteral("--slot-save-path")), qPrintable(alert.details));
    for (const model::ActionLogEntry &a : repository.actions().list(projectId, 10).value())
        QVERIFY(a.actionType != QLatin1String("evict_lru"));
}

QTEST_GUILESS_MAIN(TestAutomation)
#include "tst_automation.moc"
