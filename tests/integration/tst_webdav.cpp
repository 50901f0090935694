// SPDX-License-Identifier: GPL-3.0-or-later
// The sync engine's WebDAV client against the real Apache the test starts: listing, folders, files, names
// outside ASCII, and every failure in words — an untrusted certificate (with its fingerprint, then pinned),
// a wrong password, another user's folder, a missing folder, a stopped server, a name that does not
// resolve, and a server that does not speak WebDAV.
#include "core/sync/webdav.h"
#include "tests/support/webdavpeer.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace cachewise;

class TestWebDav : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_peer.start(), qPrintable(m_peer.error())); }
    void filesAndFolders();
    void failuresInWords();
    void notWebDav();
    void malformedListingsRefused();

private:
    sync::WebDavAccount account(const QString &user = QStringLiteral("alice"),
                                const QString &password = QStringLiteral("alice-pass"))
    {
        sync::WebDavAccount a;
        a.folder = QUrl(m_peer.url(user));
        a.user = user;
        a.password = password;
        a.trustedCas = QSslCertificate::fromPath(m_peer.caFile());
        return a;
    }
    test::WebDavPeer m_peer;
};

void TestWebDav::filesAndFolders()
{
    sync::WebDavClient client(account());
    auto checked = client.check();
    QVERIFY2(checked, qPrintable(checked ? QString() : checked.errorMessage()));
    QCOMPARE(client.makeFolder(QStringLiteral("CacheWise")).value(), true);
    QCOMPARE(client.makeFolder(QStringLiteral("CacheWise")).value(), false); // there already
    QVERIFY(client.makeFolder(QStringLiteral("CacheWise/changes")).value());
    const QByteArray body(70'000, 'x');
    QVERIFY(client.put(QStringLiteral("CacheWise/changes/000000000001"), body));
    QVERIFY(client.put(QStringLiteral("CacheWise/çalışma alanı.json"), QByteArrayLiteral("{}")));
    QCOMPARE(client.get(QStringLiteral("CacheWise/changes/000000000001")).value(), body);
    QCOMPARE(client.get(QStringLiteral("CacheWise/çalışma alanı.json")).value(), QByteArrayLiteral("{}"));

    auto listed = client.list(QStringLiteral("CacheWise"));
    QVERIFY2(listed, qPrintable(listed ? QString() : listed.errorMessage()));
    QCOMPARE(listed->size(), 2);
    QHash<QString, sync::DavEntry> byName;
    for (const sync::DavEntry &e : listed.value())
        byName.insert(e.name, e);
    QVERIFY(byName.value(QStringLiteral("changes")).folder);
    const sync::DavEntry file = byName.value(QStringLiteral("çalışma alanı.json"));
    QVERIFY(!file.folder);
    QCOMPARE(file.size, 2);
    QVERIFY(file.etag.startsWith('"')); // strong
    auto changes = client.list(QStringLiteral("CacheWise/changes/"));
    QCOMPARE(changes->size(), 1);
    QCOMPARE(changes->constFirst().size, 70'000);
    // The peer's disk holds what was sent.
    QFile onDisk(m_peer.folder(QStringLiteral("alice")) + QStringLiteral("/CacheWise/changes/000000000001"));
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    QCOMPARE(onDisk.readAll(), body);
}

void TestWebDav::failuresInWords()
{
    const auto fails = [](const auto &result, ErrorKind kind, const char *field) {
        if (result)
            return false;
        if (result.error().kind != kind || result.error().field != QLatin1String(field)) {
            qWarning() << result.errorMessage() << result.error().field;
            return false;
        }
        return true;
    };
    // Not trusted without the test CA: the fingerprint is named, and once pinned the same server is trusted.
    sync::WebDavAccount untrusted = account();
    untrusted.trustedCas.clear();
    sync::WebDavClient stranger(untrusted);
    const auto refused = stranger.check();
    QVERIFY(fails(refused, ErrorKind::Network, "certificate"));
    const QByteArray seen = stranger.lastCertificateSha256();
    QCOMPARE(seen.size(), 32);
    QVERIFY2(refused.errorMessage().contains(QString::fromLatin1(seen.toHex(':')).toUpper()),
             qPrintable(refused.errorMessage()));
    untrusted.pinnedSha256 = seen;
    QVERIFY(sync::WebDavClient(untrusted).check());
    untrusted.pinnedSha256 = QByteArray(32, '\0');
    QVERIFY(fails(sync::WebDavClient(untrusted).check(), ErrorKind::Network, "certificate"));

    QVERIFY(fails(sync::WebDavClient(account(QStringLiteral("alice"), QStringLiteral("wrong"))).check(),
                  ErrorKind::BadInput, "password"));
    sync::WebDavAccount other = account();
    other.folder = QUrl(m_peer.url(QStringLiteral("bob")));
    QVERIFY(fails(sync::WebDavClient(other).check(), ErrorKind::Conflict, "forbidden"));
    QVERIFY(fails(sync::WebDavClient(other).put(QStringLiteral("x"), "x"), ErrorKind::Conflict, "forbidden"));
    sync::WebDavClient client(account());
    QVERIFY(fails(client.list(QStringLiteral("no such folder")), ErrorKind::NotFound, "folder"));
    QVERIFY(fails(client.get(QStringLiteral("no such file")), ErrorKind::NotFound, "folder"));
    QVERIFY(fails(client.makeFolder(QStringLiteral("a/b/c")), ErrorKind::Unavailable, "")); // 409: no parent

    sync::WebDavAccount nowhere = account();
    nowhere.folder = QUrl(QStringLiteral("https://cachewise-test.invalid/dav/"));
    QVERIFY(fails(sync::WebDavClient(nowhere, 10'000).check(), ErrorKind::Network, "dns"));

    // The server stopped: a connection failure; back, it answers again.
    QVERIFY(m_peer.stop());
    QVERIFY(fails(sync::WebDavClient(account()).check(), ErrorKind::Network, "connection"));
    QVERIFY2(m_peer.start(), qPrintable(m_peer.error()));
    QVERIFY(sync::WebDavClient(account()).check());
}

void TestWebDav::notWebDav()
{
    // A plain web server: PROPFIND answered with a page.
    QTcpServer web;
    QVERIFY(web.listen(QHostAddress::LocalHost, 0));
    connect(&web, &QTcpServer::newConnection, this, [&web] {
        QTcpSocket *socket = web.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>");
            socket->disconnectFromHost();
        });
    });
    sync::WebDavAccount a = account();
    a.folder = QUrl(QStringLiteral("http://127.0.0.1:%1/files/").arg(web.serverPort()));
    const auto r = sync::WebDavClient(a).check();
    QVERIFY(!r);
    QCOMPARE(r.error().kind, ErrorKind::Unsupported);
    QCOMPARE(r.error().field, QStringLiteral("webdav"));
}

void TestWebDav::malformedListingsRefused()
{
    for (const QByteArray &xml :
         {QByteArrayLiteral("<html></html>"), QByteArrayLiteral("<d:multistatus xmlns:d=\"DAV:\">"),
          QByteArrayLiteral("<d:multistatus xmlns:d=\"DAV:\"><d:response><d:propstat/></d:response>"
                            "</d:multistatus>")}) {
        const auto r = sync::parseMultistatus(xml, QStringLiteral("/alice/"));
        QVERIFY2(!r && r.error().field == QLatin1String("webdav"), xml.constData());
    }
    // Another server's href form (a full URL), a child without a 200 propstat left out.
    const auto r = sync::parseMultistatus(
        "<d:multistatus xmlns:d=\"DAV:\">"
        "<d:response><d:href>https://h/alice/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></"
        "d:resourcetype>"
        "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>https://h/alice/a%20b</d:href><d:propstat><d:prop><d:getcontentlength>5</"
        "d:getcontentlength>"
        "<d:getetag>\"e\"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/alice/gone</d:href><d:propstat><d:prop/><d:status>HTTP/1.1 404 Not "
        "Found</d:status>"
        "</d:propstat></d:response></d:multistatus>",
        QStringLiteral("/alice/"));
    QVERIFY(r);
    QCOMPARE(r->size(), 1);
    QCOMPARE(r->constFirst().name, QStringLiteral("a b"));
    QCOMPARE(r->constFirst().size, 5);
    QCOMPARE(r->constFirst().etag, QByteArrayLiteral("\"e\""));
}

QTEST_GUILESS_MAIN(TestWebDav)
#include "tst_webdav.moc"
