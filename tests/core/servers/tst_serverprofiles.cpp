// SPDX-License-Identifier: GPL-3.0-or-later
// Server profiles: the command line llama-server gets (checked against the captured ones), what is refused
// before a launch and why, and profiles kept in a database file on disk: every bad input refused with
// nothing stored, a profile becoming its project's source and runtime in one transaction.
#include "core/analysis/modelcatalog.h"
#include "core/common/clock.h"
#include "core/servers/gpu.h"
#include "core/servers/process.h"
#include "core/servers/profile.h"
#include "core/services/managedservers.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "tests/support/ggufwriter.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"

#include <QCoreApplication>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using namespace cachewise::servers;

namespace {

analysis::ModelArch llamaShape(int headSize)
{
    analysis::ModelArch m;
    m.family = QStringLiteral("llama");
    m.trainingContext = 4096;
    for (int i = 0; i < 4; ++i)
        m.layers << analysis::LayerSpec{analysis::LayerKind::Full, 2, headSize, headSize, 0, 0, 0};
    return m;
}

QStringList fields(const QList<ProfileProblem> &problems)
{
    QStringList out;
    for (const ProfileProblem &p : problems)
        out << p.field;
    return out;
}

} // namespace

class TestServerProfiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void argumentsAsTheCapturesRanThem();
    void commandLineQuotesWhatAShellWouldSplit();
    void refusedBeforeLaunch_data();
    void refusedBeforeLaunch();
    void storedProfiles();
    void storedProfilesRefuseBadInput_data();
    void storedProfilesRefuseBadInput();
    void addServerMakesTheSourceAndRuntime();
    void freePortIsFree();
    void usageKeptAndDropped();
    void measuredNextToComputed();
    void trafficBeforeAndAfterAChange();
    void nvidiaComputeApps_data();
    void nvidiaComputeApps();
    void nvidiaSmiAskedAsAProgram();
    void processUsageOfARunningProcess();

private:
    // The test's database file opened, with a project "Local" in it.
    std::optional<model::Project> openWithProject(storage::Repository &repo)
    {
        if (!repo.open(m_dir->filePath(QStringLiteral("cachewise.sqlite"))))
            return std::nullopt;
        auto project = repo.projects().create(QStringLiteral("Local"), QString(), QString());
        return project ? std::optional(project.value()) : std::nullopt;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    model::ServerProfile m_profile; // runnable program, readable model
    QString m_model;
};

void TestServerProfiles::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_model = m_dir->filePath(QStringLiteral("models/tiny.gguf"));
    QVERIFY(test::GgufWriter::llama("Tiny", 2, 4, 2, 64, 4096).writeTo(m_model));
    m_profile = {};
    m_profile.executable = QStringLiteral("/bin/sh");
    m_profile.modelPath = m_model;
    m_profile.port = 18190;
}

