// SPDX-License-Identifier: GPL-3.0-or-later
// The lifecycle of a launched llama-server, against the stand-in the build makes (cachewise-test-llama-
// server, see tests/stand-in): starting, loading (/health 503), ready, stopped; the log read line by line
// with its levels and the KV allocation line taken from it and compared with CacheWise's own figure; a
// refused flag quoted as the reason; crashes restarted with a doubling backoff and given up; SIGKILL after
// a SIGTERM that is ignored; a running server taken over by a new supervisor (another CacheWise); the log
// rotated past its size. Timings are shortened; only lower bounds of waits are checked.
#include "core/analysis/gguf.h"
#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "core/servers/process.h"
#include "core/servers/profile.h"
#include "core/servers/supervisor.h"
#include "tests/support/cli.h"
#include "tests/support/ggufwriter.h"
#include "tests/support/replayserver.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using namespace cachewise::servers;
using model::ServerState;

namespace {

QString standIn()
{
    return QFileInfo(qEnvironmentVariable("CACHEWISE_STAND_IN")).absoluteFilePath();
}

int freePort()
{
    return freeLoopbackPort({}).value_or(0);
}

// The states a supervisor went through, with when (ms since the recorder began).
struct StateLog
{
    explicit StateLog(ServerSupervisor &s)
    {
        clock.start();
        QObject::connect(&s, &ServerSupervisor::stateChanged, &s, [this](ServerState state, const QString &) {
            states << state;
            at << clock.elapsed();
        });
    }
    QElapsedTimer clock;
    QList<ServerState> states;
    QList<qint64> at;
};

} // namespace

class TestSupervisor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void startsLoadsServesStops();
    void refusedFlagIsTheReason();
    void crashesRestartWithBackoffThenGiveUp();
    void stableServerStartsTheBackoffAgain();
    void ignoredTermIsKilled();
    void runningServerIsTakenOver();
    void logIsRotatedAndReadWhole();

private:
    LaunchSpec spec(const model::ServerProfile &profile) const;
    model::ServerProfile profile(int port) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_model;
};

void TestSupervisor::initTestCase()
{
    QVERIFY2(QFileInfo(standIn()).isExecutable(), "CACHEWISE_STAND_IN must name cachewise-test-llama-server");
}

void TestSupervisor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_model = m_dir->filePath(QStringLiteral("tiny.gguf"));
    // The shape of the captured tiny.gguf: 2 layers, 4 heads, 2 KV heads of 64.
    QVERIFY(test::GgufWriter::llama("tiny-random-llama", 2, 4, 2, 64, 4096).writeTo(m_model));
    qunsetenv("CACHEWISE_STAND_IN_EXIT_AFTER_MS");
    qunsetenv("CACHEWISE_STAND_IN_IGNORE_TERM");
    qputenv("CACHEWISE_STAND_IN_LOAD_MS", "400");
}

void TestSupervisor::cleanup()
{
    // A failed check returns early: what it launched must not outlive it.
    test::killProcessesUsing(m_dir->path());
    qunsetenv("CACHEWISE_STAND_IN_EXIT_AFTER_MS");
    qunsetenv("CACHEWISE_STAND_IN_IGNORE_TERM");
}

model::ServerProfile TestSupervisor::profile(int port) const
{
    model::ServerProfile p;
    p.id = QStringLiteral("p1");
    p.executable = standIn();
    p.modelPath = m_model;
    p.port = port;
    p.context = 8192;
    p.parallel = 4;
    p.cacheTypeK = p.cacheTypeV = model::CacheType::Q8_0;
    p.flashAttention = model::FlashAttention::On;
    return p;
}

LaunchSpec TestSupervisor::spec(const model::ServerProfile &p) const
{
    return LaunchSpec{p.id,
                      p.executable,
                      serverArguments(p, m_dir->filePath(QStringLiteral("slots"))),
                      m_dir->filePath(QStringLiteral("server.log")),
                      m_dir->path(),
                      p.port};
}

