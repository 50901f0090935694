// SPDX-License-Identifier: GPL-3.0-or-later
// The real executables: `cachewise --headless` and `cachewise-cli`, started and stopped here.
#include "core/common/clock.h"
#include "core/storage/database.h"
#include "core/storage/repository.h"
#include "tests/support/cli.h"
#include "tests/support/httpclient.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <mutex>
#include <sys/stat.h>
#include <thread>

using namespace cachewise;
using namespace cachewise::test;

namespace {

QString appBinary()
{
    return qEnvironmentVariable("CACHEWISE_BIN");
}

struct CliProject
{
    QString id;
    QString key;
    QString keyId;
};

// `cachewise-cli project create --name NAME --json`, as a user would run it.
CliProject createProject(const QString &dataDir, const QString &name)
{
    const CliResult created = runCli(dataDir, {QStringLiteral("project"), QStringLiteral("create"),
                                               QStringLiteral("--name"), name, QStringLiteral("--json")});
    return CliProject{created.json().value(QLatin1String("id")).toString(),
                      created.json().value(QLatin1String("apiKey")).toString(),
                      created.json().value(QLatin1String("apiKeyId")).toString()};
}

// A `cachewise --headless` process on a data folder.
class Headless
{
public:
    explicit Headless(QString dataDir) : m_dataDir(std::move(dataDir)) {}
    ~Headless()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool start(const QStringList &extra = {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")})
    {
        m_process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        m_process.start(appBinary(),
                        QStringList{QStringLiteral("--headless"), QStringLiteral("--data-dir"), m_dataDir} +
                            extra);
        if (!m_process.waitForStarted(10000))
            return false;
        static const QRegularExpression line(QStringLiteral("^listening on http://([^\\s]+):(\\d+)$"));
        QByteArray out;
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired()) {
            if (m_process.canReadLine()) {
                const QString text = QString::fromUtf8(m_process.readLine()).trimmed();
                const auto m = line.match(text);
                if (m.hasMatch()) {
                    m_host = m.captured(1);
                    m_port = quint16(m.captured(2).toUInt());
                    return true;
                }
                m_unexpected += text;
                continue;
            }
            if (m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(200);
        }
        return false;
    }

    QProcess &process() { return m_process; }
    quint16 port() const { return m_port; }
    const QString &host() const { return m_host; }
    void signal(int sig) { ::kill(pid_t(m_process.processId()), sig); }
    bool waitForExit(int ms) { return m_process.waitForFinished(ms); }

private:
    QString m_dataDir;
    QProcess m_process;
    QString m_host;
    quint16 m_port = 0;
    QString m_unexpected;
};

QString dbPath(const QString &dir)
{
    return dir + QStringLiteral("/cachewise.sqlite");
}

QSet<qint64> storedMarkers(const QString &dir, qint64 *rows)
{
    SystemClock clock;
    storage::Repository repo(clock);
    QSet<qint64> markers;
    if (!repo.open(dbPath(dir)))
        return markers;
    *rows = 0;
    auto projects = repo.projects().list();
    if (!projects)
        return markers;
    for (const model::Project &project : projects.value()) {
        for (const model::MetricSample &sample : test::storedSamples(repo, project.id)) {
            markers.insert(qint64(sample.value(model::Metric::TokensProcessed).value_or(-1)));
            ++*rows;
        }
    }
    return markers;
}

QByteArray sampleBody(const QString &project, qint64 marker)
{
    return QStringLiteral(
               R"({"projectId":"%1","tokensProcessed":%2,"kvCacheSizeKB":480000,"memoryUsageGB":2.7,"inferenceTimeMs":550})")
        .arg(project)
        .arg(marker)
        .toUtf8();
}

} // namespace

class TestProcesses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void endToEnd();
    void portTakenExitsWithTwo();
    void listenAddressChecks_data();
    void listenAddressChecks();
    void allowRemoteAnswersAnyHost();
    void sigtermCommitsWhatIsInFlight();
    void sigkillNeverLosesAcknowledged();
    void conversionSurvivesSigkill();
    void cliExitCodes_data();
    void cliExitCodes();
    void cliHelpPerCommand();
    void cliManagesProjectsKeysAndConfig();
    void cliWhileAppRuns();
    void cliClearBefore();
    void cliUnderTurkishLocale();
    void filesAreTheOwnersAlone();
    void defaultDataFolder();
    void demoLoadsBriefProjects();
    void cliKvModel();
    void cliRuntimeRecommendationsActions();
    void sourcesThroughTheCliAndTheApp();
    void sourceDiscover();
};

void TestProcesses::initTestCase()
{
    QVERIFY2(QFile::exists(appBinary()), "CACHEWISE_BIN must name the cachewise executable");
    QVERIFY2(QFile::exists(cliBinary()), "CACHEWISE_CLI must name the cachewise-cli executable");
}

void TestProcesses::endToEnd()
{
    QTemporaryDir dir;
    Headless app(dir.path());
    QVERIFY(app.start());
    QCOMPARE(app.host(), QStringLiteral("127.0.0.1"));
    const CliResult created =
        runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("--name"),
                            QStringLiteral("X"), QStringLiteral("--json")});
    QCOMPARE(created.exitCode, 0);
    const QString id = created.json().value(QLatin1String("id")).toString();
    const QString key = created.json().value(QLatin1String("apiKey")).toString();
    QVERIFY(!id.isEmpty() && key.startsWith(QStringLiteral("cw_")));

    HttpClient client(QStringLiteral("127.0.0.1"), app.port());
    const HttpReply reply = client.postJson("/api/metrics", sampleBody(id, 1250), key);
    QCOMPARE(reply.status, 200);

    const CliResult stats = runCli(
        dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), id, QStringLiteral("--json")});
    QCOMPARE(stats.exitCode, 0);
    QCOMPARE(stats.json().value(QLatin1String("sampleCount")).toInt(), 1);
    const QJsonObject metrics = stats.json().value(QLatin1String("metrics")).toObject();
    QCOMPARE(metrics.value(QLatin1String("kvCacheSizeKB")).toObject().value(QLatin1String("max")).toDouble(),
             480000.0);
    QCOMPARE(metrics.value(QLatin1String("memoryUsageGB")).toObject().value(QLatin1String("mean")).toDouble(),
             2.7);
    QVERIFY(!stats.json().value(QLatin1String("firstTimestamp")).toString().isEmpty());

    const CliResult health = runCli(dir.path(), {QStringLiteral("test"), QStringLiteral("--url"),
                                                 QStringLiteral("http://127.0.0.1:%1").arg(app.port())});
    QCOMPARE(health.exitCode, 0);
    QVERIFY(health.out.startsWith("ok: CacheWise"));

    app.signal(SIGTERM);
    QVERIFY(app.waitForExit(10000));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 0);
}

void TestProcesses::portTakenExitsWithTwo()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    QTemporaryDir dir;
    QProcess p;
    p.start(appBinary(),
            {QStringLiteral("--headless"), QStringLiteral("--data-dir"), dir.path(),
             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(taken.serverPort())});
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(taken.serverPort())),
             qPrintable(err));
    QVERIFY(p.readAllStandardOutput().isEmpty());
}

void TestProcesses::listenAddressChecks_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("non-loopback without --allow-remote")
        << QStringList{QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")} << 2
        << QStringLiteral("--allow-remote");
    QTest::addRow("host name") << QStringList{QStringLiteral("--listen"), QStringLiteral("example.com:80")}
                               << 2 << QStringLiteral("HOST:PORT");
    QTest::addRow("port out of range")
        << QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:70000")} << 2
        << QStringLiteral("HOST:PORT");
    QTest::addRow("unknown option") << QStringList{QStringLiteral("--bogus")} << 2 << QStringLiteral("bogus");
    QTest::addRow("stray argument") << QStringList{QStringLiteral("extra")} << 2
                                    << QStringLiteral("unexpected argument");
}

