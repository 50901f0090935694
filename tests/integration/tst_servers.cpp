// SPDX-License-Identifier: GPL-3.0-or-later
// The model library and llama-server profiles through cachewise-cli, as a user types them: a scan of real and
// generated GGUF headers kept between runs, profiles added with their flags, refused with llama-server's
// reasons (exit 2, nothing stored), shown as the exact command line, listed and removed.
#include "tests/support/cli.h"
#include "tests/support/ggufwriter.h"
#include "tests/support/replayserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using test::CliResult;
using test::runCli;

class TestServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelsScanAndList();
    void serverProfilesThroughTheCli();
};

namespace {

bool copyData(const QString &dataFile, const QString &to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    return QFile::copy(test::testDataPath(dataFile), to);
}

} // namespace

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
    const CliResult created =
        runCli(data.path(), {QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("--name"),
                             QStringLiteral("Local"), QStringLiteral("--json")});
    const QString project = created.json().value(QLatin1String("id")).toString();
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

QTEST_GUILESS_MAIN(TestServers)
#include "tst_servers.moc"