void TestServerProfiles::argumentsAsTheCapturesRanThem()
{
    // shared/reference/llama-server/f16-np4/command.txt:
    // llama-server -m models/tiny.gguf --host 127.0.0.1 --port 18190 --metrics --slots -c 4096 -np 4 -lv 4
    //   --slot-save-path slot-save
    model::ServerProfile p;
    p.modelPath = QStringLiteral("models/tiny.gguf");
    p.port = 18190;
    p.context = 4096;
    p.parallel = 4;
    const QStringList args = serverArguments(p, QStringLiteral("slot-save"));
    QFile command(test::testDataPath(QStringLiteral("llama-server/f16-np4/command.txt")));
    QVERIFY(command.open(QIODevice::ReadOnly));
    const QStringList captured =
        QString::fromUtf8(command.readAll()).trimmed().split(QLatin1Char(' ')).mid(1);
    for (qsizetype i = 0; i < captured.size(); ++i) {
        const QString &word = captured.at(i);
        const qsizetype at = args.indexOf(word);
        QVERIFY2(at >= 0, qPrintable(word));
        // A flag's value follows it, as in the capture.
        if (word.startsWith(QLatin1Char('-')) && i + 1 < captured.size() &&
            !captured.at(i + 1).startsWith(QLatin1Char('-')))
            QCOMPARE(args.value(at + 1), captured.at(i + 1));
    }
    QCOMPARE(
        args.mid(args.indexOf(QStringLiteral("-c"))),
        (QStringList{QStringLiteral("-c"), QStringLiteral("4096"), QStringLiteral("-np"), QStringLiteral("4"),
                     QStringLiteral("-ctk"), QStringLiteral("f16"), QStringLiteral("-ctv"),
                     QStringLiteral("f16"), QStringLiteral("-fa"), QStringLiteral("auto")}));
    p.unified = true;
    p.cacheTypeK = model::CacheType::Q8_0;
    p.cacheTypeV = model::CacheType::Q4_0;
    p.flashAttention = model::FlashAttention::On;
    p.gpuLayers = 99;
    p.threads = 8;
    p.extraArgs = {QStringLiteral("--mlock")};
    QCOMPARE(kvFlags(p).join(QLatin1Char(' ')),
             QStringLiteral("-c 4096 -np 4 --kv-unified -ctk q8_0 -ctv q4_0 -fa on"));
    QCOMPARE(serverArguments(p, QStringLiteral("s")).mid(12).join(QLatin1Char(' ')),
             QStringLiteral("-c 4096 -np 4 --kv-unified -ctk q8_0 -ctv q4_0 -fa on -ngl 99 -t 8 --mlock"));
}

void TestServerProfiles::commandLineQuotesWhatAShellWouldSplit()
{
    QCOMPARE(shellCommandLine(QStringLiteral("/opt/llama.cpp/build/bin/llama-server"),
                              {QStringLiteral("-m"), QStringLiteral("/home/me/My Models/it's.gguf"),
                               QStringLiteral("--alias"), QString(), QStringLiteral("--port"),
                               QStringLiteral("8080")}),
             QStringLiteral(
                 "/opt/llama.cpp/build/bin/llama-server -m '/home/me/My Models/it'\\''s.gguf' --alias '' "
                 "--port 8080"));
    QCOMPARE(shellCommandLine(QStringLiteral("llama-server"),
                              {QStringLiteral("$(rm -rf ~)"), QStringLiteral("a;b")}),
             QStringLiteral("llama-server '$(rm -rf ~)' 'a;b'"));
}

void TestServerProfiles::refusedBeforeLaunch_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("fine") << QString() << QStringList{};
    QTest::newRow("no program") << QStringLiteral("executable") << QStringList{QStringLiteral("executable")};
    QTest::newRow("no model") << QStringLiteral("model") << QStringList{QStringLiteral("model")};
    QTest::newRow("quantized V, flash attention off")
        << QStringLiteral("v-off") << QStringList{QStringLiteral("flash-attention")};
    QTest::newRow("quantized K, flash attention off is fine") << QStringLiteral("k-off") << QStringList{};
    QTest::newRow("q8_0 on head size 80")
        << QStringLiteral("head80-q8") << QStringList{QStringLiteral("cache-type-k")};
    QTest::newRow("q4_0 V on head size 80")
        << QStringLiteral("head80-q4v") << QStringList{QStringLiteral("cache-type-v")};
    QTest::newRow("f16 on head size 80") << QStringLiteral("head80-f16") << QStringList{};
    QTest::newRow("fp8 is not llama.cpp's")
        << QStringLiteral("fp8") << QStringList{QStringLiteral("cache-type-k")};
    QTest::newRow("fewer cells than slots")
        << QStringLiteral("cells") << QStringList{QStringLiteral("context")};
    QTest::newRow("extra --port") << QStringLiteral("extra-port") << QStringList{QStringLiteral("extra")};
    QTest::newRow("extra --ctx-size=8192")
        << QStringLiteral("extra-ctx") << QStringList{QStringLiteral("extra")};
    QTest::newRow("extra --api-key") << QStringLiteral("extra-key") << QStringList{QStringLiteral("extra")};
    QTest::newRow("extra --mlock is fine") << QStringLiteral("extra-mlock") << QStringList{};
}

