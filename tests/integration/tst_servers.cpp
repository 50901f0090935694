// SPDX-License-Identifier: GPL-3.0-or-later
// The model library and llama-server profiles through cachewise-cli, as a user types them: a scan of real and
// generated GGUF headers kept between runs, profiles added with their flags, refused with llama-server's
// reasons (exit 2, nothing stored), shown as the exact command line, listed and removed.
#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/servers/process.h"
#include "core/storage/repository.h"
#include "tests/support/cli.h"
#include "tests/support/ggufwriter.h"
#include "tests/support/replayserver.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace cachewise;
using test::CliResult;
using test::runCli;

class TestServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void modelsScanAndList();
    void serverProfilesThroughTheCli();
    void lifecycleThroughTheCli();
    void headlessKeepsServersAlive();
    void applyAndRevertThroughTheCli();
};

namespace {

bool copyData(const QString &dataFile, const QString &to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    return QFile::copy(test::testDataPath(dataFile), to);
}

// `cachewise --headless` on a data folder, until it says where it listens.
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
    bool start()
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(qEnvironmentVariable("CACHEWISE_BIN"),
                        {QStringLiteral("--headless"), QStringLiteral("--data-dir"), m_dataDir,
                         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
            if (m_process.canReadLine()) {
                if (m_process.readLine().startsWith("listening on "))
                    return true;
                continue;
            }
            m_process.waitForReadyRead(200);
        }
        return false;
    }
    // SIGTERM, as a service manager stops it; true when it exited by itself.
    bool terminate(int ms)
    {
        m_process.terminate();
        return m_process.waitForFinished(ms);
    }

private:
    QString m_dataDir;
    QProcess m_process;
};

// `project create --name NAME --json`: the new project's id.
QString createProject(const QString &dataDir, const QString &name)
{
    return runCli(dataDir, {QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("--name"),
                            name, QStringLiteral("--json")})
        .json()
        .value(QLatin1String("id"))
        .toString();
}

} // namespace

void TestServers::cleanup()
{
    // What a failed check left running (servers run detached): every folder this test made is under it.
    test::killProcessesUsing(QDir::tempPath() + QStringLiteral("/tst_servers-"));
}

