// SPDX-License-Identifier: GPL-3.0-or-later
// GET /metrics: CacheWise's own state in the Prometheus text format, checked by our parser, by
// `promtool check metrics`, and by a real Prometheus server that scrapes the listener on loopback.
#include "core/sources/prometheustext.h"
#include "tests/support/httpclient.h"
#include "tests/support/teststack.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;

namespace {

QByteArray scrape(quint16 port, QByteArray *contentType = nullptr)
{
    test::HttpClient client(QStringLiteral("127.0.0.1"), port);
    if (!client.connectToServer())
        return {};
    const test::HttpReply r = client.request("GET", "/metrics");
    if (contentType)
        *contentType = r.header("content-type");
    return r.status == 200 ? r.body : QByteArray();
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QJsonObject getJson(quint16 port, const QByteArray &path)
{
    test::HttpClient client(QStringLiteral("127.0.0.1"), port);
    if (!client.connectToServer(2000))
        return {};
    return client.request("GET", path, {}, {}, 5000).json();
}

} // namespace

class TestPrometheusOut : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exposesOwnState();
    void promtoolFindsNothing();
    void realPrometheusScrapes();

private:
    void pushSome(test::TestStack &stack, test::CreatedProject &project);
};

void TestPrometheusOut::initTestCase()
{
    // The test peers come from Debian's prometheus package (the README's test command installs it).
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("promtool")).isEmpty(),
             "promtool is not installed");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("prometheus")).isEmpty(),
             "prometheus is not installed");
}

void TestPrometheusOut::pushSome(test::TestStack &stack, test::CreatedProject &project)
{
    project = stack.createProject(QStringLiteral("Chat \"quoted\" \\ name"));
    test::HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    QVERIFY(client.connectToServer());
    const QByteArray body =
        QStringLiteral(R"({"projectId":"%1","tokensProcessed":10,"kvCacheSizeKB":2048,)"
                       R"("memoryUsageGB":1,"inferenceTimeMs":5,"kvCacheCapacityKB":8192,)"
                       R"("kvCacheUsageRatio":0.25})")
            .arg(project.id)
            .toUtf8();
    QCOMPARE(client.postJson("/api/metrics", body, project.apiKey).status, 200);
    QCOMPARE(client.postJson("/api/metrics", body, QStringLiteral("cw_wrong")).status, 401);
    QCOMPARE(client.postJson("/api/metrics", "{", project.apiKey).status, 400);
}

void TestPrometheusOut::exposesOwnState()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    test::CreatedProject project;
    pushSome(stack, project);
    QByteArray type;
    const QByteArray text = scrape(stack.port(), &type);
    QVERIFY(type.startsWith("text/plain; version=0.0.4"));
    auto parsed = sources::parsePrometheusText(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(*parsed->value(QStringLiteral("cachewise_samples_accepted_total")), 1.0);
    QCOMPARE(*parsed->value(QStringLiteral("cachewise_requests_refused_total"),
                            {{QStringLiteral("reason"), QStringLiteral("invalid_api_key")}}),
             1.0);
    QCOMPARE(*parsed->value(QStringLiteral("cachewise_requests_refused_total"),
                            {{QStringLiteral("reason"), QStringLiteral("malformed_json")}}),
             1.0);
    const sources::Labels mine{{QStringLiteral("project_id"), project.id}};
    QCOMPARE(*parsed->value(QStringLiteral("cachewise_project_kv_cache_bytes"), mine), 2048.0 * 1024);
    QCOMPARE(*parsed->value(QStringLiteral("cachewise_project_kv_cache_capacity_bytes"), mine),
             8192.0 * 1024);
    QCOMPARE(*parsed->value(QStringLiteral("cachewise_project_kv_cache_usage_ratio"), mine), 0.25);
    QCOMPARE(parsed->samples(QStringLiteral("cachewise_project_kv_cache_bytes"), mine)
                 .first()
                 ->label(QStringLiteral("project")),
             QStringLiteral("Chat \"quoted\" \\ name"));
    QVERIFY(*parsed->value(QStringLiteral("cachewise_commit_duration_seconds_count")) >= 1.0);
    QVERIFY(*parsed->value(QStringLiteral("cachewise_database_size_bytes")) > 0);
    QCOMPARE(parsed->family(QStringLiteral("cachewise_commit_duration_seconds"))->type,
             sources::MetricType::Histogram);
    QVERIFY(parsed->samples(QStringLiteral("cachewise_source_up")).isEmpty()); // no source yet
}