void TestServerProfiles::refusedBeforeLaunch()
{
    QFETCH(QString, change);
    QFETCH(QStringList, expected);
    model::ServerProfile p = m_profile;
    std::optional<analysis::ModelArch> model = llamaShape(64);
    if (change == QLatin1String("executable"))
        p.executable = m_dir->filePath(QStringLiteral("no-such-program"));
    if (change == QLatin1String("model"))
        p.modelPath = m_dir->filePath(QStringLiteral("missing.gguf"));
    if (change == QLatin1String("v-off") || change == QLatin1String("k-off")) {
        (change == QLatin1String("v-off") ? p.cacheTypeV : p.cacheTypeK) = model::CacheType::Q8_0;
        p.flashAttention = model::FlashAttention::Off;
    }
    if (change.startsWith(QLatin1String("head80"))) {
        model = llamaShape(80);
        if (change.endsWith(QLatin1String("q8")))
            p.cacheTypeK = model::CacheType::Q8_0;
        if (change.endsWith(QLatin1String("q4v"))) {
            p.cacheTypeV = model::CacheType::Q4_0;
            p.flashAttention = model::FlashAttention::On;
        }
    }
    if (change == QLatin1String("fp8"))
        p.cacheTypeK = model::CacheType::Fp8;
    if (change == QLatin1String("cells")) {
        p.context = 2;
        p.parallel = 4;
    }
    if (change == QLatin1String("extra-port"))
        p.extraArgs = {QStringLiteral("--port"), QStringLiteral("9")};
    if (change == QLatin1String("extra-ctx"))
        p.extraArgs = {QStringLiteral("--ctx-size=8192")};
    if (change == QLatin1String("extra-key"))
        p.extraArgs = {QStringLiteral("--api-key"), QStringLiteral("k")};
    if (change == QLatin1String("extra-mlock"))
        p.extraArgs = {QStringLiteral("--mlock")};
    const QList<ProfileProblem> problems = checkProfile(p, model);
    QCOMPARE(fields(problems), expected);
    for (const ProfileProblem &problem : problems)
        QVERIFY(problem.message.size() > 20);
    if (change.startsWith(QLatin1String("head80-q")))
        QVERIFY2(problems.first().message.contains(QStringLiteral("head size 80")),
                 qPrintable(problems.first().message));
}