void TestProcesses::listenAddressChecks()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("not-yet"));
    QProcess p;
    p.start(appBinary(),
            QStringList{QStringLiteral("--headless"), QStringLiteral("--data-dir"), data} + args);
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), exitCode);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY(!QFileInfo::exists(data)); // nothing made on disk for a refused start
}

void TestProcesses::allowRemoteAnswersAnyHost()
{
    // Bound to every address with --allow-remote, other machines name it as they know it: any Host is
    // answered (keys protect it). Bound to loopback, only loopback names are.
    QTemporaryDir dir;
    Headless remote(dir.path());
    QVERIFY(remote.start(
        {QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"), QStringLiteral("--allow-remote")}));
    HttpClient client(QStringLiteral("127.0.0.1"), remote.port());
    QCOMPARE(client.request("GET", "/api/health", {}, {{"Host", "192.0.2.7:4318"}}).status, 200);
    remote.signal(SIGTERM);
    QVERIFY(remote.waitForExit(10000));
    Headless local(dir.path());
    QVERIFY(local.start());
    HttpClient loopback(QStringLiteral("127.0.0.1"), local.port());
    QCOMPARE(loopback.request("GET", "/api/health", {}, {{"Host", "192.0.2.7:4318"}}).status, 421);
    local.signal(SIGTERM);
    QVERIFY(local.waitForExit(10000));
}

void TestProcesses::sigtermCommitsWhatIsInFlight()
{
    QTemporaryDir dir;
    // Project and limit first (the CLI, before the app runs), so the app starts with them.
    const CliProject project = createProject(dir.path(), QStringLiteral("T"));
    const QString id = project.id;
    const QString key = project.key;
    QVERIFY(runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("set"),
                                QStringLiteral("ingest.rateLimitPerSecond"), QStringLiteral("0")})
                .exitCode == 0);
    Headless app(dir.path());
    QVERIFY(app.start());

    std::mutex mutex;
    QSet<qint64> acknowledged;
    std::atomic<int> acknowledgedCount{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            HttpClient client(QStringLiteral("127.0.0.1"), app.port());
            for (qint64 i = 0; !stop && i < 100000; ++i) {
                const qint64 marker = t * 1'000'000 + i;
                const HttpReply r = client.postJson("/api/metrics", sampleBody(id, marker), key, 5000);
                if (r.status == 200) {
                    std::lock_guard lock(mutex);
                    acknowledged.insert(marker);
                    acknowledgedCount.fetch_add(1);
                } else if (r.status == 0 || r.closedByServer) {
                    break; // the server is going away
                }
            }
        });
    }
    // Terminated in full flow: once a few hundred pushes have been answered.
    QTRY_VERIFY_WITH_TIMEOUT(acknowledgedCount.load() >= 300, 20000);
    app.signal(SIGTERM);
    QVERIFY(app.waitForExit(15000));
    stop = true;
    for (auto &t : threads)
        t.join();
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 0);
    qint64 rows = 0;
    const QSet<qint64> stored = storedMarkers(dir.path(), &rows);
    QVERIFY(!acknowledged.isEmpty());
    QCOMPARE(rows, qint64(stored.size())); // none twice
    for (qint64 marker : std::as_const(acknowledged))
        QVERIFY2(stored.contains(marker), qPrintable(QString::number(marker)));
}

void TestProcesses::conversionSurvivesSigkill()
{
    // A database as the version before the compact sample store left it: 300,000 samples.
    constexpr qint64 kSamples = 300'000;
    QTemporaryDir dir;
    const QString project = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01");
    {
        storage::Connection old;
        QVERIFY(old.open(dbPath(dir.path()), 9));
        QSqlQuery q(old.db());
        QVERIFY(
            q.exec(QStringLiteral("INSERT INTO projects VALUES ('%1', 'Old', '', '', 0, 0)").arg(project)));
        QVERIFY(q.exec(
            QStringLiteral(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                "INSERT INTO metric_samples (project_id, ts, tokens_processed, kv_cache_size_kb, "
                "memory_usage_gb, inference_time_ms) SELECT '%2', 1767225600000 + i * 1000, i, 480000, "
                "2.7, 550 FROM n")
                .arg(kSamples - 1)
                .arg(project)));
    }
    // The CLI converts first, telling its progress (a line each tenth); killed after its first line, …
    QProcess cli;
    cli.start(cliBinary(),
              {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("project"), QStringLiteral("list")});
    QVERIFY(cli.waitForStarted(10000));
    QByteArray told;
    QDeadlineTimer deadline(60000);
    while (!told.contains(" of 300000 (") && !deadline.hasExpired() && cli.state() != QProcess::NotRunning) {
        cli.waitForReadyRead(100);
        told += cli.readAllStandardError();
    }
    QVERIFY2(told.startsWith("converting samples to the compact store: 40000 of 300000 (13%)"),
             told.constData());
    ::kill(pid_t(cli.processId()), SIGKILL);
    QVERIFY(cli.waitForFinished(10000));
    {
        // … part of it is converted, the rest is where it was: nothing lost, nothing in both.
        storage::Connection c;
        QVERIFY(c.open(dbPath(dir.path())));
        QSqlQuery q(c.db());
        QVERIFY(q.exec(QStringLiteral("SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM "
                                      "metric_samples)")));
        QVERIFY(q.next());
        const qint64 moved = q.value(0).toLongLong();
        QVERIFY2(moved >= 20'000 && moved < kSamples, qPrintable(QString::number(moved)));
        QCOMPARE(moved + q.value(1).toLongLong(), kSamples);
    }
    // … and the app, started on it, finishes the conversion (saying so) before it listens.
    {
        Headless app(dir.path());
        QVERIFY(app.start());
        const QByteArray err = app.process().readAllStandardError();
        QVERIFY2(err.contains("converting samples to the compact store") && err.contains("(100%)"),
                 err.constData());
        app.signal(SIGTERM);
        QVERIFY(app.waitForExit(20000));
    }
    qint64 rows = 0;
    const QSet<qint64> markers = storedMarkers(dir.path(), &rows);
    QCOMPARE(rows, kSamples);
    QCOMPARE(qint64(markers.size()), kSamples);
    QVERIFY(markers.contains(0) && markers.contains(kSamples - 1));
    // Nothing left to convert: the CLI says nothing of it.
    const CliResult again = runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("list")});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(!again.err.contains("converting"), again.err.constData());
}

void TestProcesses::sigkillNeverLosesAcknowledged()
{
    QTemporaryDir dir;
    QString id;
    QString key;
    QSet<qint64> acknowledged;
    for (int round = 0; round < 3; ++round) {
        Headless app(dir.path());
        QVERIFY(app.start());
        if (id.isEmpty()) {
            const CliResult created =
                runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("create"),
                                    QStringLiteral("--name"), QStringLiteral("K"), QStringLiteral("--json")});
            id = created.json().value(QLatin1String("id")).toString();
            key = created.json().value(QLatin1String("apiKey")).toString();
            QCOMPARE(runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("set"),
                                         QStringLiteral("ingest.rateLimitPerSecond"), QStringLiteral("0")})
                         .exitCode,
                     0);
        }
        std::mutex mutex;
        std::atomic<bool> stop{false};
        std::atomic<int> answered{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                HttpClient client(QStringLiteral("127.0.0.1"), app.port());
                for (qint64 i = 0; !stop && i < 100000; ++i) {
                    const qint64 marker = round * 100'000'000 + t * 1'000'000 + i * 10;
                    // Batches of 10 samples with markers marker..marker+9.
                    QByteArray body = "[";
                    for (int k = 0; k < 10; ++k)
                        body += (k ? "," : "") + sampleBody(id, marker + k);
                    const HttpReply r = client.postJson("/api/metrics", body + "]", key, 5000);
                    if (r.status == 200) {
                        std::lock_guard lock(mutex);
                        for (int k = 0; k < 10; ++k)
                            acknowledged.insert(marker + k);
                        answered.fetch_add(1);
                    } else if (r.status == 0) {
                        break; // killed
                    }
                }
            });
        }
        // Killed in full flow, a little later each round.
        QTRY_VERIFY_WITH_TIMEOUT(answered.load() >= 40 + round * 40, 20000);
        app.signal(SIGKILL);
        QVERIFY(app.waitForExit(10000));
        stop = true;
        for (auto &t : threads)
            t.join();
        QCOMPARE(app.process().exitStatus(), QProcess::CrashExit);
    }
    qint64 rows = 0;
    const QSet<qint64> stored = storedMarkers(dir.path(), &rows);
    QVERIFY(acknowledged.size() > 30);
    QCOMPARE(rows, qint64(stored.size()));
    int missing = 0;
    for (qint64 marker : std::as_const(acknowledged))
        missing += stored.contains(marker) ? 0 : 1;
    QCOMPARE(missing, 0);
    // And the app starts again on what the kills left behind.
    Headless again(dir.path());
    QVERIFY(again.start());
    const CliResult stats = runCli(
        dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), id, QStringLiteral("--json")});
    QCOMPARE(stats.json().value(QLatin1String("sampleCount")).toInteger(), rows);
}

