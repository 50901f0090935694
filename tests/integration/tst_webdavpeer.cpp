// SPDX-License-Identifier: GPL-3.0-or-later
// The WebDAV server the sync tests start (tests/support/webdavpeer): Apache as the issue found it, over
// HTTPS from a test CA: 401 without or with a wrong password, 403 for another user's folder, PROPFIND
// Depth 1 (207) but not infinity, PUT without an ETag in the reply, strong ETags at once, the files kept
// across a stop and a start on the same port, and a certificate nobody trusts refused.
#include "tests/support/webdavpeer.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTest>
#include <QTimer>

using namespace cachewise;

namespace {

struct Answer
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QByteArray etag;
};

Answer ask(QNetworkAccessManager &network, const QByteArray &verb, const QString &url, const QString &user,
           const QString &password, const QByteArray &body = {}, const QByteArray &depth = {},
           bool trustCa = true, const QString &caFile = {})
{
    QNetworkRequest request{QUrl(url)};
    if (!user.isEmpty())
        request.setRawHeader("Authorization",
                             "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64());
    if (!depth.isEmpty())
        request.setRawHeader("Depth", depth);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (trustCa)
        tls.setCaCertificates(QSslCertificate::fromPath(caFile));
    request.setSslConfiguration(tls);
    QNetworkReply *reply = network.sendCustomRequest(request, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    loop.exec();
    Answer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.error = reply->error();
    a.body = reply->readAll();
    a.etag = reply->rawHeader("ETag");
    reply->deleteLater();
    return a;
}

} // namespace

class TestWebDavPeer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void behavesAsTheIssueFoundApache();
};

void TestWebDavPeer::behavesAsTheIssueFoundApache()
{
    test::WebDavPeer peer;
    QVERIFY2(peer.start(), qPrintable(peer.error()));
    QNetworkAccessManager network;
    const QString alice = peer.url(QStringLiteral("alice"));
    const QString ca = peer.caFile();
    const QString pass = QStringLiteral("alice-pass");

    QCOMPARE(ask(network, "PROPFIND", alice, {}, {}, {}, "1", true, ca).status, 401);
    QCOMPARE(
        ask(network, "PROPFIND", alice, QStringLiteral("alice"), QStringLiteral("wrong"), {}, "1", true, ca)
            .status,
        401);
    QCOMPARE(ask(network, "PROPFIND", alice, QStringLiteral("alice"), pass, {}, "1", true, ca).status, 207);
    QCOMPARE(ask(network, "PROPFIND", alice, QStringLiteral("alice"), pass, {}, "infinity", true, ca).status,
             403);
    QCOMPARE(ask(network, "PROPFIND", peer.url(QStringLiteral("bob")), QStringLiteral("alice"), pass, {}, "1",
                 true, ca)
                 .status,
             403);

    // MKCOL, PUT (no ETag in the reply), GET back, a strong ETag in the listing at once.
    QCOMPARE(ask(network, "MKCOL", alice + QStringLiteral("changes"), QStringLiteral("alice"), pass, {}, {},
                 true, ca)
                 .status,
             201);
    QCOMPARE(ask(network, "MKCOL", alice + QStringLiteral("changes"), QStringLiteral("alice"), pass, {}, {},
                 true, ca)
                 .status,
             405);
    const Answer put = ask(network, "PUT", alice + QStringLiteral("changes/000000000001"),
                           QStringLiteral("alice"), pass, QByteArrayLiteral("first change"), {}, true, ca);
    QCOMPARE(put.status, 201);
    QVERIFY(put.etag.isEmpty());
    const Answer got = ask(network, "GET", alice + QStringLiteral("changes/000000000001"),
                           QStringLiteral("alice"), pass, {}, {}, true, ca);
    QCOMPARE(got.status, 200);
    QCOMPARE(got.body, QByteArrayLiteral("first change"));
    // A file's ETag is strong at once (FileETag Digest): the same in HEAD and in the listing. (The folder's
    // own tag is weak for a second after a write.)
    const Answer head = ask(network, "HEAD", alice + QStringLiteral("changes/000000000001"),
                            QStringLiteral("alice"), pass, {}, {}, true, ca);
    QVERIFY(!head.etag.isEmpty() && !head.etag.startsWith("W/"));
    const Answer listing = ask(network, "PROPFIND", alice + QStringLiteral("changes/"),
                               QStringLiteral("alice"), pass, {}, "1", true, ca);
    QCOMPARE(listing.status, 207);
    QVERIFY2(listing.body.contains("000000000001") &&
                 listing.body.contains(QByteArray("getetag>" + head.etag)),
             listing.body.constData());
    QVERIFY(QFile::exists(peer.folder(QStringLiteral("alice")) + QStringLiteral("/changes/000000000001")));

    // Not trusted without the test CA (a manager of its own: no connection made with the CA to reuse).
    QNetworkAccessManager fresh;
    const Answer untrusted = ask(fresh, "PROPFIND", alice, QStringLiteral("alice"), pass, {}, "1", false);
    QCOMPARE(untrusted.error, QNetworkReply::SslHandshakeFailedError);

    // Stopped: refused; started again on the same port, the files are there; a changed password is a 401.
    QVERIFY(peer.stop());
    QCOMPARE(ask(network, "GET", alice + QStringLiteral("changes/000000000001"), QStringLiteral("alice"),
                 pass, {}, {}, true, ca)
                 .error,
             QNetworkReply::ConnectionRefusedError);
    QVERIFY2(peer.start(), qPrintable(peer.error()));
    QCOMPARE(ask(network, "GET", alice + QStringLiteral("changes/000000000001"), QStringLiteral("alice"),
                 pass, {}, {}, true, ca)
                 .body,
             QByteArrayLiteral("first change"));
    QVERIFY(peer.setPassword(QStringLiteral("alice"), QStringLiteral("new-pass")));
    QCOMPARE(ask(network, "GET", alice + QStringLiteral("changes/000000000001"), QStringLiteral("alice"),
                 pass, {}, {}, true, ca)
                 .status,
             401);
}

QTEST_GUILESS_MAIN(TestWebDavPeer)
#include "tst_webdavpeer.moc"