void TestServerProfiles::storedProfiles()
{
    SystemClock clock;
    const QString db = m_dir->filePath(QStringLiteral("cachewise.sqlite"));
    storage::Repository repo(clock);
    const auto project = openWithProject(repo);
    QVERIFY(project);
    model::ServerProfile p = m_profile;
    p.projectId = project->id;
    p.gpuLayers = 0;
    p.extraArgs = {QStringLiteral("--alias"), QStringLiteral("a b")};
    auto added = repo.servers().add(p);
    QVERIFY(added);
    QVERIFY(storage::Repository::isValidId(added->id));
    QVERIFY(added->createdAtMs > 0);
    // Read back by another connection: every field as written, the process stopped.
    storage::Repository other(clock);
    QVERIFY(other.open(db));
    auto read = other.servers().get(added->id);
    QVERIFY(read && read->has_value());
    const model::ServerProfile &r = **read;
    QCOMPARE(r.executable, p.executable);
    QCOMPARE(r.modelPath, p.modelPath);
    QCOMPARE(r.port, 18190);
    QCOMPARE(r.gpuLayers, std::optional<int>(0)); // 0 is a number of layers, not "unknown"
    QVERIFY(!r.threads);
    QCOMPARE(r.extraArgs, p.extraArgs);
    QCOMPARE(r.flashAttention, model::FlashAttention::Auto);
    auto process = other.servers().process(added->id);
    QVERIFY(process && process->has_value());
    QCOMPARE((*process)->state, model::ServerState::Stopped);
    QVERIFY(!(*process)->pid);

    // The same port for a second profile is a conflict; an unknown project is not found.
    auto samePort = repo.servers().add(p);
    QVERIFY(!samePort);
    QCOMPARE(samePort.error().kind, ErrorKind::Conflict);
    model::ServerProfile orphan = p;
    orphan.port = 18191;
    orphan.projectId = QStringLiteral("0b6f6c1e-5d1a-4c57-9a59-3f0e4b1f2a10");
    QCOMPARE(repo.servers().add(orphan).error().kind, ErrorKind::NotFound);

    // Flags change; the process's state is recorded; the measured line is kept.
    model::ServerProfile changed = r;
    changed.cacheTypeK = changed.cacheTypeV = model::CacheType::Q8_0;
    changed.flashAttention = model::FlashAttention::On;
    auto updated = repo.servers().update(changed);
    QVERIFY(updated);
    QCOMPARE(updated->cacheTypeV, model::CacheType::Q8_0);
    model::ServerProcess running;
    running.profileId = r.id;
    running.state = model::ServerState::Ready;
    running.pid = 4242;
    running.processIdentity = QStringLiteral("123456");
    running.startedAtMs = 1000;
    QVERIFY(repo.servers().recordProcess(running));
    const QString line =
        QStringLiteral("llama_kv_cache: size =    4.00 MiB (  4096 cells,   2 layers,  4/1 seqs), "
                       "K (f16):    2.00 MiB, V (f16):    2.00 MiB");
    QVERIFY(repo.servers().recordMeasuredKv(r.id, line, 2000));
    auto again = other.servers().get(r.id);
    QCOMPARE((*again)->measuredKvLine, line);
    auto processes = other.servers().processes();
    QVERIFY(processes);
    QCOMPARE(processes->size(), 1);
    QCOMPARE(processes->first().state, model::ServerState::Ready);
    QCOMPARE(processes->first().pid, std::optional<qint64>(4242));
    QCOMPARE(processes->first().processIdentity, QStringLiteral("123456"));

    // Deleting the project takes its profiles with it.
    QVERIFY(repo.projects().remove(project->id));
    QCOMPARE(other.servers().list()->size(), 0);
}

void TestServerProfiles::storedProfilesRefuseBadInput_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<qint64>("value");
    QTest::newRow("context 0") << QStringLiteral("context") << qint64(0);
    QTest::newRow("context 2^24 + 1") << QStringLiteral("context") << (qint64(1) << 24) + 1;
    QTest::newRow("parallel 0") << QStringLiteral("parallel") << qint64(0);
    QTest::newRow("parallel 257") << QStringLiteral("parallel") << qint64(257);
    QTest::newRow("port 0") << QStringLiteral("port") << qint64(0);
    QTest::newRow("port 65536") << QStringLiteral("port") << qint64(65536);
    QTest::newRow("gpu layers -1") << QStringLiteral("gpu-layers") << qint64(-1);
    QTest::newRow("threads 0") << QStringLiteral("threads") << qint64(0);
    QTest::newRow("no executable") << QStringLiteral("executable") << qint64(0);
    QTest::newRow("no model") << QStringLiteral("model") << qint64(0);
}