void TestProcesses::cliExitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrHas");
    const QString unknown = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8aff");
    QTest::addRow("help") << QStringList{QStringLiteral("--help")} << 0 << QString();
    QTest::addRow("version") << QStringList{QStringLiteral("--version")} << 0 << QString();
    QTest::addRow("no command") << QStringList{} << 2 << QStringLiteral("no command");
    QTest::addRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2
                                     << QStringLiteral("unknown command");
    QTest::addRow("unknown option") << QStringList{QStringLiteral("project"), QStringLiteral("list"),
                                                   QStringLiteral("--nope")}
                                    << 2 << QStringLiteral("unknown option");
    QTest::addRow("option that does not apply")
        << QStringList{QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--name"),
                       QStringLiteral("x")}
        << 2 << QStringLiteral("does not apply");
    QTest::addRow("flag that does not apply")
        << QStringList{QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--unified")} << 2
        << QStringLiteral("--unified does not apply here (see cachewise-cli project list --help)");
    QTest::addRow("subcommand missing") << QStringList{QStringLiteral("key")} << 2
                                        << QStringLiteral("key needs a subcommand: create, list, revoke");
    QTest::addRow("unknown subcommand") << QStringList{QStringLiteral("key"), QStringLiteral("rotate")} << 2
                                        << QStringLiteral("unknown subcommand 'key rotate'");
    QTest::addRow("create without name")
        << QStringList{QStringLiteral("project"), QStringLiteral("create")} << 2 << QStringLiteral("--name");
    QTest::addRow("create with blank name")
        << QStringList{QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("--name"),
                       QStringLiteral("  ")}
        << 2 << QStringLiteral("Project Name is required.");
    QTest::addRow("option without value") << QStringList{QStringLiteral("stats"), QStringLiteral("--project")}
                                          << 2 << QStringLiteral("needs a value");
    QTest::addRow("show malformed id")
        << QStringList{QStringLiteral("project"), QStringLiteral("show"), QStringLiteral("proj-abc")} << 2
        << QStringLiteral("not a project id");
    QTest::addRow("show unknown project")
        << QStringList{QStringLiteral("project"), QStringLiteral("show"), unknown} << 1
        << QStringLiteral("no project");
    QTest::addRow("delete unknown project")
        << QStringList{QStringLiteral("project"), QStringLiteral("delete"), unknown} << 1
        << QStringLiteral("no project");
    QTest::addRow("stats without project")
        << QStringList{QStringLiteral("stats")} << 2 << QStringLiteral("--project");
    QTest::addRow("stats unknown project")
        << QStringList{QStringLiteral("stats"), QStringLiteral("--project"), unknown} << 1
        << QStringLiteral("no project");
    QTest::addRow("clear with bad time")
        << QStringList{QStringLiteral("clear"), QStringLiteral("--project"), unknown,
                       QStringLiteral("--before"), QStringLiteral("yesterday")}
        << 2 << QStringLiteral("ISO 8601");
    QTest::addRow("revoke unknown key")
        << QStringList{QStringLiteral("key"), QStringLiteral("revoke"), unknown} << 1
        << QStringLiteral("no API key");
    QTest::addRow("config set unknown key") << QStringList{QStringLiteral("config"), QStringLiteral("set"),
                                                           QStringLiteral("nope"), QStringLiteral("1")}
                                            << 2 << QStringLiteral("unknown setting");
    QTest::addRow("config set bad value")
        << QStringList{QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("retention.rawDays"),
                       QStringLiteral("-3")}
        << 2 << QStringLiteral("whole number");
    QTest::addRow("test with bad url")
        << QStringList{QStringLiteral("test"), QStringLiteral("--url"), QStringLiteral("ftp://x")} << 2
        << QStringLiteral("http");
    QTest::addRow("kv without a model")
        << QStringList{QStringLiteral("kv")} << 2 << QStringLiteral("exactly one");
    QTest::addRow("kv with two models")
        << QStringList{QStringLiteral("kv"), QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"),
                       QStringLiteral("--gguf"), QStringLiteral("x.gguf")}
        << 2 << QStringLiteral("exactly one");
    QTest::addRow("kv unknown preset")
        << QStringList{QStringLiteral("kv"), QStringLiteral("--model"), QStringLiteral("gpt-5")} << 1
        << QStringLiteral("no model preset");
    QTest::addRow("kv bad context") << QStringList{QStringLiteral("kv"), QStringLiteral("--model"),
                                                   QStringLiteral("llama-3.1-8b"),
                                                   QStringLiteral("--context"), QStringLiteral("0")}
                                    << 2 << QStringLiteral("--context");
    QTest::addRow("kv unknown cache type")
        << QStringList{QStringLiteral("kv"), QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"),
                       QStringLiteral("--cache-type"), QStringLiteral("q3_k")}
        << 2 << QStringLiteral("unknown cache type");
    QTest::addRow("kv both cache type forms")
        << QStringList{QStringLiteral("kv"),           QStringLiteral("--model"),
                       QStringLiteral("llama-3.1-8b"), QStringLiteral("--cache-type"),
                       QStringLiteral("f16"),          QStringLiteral("--cache-type-k"),
                       QStringLiteral("q8_0")}
        << 2 << QStringLiteral("not both");
    QTest::addRow("kv unknown engine")
        << QStringList{QStringLiteral("kv"), QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"),
                       QStringLiteral("--engine"), QStringLiteral("tgi")}
        << 2 << QStringLiteral("unknown engine");
    QTest::addRow("kv missing gguf") << QStringList{QStringLiteral("kv"), QStringLiteral("--gguf"),
                                                    QStringLiteral("/nonexistent/model.gguf")}
                                     << 1 << QStringLiteral("cannot open");
    QTest::addRow("model without subcommand")
        << QStringList{QStringLiteral("model")} << 2 << QStringLiteral("model needs a subcommand");
    QTest::addRow("recommendations without project")
        << QStringList{QStringLiteral("recommendations")} << 2 << QStringLiteral("--project");
    QTest::addRow("recommendations unknown project")
        << QStringList{QStringLiteral("recommendations"), QStringLiteral("--project"), unknown} << 1
        << QStringLiteral("no project");
    QTest::addRow("actions bad limit") << QStringList{QStringLiteral("actions"), QStringLiteral("--project"),
                                                      unknown, QStringLiteral("--limit"), QStringLiteral("0")}
                                       << 2 << QStringLiteral("--limit");
    QTest::addRow("automation without project")
        << QStringList{QStringLiteral("automation")} << 2 << QStringLiteral("--project");
    QTest::addRow("automation enable and disable")
        << QStringList{QStringLiteral("automation"), QStringLiteral("--project"), unknown,
                       QStringLiteral("--enable"), QStringLiteral("--disable")}
        << 2 << QStringLiteral("either-or");
    QTest::addRow("automation unknown project")
        << QStringList{QStringLiteral("automation"), QStringLiteral("--project"), unknown} << 1
        << QStringLiteral("no project");
    QTest::addRow("source without subcommand")
        << QStringList{QStringLiteral("source")} << 2 << QStringLiteral("source needs a subcommand");
    QTest::addRow("source add without url")
        << QStringList{QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("--project"), unknown}
        << 2 << QStringLiteral("--url");
    QTest::addRow("source add unknown project")
        << QStringList{QStringLiteral("source"),    QStringLiteral("add"),
                       QStringLiteral("--project"), unknown,
                       QStringLiteral("--url"),     QStringLiteral("http://127.0.0.1:8080")}
        << 1 << QStringLiteral("no project");
    QTest::addRow("source add unknown engine")
        << QStringList{QStringLiteral("source"),    QStringLiteral("add"),
                       QStringLiteral("--project"), unknown,
                       QStringLiteral("--url"),     QStringLiteral("http://127.0.0.1:8000"),
                       QStringLiteral("--engine"),  QStringLiteral("tgi")}
        << 2 << QStringLiteral("Unknown source engine");
    QTest::addRow("source add bad interval")
        << QStringList{QStringLiteral("source"),        QStringLiteral("add"),
                       QStringLiteral("--project"),     unknown,
                       QStringLiteral("--url"),         QStringLiteral("http://127.0.0.1:8080"),
                       QStringLiteral("--interval-ms"), QStringLiteral("5")}
        << 2 << QStringLiteral("--interval-ms");
    QTest::addRow("source remove unknown")
        << QStringList{QStringLiteral("source"), QStringLiteral("remove"), unknown} << 1
        << QStringLiteral("no source");
    QTest::addRow("runtime unknown project")
        << QStringList{QStringLiteral("project"), QStringLiteral("runtime"), unknown,
                       QStringLiteral("--model"), QStringLiteral("llama-3.1-8b")}
        << 1 << QStringLiteral("no project");
    QTest::addRow("test with nobody listening")
        << QStringList{QStringLiteral("test"), QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:1")}
        << 1 << QStringLiteral("no CacheWise listener");
}

void TestProcesses::cliExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrHas);
    QTemporaryDir dir;
    const CliResult r = runCli(dir.path(), args);
    QCOMPARE(r.exitCode, exitCode);
    if (!stderrHas.isEmpty())
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
    if (exitCode == 0)
        QVERIFY(r.err.isEmpty());
    else
        QVERIFY(r.out.isEmpty());
}