void TestServers::modelsScanAndList()
{
    QTemporaryDir data;
    QTemporaryDir models;
    QVERIFY(copyData(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf"),
                     models.filePath(QStringLiteral("a/llama.gguf"))));
    QVERIFY(test::GgufWriter::llama("Odd", 4, 8, 2, 80, 8192)
                .writeTo(models.filePath(QStringLiteral("b/odd.gguf"))));
    QFile cut(models.filePath(QStringLiteral("b/cut.gguf")));
    QVERIFY(cut.open(QIODevice::WriteOnly) && cut.write(QByteArray("GGUF\3\0\0\0", 8)) == 8);
    cut.close();

    // No folder given and none configured (the usual places are turned off for the test): a clear failure.
    QCOMPARE(runCli(data.path(), {QStringLiteral("config"), QStringLiteral("set"),
                                  QStringLiteral("models.usualFolders"), QStringLiteral("0")})
                 .exitCode,
             0);
    const CliResult none = runCli(data.path(), {QStringLiteral("models"), QStringLiteral("scan")});
    QCOMPARE(none.exitCode, 1);
    QVERIFY(none.err.contains("config set models.folders"));
    // A relative folder in the setting is refused.
    QCOMPARE(runCli(data.path(), {QStringLiteral("config"), QStringLiteral("set"),
                                  QStringLiteral("models.folders"), QStringLiteral("models")})
                 .exitCode,
             2);
    QCOMPARE(runCli(data.path(), {QStringLiteral("config"), QStringLiteral("set"),
                                  QStringLiteral("models.folders"), models.path()})
                 .exitCode,
             0);

    const CliResult scan =
        runCli(data.path(), {QStringLiteral("models"), QStringLiteral("scan"), QStringLiteral("--json")});
    QCOMPARE(scan.exitCode, 0);
    QCOMPARE(scan.json().value(QLatin1String("headersRead")).toInt(), 3);
    const QJsonArray found = scan.json().value(QLatin1String("models")).toArray();
    QCOMPARE(found.size(), 3);
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &v : found)
        byName.insert(v.toObject().value(QLatin1String("name")).toString(), v.toObject());
    QVERIFY(byName.value(QStringLiteral("cut.gguf")).value(QLatin1String("problem")).toString().size() > 5);
    QCOMPARE(byName.value(QStringLiteral("odd.gguf")).value(QLatin1String("headSize")).toInt(), 80);
    QCOMPARE(byName.value(QStringLiteral("llama.gguf")).value(QLatin1String("kvBytesPerToken")).toInteger(),
             524288);

    // Scanned again, nothing changed: no header read. The list comes from the stored scan.
    const CliResult again =
        runCli(data.path(), {QStringLiteral("models"), QStringLiteral("scan"), QStringLiteral("--json")});
    QCOMPARE(again.json().value(QLatin1String("headersRead")).toInt(), 0);
    const CliResult list = runCli(
        data.path(), {QStringLiteral("models"), QStringLiteral("list"), QStringLiteral("--context"),
                      QStringLiteral("8192"), QStringLiteral("--parallel"), QStringLiteral("2"),
                      QStringLiteral("--cache-type"), QStringLiteral("q8_0"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QCOMPARE(list.jsonArray().size(), 3);
    for (const QJsonValue &v : list.jsonArray()) {
        const QJsonObject kv = v.toObject().value(QLatin1String("kv")).toObject();
        if (v.toObject().value(QLatin1String("name")).toString() == QLatin1String("llama.gguf"))
            QCOMPARE(kv.value(QLatin1String("totalBytes")).toInteger(),
                     qint64(8192) * 32 * 2 * 4352); // 4096 × 34 / 32
    }
    const CliResult text = runCli(data.path(), {QStringLiteral("models"), QStringLiteral("list")});
    QVERIFY(text.out.contains("unreadable: "));
    QVERIFY(text.out.contains("Q4_K_M"));

    // A folder given that does not exist: said, and exit 1; the stored scan of the others is untouched.
    const CliResult missing = runCli(data.path(), {QStringLiteral("models"), QStringLiteral("scan"),
                                                   data.filePath(QStringLiteral("nowhere"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("does not exist"));
    QCOMPARE(runCli(data.path(), {QStringLiteral("models"), QStringLiteral("list"), QStringLiteral("--json")})
                 .jsonArray()
                 .size(),
             3);
    QCOMPARE(runCli(data.path(), {QStringLiteral("models"), QStringLiteral("list"),
                                  QStringLiteral("--cache-type"), QStringLiteral("q3")})
                 .exitCode,
             2);
}

void TestServers::serverProfilesThroughTheCli()
{
    QTemporaryDir data;
    const QString model = data.filePath(QStringLiteral("m/tiny.gguf"));
    const QString odd = data.filePath(QStringLiteral("m/odd.gguf"));
    QVERIFY(test::GgufWriter::llama("Tiny", 2, 4, 2, 64, 4096).writeTo(model));
    QVERIFY(test::GgufWriter::llama("Odd", 4, 8, 2, 80, 8192).writeTo(odd));
    const QString program = QStringLiteral("/bin/sh"); // runnable; the launch itself is another test's
    const QString project = createProject(data.path(), QStringLiteral("Local"));
    QVERIFY(!project.isEmpty());
    const auto add = [&](QStringList more) {
        return runCli(data.path(), QStringList{QStringLiteral("server"), QStringLiteral("add"),
                                               QStringLiteral("--project"), project,
                                               QStringLiteral("--executable"), program} +
                                       more);
    };
    const auto serverCount = [&] {
        return runCli(data.path(),
                      {QStringLiteral("server"), QStringLiteral("list"), QStringLiteral("--json")})
            .jsonArray()
            .size();
    };

    // Refused with llama-server's reasons, exit 2, nothing stored.
    const CliResult noFa =
        add({QStringLiteral("--model"), model, QStringLiteral("--cache-type-v"), QStringLiteral("q4_0"),
             QStringLiteral("--flash-attention"), QStringLiteral("off")});
    QCOMPARE(noFa.exitCode, 2);
    QVERIFY2(noFa.err.contains("without flash attention"), noFa.err.constData());
    const CliResult head =
        add({QStringLiteral("--model"), odd, QStringLiteral("--cache-type"), QStringLiteral("q8_0")});
    QCOMPARE(head.exitCode, 2);
    QVERIFY2(head.err.contains("head size 80"), head.err.constData());
    const CliResult extra = add({QStringLiteral("--model"), model, QStringLiteral("--"),
                                 QStringLiteral("--port"), QStringLiteral("9")});
    QCOMPARE(extra.exitCode, 2);
    QVERIFY(extra.err.contains("--port is set by the port"));
    QCOMPARE(add({QStringLiteral("--model"), model, QStringLiteral("--flash-attention"),
                  QStringLiteral("sometimes")})
                 .exitCode,
             2);
    QCOMPARE(add({QStringLiteral("--model"), model, QStringLiteral("--cache-type"), QStringLiteral("fp8")})
                 .exitCode,
             2);
    QCOMPARE(
        add({QStringLiteral("--model"), model, QStringLiteral("--parallel"), QStringLiteral("0")}).exitCode,
        2);
    QCOMPARE(add({QStringLiteral("--model"), data.filePath(QStringLiteral("m/none.gguf"))}).exitCode, 2);
    QCOMPARE(add({}).exitCode, 2); // no model
    QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("list"), QStringLiteral("--"),
                                  QStringLiteral("x")})
                 .exitCode,
             2); // only server add takes arguments after --
    QCOMPARE(serverCount(), 0);
    QCOMPARE(runCli(data.path(), {QStringLiteral("source"), QStringLiteral("list"), QStringLiteral("--json")})
                 .jsonArray()
                 .size(),
             0);

    // A quantized V cache turns flash attention on by itself; extra arguments go last, as given.
    const CliResult added =
        add({QStringLiteral("--model"), model, QStringLiteral("--context"), QStringLiteral("8192"),
             QStringLiteral("--parallel"), QStringLiteral("2"), QStringLiteral("--unified"),
             QStringLiteral("--cache-type"), QStringLiteral("q8_0"), QStringLiteral("--json"),
             QStringLiteral("--"), QStringLiteral("--alias"), QStringLiteral("my model")});
    QCOMPARE(added.exitCode, 0);
    const QJsonObject profile = added.json();
    const QString id = profile.value(QLatin1String("id")).toString();
    const int port = profile.value(QLatin1String("port")).toInt();
    QVERIFY(port > 0);
    QCOMPARE(profile.value(QLatin1String("flashAttention")).toString(), QStringLiteral("on"));
    const QString expected =
        QStringLiteral(
            "/bin/sh -m %1 --host 127.0.0.1 --port %2 --metrics --slots --slot-save-path %3/servers/%4/slots "
            "-lv 4 -c 8192 -np 2 --kv-unified -ctk q8_0 -ctv q8_0 -fa on --alias 'my model'")
            .arg(model)
            .arg(port)
            .arg(QFileInfo(data.path()).canonicalFilePath(), id);
    QCOMPARE(profile.value(QLatin1String("commandLine")).toString(), expected);
    const CliResult shown = runCli(data.path(), {QStringLiteral("server"), QStringLiteral("show"), id});
    QCOMPARE(shown.exitCode, 0);
    QVERIFY(shown.out.startsWith(QByteArray(expected.toUtf8() + '\n')));
    QVERIFY(shown.out.contains("state:    stopped"));

    // It became the project's source and runtime.
    const CliResult sources =
        runCli(data.path(), {QStringLiteral("source"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(sources.jsonArray().size(), 1);
    QCOMPARE(sources.jsonArray().first().toObject().value(QLatin1String("url")).toString(),
             QStringLiteral("http://127.0.0.1:%1").arg(port));
    const CliResult runtime = runCli(data.path(), {QStringLiteral("project"), QStringLiteral("runtime"),
                                                   project, QStringLiteral("--json")});
    const QJsonObject config = runtime.json().value(QLatin1String("config")).toObject();
    QCOMPARE(config.value(QLatin1String("context")).toInteger(), 8192);
    QCOMPARE(config.value(QLatin1String("cacheTypeV")).toString(), QStringLiteral("q8_0"));

    // The same port for another: a conflict (exit 1), nothing more stored.
    const CliResult samePort =
        add({QStringLiteral("--model"), model, QStringLiteral("--port"), QString::number(port)});
    QCOMPARE(samePort.exitCode, 1);
    QCOMPARE(serverCount(), 1);

    const CliResult listed = runCli(data.path(), {QStringLiteral("server"), QStringLiteral("list")});
    QVERIFY(listed.out.contains(id.toUtf8()));
    QVERIFY(listed.out.contains("-c 8192 -np 2 --kv-unified -ctk q8_0 -ctv q8_0 -fa on"));
    QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("show"),
                                  QStringLiteral("0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10")})
                 .exitCode,
             1);
    QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("remove"), id}).exitCode, 0);
    QCOMPARE(serverCount(), 0);
    QCOMPARE(runCli(data.path(), {QStringLiteral("source"), QStringLiteral("list"), QStringLiteral("--json")})
                 .jsonArray()
                 .size(),
             0);
}