void TestServerProfiles::storedProfilesRefuseBadInput()
{
    QFETCH(QString, field);
    QFETCH(qint64, value);
    SystemClock clock;
    storage::Repository repo(clock);
    const auto project = openWithProject(repo);
    QVERIFY(project);
    model::ServerProfile p = m_profile;
    p.projectId = project->id;
    if (field == QLatin1String("context"))
        p.context = value;
    if (field == QLatin1String("parallel"))
        p.parallel = int(value);
    if (field == QLatin1String("port"))
        p.port = int(value);
    if (field == QLatin1String("gpu-layers"))
        p.gpuLayers = int(value);
    if (field == QLatin1String("threads"))
        p.threads = int(value);
    if (field == QLatin1String("executable"))
        p.executable = QStringLiteral("  ");
    if (field == QLatin1String("model"))
        p.modelPath.clear();
    auto added = repo.servers().add(p);
    QVERIFY(!added);
    QCOMPARE(added.error().kind, ErrorKind::BadInput);
    QCOMPARE(added.error().field, field);
    QCOMPARE(repo.servers().list()->size(), 0);
    // The same checks guard a change.
    model::ServerProfile good = m_profile;
    good.projectId = project->id;
    auto stored = repo.servers().add(good);
    QVERIFY(stored);
    p.id = stored->id;
    QCOMPARE(repo.servers().update(p).error().field, field);
    QCOMPARE((*repo.servers().get(stored->id))->port, good.port);
}

void TestServerProfiles::addServerMakesTheSourceAndRuntime()
{
    SystemClock clock;
    storage::Repository repo(clock);
    const auto project = openWithProject(repo);
    QVERIFY(project);
    model::ServerProfile p = m_profile;
    p.projectId = project->id;
    p.port = 0; // a free one, please
    p.context = 8192;
    p.parallel = 2;
    p.cacheTypeK = p.cacheTypeV = model::CacheType::Q8_0;
    p.flashAttention = model::FlashAttention::On;
    auto added = services::addServer(repo, p);
    QVERIFY(added);
    QVERIFY(added->port > 0);
    auto sources = repo.sources().list(project->id);
    QCOMPARE(sources->size(), 1);
    QCOMPARE(sources->first().id, added->sourceId);
    QCOMPARE(sources->first().baseUrl, QStringLiteral("http://127.0.0.1:%1").arg(added->port));
    auto runtime = repo.runtimes().get(project->id);
    QVERIFY(runtime && runtime->has_value());
    QCOMPARE((*runtime)->context, 8192);
    QCOMPARE((*runtime)->parallel, 2);
    QCOMPARE((*runtime)->cacheTypeV, model::CacheType::Q8_0);
    QCOMPARE(analysis::modelFromJson((*runtime)->modelJson)->layerCount(), 2);
    QVERIFY(
        services::serverCommandLine(*added, m_dir->path())
            .contains(QStringLiteral("--slot-save-path %1/servers/%2/slots").arg(m_dir->path(), added->id)));

    // Refused as a whole: the same port again (a conflict) leaves no second source and no second profile;
    // an unreadable model and a V cache llama-server would refuse are explained.
    model::ServerProfile again = p;
    again.port = added->port;
    QCOMPARE(services::addServer(repo, again).error().kind, ErrorKind::Conflict);
    QCOMPARE(repo.sources().list(project->id)->size(), 1);
    QCOMPARE(repo.servers().list()->size(), 1);
    model::ServerProfile cut = p;
    const QString cutModel = m_dir->filePath(QStringLiteral("models/cut.gguf"));
    QFile out(cutModel);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(test::GgufWriter::llama("Cut", 2, 4, 2, 64, 4096).bytes().left(40));
    out.close();
    cut.modelPath = cutModel;
    auto unreadable = services::addServer(repo, cut);
    QCOMPARE(unreadable.error().field, QStringLiteral("model"));
    QVERIFY(unreadable.errorMessage().startsWith(QStringLiteral("Cannot read the model")));
    model::ServerProfile noFa = p;
    noFa.flashAttention = model::FlashAttention::Off;
    QCOMPARE(services::addServer(repo, noFa).error().field, QStringLiteral("flash-attention"));
    QCOMPARE(repo.servers().list()->size(), 1);
    QCOMPARE(repo.sources().list(project->id)->size(), 1);

    // Removing takes the source too; the project stays.
    QVERIFY(services::removeServer(repo, added->id));
    QCOMPARE(repo.servers().list()->size(), 0);
    QCOMPARE(repo.sources().list(project->id)->size(), 0);
    QCOMPARE(services::removeServer(repo, added->id).error().kind, ErrorKind::NotFound);
}