void TestPrometheusOut::promtoolFindsNothing()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    test::CreatedProject project;
    pushSome(stack, project);
    // A source that never answered, so its state and labels are part of what promtool checks.
    model::Source source;
    source.projectId = project.id;
    source.engine = model::Engine::LlamaCpp;
    source.baseUrl = QStringLiteral("http://127.0.0.1:9");
    auto added = stack.repository().sources().add(source);
    QVERIFY(added);
    QVERIFY(stack.repository().sources().recordState(
        {added->id, model::SourceState::Down, QStringLiteral("refused"), 1, 12, "[]", std::nullopt}));
    const QByteArray text = scrape(stack.port());
    QVERIFY(!text.isEmpty());
    QProcess promtool;
    promtool.start(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(promtool.waitForStarted());
    promtool.write(text);
    promtool.closeWriteChannel();
    QVERIFY(promtool.waitForFinished(30000));
    const QByteArray said = promtool.readAllStandardOutput() + promtool.readAllStandardError();
    QVERIFY2(promtool.exitCode() == 0 && said.trimmed().isEmpty(), said.constData());
    auto parsed = sources::parsePrometheusText(text);
    QVERIFY(parsed);
    QCOMPARE(
        *parsed->value(QStringLiteral("cachewise_source_up"), {{QStringLiteral("source_id"), added->id}}),
        0.0);
    QCOMPARE(*parsed->value(QStringLiteral("cachewise_source_scrape_duration_seconds")), 0.012);
}

void TestPrometheusOut::realPrometheusScrapes()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    test::CreatedProject project;
    pushSome(stack, project);

    QTemporaryDir dir;
    const quint16 webPort = freePort();
    QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                                "scrape_configs:\n  - job_name: cachewise\n    static_configs:\n"
                                "      - targets: ['127.0.0.1:%1']\n")
                     .arg(stack.port())
                     .toUtf8());
    config.close();
    QProcess prometheus;
    prometheus.setProcessChannelMode(QProcess::MergedChannels);
    prometheus.start(QStringLiteral("prometheus"),
                     {QStringLiteral("--config.file=") + config.fileName(),
                      QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
                      QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(webPort)});
    QVERIFY(prometheus.waitForStarted());
    // Poll the targets API instead of sleeping: the first scrape comes after a few seconds.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QJsonArray targets = getJson(webPort, "/api/v1/targets")
                                           .value(QLatin1String("data"))
                                           .toObject()
                                           .value(QLatin1String("activeTargets"))
                                           .toArray();
            return !targets.isEmpty() &&
                   targets.first().toObject().value(QLatin1String("health")).toString() ==
                       QLatin1String("up");
        }(),
        60000);
    const auto queried = [&] {
        const QJsonArray result = getJson(webPort, "/api/v1/query?query=cachewise_samples_accepted_total")
                                      .value(QLatin1String("data"))
                                      .toObject()
                                      .value(QLatin1String("result"))
                                      .toArray();
        return result.isEmpty()
                   ? QString()
                   : result.first().toObject().value(QLatin1String("value")).toArray().at(1).toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(queried(), QStringLiteral("1"), 30000);
    prometheus.terminate();
    if (!prometheus.waitForFinished(10000))
        prometheus.kill();
}

QTEST_GUILESS_MAIN(TestPrometheusOut)
#include "tst_prometheusout.moc"