void TestServers::lifecycleThroughTheCli()
{
    const QString standIn = QFileInfo(qEnvironmentVariable("CACHEWISE_STAND_IN")).absoluteFilePath();
    QVERIFY2(QFileInfo(standIn).isExecutable(), "CACHEWISE_STAND_IN must name cachewise-test-llama-server");
    QTemporaryDir data;
    const QString model = data.filePath(QStringLiteral("m/llama.gguf"));
    QVERIFY(copyData(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf"), model));
    const QString project = createProject(data.path(), QStringLiteral("Local"));
    const CliResult added = runCli(
        data.path(), {QStringLiteral("server"), QStringLiteral("add"), QStringLiteral("--project"), project,
                      QStringLiteral("--model"), model, QStringLiteral("--executable"), standIn,
                      QStringLiteral("--context"), QStringLiteral("4096"), QStringLiteral("--parallel"),
                      QStringLiteral("10"), QStringLiteral("--cache-type"), QStringLiteral("q8_0"),
                      QStringLiteral("--json")});
    QCOMPARE(added.exitCode, 0);
    const QString id = added.json().value(QLatin1String("id")).toString();
    const int port = added.json().value(QLatin1String("port")).toInt();
    const auto cli = [&](QStringList args) {
        return runCli(data.path(), QStringList{QStringLiteral("server")} + args);
    };
    const auto stateOf = [&] {
        return cli({QStringLiteral("show"), id, QStringLiteral("--json")})
            .json()
            .value(QLatin1String("state"))
            .toString();
    };

    // Started and waited for: ready, and what it allocated is what CacheWise computes (the line llama-server
    // printed for this shape, tests/data/llama-server/kv-cache-lines.txt).
    const CliResult started = cli({QStringLiteral("start"), id, QStringLiteral("--json")});
    QCOMPARE(started.exitCode, 0);
    QCOMPARE(started.json().value(QLatin1String("state")).toString(), QStringLiteral("ready"));
    const QString measured = started.json().value(QLatin1String("measuredKvLine")).toString();
    QCOMPARE(measured,
             QStringLiteral("llama_kv_cache: size = 1360.00 MiB (   512 cells,  32 layers, 10/10 seqs), "
                            "K (q8_0):  680.00 MiB, V (q8_0):  680.00 MiB"));
    const CliResult computed =
        runCli(QString(), {QStringLiteral("kv"), QStringLiteral("--gguf"), model, QStringLiteral("--context"),
                           QStringLiteral("4096"), QStringLiteral("--parallel"), QStringLiteral("10"),
                           QStringLiteral("--cache-type"), QStringLiteral("q8_0")});
    QVERIFY(computed.out.contains(measured.toUtf8()));
    QCOMPARE(stateOf(), QStringLiteral("ready"));
    const QJsonObject withKv = cli({QStringLiteral("show"), id, QStringLiteral("--json")}).json();
    QCOMPARE(withKv.value(QLatin1String("measuredKvLine")).toString(), measured);
    QCOMPARE(withKv.value(QLatin1String("computedKvLine")).toString(),
             measured); // CacheWise's own figure agrees
    QCOMPARE(withKv.value(QLatin1String("kvDiffers")).toBool(), false);
    QVERIFY(cli({QStringLiteral("show"), id}).out.contains("(the same)"));
    const qint64 pid = started.json().value(QLatin1String("pid")).toInteger();
    QVERIFY(pid > 0);
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, quint16(port));
    QVERIFY(probe.waitForConnected(2000));
    probe.abort();

    // Started again: it already runs. Removed while it runs: refused.
    const CliResult again = cli({QStringLiteral("start"), id});
    QCOMPARE(again.exitCode, 0);
    QVERIFY(again.out.contains("already runs"));
    QCOMPARE(cli({QStringLiteral("remove"), id}).exitCode, 1);

    // Its log: levels and text filters, JSON per line.
    const CliResult warnings =
        cli({QStringLiteral("logs"), id, QStringLiteral("--level"), QStringLiteral("warning")});
    QCOMPARE(warnings.exitCode, 0);
    const QList<QByteArray> warningLines = warnings.out.trimmed().split('\n');
    QCOMPARE(warningLines.size(), 5); // the CORS notice, as the capture has it
    for (const QByteArray &line : warningLines)
        QCOMPARE(line.mid(13, 1), QByteArray("W"));
    const CliResult kvLines = cli({QStringLiteral("logs"), id, QStringLiteral("--grep"),
                                   QStringLiteral("kv_cache: size ="), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(kvLines.out.trimmed().split('\n').first())
                 .object()
                 .value(QLatin1String("text"))
                 .toString(),
             measured);
    QCOMPARE(cli({QStringLiteral("logs"), id, QStringLiteral("--level"), QStringLiteral("loud")}).exitCode,
             2);
    QCOMPARE(
        cli({QStringLiteral("logs"), id, QStringLiteral("--lines"), QStringLiteral("3")}).out.count('\n'), 3);

    // Stopped: SIGTERM, its goodbye in the log, the port free again; stopping again says so.
    const CliResult stopped = cli({QStringLiteral("stop"), id});
    QCOMPARE(stopped.exitCode, 0);
    QVERIFY(stopped.out.contains("stopped"));
    QCOMPARE(stateOf(), QStringLiteral("stopped"));
    QVERIFY(cli({QStringLiteral("logs"), id, QStringLiteral("--lines"), QStringLiteral("1")})
                .out.contains("cleaning up before exit"));
    QTcpServer reuse;
    QVERIFY(reuse.listen(QHostAddress::LocalHost, quint16(port)));
    reuse.close();
    QVERIFY(cli({QStringLiteral("stop"), id}).out.contains("was not running"));

    // Killed behind CacheWise's back: the list says it is gone, and why.
    QCOMPARE(cli({QStringLiteral("start"), id}).exitCode, 0);
    const qint64 second = cli({QStringLiteral("show"), id, QStringLiteral("--json")})
                              .json()
                              .value(QLatin1String("pid"))
                              .toInteger();
    QVERIFY(second > 0 && second != pid);
    QVERIFY(::kill(pid_t(second), SIGKILL) == 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(), QStringLiteral("stopped"), 5000);
    QVERIFY(cli({QStringLiteral("show"), id}).out.contains("exited while no CacheWise was watching"));

    // A server that dies while loading: exit 1 with its last error lines, recorded as crashed.
    qputenv("CACHEWISE_STAND_IN_EXIT_AFTER_MS", "100");
    const CliResult crashed = cli({QStringLiteral("start"), id});
    qunsetenv("CACHEWISE_STAND_IN_EXIT_AFTER_MS");
    QCOMPARE(crashed.exitCode, 1);
    QVERIFY2(crashed.err.contains("stand-in crash requested"), crashed.err.constData());
    QCOMPARE(stateOf(), QStringLiteral("crashed"));
    QCOMPARE(cli({QStringLiteral("remove"), id}).exitCode, 0);
}

void TestServers::headlessKeepsServersAlive()
{
    const QString standIn = QFileInfo(qEnvironmentVariable("CACHEWISE_STAND_IN")).absoluteFilePath();
    QTemporaryDir data;
    const QString model = data.filePath(QStringLiteral("m/tiny.gguf"));
    QVERIFY(test::GgufWriter::llama("Tiny", 2, 4, 2, 64, 4096).writeTo(model));
    const QString project = createProject(data.path(), QStringLiteral("Local"));
    const CliResult added =
        runCli(data.path(), {QStringLiteral("server"), QStringLiteral("add"), QStringLiteral("--project"),
                             project, QStringLiteral("--model"), model, QStringLiteral("--executable"),
                             standIn, QStringLiteral("--json")});
    QCOMPARE(added.exitCode, 0);
    const QString id = added.json().value(QLatin1String("id")).toString();
    const int port = added.json().value(QLatin1String("port")).toInt();
    const auto show = [&] {
        return runCli(data.path(),
                      {QStringLiteral("server"), QStringLiteral("show"), id, QStringLiteral("--json")})
            .json();
    };
    const auto pidNow = [&] {
        return show().value(QLatin1String("pid")).toInteger();
    };
    // The app watches the server: it has recorded the process's use since `sinceMs` (it reads only the
    // processes it watches, every five seconds, CPU from the second reading on).
    const auto watchedSince = [&](qint64 sinceMs) {
        const QString at =
            show().value(QLatin1String("usage")).toObject().value(QLatin1String("at")).toString();
        return !at.isEmpty() && QDateTime::fromString(at, Qt::ISODateWithMs).toMSecsSinceEpoch() > sinceMs;
    };

    // The app runs; the CLI starts the server; the app takes it over: a crash is restarted by the app.
    {
        Headless app(data.path());
        QVERIFY(app.start());
        QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("start"), id}).exitCode, 0);
        const qint64 first = pidNow();
        QVERIFY(first > 0);
        // The app reads the process's use every five seconds: CPU from two readings, so from the second on.
        QTRY_VERIFY_WITH_TIMEOUT(show().contains(QLatin1String("usage")), 20000);
        const QJsonObject usage = show().value(QLatin1String("usage")).toObject();
        QVERIFY(usage.value(QLatin1String("residentBytes")).toDouble() > 1 << 20);
        QVERIFY(usage.value(QLatin1String("cpuPercent")).toDouble() >= 0);
        QCOMPARE(usage.value(QLatin1String("gpu")).toString(), QStringLiteral("no NVIDIA GPU to read"));
        QVERIFY(test::crashStandIn(port));
        QTRY_VERIFY_WITH_TIMEOUT(pidNow() > 0 && pidNow() != first, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(show().value(QLatin1String("state")).toString(), QStringLiteral("ready"),
                                  20000);
        // Stopped from the CLI while the app watches: a stop, not a crash to restart.
        const qint64 restarted = pidNow();
        QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("stop"), id}).exitCode, 0);
        QTest::qWait(3000); // past the first backoff
        QCOMPARE(show().value(QLatin1String("state")).toString(), QStringLiteral("stopped"));
        QVERIFY(!servers::isRunning(servers::ProcessHandle{restarted, {}}));
        const qint64 startedAgain = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("start"), id}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(watchedSince(startedAgain), 30000); // taken over by the app
        // Quit with servers.stopOnQuit (the default): the server stops with the app.
        const qint64 second = pidNow();
        QVERIFY(app.terminate(30000));
        QTRY_VERIFY_WITH_TIMEOUT(!servers::isRunning(servers::ProcessHandle{second, {}}), 5000);
        QCOMPARE(show().value(QLatin1String("state")).toString(), QStringLiteral("stopped"));
    }

    // Left running on quit; the next app takes it over from the data folder alone.
    QCOMPARE(runCli(data.path(), {QStringLiteral("config"), QStringLiteral("set"),
                                  QStringLiteral("servers.stopOnQuit"), QStringLiteral("0")})
                 .exitCode,
             0);
    QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("start"), id}).exitCode, 0);
    const qint64 kept = pidNow();
    {
        Headless app(data.path());
        QVERIFY(app.start());
        QVERIFY(app.terminate(30000));
    }
    QVERIFY(servers::isRunning(servers::ProcessHandle{kept, {}})); // still running
    Headless again(data.path());
    const qint64 appStarted = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(again.start());
    QTRY_VERIFY_WITH_TIMEOUT(watchedSince(appStarted), 30000); // taken over
    QVERIFY(test::crashStandIn(port));
    QTRY_VERIFY_WITH_TIMEOUT(pidNow() > 0 && pidNow() != kept, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(show().value(QLatin1String("state")).toString(), QStringLiteral("ready"),
                              20000);
    QCOMPARE(runCli(data.path(), {QStringLiteral("server"), QStringLiteral("stop"), id}).exitCode, 0);
    QVERIFY(again.terminate(30000));
}