void TestServerProfiles::freePortIsFree()
{
    QTcpServer held;
    QVERIFY(held.listen(QHostAddress::LocalHost, 0));
    const std::optional<int> port = freeLoopbackPort({int(held.serverPort())});
    QVERIFY(port);
    QVERIFY(*port != held.serverPort());
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, quint16(*port)));
}

void TestServerProfiles::usageKeptAndDropped()
{
    SystemClock clock;
    storage::Repository repo(clock);
    const auto project = openWithProject(repo);
    QVERIFY(project);
    model::ServerProfile p = m_profile;
    p.projectId = project->id;
    auto stored = repo.servers().add(p);
    QVERIFY(stored);
    const qint64 day = 24 * 3600 * 1000;
    QVERIFY(repo.servers().recordUsage(stored->id, {1000, 512 << 20, 250.0, std::nullopt}, 2 * day));
    QVERIFY(repo.servers().recordUsage(stored->id, {day, 600 << 20, 12.5, qint64(3) << 30}, 2 * day));
    auto both = repo.servers().usage(stored->id, 0, 10 * day);
    QVERIFY(both);
    QCOMPARE(both->size(), 2);
    QVERIFY(!both->first().gpuBytes); // no GPU read: nothing, not 0
    QCOMPARE(both->first().cpuPercent, 250.0);
    QCOMPARE(both->last().gpuBytes, std::optional<qint64>(qint64(3) << 30));
    // Three days on, the first is past what is kept.
    QVERIFY(repo.servers().recordUsage(stored->id, {3 * day, 610 << 20, 10.0, std::nullopt}, 2 * day));
    QCOMPARE(repo.servers().usage(stored->id, 0, 10 * day)->size(), 2);
    QCOMPARE(repo.servers().usage(stored->id, 0, 10 * day)->first().timestampMs, day);
    // Refused: negative figures, an unknown server; nothing stored.
    QCOMPARE(repo.servers().recordUsage(stored->id, {4 * day, -1, 1, std::nullopt}, day).error().kind,
             ErrorKind::BadInput);
    QCOMPARE(repo.servers().recordUsage(stored->id, {4 * day, 1, -1, std::nullopt}, day).error().kind,
             ErrorKind::BadInput);
    QCOMPARE(
        repo.servers().recordUsage(QStringLiteral("nope"), {4 * day, 1, 1, std::nullopt}, day).error().kind,
        ErrorKind::NotFound);
    QCOMPARE(repo.servers().usage(stored->id, 0, 10 * day)->size(), 2);
    QVERIFY(repo.projects().remove(project->id));
    QCOMPARE(repo.servers().usage(stored->id, 0, 10 * day)->size(), 0);
}

void TestServerProfiles::measuredNextToComputed()
{
    // The Llama 2 7B shape with -c 4096 -np 10 -ctk q8_0 -ctv q8_0: what llama-server printed
    // (tests/data/llama-server/kv-cache-lines.txt).
    model::ServerProfile p = m_profile;
    p.modelPath = test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf"));
    p.context = 4096;
    p.parallel = 10;
    p.cacheTypeK = p.cacheTypeV = model::CacheType::Q8_0;
    QVERIFY(!services::compareKvAllocation(p)); // nothing logged yet
    p.measuredKvLine =
        QStringLiteral("llama_kv_cache: size = 1360.00 MiB (   512 cells,  32 layers, 10/10 seqs), "
                       "K (q8_0):  680.00 MiB, V (q8_0):  680.00 MiB");
    auto same = services::compareKvAllocation(p);
    QVERIFY(same);
    QCOMPARE(same->computedLine, p.measuredKvLine);
    QVERIFY(!same->differs);
    // A server that allocated something else (another build's padding): flagged, with how much.
    p.measuredKvLine =
        QStringLiteral("llama_kv_cache: size = 1088.00 MiB (   410 cells,  32 layers, 10/10 seqs), "
                       "K (q8_0):  544.00 MiB, V (q8_0):  544.00 MiB");
    auto other = services::compareKvAllocation(p);
    QVERIFY(other && other->differs);
    QCOMPARE(other->differenceMiB, -272.0);
}