void TestProcesses::cliHelpPerCommand()
{
    QTemporaryDir dir;
    // The overview names every command; each command's own help shows its options and examples.
    const CliResult all = runCli(dir.path(), {QStringLiteral("--help")});
    QCOMPARE(all.exitCode, 0);
    const QString overview = QString::fromUtf8(all.out);
    for (const char *command : {"project create", "project runtime", "key revoke", "stats", "export", "clear",
                                "config set", "test", "otlp map", "kv", "model list", "recommendations",
                                "actions", "automation", "source add", "source layout", "source discover"})
        QVERIFY2(overview.contains(QLatin1String("\n  ") + QLatin1String(command)), command);

    const CliResult sourceAdd =
        runCli(dir.path(), {QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("--help")});
    QCOMPARE(sourceAdd.exitCode, 0);
    QVERIFY(sourceAdd.err.isEmpty());
    const QString help = QString::fromUtf8(sourceAdd.out);
    QVERIFY2(help.startsWith(
                 QLatin1String("Usage: cachewise-cli [--data-dir DIR] [--json] source add --project ID")),
             sourceAdd.out.constData());
    QVERIFY(help.contains(QLatin1String("--api-key-stdin")));
    QVERIFY(help.contains(QLatin1String("Examples:\n  cachewise-cli source add --project ")));
    QVERIFY(!help.contains(QLatin1String("project create")));
    // -h after a command works the same; nothing is opened or created for help.
    const CliResult kv = runCli(dir.path(), {QStringLiteral("kv"), QStringLiteral("-h")});
    QCOMPARE(kv.exitCode, 0);
    QVERIFY(QString::fromUtf8(kv.out).contains(QLatin1String("--budget-gib")));
    QVERIFY(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
}

void TestProcesses::cliManagesProjectsKeysAndConfig()
{
    QTemporaryDir dir;
    const QString d = dir.path();
    // With the logging a user has (the suites turn info lines off).
    QProcessEnvironment userEnv = QProcessEnvironment::systemEnvironment();
    userEnv.remove(QStringLiteral("QT_LOGGING_RULES"));
    CliResult r =
        runCli(d,
               {QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("--name"),
                QStringLiteral("Code Gen API"), QStringLiteral("--model"), QStringLiteral("CodeLlama 7B"),
                QStringLiteral("--architecture"), QStringLiteral("Decoder-only Transformer")},
               {}, userEnv);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("API key (shown once"));
    // The first command creates the database, which is no news: nothing on stderr.
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QString id = QRegularExpression(QStringLiteral("Project created: ([0-9a-f-]{36})"))
                           .match(QString::fromUtf8(r.out))
                           .captured(1);
    QVERIFY(!id.isEmpty());

    r = runCli(d, {QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.jsonArray().size(), 1);
    QCOMPARE(r.jsonArray().at(0).toObject().value(QLatin1String("modelName")).toString(),
             QStringLiteral("CodeLlama 7B"));

    r = runCli(d, {QStringLiteral("project"), QStringLiteral("update"), id, QStringLiteral("--model"),
                   QStringLiteral("CodeLlama 13B"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.json().value(QLatin1String("modelName")).toString(), QStringLiteral("CodeLlama 13B"));

    r = runCli(d, {QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("--project"), id,
                   QStringLiteral("--name"), QStringLiteral("ci"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QString keyId = r.json().value(QLatin1String("id")).toString();
    const QString secret = r.json().value(QLatin1String("apiKey")).toString();
    QVERIFY(secret.startsWith(QStringLiteral("cw_")));

    r = runCli(d, {QStringLiteral("key"), QStringLiteral("list"), QStringLiteral("--project"), id,
                   QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.jsonArray().size(), 2);
    QVERIFY(!r.out.contains(secret.toUtf8())); // secrets are never shown again

    QCOMPARE(runCli(d, {QStringLiteral("key"), QStringLiteral("revoke"), keyId}).exitCode, 0);
    r = runCli(d, {QStringLiteral("key"), QStringLiteral("revoke"), keyId});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("already revoked"));

    r = runCli(d, {QStringLiteral("project"), QStringLiteral("show"), id, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.json().value(QLatin1String("apiKeys")).toArray().size(), 2);

    QCOMPARE(runCli(d, {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("retention.rawDays"),
                        QStringLiteral("7")})
                 .exitCode,
             0);
    r = runCli(d, {QStringLiteral("config"), QStringLiteral("show"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.json().value(QLatin1String("retention.rawDays")).toString(), QStringLiteral("7"));
    QCOMPARE(r.json().value(QLatin1String("listen.address")).toString(), QStringLiteral("127.0.0.1:4318"));
    r = runCli(d, {QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("retention.rawDays")});
    QCOMPARE(r.out.trimmed(), QByteArray("7"));

    QCOMPARE(runCli(d, {QStringLiteral("project"), QStringLiteral("delete"), id}).exitCode, 0);
    r = runCli(d, {QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(r.jsonArray().size(), 0);
}

void TestProcesses::cliWhileAppRuns()
{
    QTemporaryDir dir;
    Headless app(dir.path());
    QVERIFY(app.start());
    const CliProject project = createProject(dir.path(), QStringLiteral("Live"));
    const QString id = project.id;
    const QString key = project.key;
    const QString keyId = project.keyId;
    HttpClient client(QStringLiteral("127.0.0.1"), app.port());
    QCOMPARE(client.postJson("/api/metrics", sampleBody(id, 1), key).status, 200);
    // A setting changed by the CLI reaches the running listener.
    QCOMPARE(runCli(dir.path(), {QStringLiteral("config"), QStringLiteral("set"),
                                 QStringLiteral("ingest.maxSamplesPerRequest"), QStringLiteral("1")})
                 .exitCode,
             0);
    // Noticed through SQLite's change counter; the probe names another project, so until the new limit
    // applies it is refused (404) and stores nothing.
    const QString other = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8aff");
    const QByteArray probe = "[" + sampleBody(other, 2) + "," + sampleBody(other, 3) + "]";
    QTRY_COMPARE_WITH_TIMEOUT(client.postJson("/api/metrics", probe, key).status, 413, 3000);
    QCOMPARE(
        client.postJson("/api/metrics", "[" + sampleBody(id, 2) + "," + sampleBody(id, 3) + "]", key).status,
        413);
    // A key revoked by the CLI stops working at once.
    QCOMPARE(runCli(dir.path(), {QStringLiteral("key"), QStringLiteral("revoke"), keyId}).exitCode, 0);
    const HttpReply revoked = client.postJson("/api/metrics", sampleBody(id, 4), key);
    QCOMPARE(revoked.status, 401);
    QCOMPARE(revoked.errorCode(), QStringLiteral("revoked_api_key"));
    // Stats and deletes work beside the running app.
    const CliResult stats = runCli(
        dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), id, QStringLiteral("--json")});
    QCOMPARE(stats.json().value(QLatin1String("sampleCount")).toInt(), 1);
    QCOMPARE(runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("delete"), id}).exitCode, 0);
}

void TestProcesses::cliClearBefore()
{
    QTemporaryDir dir;
    Headless app(dir.path());
    QVERIFY(app.start());
    const CliProject project = createProject(dir.path(), QStringLiteral("C"));
    const QString id = project.id;
    const QString key = project.key;
    HttpClient client(QStringLiteral("127.0.0.1"), app.port());
    QByteArray batch = "[";
    for (int i = 0; i < 6; ++i)
        batch +=
            (i ? "," : "") +
            QByteArray(sampleBody(id, i))
                .replace("}", QStringLiteral(",\"timestamp\":\"2024-01-15T10:0%1:00Z\"}").arg(i).toUtf8());
    QCOMPARE(client.postJson("/api/metrics", batch + "]", key).status, 200);
    CliResult r = runCli(dir.path(), {QStringLiteral("clear"), QStringLiteral("--project"), id,
                                      QStringLiteral("--before"), QStringLiteral("2024-01-15T10:03:00Z"),
                                      QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.json().value(QLatin1String("deleted")).toInt(), 3);
    r = runCli(dir.path(),
               {QStringLiteral("stats"), QStringLiteral("--project"), id, QStringLiteral("--json")});
    QCOMPARE(r.json().value(QLatin1String("sampleCount")).toInt(), 3);
    QCOMPARE(r.json().value(QLatin1String("firstTimestamp")).toString(),
             QStringLiteral("2024-01-15T10:03:00.000Z"));
    r = runCli(dir.path(), {QStringLiteral("clear"), QStringLiteral("--project"), id});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed(), QByteArray("Deleted 3 samples"));
}

void TestProcesses::cliUnderTurkishLocale()
{
    QTemporaryDir dir;
    Headless app(dir.path());
    QVERIFY(app.start());
    QProcessEnvironment turkish = QProcessEnvironment::systemEnvironment();
    turkish.insert(QStringLiteral("LANG"), QStringLiteral("tr_TR.UTF-8"));
    turkish.insert(QStringLiteral("LC_ALL"), QStringLiteral("tr_TR.UTF-8"));
    const CliResult created =
        runCli(dir.path(),
               {QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("--name"),
                QStringLiteral("İşlem"), QStringLiteral("--json")},
               {}, turkish);
    QCOMPARE(created.exitCode, 0);
    const QString id = created.json().value(QLatin1String("id")).toString();
    HttpClient client(QStringLiteral("127.0.0.1"), app.port());
    QCOMPARE(client
                 .postJson("/api/metrics", sampleBody(id, 1),
                           created.json().value(QLatin1String("apiKey")).toString())
                 .status,
             200);
    const CliResult json = runCli(
        dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), id, QStringLiteral("--json")}, {},
        turkish);
    QVERIFY2(json.out.contains("\"mean\": 2.7"), json.out.constData());
    QVERIFY(!json.out.contains("2,7"));
    QCOMPARE(json.json().value(QLatin1String("projectId")).toString(), id);
    const CliResult text =
        runCli(dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), id}, {}, turkish);
    QVERIFY2(text.out.contains("2.70"), text.out.constData());
    QVERIFY(text.out.contains(QStringLiteral("İşlem").toUtf8()));
}

void TestProcesses::filesAreTheOwnersAlone()
{
    const auto mode = [](const QString &path) {
        struct stat st
        {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
    };
    QTemporaryDir root;
    // A shared folder given as --data-dir keeps its mode; what CacheWise writes in it is 0600.
    const QString shared = root.filePath(QStringLiteral("shared"));
    QVERIFY(QDir().mkdir(shared));
    QVERIFY(::chmod(QFile::encodeName(shared).constData(), 01777) == 0);
    // An admin token someone left readable by all is made the owner's, its value kept.
    const QByteArray token = "cwadm_" + QByteArray(40, 'x') + "\n";
    {
        QFile f(QDir(shared).filePath(QStringLiteral("admin-token")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(token);
    }
    QVERIFY(::chmod(QFile::encodeName(QDir(shared).filePath(QStringLiteral("admin-token"))).constData(),
                    0644) == 0);
    {
        Headless app(shared);
        QVERIFY(app.start());
        HttpClient client(QStringLiteral("127.0.0.1"), app.port());
        const HttpReply listed =
            client.request("GET", "/api/projects", {}, {{"Authorization", "Bearer " + token.trimmed()}});
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.header("x-content-type-options"), QByteArray("nosniff"));
        app.signal(SIGTERM);
        QVERIFY(app.waitForExit(10000));
    }
    QCOMPARE(mode(shared), 01777);
    QCOMPARE(mode(QDir(shared).filePath(QStringLiteral("admin-token"))), 0600);
    QCOMPARE(mode(QDir(shared).filePath(QStringLiteral("cachewise.sqlite"))), 0600);
    for (const char *suffix : {"-wal", "-shm"}) {
        const QString side =
            QDir(shared).filePath(QStringLiteral("cachewise.sqlite") + QLatin1String(suffix));
        if (QFileInfo::exists(side))
            QCOMPARE(mode(side), 0600);
    }
    // A folder it makes is 0700; so the CLI's.
    const QString made = root.filePath(QStringLiteral("made/by/cachewise"));
    QCOMPARE(runCli(made, {QStringLiteral("project"), QStringLiteral("list")}).exitCode, 0);
    QCOMPARE(mode(made), 0700);
    QCOMPARE(mode(QDir(made).filePath(QStringLiteral("cachewise.sqlite"))), 0600);
}

void TestProcesses::defaultDataFolder()
{
    // Without --data-dir both programs use QStandardPaths::AppDataLocation for "cachewise".
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("CACHEWISE_DATA_DIR"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
    const CliResult r = runCli(QString(),
                               {QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("--name"),
                                QStringLiteral("Default")},
                               {}, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFile::exists(home.path() + QStringLiteral("/cachewise/cachewise.sqlite")));
    env.insert(QStringLiteral("CACHEWISE_DATA_DIR"), home.path() + QStringLiteral("/elsewhere"));
    QCOMPARE(runCli(QString(), {QStringLiteral("project"), QStringLiteral("list")}, {}, env).exitCode, 0);
    QVERIFY(QFile::exists(home.path() + QStringLiteral("/elsewhere/cachewise.sqlite")));
}

void TestProcesses::demoLoadsBriefProjects()
{
    QTemporaryDir dir;
    Headless app(dir.path());
    QVERIFY(app.start({QStringLiteral("--demo"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}));
    const CliResult list =
        runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QStringList names;
    QString chatbot;
    for (const QJsonValue &v : list.jsonArray()) {
        names << v.toObject().value(QLatin1String("projectName")).toString();
        if (names.last() == QLatin1String("Chatbot v2"))
            chatbot = v.toObject().value(QLatin1String("id")).toString();
    }
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("Chatbot v2"), QStringLiteral("Code Gen API"),
                                 QStringLiteral("Image Captioning")}));
    const CliResult stats = runCli(dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), chatbot,
                                                QStringLiteral("--json")});
    QCOMPARE(stats.json().value(QLatin1String("sampleCount")).toInt(), 720);
    const qint64 first = QDateTime::fromString(stats.json().value(QLatin1String("firstTimestamp")).toString(),
                                               Qt::ISODateWithMs)
                             .toMSecsSinceEpoch();
    const qint64 span = QDateTime::currentMSecsSinceEpoch() - first;
    QVERIFY(span > 115 * 60'000 && span < 125 * 60'000); // two hours of history
    const QJsonObject kv = stats.json()
                               .value(QLatin1String("metrics"))
                               .toObject()
                               .value(QLatin1String("kvCacheSizeKB"))
                               .toObject();
    QVERIFY(kv.value(QLatin1String("max")).toDouble() > kv.value(QLatin1String("mean")).toDouble());
    app.signal(SIGTERM);
    QVERIFY(app.waitForExit(10000));
    // Loading the demo again replaces it instead of doubling it.
    Headless again(dir.path());
    QVERIFY(
        again.start({QStringLiteral("--demo"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}));
    const CliResult twice = runCli(dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), chatbot,
                                                QStringLiteral("--json")});
    QCOMPARE(twice.json().value(QLatin1String("sampleCount")).toInt(), 720);
}

void TestProcesses::cliKvModel()
{
    // The issue's own example: Llama 3.1 8B, 8192 tokens, f16: 131072 bytes per token, 1 GiB.
    const CliResult kv =
        runCli(QString(), {QStringLiteral("kv"), QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"),
                           QStringLiteral("--context"), QStringLiteral("8192"),
                           QStringLiteral("--cache-type"), QStringLiteral("f16"), QStringLiteral("--json")});
    QCOMPARE(kv.exitCode, 0);
    QCOMPARE(kv.json().value(QLatin1String("bytesPerToken")).toInteger(), 131072);
    QCOMPARE(kv.json().value(QLatin1String("totalBytes")).toInteger(), qint64(1) << 30);
    QCOMPARE(kv.json().value(QLatin1String("totalGiB")).toDouble(), 1.0);
    const QJsonArray layers = kv.json().value(QLatin1String("layers")).toArray();
    QCOMPARE(layers.size(), 32);
    QCOMPARE(layers.first().toObject().value(QLatin1String("bytes")).toInteger(), (qint64(1) << 30) / 32);

    // A real GGUF header with llama-server's flags: the line llama-server prints, byte for byte.
    const CliResult gguf =
        runCli(QString(), {QStringLiteral("kv"), QStringLiteral("--gguf"),
                           test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf")),
                           QStringLiteral("--context"), QStringLiteral("4096"), QStringLiteral("--parallel"),
                           QStringLiteral("10"), QStringLiteral("--cache-type"), QStringLiteral("q8_0")});
    QCOMPARE(gguf.exitCode, 0);
    QVERIFY2(gguf.out.contains("llama_kv_cache: size = 1360.00 MiB (   512 cells,  32 layers, 10/10 seqs), "
                               "K (q8_0):  680.00 MiB, V (q8_0):  680.00 MiB"),
             gguf.out.constData());

    // A Hugging Face config and a corrupt one.
    const CliResult hf = runCli(QString(), {QStringLiteral("kv"), QStringLiteral("--hf-config"),
                                            test::testDataPath(QStringLiteral("hf/deepseek-v3.json")),
                                            QStringLiteral("--json")});
    QCOMPARE(hf.exitCode, 0);
    QCOMPARE(hf.json().value(QLatin1String("bytesPerToken")).toInteger(), 61 * 576 * 2);
    QTemporaryDir dir;
    QFile broken(dir.filePath(QStringLiteral("config.json")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(R"({"num_hidden_layers": -4})");
    broken.close();
    const CliResult bad =
        runCli(QString(), {QStringLiteral("kv"), QStringLiteral("--hf-config"), broken.fileName()});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY(bad.err.contains("num_hidden_layers"));

    // A memory budget: how many sequences fit.
    const CliResult budget =
        runCli(QString(), {QStringLiteral("kv"), QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"),
                           QStringLiteral("--context"), QStringLiteral("2048"),
                           QStringLiteral("--budget-gib"), QStringLiteral("4"), QStringLiteral("--json")});
    QCOMPARE(budget.json().value(QLatin1String("maxConcurrentSequences")).toInt(), 16);

    const CliResult list =
        runCli(QString(), {QStringLiteral("model"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(list.jsonArray().size() >= 12);
    for (const QJsonValue &v : list.jsonArray())
        QVERIFY(v.toObject().value(QLatin1String("source")).toString().startsWith(QLatin1String("https://")));
    const CliResult text = runCli(QString(), {QStringLiteral("model"), QStringLiteral("list")});
    QVERIFY(text.out.contains("gemma-3-27b"));
}

void TestProcesses::cliRuntimeRecommendationsActions()
{
    QTemporaryDir dir;
    Headless app(dir.path());
    QVERIFY(app.start({QStringLiteral("--demo"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}));
    const QString chatbot = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01");
    const QString codegen = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a02");

    // The demo projects come with quantified recommendations, sources and exact flags.
    const CliResult recs = runCli(dir.path(), {QStringLiteral("recommendations"), QStringLiteral("--project"),
                                               chatbot, QStringLiteral("--json")});
    QCOMPARE(recs.exitCode, 0);
    QVERIFY(recs.json().value(QLatin1String("configured")).toBool());
    QVERIFY(recs.json().value(QLatin1String("score")).toObject().contains(QLatin1String("value")));
    QStringList rules;
    for (const QJsonValue &v : recs.json().value(QLatin1String("recommendations")).toArray()) {
        const QJsonObject r = v.toObject();
        rules << r.value(QLatin1String("rule")).toString();
        const QJsonObject details = r.value(QLatin1String("details")).toObject();
        QVERIFY(!details.value(QLatin1String("apply")).toArray().isEmpty());
        QVERIFY(details.value(QLatin1String("source")).toString().startsWith(QLatin1String("https://")));
        if (rules.last() == QLatin1String("kv_quantization")) {
            QCOMPARE(r.value(QLatin1String("impactEstimate"))
                         .toObject()
                         .value(QLatin1String("memorySavingPercent"))
                         .toDouble(),
                     46.9);
            QCOMPARE(details.value(QLatin1String("apply")).toArray().first().toString(),
                     QStringLiteral("-fa on -ctk q8_0 -ctv q8_0"));
        }
    }
    QVERIFY2(rules.contains(QStringLiteral("kv_quantization")) &&
                 rules.contains(QStringLiteral("right_size_context")),
             qPrintable(rules.join(QLatin1Char(','))));
    const CliResult vllm = runCli(dir.path(), {QStringLiteral("recommendations"), QStringLiteral("--project"),
                                               codegen, QStringLiteral("--json")});
    QVERIFY(vllm.out.contains("--kv-cache-dtype fp8"));
    QVERIFY(vllm.out.contains("vllm_preemption"));

    // Describe a new project's runtime through the CLI; the first time needs a model.
    const CliProject p = createProject(dir.path(), QStringLiteral("From the CLI"));
    const CliResult noModel = runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id,
                                                  QStringLiteral("--context"), QStringLiteral("4096")});
    QCOMPARE(noModel.exitCode, 2);
    const CliResult runtime = runCli(
        dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id, QStringLiteral("--model"),
                     QStringLiteral("qwen3-8b"), QStringLiteral("--engine"), QStringLiteral("vllm"),
                     QStringLiteral("--context"), QStringLiteral("8192"), QStringLiteral("--parallel"),
                     QStringLiteral("8"), QStringLiteral("--gpu-memory-gb"), QStringLiteral("24"),
                     QStringLiteral("--json")});
    QCOMPARE(runtime.exitCode, 0);
    QCOMPARE(runtime.json()
                 .value(QLatin1String("config"))
                 .toObject()
                 .value(QLatin1String("cacheTypeK"))
                 .toString(),
             QStringLiteral("bf16")); // vLLM's "auto" is the model's dtype
    QCOMPARE(runtime.json().value(QLatin1String("gpuMemoryGB")).toDouble(), 24.0);
    // Switches go on and off again; one not given keeps its value.
    const auto runtimeSwitch = [&](const QString &flag) {
        return runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id, flag,
                                   QStringLiteral("--json")})
            .json()
            .value(QLatin1String("config"))
            .toObject();
    };
    QVERIFY(runtimeSwitch(QStringLiteral("--unified")).value(QLatin1String("unified")).toBool());
    QVERIFY(runtimeSwitch(QStringLiteral("--swa-full")).value(QLatin1String("unified")).toBool());
    QVERIFY(!runtimeSwitch(QStringLiteral("--no-unified")).value(QLatin1String("unified")).toBool());
    QVERIFY(!runtimeSwitch(QStringLiteral("--no-swa-full")).value(QLatin1String("swaFull")).toBool());
    QCOMPARE(runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id,
                                 QStringLiteral("--unified"), QStringLiteral("--no-unified")})
                 .exitCode,
             2);
    // Changing one flag keeps the rest.
    const CliResult changed =
        runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id,
                            QStringLiteral("--cache-type"), QStringLiteral("fp8"), QStringLiteral("--json")});
    QCOMPARE(changed.exitCode, 0);
    QCOMPARE(
        changed.json().value(QLatin1String("config")).toObject().value(QLatin1String("parallel")).toInt(), 8);
    QCOMPARE(changed.json()
                 .value(QLatin1String("config"))
                 .toObject()
                 .value(QLatin1String("cacheTypeV"))
                 .toString(),
             QStringLiteral("fp8"));
    // Looking at a runtime changes nothing, even a context past the model's trained one (which a re-derived
    // default would cut back to it).
    QCOMPARE(runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id,
                                 QStringLiteral("--context"), QStringLiteral("65536")})
                 .exitCode,
             0);
    const CliResult shown = runCli(
        dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id, QStringLiteral("--json")});
    QCOMPARE(
        shown.json().value(QLatin1String("config")).toObject().value(QLatin1String("context")).toInteger(),
        65536);
    QCOMPARE(runCli(dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id})
                 .out.count("context 65536"),
             1);
    const CliResult early =
        runCli(dir.path(), {QStringLiteral("recommendations"), QStringLiteral("--project"), p.id,
                            QStringLiteral("--refresh")});
    QCOMPARE(early.exitCode, 0);
    QVERIFY(early.out.contains("minutes of data collected"));

    // Automation over the real listener, switched on through the CLI: a directive in the reply, in the
    // log via the CLI. A bad limit is refused and changes nothing.
    const CliResult refused =
        runCli(dir.path(), {QStringLiteral("automation"), QStringLiteral("--project"), p.id,
                            QStringLiteral("--max-cache-percent"), QStringLiteral("150")});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY(refused.err.contains("100"));
    const CliResult on =
        runCli(dir.path(), {QStringLiteral("automation"), QStringLiteral("--project"), p.id,
                            QStringLiteral("--enable"), QStringLiteral("--live"),
                            QStringLiteral("--cooldown"), QStringLiteral("60"), QStringLiteral("--json")});
    QCOMPARE(on.exitCode, 0);
    QVERIFY(on.json().value(QLatin1String("enabled")).toBool());
    QVERIFY(!on.json().value(QLatin1String("dryRun")).toBool());
    QCOMPARE(on.json().value(QLatin1String("maxCachePercent")).toDouble(), 90.0);
    QCOMPARE(on.json().value(QLatin1String("cooldownSeconds")).toInt(), 60);
    // A webhook's secret comes on standard input, never as an argument the shell's history keeps.
    const CliResult argSecret =
        runCli(dir.path(), {QStringLiteral("automation"), QStringLiteral("--project"), p.id,
                            QStringLiteral("--webhook-secret"), QStringLiteral("s3cret-in-history")});
    QCOMPARE(argSecret.exitCode, 2);
    QVERIFY(argSecret.err.contains("--webhook-secret-stdin"));
    QCOMPARE(runCli(dir.path(),
                    {QStringLiteral("automation"), QStringLiteral("--project"), p.id,
                     QStringLiteral("--webhook-secret-stdin")},
                    "\n")
                 .exitCode,
             2); // an empty line is no secret
    const CliResult hooked =
        runCli(dir.path(),
               {QStringLiteral("automation"), QStringLiteral("--project"), p.id,
                QStringLiteral("--webhook-url"), QStringLiteral("http://127.0.0.1:9/hook"),
                QStringLiteral("--webhook-secret-stdin"), QStringLiteral("--json")},
               "piped-signing-secret\n");
    QCOMPARE(hooked.exitCode, 0);
    QVERIFY(hooked.json().value(QLatin1String("webhookSecretSet")).toBool());
    QVERIFY(!hooked.out.contains("piped-signing-secret")); // never echoed
    QCOMPARE(runCli(dir.path(), {QStringLiteral("automation"), QStringLiteral("--project"), p.id,
                                 QStringLiteral("--webhook-url"), QString()})
                 .exitCode,
             0); // no webhook again: the log below has the directive's entry only
    test::HttpClient client(QStringLiteral("127.0.0.1"), app.port());
    QVERIFY(client.connectToServer());
    const test::HttpReply pushed = client.postJson("/api/metrics", test::usageJson(p.id, 0.99), p.key);
    QCOMPARE(pushed.status, 200);
    const QJsonArray directives = pushed.json().value(QLatin1String("actions")).toArray();
    QCOMPARE(directives.size(), 1);
    const QString actionId = directives.first().toObject().value(QLatin1String("id")).toString();
    QCOMPARE(client.postJson("/api/actions/" + actionId.toUtf8() + "/ack", R"({"outcome":"success"})", p.key)
                 .status,
             200);
    const CliResult actions = runCli(
        dir.path(), {QStringLiteral("actions"), QStringLiteral("--project"), p.id, QStringLiteral("--json")});
    QCOMPARE(actions.exitCode, 0);
    QStringList statuses;
    for (const QJsonValue &v : actions.jsonArray())
        statuses << v.toObject().value(QLatin1String("status")).toString();
    statuses.sort();
    QCOMPARE(statuses,
             QStringList{QStringLiteral("success")}); // one entry per event: the acknowledged action
    app.signal(SIGTERM);
    QVERIFY(app.waitForExit(10000));
}