void TestSupervisor::startsLoadsServesStops()
{
    const model::ServerProfile p = profile(freePort());
    SupervisorTimings t;
    t.pollMs = 50;
    ServerSupervisor s(spec(p), t);
    StateLog log(s);
    QSignalSpy kv(&s, &ServerSupervisor::kvAllocationLogged);
    QVERIFY(s.start());
    QVERIFY(s.process() && s.process()->pid > 0);
    QVERIFY(!s.process()->identity.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Ready, 10000);
    // /health said 503 while the model loaded, before it said 200.
    QCOMPARE(log.states.first(), ServerState::Starting);
    QVERIFY(log.states.contains(ServerState::Loading));
    QVERIFY(log.states.indexOf(ServerState::Loading) < log.states.indexOf(ServerState::Ready));

    // The log, line by line with its level; the KV allocation line it printed is CacheWise's own figure.
    QTRY_VERIFY_WITH_TIMEOUT(!s.kvAllocationLine().isEmpty(), 5000);
    QCOMPARE(kv.size(), 1);
    bool warned = false;
    for (const LlamaLogLine &line : s.lines())
        warned = warned ||
                 (line.level == LlamaLogLine::Level::Warning && line.text.contains(QStringLiteral("CORS")));
    QVERIFY(warned);
    auto arch = analysis::modelFromGgufFile(m_model);
    QVERIFY(arch);
    analysis::KvConfig config;
    config.context = p.context;
    config.parallel = p.parallel;
    config.typeK = config.typeV = model::CacheType::Q8_0;
    const auto estimate = analysis::estimateKv(*arch, config);
    QVERIFY(estimate);
    QCOMPARE(s.kvAllocationLine(), analysis::formatLlamaKvLines(*estimate, config).first());

    const ProcessHandle process = *s.process();
    s.stop();
    QCOMPARE(s.state(), ServerState::Stopping);
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Stopped, 10000);
    QVERIFY(!isRunning(process));
    QVERIFY(!s.process());
    QCOMPARE(s.lines().back().text,
             QStringLiteral("srv    operator(): operator(): cleaning up before exit..."));
    QCOMPARE(s.crashCount(), 0);
}

void TestSupervisor::refusedFlagIsTheReason()
{
    model::ServerProfile p = profile(freePort());
    p.flashAttention = model::FlashAttention::Off; // what checkProfile refuses; here llama-server's refusal
    SupervisorTimings t;
    t.pollMs = 50;
    t.firstBackoffMs = 100;
    t.maxCrashes = 2;
    ServerSupervisor s(spec(p), t);
    QSignalSpy gaveUp(&s, &ServerSupervisor::gaveUp);
    QVERIFY(s.start());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Crashed, 10000);
    QVERIFY2(s.reason().contains(QStringLiteral("V cache quantization requires flash_attn")),
             qPrintable(s.reason()));
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::GaveUp, 10000);
    QCOMPARE(gaveUp.size(), 1);
    QVERIFY(gaveUp.first().first().toString().contains(QStringLiteral("failed to load model")));
    // A program that is not there: said at once.
    LaunchSpec missing = spec(p);
    missing.program = m_dir->filePath(QStringLiteral("no-llama-server"));
    ServerSupervisor none(missing, t);
    QVERIFY(!none.start());
    QCOMPARE(none.state(), ServerState::Crashed);
    QVERIFY(none.reason().startsWith(QStringLiteral("Cannot start")));
}

void TestSupervisor::crashesRestartWithBackoffThenGiveUp()
{
    const model::ServerProfile p = profile(freePort());
    qputenv("CACHEWISE_STAND_IN_LOAD_MS", "50");
    qputenv("CACHEWISE_STAND_IN_EXIT_AFTER_MS", "200"); // every run crashes 0.2 s after it starts
    SupervisorTimings t;
    t.pollMs = 25;
    t.firstBackoffMs = 150;
    t.maxBackoffMs = 500;
    t.maxCrashes = 5;
    ServerSupervisor s(spec(p), t);
    StateLog log(s);
    QSignalSpy gaveUp(&s, &ServerSupervisor::gaveUp);
    QVERIFY(s.start());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::GaveUp, 30000);
    QCOMPARE(gaveUp.size(), 1);
    QVERIFY2(s.reason().contains(QStringLiteral("stand-in crash requested")), qPrintable(s.reason()));
    // Crashed → Starting again after 150, 300, 500 (the ceiling), 500 ms; the fifth crash gives up.
    QList<qint64> waits;
    for (qsizetype i = 0; i + 1 < log.states.size(); ++i) {
        if (log.states.at(i) == ServerState::Crashed && log.states.at(i + 1) == ServerState::Starting)
            waits << log.at.at(i + 1) - log.at.at(i);
    }
    QCOMPARE(waits.size(), 4);
    const QList<qint64> backoff{150, 300, 500, 500};
    for (int i = 0; i < 4; ++i)
        QVERIFY2(waits.at(i) >= backoff.at(i) - 5,
                 qPrintable(QStringLiteral("wait %1: %2 ms").arg(i).arg(waits.at(i))));
    QCOMPARE(log.states.count(ServerState::Crashed), 4);
    QCOMPARE(log.states.last(), ServerState::GaveUp);
    // Nothing restarts it now.
    QTest::qWait(700);
    QCOMPARE(s.state(), ServerState::GaveUp);
}