void TestServerProfiles::trafficBeforeAndAfterAChange()
{
    SystemClock clock;
    const QString db = m_dir->filePath(QStringLiteral("cachewise.sqlite"));
    storage::Repository repo(clock);
    const auto project = openWithProject(repo);
    QVERIFY(project);
    // A sample every 30 s for the hour before a change at `now - 30 min` and the 30 min after it.
    const qint64 now = clock.nowMs() / 1000 * 1000;
    const qint64 changeAt = now - 30 * 60'000;
    QList<model::MetricSample> samples;
    for (qint64 t = changeAt - 60 * 60'000; t < now; t += 30'000) {
        model::MetricSample s;
        s.projectId = project->id;
        s.timestampMs = t;
        s.setValue(model::Metric::TokensPerSecond, t < changeAt ? 40 : 55);
        s.setValue(model::Metric::TimeToFirstTokenMs, t < changeAt ? 800 : 600);
        samples << s;
    }
    {
        storage::MetricWriter writer(db, clock);
        QVERIFY(writer.start());
        QVERIFY(test::writeAndWait(writer, samples).ok());
        writer.stop();
    }
    auto compared = services::compareTraffic(repo, project->id, changeAt, now);
    QVERIFY(compared && compared->has_value());
    const services::TrafficComparison &c = **compared;
    QCOMPARE(c.windowMs, 30 * 60'000); // as long as has passed since the change
    QCOMPARE(c.before.samples, 60);
    QCOMPARE(c.after.samples, 60);
    QCOMPARE(c.before.tokensPerSecond.value_or(-1), 40.0);
    QCOMPARE(c.after.tokensPerSecond.value_or(-1), 55.0);
    QCOMPARE(c.after.timeToFirstTokenMs.value_or(-1), 600.0);
    QCOMPARE(services::describeTraffic(c),
             QStringLiteral("Over 30 min before and after (60 and 60 samples): tokens per second 40.0 → 55.0 "
                            "(+37.5 %), time to first token 800 → 600 ms (−25.0 %)"));
    // Too soon, or too little traffic: nothing yet.
    QVERIFY(!services::compareTraffic(repo, project->id, changeAt, changeAt + 5 * 60'000)->has_value());
    QVERIFY(!services::compareTraffic(repo, project->id, changeAt, now, 10 * 60'000, 60 * 60'000, 61)
                 ->has_value());

    // Which changes still wait for their comparison: the recent ones not compared yet.
    model::ActionLogEntry applied;
    applied.id = QStringLiteral("a1");
    applied.actionType = QStringLiteral("server_applied");
    applied.timestampMs = changeAt;
    model::ActionLogEntry old = applied;
    old.id = QStringLiteral("a0");
    old.actionType = QStringLiteral("server_reverted");
    old.timestampMs = now - 2 * 24 * 3600 * 1000;
    model::ActionLogEntry done;
    done.actionType = QStringLiteral("server_traffic_compared");
    done.directive = R"({"change":"a1"})";
    QCOMPARE(services::changesAwaitingTraffic({applied, old}, now).size(), 1);
    QCOMPARE(services::changesAwaitingTraffic({applied, old}, now).first().id, QStringLiteral("a1"));
    QVERIFY(services::changesAwaitingTraffic({done, applied, old}, now).isEmpty());
}

void TestServerProfiles::nvidiaComputeApps_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("pid");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("one") << QByteArray("4242, 1536\n") << true << qint64(4242) << qint64(1536) * 1048576;
    QTest::newRow("two GPUs, one process")
        << QByteArray("4242, 1024\n4242, 512\n77, 10\n") << true << qint64(4242) << qint64(1536) * 1048576;
    QTest::newRow("N/A") << QByteArray("4242, [N/A]\n") << true << qint64(4242) << qint64(0);
    QTest::newRow("none") << QByteArray("") << true << qint64(4242) << qint64(0);
    QTest::newRow("header left in") << QByteArray("pid, used_gpu_memory [MiB]\n4242, 10\n") << false
                                    << qint64(0) << qint64(0);
    QTest::newRow("units left in") << QByteArray("4242, 10 MiB\n") << false << qint64(0) << qint64(0);
    QTest::newRow("driver message") << QByteArray("No devices were found\n") << false << qint64(0)
                                    << qint64(0);
    QTest::newRow("negative") << QByteArray("4242, -5\n") << false << qint64(0) << qint64(0);
}

void TestServerProfiles::nvidiaComputeApps()
{
    QFETCH(QByteArray, csv);
    QFETCH(bool, valid);
    QFETCH(qint64, pid);
    QFETCH(qint64, bytes);
    const auto parsed = parseNvidiaComputeApps(csv);
    QCOMPARE(bool(parsed), valid);
    if (valid)
        QCOMPARE(parsed->value(pid, 0), bytes);
}

void TestServerProfiles::nvidiaSmiAskedAsAProgram()
{
    // No nvidia-smi can run here: a script answers as it does (the documented CSV), one fails as it does
    // without a driver, and none at all.
    const QString good = m_dir->filePath(QStringLiteral("nvidia-smi"));
    const QString bad = m_dir->filePath(QStringLiteral("nvidia-smi-no-driver"));
    for (const auto &[path, body] :
         {std::pair{good,
                    QByteArray("#!/bin/sh\n[ \"$1\" = --query-compute-apps=pid,used_memory ] && "
                               "[ \"$2\" = --format=csv,noheader,nounits ] || exit 2\necho '4242, 2048'\n")},
          std::pair{
              bad,
              QByteArray("#!/bin/sh\necho 'NVIDIA-SMI has failed because it couldn'\\''t communicate with "
                         "the NVIDIA driver.' >&2\nexit 9\n")}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(body) == body.size());
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    }
    const auto read = readNvidiaGpuMemory(good);
    QVERIFY(read);
    QCOMPARE(read->value(4242), qint64(2048) * 1048576);
    const auto failed = readNvidiaGpuMemory(bad);
    QCOMPARE(failed.error().kind, ErrorKind::Unavailable);
    QVERIFY2(failed.errorMessage().contains(QStringLiteral("communicate with the NVIDIA driver")),
             qPrintable(failed.errorMessage()));
    const auto none = readNvidiaGpuMemory(QStringLiteral("cachewise-no-such-nvidia-smi"));
    QCOMPARE(none.error().kind, ErrorKind::Unavailable);
    QVERIFY(none.errorMessage().startsWith(QStringLiteral("no NVIDIA GPU to read")));
}

void TestServerProfiles::processUsageOfARunningProcess()
{
    const ProcessHandle self{QCoreApplication::applicationPid(),
                             processIdentity(QCoreApplication::applicationPid())};
    QVERIFY(!self.identity.isEmpty());
    QVERIFY(isRunning(self));
    const auto used = processUsage(self);
    QVERIFY(used);
    QVERIFY(used->residentBytes > 1 << 20);
    QVERIFY(used->cpuMs >= 0);
    QVERIFY(!processUsage(ProcessHandle{self.pid, QStringLiteral("1")})); // another process's start time
}

QTEST_GUILESS_MAIN(TestServerProfiles)
#include "tst_serverprofiles.moc"