// The CLI while this process keeps its event loop running (for servers that live in this process).
CliResult runCliServing(const QString &dataDir, const QStringList &args,
                        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                        const QByteArray &input = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(cliBinary(), QStringList{QStringLiteral("--data-dir"), dataDir} + args);
    if (!p.waitForStarted(10000))
        return {};
    p.write(input);
    p.closeWriteChannel();
    QDeadlineTimer deadline(30000);
    while (p.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(20);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return CliResult{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                     p.readAllStandardError()};
}

void TestProcesses::sourcesThroughTheCliAndTheApp()
{
    // A llama-server (replaying real captures) is added as a source with the CLI; the running app scrapes
    // it into samples; `source list` shows it up; `source test` probes it.
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveLlamaCaptures(server, "during_slots_06.json", "during_metrics_06.txt");
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(server.port());

    QTemporaryDir dir;
    const CliProject p = createProject(dir.path(), QStringLiteral("Scraped"));
    const CliResult probe =
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("test"), QStringLiteral("--url"),
                                   url, QStringLiteral("--json")});
    QCOMPARE(probe.exitCode, 0);
    QCOMPARE(probe.json().value(QLatin1String("slots")).toInt(), 4);
    QCOMPARE(probe.json().value(QLatin1String("tokensCached")).toInt(), 1023);
    QCOMPARE(probe.json().value(QLatin1String("kvLayout")).toString(),
             QStringLiteral("unknown")); // 1023 ≤ 1024
    // The default configuration (4 slots sharing one cache of 4096) cannot be told from HTTP alone: said so.
    test::ReplayServer unified;
    QVERIFY(unified.listen());
    test::serveUnifiedLlamaCaptures(unified, "slots_after_load.json", "metrics_after_load.txt");
    const CliResult ambiguous =
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("test"), QStringLiteral("--url"),
                                   QStringLiteral("http://127.0.0.1:%1").arg(unified.port())});
    QCOMPARE(ambiguous.exitCode, 0);
    QVERIFY2(ambiguous.out.contains("the HTTP API cannot tell"), ambiguous.out.constData());
    const CliResult nobody =
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("test"), QStringLiteral("--url"),
                                   QStringLiteral("http://127.0.0.1:1")});
    QCOMPARE(nobody.exitCode, 1);
    QVERIFY(nobody.err.contains("nothing answers"));
    // A server started with --api-key is a llama-server that wants a key, not "not a llama-server".
    test::ReplayServer keyed;
    QVERIFY(keyed.listen());
    test::serveLlamaCaptures(keyed, "slots_after_load.json", "metrics_after_load.txt");
    keyed.requireApiKey("sesame");
    const QString keyedUrl = QStringLiteral("http://127.0.0.1:%1").arg(keyed.port());
    const CliResult wantsKey = runCliServing(
        dir.path(), {QStringLiteral("source"), QStringLiteral("test"), QStringLiteral("--url"), keyedUrl});
    QCOMPARE(wantsKey.exitCode, 1);
    QVERIFY2(wantsKey.err.contains("needs an API key"), wantsKey.err.constData());
    QVERIFY(!wantsKey.err.contains("not a llama-server"));
    const CliResult withKey =
        runCliServing(dir.path(),
                      {QStringLiteral("source"), QStringLiteral("test"), QStringLiteral("--url"), keyedUrl,
                       QStringLiteral("--api-key-stdin"), QStringLiteral("--json")},
                      QProcessEnvironment::systemEnvironment(), "sesame\n");
    QCOMPARE(withKey.exitCode, 0);
    QCOMPARE(withKey.json().value(QLatin1String("slots")).toInt(), 4);
    // A server that accepts the connection and never answers: said to have timed out, and after how long.
    QTcpServer hung;
    QVERIFY(hung.listen(QHostAddress::LocalHost, 0));
    const CliResult silent =
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("test"), QStringLiteral("--url"),
                                   QStringLiteral("http://127.0.0.1:%1").arg(hung.serverPort())});
    QCOMPARE(silent.exitCode, 1);
    QVERIFY2(silent.err.contains("no answer within 5 s"), silent.err.constData());

    QCOMPARE(runCliServing(dir.path(),
                           {QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("--project"),
                            p.id, QStringLiteral("--url"), QStringLiteral("gopher://x")})
                 .exitCode,
             2);
    QVERIFY(runCliServing(dir.path(), {QStringLiteral("project"), QStringLiteral("runtime"), p.id,
                                       QStringLiteral("--model"), QStringLiteral("llama-3.1-8b"),
                                       QStringLiteral("--context"), QStringLiteral("4096"),
                                       QStringLiteral("--parallel"), QStringLiteral("4")})
                .exitCode == 0);
    const CliResult added = runCliServing(
        dir.path(), {QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("--project"), p.id,
                     QStringLiteral("--url"), url, QStringLiteral("--interval-ms"), QStringLiteral("300"),
                     QStringLiteral("--json")});
    QCOMPARE(added.exitCode, 0);
    const QString sourceId = added.json().value(QLatin1String("id")).toString();
    // The same URL again is refused as a failure (exit 1), not as a misuse of the command.
    const CliResult again =
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("add"),
                                   QStringLiteral("--project"), p.id, QStringLiteral("--url"), url});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("already has a source"));

    Headless app(dir.path());
    QVERIFY(app.start());
    const auto state = [&] {
        const CliResult list =
            runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("list"),
                                       QStringLiteral("--project"), p.id, QStringLiteral("--json")});
        return list.jsonArray().isEmpty()
                   ? QString()
                   : list.jsonArray().first().toObject().value(QLatin1String("state")).toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(state(), QStringLiteral("up"), 20000);
    const auto kv = [&] {
        const CliResult stats =
            runCliServing(dir.path(), {QStringLiteral("stats"), QStringLiteral("--project"), p.id,
                                       QStringLiteral("--json")});
        return stats.json()
            .value(QLatin1String("metrics"))
            .toObject()
            .value(QLatin1String("kvCacheSizeKB"))
            .toObject()
            .value(QLatin1String("max"))
            .toDouble();
    };
    QTRY_COMPARE_WITH_TIMEOUT(kv(), 1023.0 * 131072 / 1024, 20000); // 1023 cached tokens × 128 KiB
    QCOMPARE(
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("disable"), sourceId}).exitCode,
        0);
    QCOMPARE(
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("remove"), sourceId}).exitCode,
        0);
    QCOMPARE(
        runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("remove"), sourceId}).exitCode,
        1);
    app.signal(SIGTERM);
    QVERIFY(app.waitForExit(10000));
}