void TestSupervisor::stableServerStartsTheBackoffAgain()
{
    const model::ServerProfile p = profile(freePort());
    qputenv("CACHEWISE_STAND_IN_LOAD_MS", "50");
    qputenv("CACHEWISE_STAND_IN_EXIT_AFTER_MS", "1500");
    SupervisorTimings t;
    t.pollMs = 25;
    t.firstBackoffMs = 100;
    t.stableMs = 300; // each run is ready ~1.4 s (a loaded machine may see it late): stable
    t.maxCrashes = 2;
    ServerSupervisor s(spec(p), t);
    StateLog log(s);
    QVERIFY(s.start());
    QTRY_VERIFY_WITH_TIMEOUT(log.states.count(ServerState::Crashed) >= 3, 20000);
    QVERIFY(!log.states.contains(ServerState::GaveUp)); // never two crashes in a row without a stable run
    QCOMPARE(s.crashCount(), 1);
    s.stop();
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Stopped, 10000);
}

void TestSupervisor::ignoredTermIsKilled()
{
    const model::ServerProfile p = profile(freePort());
    qputenv("CACHEWISE_STAND_IN_IGNORE_TERM", "1");
    SupervisorTimings t;
    t.pollMs = 25;
    t.stopTimeoutMs = 600;
    ServerSupervisor s(spec(p), t);
    QVERIFY(s.start());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Ready, 10000);
    const ProcessHandle process = *s.process();
    QElapsedTimer stopping;
    stopping.start();
    s.stop();
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Stopped, 10000);
    QVERIFY(stopping.elapsed() >= 600);
    QVERIFY(!isRunning(process));
}

void TestSupervisor::runningServerIsTakenOver()
{
    const model::ServerProfile p = profile(freePort());
    ProcessHandle process;
    {
        ServerSupervisor first(spec(p));
        QVERIFY(first.start());
        QTRY_COMPARE_WITH_TIMEOUT(first.state(), ServerState::Ready, 10000);
        process = *first.process();
    } // CacheWise quits and leaves it running
    QVERIFY(isRunning(process));
    SupervisorTimings t;
    t.pollMs = 50;
    ServerSupervisor second(spec(p), t);
    QVERIFY(second.adopt(process));
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), ServerState::Ready, 10000);
    // Its log is read from where it stands: a crash is seen with its lines.
    QNetworkAccessManager network;
    QNetworkReply *crash =
        network.post(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/stand-in/crash").arg(p.port))),
                     QByteArray());
    QObject::connect(crash, &QNetworkReply::finished, crash, &QObject::deleteLater);
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), ServerState::Crashed, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), ServerState::Ready, 15000); // restarted
    second.stop();
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), ServerState::Stopped, 10000);
    // A process that is gone, or a pid now someone else's, is not taken.
    QVERIFY(!second.adopt(process));
    QVERIFY(!second.adopt(ProcessHandle{process.pid, QStringLiteral("1")}));
}

void TestSupervisor::logIsRotatedAndReadWhole()
{
    const model::ServerProfile p = profile(freePort());
    SupervisorTimings t;
    t.pollMs = 20;
    t.logMaxBytes = 4000; // the startup log is ~18 kB at -lv 4
    ServerSupervisor s(spec(p), t);
    QVERIFY(s.start());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Ready, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(s.lines().size() > 150, 5000);
    s.stop();
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), ServerState::Stopped, 10000);
    const QString log = m_dir->filePath(QStringLiteral("server.log"));
    QVERIFY(QFileInfo::exists(log + QStringLiteral(".1")));
    QVERIFY(QFileInfo(log).size() <= 4000 + 8192);
    // What the viewer reads back: the rotated part, then the current one, ending with the exit.
    const QList<LlamaLogLine> lines = readServerLog(log, 50'000);
    QVERIFY(lines.size() > 10);
    QCOMPARE(lines.last().text, QStringLiteral("srv    operator(): operator(): cleaning up before exit..."));
    QCOMPARE(readServerLog(log, 3).size(), 3);
}

QTEST_GUILESS_MAIN(TestSupervisor)
#include "tst_supervisor.moc"
