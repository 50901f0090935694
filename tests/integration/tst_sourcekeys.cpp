// SPDX-License-Identifier: GPL-3.0-or-later
// Source API keys in the real OS keychain (a throwaway GNOME keyring in a private D-Bus session, started
// by support/with-keyring.sh): kept and read back, sent to the server as a bearer token, read again
// when the server refuses it, never written to the database; the CLI's commands; no keychain, no key.
#include "core/common/clock.h"
#include "core/common/secretstore.h"
#include "core/services/scraper.h"
#include "tests/support/cli.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;

namespace {

// Every byte of the database and its WAL: a secret must be in none of them.
QByteArray databaseBytes(const QString &databasePath)
{
    QByteArray all;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile f(databasePath + suffix);
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace

class TestSourceKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keychainRoundTrip();
    void scraperSendsTheKey();
    void cliKeepsKeysInTheKeychain();
    void noKeychainNoKey();
};

void TestSourceKeys::keychainRoundTrip()
{
    const QString name = secrets::sourceKeyName(QStringLiteral("round-trip"));
    QVERIFY(!secrets::readNow(name)->has_value()); // nothing yet: not an error
    QVERIFY(secrets::removeNow(name).ok());        // removing nothing succeeds
    QVERIFY2(secrets::writeNow(name, QStringLiteral("sk-1 ünïcode")).ok(), "the keyring refused a write");
    QCOMPARE(secrets::readNow(name)->value(), QStringLiteral("sk-1 ünïcode"));
    QVERIFY(secrets::writeNow(name, QStringLiteral("sk-2")).ok()); // replaced, not added
    // Asynchronously, as the UI's storage thread and the scraper use it.
    QObject context;
    std::optional<QString> read;
    secrets::read(name, &context, [&read](const Result<std::optional<QString>> &r) {
        if (r)
            read = r.value().value_or(QString());
    });
    QTRY_VERIFY(read.has_value());
    QCOMPARE(*read, QStringLiteral("sk-2"));
    QVERIFY(secrets::removeNow(name).ok());
    QVERIFY(!secrets::readNow(name)->has_value());
}

void TestSourceKeys::scraperSendsTheKey()
{
    test::ReplayServer server;
    QVERIFY(server.listen());
    test::serveLlamaCaptures(server, "during_slots_06.json", "during_metrics_06.txt");
    server.requireApiKey("sk-right");
    test::TestStack stack;
    QVERIFY(stack.start());
    const test::CreatedProject p = stack.createProject(QStringLiteral("Keyed"));
    auto added = stack.repository().sources().add(test::sourceAt(p.id, server.port()));
    QVERIFY(added);
    const QString name = secrets::sourceKeyName(added->id);
    QVERIFY(secrets::writeNow(name, QStringLiteral("sk-wrong")).ok());
    QVERIFY(stack.repository().sources().setHasApiKey(added->id, true).value());

    stack.startScraping();
    // The wrong key: down, with the reason, and nothing stored.
    QTRY_VERIFY_WITH_TIMEOUT(
        stack.repository().sources().list(p.id)->first().state == model::SourceState::Down, 10000);
    QVERIFY2(stack.repository().sources().list(p.id)->first().stateReason.contains(
                 QStringLiteral("refused the source's "
                                "API key")),
             qPrintable(stack.repository().sources().list(p.id)->first().stateReason));
    QCOMPARE(stack.rawCount(p.id), 0);
    QVERIFY(server.authorizations.contains("Bearer sk-wrong"));
    // The key is replaced in the keychain (as the CLI or the UI would): read again after the refusal.
    QVERIFY(secrets::writeNow(name, QStringLiteral("sk-right")).ok());
    QTRY_VERIFY_WITH_TIMEOUT(stack.rawCount(p.id) >= 1, 70000);
    QCOMPARE(stack.repository().sources().list(p.id)->first().state, model::SourceState::Up);
    QCOMPARE(server.authorizations.last(), QByteArray("Bearer sk-right"));
    // Gone from the keychain: down with what to do, never scraping without it.
    QVERIFY(secrets::removeNow(name).ok());
    server.requireApiKey("sk-other"); // the refusal makes the scraper read the keychain again
    QTRY_VERIFY_WITH_TIMEOUT(stack.repository().sources().list(p.id)->first().stateReason.contains(
                                 QStringLiteral("not in the OS keychain")),
                             70000);
    const QByteArray stored = databaseBytes(stack.databasePath());
    QVERIFY(!stored.contains("sk-right"));
    QVERIFY(!stored.contains("sk-wrong"));
}

void TestSourceKeys::cliKeepsKeysInTheKeychain()
{
    QTemporaryDir dir;
    const QString data = dir.path();
    const test::CliResult created =
        test::runCli(data, {QStringLiteral("--json"), QStringLiteral("project"), QStringLiteral("create"),
                            QStringLiteral("--name"), QStringLiteral("K")});
    QCOMPARE(created.exitCode, 0);
    const QString projectId =
        QJsonDocument::fromJson(created.out).object().value(QLatin1String("id")).toString();
    QVERIFY(!projectId.isEmpty());
    const QStringList add{QStringLiteral("--json"),
                          QStringLiteral("source"),
                          QStringLiteral("add"),
                          QStringLiteral("--project"),
                          projectId,
                          QStringLiteral("--url"),
                          QStringLiteral("http://127.0.0.1:9"),
                          QStringLiteral("--api-key-stdin")};
    // No key on standard input: refused, nothing added.
    const test::CliResult empty = test::runCli(data, add, "\n");
    QCOMPARE(empty.exitCode, 2);
    QVERIFY(empty.err.contains("standard input"));
    const test::CliResult ok = test::runCli(data, add, "sk-cli-secret\n");
    QVERIFY2(ok.exitCode == 0, ok.err.constData());
    const QJsonObject source = QJsonDocument::fromJson(ok.out).object();
    const QString id = source.value(QLatin1String("id")).toString();
    QCOMPARE(source.value(QLatin1String("apiKey")).toBool(), true);
    QCOMPARE(secrets::readNow(secrets::sourceKeyName(id))->value(), QStringLiteral("sk-cli-secret"));
    QVERIFY(!databaseBytes(data + QStringLiteral("/cachewise.sqlite")).contains("sk-cli-secret"));
    QVERIFY(!ok.out.contains("sk-cli-secret"));
    const test::CliResult listed = test::runCli(data, {QStringLiteral("source"), QStringLiteral("list")});
    QVERIFY(listed.out.contains("(API key)"));
    QVERIFY(!listed.out.contains("sk-cli-secret"));
    // A new key, then none.
    QCOMPARE(test::runCli(data,
                          {QStringLiteral("source"), QStringLiteral("key"), id, QStringLiteral("--stdin")},
                          "sk-new\n")
                 .exitCode,
             0);
    QCOMPARE(secrets::readNow(secrets::sourceKeyName(id))->value(), QStringLiteral("sk-new"));
    QCOMPARE(test::runCli(data, {QStringLiteral("source"), QStringLiteral("key"), id}).exitCode, 2);
    QCOMPARE(test::runCli(data, {QStringLiteral("source"), QStringLiteral("key"), QStringLiteral("nope"),
                                 QStringLiteral("--remove")})
                 .exitCode,
             1);
    QCOMPARE(
        test::runCli(data, {QStringLiteral("source"), QStringLiteral("key"), id, QStringLiteral("--remove")})
            .exitCode,
        0);
    QVERIFY(!secrets::readNow(secrets::sourceKeyName(id))->has_value());
    // Removing a source takes its key along.
    QCOMPARE(test::runCli(data,
                          {QStringLiteral("source"), QStringLiteral("key"), id, QStringLiteral("--stdin")},
                          "sk-last\n")
                 .exitCode,
             0);
    QCOMPARE(test::runCli(data, {QStringLiteral("source"), QStringLiteral("remove"), id}).exitCode, 0);
    QVERIFY(!secrets::readNow(secrets::sourceKeyName(id))->has_value());
}

void TestSourceKeys::noKeychainNoKey()
{
    // A session without a Secret Service: the key is refused with the keychain's reason and the source is
    // not added; nothing falls back to a file.
    QTemporaryDir dir;
    const QString data = dir.path();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=%1/no-bus").arg(data));
    const test::CliResult created =
        test::runCli(data,
                     {QStringLiteral("--json"), QStringLiteral("project"), QStringLiteral("create"),
                      QStringLiteral("--name"), QStringLiteral("N")},
                     {}, env);
    const QString projectId =
        QJsonDocument::fromJson(created.out).object().value(QLatin1String("id")).toString();
    const test::CliResult refused = test::runCli(
        data,
        {QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("--project"), projectId,
         QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--api-key-stdin")},
        "sk-nowhere\n", env);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("the source was not added"), refused.err.constData());
    QVERIFY(refused.err.contains("keychain"));
    const test::CliResult listed = test::runCli(
        data, {QStringLiteral("--json"), QStringLiteral("source"), QStringLiteral("list")}, {}, env);
    QCOMPARE(QJsonDocument::fromJson(listed.out).array().size(), 0);
    // A source without a key is added and removed without a keychain.
    const test::CliResult keyless =
        test::runCli(data,
                     {QStringLiteral("--json"), QStringLiteral("source"), QStringLiteral("add"),
                      QStringLiteral("--project"), projectId, QStringLiteral("--url"),
                      QStringLiteral("http://127.0.0.1:9")},
                     {}, env);
    QCOMPARE(keyless.exitCode, 0);
    const QString keylessId =
        QJsonDocument::fromJson(keyless.out).object().value(QLatin1String("id")).toString();
    QCOMPARE(
        test::runCli(data, {QStringLiteral("source"), QStringLiteral("remove"), keylessId}, {}, env).exitCode,
        0);
    QDirIterator files(data, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile f(files.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains("sk-nowhere"), qPrintable(f.fileName()));
    }
}

QTEST_GUILESS_MAIN(TestSourceKeys)
#include "tst_sourcekeys.moc"