namespace {

// A pending recommendation for the project, as analysis stores one: `change` is what it sets.
QString storeRecommendation(const QString &dataDir, const QString &projectId, const QString &rule,
                            const QJsonObject &change, const QStringList &apply)
{
    SystemClock clock;
    storage::Repository repo(clock);
    if (!repo.open(dataDir + QStringLiteral("/cachewise.sqlite")))
        return {};
    analysis::Finding finding;
    finding.rule = rule;
    finding.memorySavingPercent = 46.9;
    finding.apply = apply;
    finding.change = change;
    finding.params = {{QStringLiteral("from"), QStringLiteral("f16/f16")},
                      {QStringLiteral("to"), QStringLiteral("q8_0")},
                      {QStringLiteral("engine"), QStringLiteral("llama.cpp")}};
    model::Recommendation r = analysis::recommendationRecord(finding, clock.nowMs());
    r.projectId = projectId;
    auto existing = repo.recommendations().list(projectId);
    QList<model::Recommendation> all = existing ? existing.value() : QList<model::Recommendation>{};
    all << r;
    auto stored = repo.recommendations().replace(projectId, all);
    if (!stored)
        return {};
    for (const model::Recommendation &s : stored.value()) {
        if (s.rule == rule)
            return s.id;
    }
    return {};
}

} // namespace