void TestProcesses::sourceDiscover()
{
    test::ReplayServer llama;
    QVERIFY(llama.listen());
    test::serveLlamaCaptures(llama, "slots_after_load.json", "metrics_after_load.txt");
    test::ReplayServer vllm;
    QVERIFY(vllm.listen());
    vllm.serve("/version", 200, R"({"version":"0.27.1"})");
    test::ReplayServer lmStudio; // serves LM Studio's documented model list
    QVERIFY(lmStudio.listen());
    lmStudio.serve("/api/v0/models", 200, test::testData(QStringLiteral("lmstudio/api_v0_models.json")));
    test::ReplayServer impostor; // answers, but not as a vLLM would
    QVERIFY(impostor.listen());
    impostor.serve("/version", 200, "<html>hello</html>");
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = closed.serverPort();
    closed.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CACHEWISE_DISCOVER_PORTS"),
               QStringLiteral("%1:llama.cpp,%2:vllm,%3:vllm,%4:ollama,%5:lmstudio,%6:lmstudio")
                   .arg(llama.port())
                   .arg(vllm.port())
                   .arg(impostor.port())
                   .arg(closedPort)
                   .arg(lmStudio.port())
                   .arg(impostor.port()));
    QTemporaryDir dir;
    const CliResult found = runCliServing(
        dir.path(), {QStringLiteral("source"), QStringLiteral("discover"), QStringLiteral("--json")}, env);
    QCOMPARE(found.exitCode, 0);
    QStringList seen;
    for (const QJsonValue &v : found.jsonArray()) {
        const QJsonObject o = v.toObject();
        seen << o.value(QLatin1String("server")).toString() + QLatin1Char(' ') +
                    o.value(QLatin1String("detail")).toString();
        // LM Studio is named, with no engine to read.
        QCOMPARE(o.value(QLatin1String("engine")).isNull(),
                 o.value(QLatin1String("server")).toString() == QLatin1String("LM Studio"));
    }
    seen.sort();
    QCOMPARE(seen,
             (QStringList{QStringLiteral("LM Studio meta-llama-3.1-8b-instruct"),
                          QStringLiteral("llama.cpp models/tiny.gguf"), QStringLiteral("vllm 0.27.1")}));
    env.insert(QStringLiteral("CACHEWISE_DISCOVER_PORTS"), QStringLiteral("nonsense"));
    QCOMPARE(runCliServing(dir.path(), {QStringLiteral("source"), QStringLiteral("discover")}, env).exitCode,
             2);
}

QTEST_GUILESS_MAIN(TestProcesses)
#include "tst_processes.moc"