void TestServers::applyAndRevertThroughTheCli()
{
    const QString standIn = QFileInfo(qEnvironmentVariable("CACHEWISE_STAND_IN")).absoluteFilePath();
    QTemporaryDir data;
    const QString model = data.filePath(QStringLiteral("m/llama.gguf"));
    QVERIFY(copyData(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf"), model));
    const QString project = createProject(data.path(), QStringLiteral("Local"));
    const CliResult added =
        runCli(data.path(), {QStringLiteral("server"), QStringLiteral("add"), QStringLiteral("--project"),
                             project, QStringLiteral("--model"), model, QStringLiteral("--executable"),
                             standIn, QStringLiteral("--context"), QStringLiteral("4096"),
                             QStringLiteral("--parallel"), QStringLiteral("10"), QStringLiteral("--json")});
    const QString id = added.json().value(QLatin1String("id")).toString();
    const auto cli = [&](QStringList args) {
        return runCli(data.path(), args);
    };
    QCOMPARE(cli({QStringLiteral("server"), QStringLiteral("start"), id}).exitCode, 0);
    const QString q8 = storeRecommendation(
        data.path(), project, QStringLiteral("kv_quantization"),
        {{QStringLiteral("cacheTypeK"), QStringLiteral("q8_0")},
         {QStringLiteral("cacheTypeV"), QStringLiteral("q8_0")},
         {QStringLiteral("flashAttention"), true}},
        {QStringLiteral("-ctk q8_0"), QStringLiteral("-ctv q8_0"), QStringLiteral("-fa on")});
    QVERIFY(!q8.isEmpty());

    // Shown first: the command line before and after; nothing changes without --yes.
    const CliResult shown = cli({QStringLiteral("server"), QStringLiteral("apply"), q8});
    QCOMPARE(shown.exitCode, 0);
    QVERIFY(shown.out.contains("-ctk f16 -ctv f16 -fa auto"));
    QVERIFY(shown.out.contains("-ctk q8_0 -ctv q8_0 -fa on"));
    QVERIFY(shown.out.contains("--yes"));
    const qint64 pidBefore =
        cli({QStringLiteral("server"), QStringLiteral("show"), id, QStringLiteral("--json")})
            .json()
            .value(QLatin1String("pid"))
            .toInteger();

    // Applied: restarted with the new flags, the measured effect logged, the recommendation applied.
    const CliResult applied = cli({QStringLiteral("server"), QStringLiteral("apply"), q8,
                                   QStringLiteral("--yes"), QStringLiteral("--json")});
    QCOMPARE(applied.exitCode, 0);
    QVERIFY(applied.json().value(QLatin1String("restarted")).toBool());
    QVERIFY(applied.json()
                .value(QLatin1String("kvBefore"))
                .toString()
                .contains(QStringLiteral("size = 2560.00 MiB")));
    QVERIFY(applied.json()
                .value(QLatin1String("kvAfter"))
                .toString()
                .contains(QStringLiteral("size = 1360.00 MiB")));
    QVERIFY(applied.json().value(QLatin1String("residentBytesAfter")).toDouble() > 0);
    const QJsonObject after =
        cli({QStringLiteral("server"), QStringLiteral("show"), id, QStringLiteral("--json")}).json();
    QCOMPARE(after.value(QLatin1String("cacheTypeV")).toString(), QStringLiteral("q8_0"));
    QCOMPARE(after.value(QLatin1String("state")).toString(), QStringLiteral("ready"));
    QVERIFY(after.value(QLatin1String("pid")).toInteger() != pidBefore);
    const QByteArray log = cli({QStringLiteral("actions"), QStringLiteral("--project"), project}).out;
    QVERIFY2(log.contains("KV allocation 2560.00 MiB → 1360.00 MiB"), log.constData());
    QCOMPARE(cli({QStringLiteral("server"), QStringLiteral("apply"), q8}).exitCode, 1); // applied already

    // Reverted the same way.
    const CliResult reverted =
        cli({QStringLiteral("server"), QStringLiteral("revert"), q8, QStringLiteral("--yes")});
    QCOMPARE(reverted.exitCode, 0);
    QVERIFY(reverted.out.contains("KV allocation 1360.00 MiB → 2560.00 MiB"));
    QCOMPARE(cli({QStringLiteral("server"), QStringLiteral("show"), id, QStringLiteral("--json")})
                 .json()
                 .value(QLatin1String("cacheTypeV"))
                 .toString(),
             QStringLiteral("f16"));

    // New flags the server fails with: the old ones and the old server come back, the failure is logged with
    // its lines, the recommendation stays pending.
    const QString unified =
        storeRecommendation(data.path(), project, QStringLiteral("more_slots"),
                            {{QStringLiteral("unified"), true}}, {QStringLiteral("--kv-unified")});
    qputenv("CACHEWISE_STAND_IN_REFUSE_FLAG", "--kv-unified");
    const CliResult failed =
        cli({QStringLiteral("server"), QStringLiteral("apply"), unified, QStringLiteral("--yes")});
    qunsetenv("CACHEWISE_STAND_IN_REFUSE_FLAG");
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.err.contains("failed to initialize the context with --kv-unified"),
             failed.err.constData());
    QVERIFY(failed.err.contains("runs again"));
    const QJsonObject restored =
        cli({QStringLiteral("server"), QStringLiteral("show"), id, QStringLiteral("--json")}).json();
    QVERIFY(!restored.value(QLatin1String("unified")).toBool());
    QCOMPARE(restored.value(QLatin1String("state")).toString(), QStringLiteral("ready"));
    QVERIFY(cli({QStringLiteral("actions"), QStringLiteral("--project"), project})
                .out.contains("previous flags were restored"));
    QVERIFY(cli({QStringLiteral("server"), QStringLiteral("apply"), unified}).out.contains("--kv-unified"));

    // A project without a managed server: the flags to copy.
    const QString other = createProject(data.path(), QStringLiteral("Elsewhere"));
    const QString copy = storeRecommendation(data.path(), other, QStringLiteral("kv_quantization"),
                                             {{QStringLiteral("cacheTypeK"), QStringLiteral("q8_0")}},
                                             {QStringLiteral("-ctk q8_0")});
    const CliResult unmanaged = cli({QStringLiteral("server"), QStringLiteral("apply"), copy});
    QCOMPARE(unmanaged.exitCode, 1);
    QVERIFY(unmanaged.err.contains("start yours with: -ctk q8_0"));
    QCOMPARE(cli({QStringLiteral("server"), QStringLiteral("stop"), id}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestServers)
#include "tst_servers.moc"
