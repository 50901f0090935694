// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sync/webdav.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QXmlStreamReader>

namespace cachewise::sync {
namespace {

const QString kDav = QStringLiteral("DAV:");

QByteArray sha256(const QSslCertificate &certificate)
{
    return certificate.isNull() ? QByteArray() : certificate.digest(QCryptographicHash::Sha256);
}

QString fingerprint(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':')).toUpper();
}

Error statusError(int status, const QString &what)
{
    switch (status) {
    case 401:
        return Error{ErrorKind::BadInput,
                     QStringLiteral("The server refused the user name or app password (HTTP 401)."),
                     QStringLiteral("password")};
    case 403:
        return Error{ErrorKind::Conflict,
                     QStringLiteral("The server does not let this user at %1 (HTTP 403).").arg(what),
                     QStringLiteral("forbidden")};
    case 404:
        return Error{ErrorKind::NotFound,
                     QStringLiteral("%1 does not exist on the server (HTTP 404).").arg(what),
                     QStringLiteral("folder")};
    case 507:
        return Error{ErrorKind::TooLarge,
                     QStringLiteral("The storage is full: the server has no room for more (HTTP 507)."),
                     QStringLiteral("quota")};
    default:
        return Error{ErrorKind::Unavailable,
                     QStringLiteral("The server answered HTTP %1 for %2.").arg(status).arg(what), QString()};
    }
}

} // namespace

WebDavClient::WebDavClient(WebDavAccount account, int timeoutMs)
    : m_account(std::move(account)), m_timeoutMs(timeoutMs),
      m_network(std::make_unique<QNetworkAccessManager>())
{
    if (!m_account.folder.path().endsWith(QLatin1Char('/')))
        m_account.folder.setPath(m_account.folder.path() + QLatin1Char('/'));
}

WebDavClient::~WebDavClient() = default;

QUrl WebDavClient::urlOf(const QString &path) const
{
    QUrl url = m_account.folder;
    if (!path.isEmpty())
        url.setPath(url.path() + path, QUrl::DecodedMode);
    return url;
}

Result<WebDavClient::Reply> WebDavClient::send(const QByteArray &verb, const QString &path,
                                               const QByteArray &body,
                                               const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    const QUrl url = urlOf(path);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization",
                         "Basic " +
                             (m_account.user + QLatin1Char(':') + m_account.password).toUtf8().toBase64());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!m_account.trustedCas.isEmpty())
        tls.addCaCertificates(m_account.trustedCas);
    request.setSslConfiguration(tls);

    QNetworkReply *reply = m_network->sendCustomRequest(request, verb, body);
    QEventLoop loop;
    bool timedOut = false;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [this, reply](const QList<QSslError> &errors) {
        m_lastCertificate = errors.isEmpty() ? QByteArray() : sha256(errors.constFirst().certificate());
        if (m_lastCertificate.isEmpty())
            m_lastCertificate = sha256(reply->sslConfiguration().peerCertificate());
        // A certificate the user confirmed (pinned): trusted by its fingerprint alone.
        if (!m_account.pinnedSha256.isEmpty() && m_lastCertificate == m_account.pinnedSha256)
            reply->ignoreSslErrors(errors);
    });
    QObject::connect(reply, &QNetworkReply::encrypted, reply, [this, reply] {
        m_lastCertificate = sha256(reply->sslConfiguration().peerCertificate());
    });
    QTimer idle;
    idle.setSingleShot(true);
    QObject::connect(&idle, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    idle.start(m_timeoutMs);
    // A large file on a slow link is not a timeout while its bytes still move.
    const auto moved = [&](qint64 done, qint64 total) {
        idle.start(m_timeoutMs);
        if (m_progress && done > 0)
            m_progress(done, total);
    };
    QObject::connect(reply, &QNetworkReply::uploadProgress, &loop, moved);
    QObject::connect(reply, &QNetworkReply::downloadProgress, &loop, moved);
    if (!reply->isFinished())
        loop.exec();
    const std::unique_ptr<QNetworkReply, void (*)(QNetworkReply *)> owned(
        reply, [](QNetworkReply *r) { r->deleteLater(); });
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    // Network-layer errors (below 100) after the status line mean a body cut short: the status alone would
    // pass half a file off as the whole.
    const bool cut = reply->error() > QNetworkReply::NoError && reply->error() < 100;
    if (status.isValid() && !cut && !timedOut)
        return Reply{status.toInt(), reply->readAll()};
    const QString host = url.host();
    if (timedOut)
        return makeError(ErrorKind::Network,
                         QStringLiteral("%1 did not answer within %2 s.").arg(host).arg(m_timeoutMs / 1000),
                         QStringLiteral("timeout"));
    switch (reply->error()) {
    case QNetworkReply::HostNotFoundError:
        return makeError(ErrorKind::Network,
                         QStringLiteral("The server's name %1 cannot be found (DNS).").arg(host),
                         QStringLiteral("dns"));
    case QNetworkReply::SslHandshakeFailedError:
        return makeError(
            ErrorKind::Network,
            QStringLiteral("The certificate of %1 is not trusted (%2). Its SHA-256 fingerprint is %3: "
                           "trust it only if it is your server's.")
                .arg(host, reply->errorString(), fingerprint(m_lastCertificate)),
            QStringLiteral("certificate"));
    default:
        return makeError(ErrorKind::Network,
                         QStringLiteral("Cannot reach %1: %2.").arg(host, reply->errorString()),
                         QStringLiteral("connection"));
    }
}

Result<QList<DavEntry>> WebDavClient::list(const QString &path)
{
    QString folder = path;
    if (!folder.isEmpty() && !folder.endsWith(QLatin1Char('/')))
        folder += QLatin1Char('/');
    static const QByteArray query =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/>"
        "<d:getcontentlength/><d:getetag/></d:prop></d:propfind>";
    auto reply =
        send("PROPFIND", folder, query, {{"Depth", "1"}, {"Content-Type", "application/xml; charset=utf-8"}});
    if (!reply)
        return reply.error();
    if (reply->status == 207)
        return parseMultistatus(reply->body, urlOf(folder).path());
    if (reply->status >= 200 && reply->status < 300)
        return makeError(ErrorKind::Unsupported,
                         QStringLiteral("%1 does not speak WebDAV (PROPFIND answered HTTP %2, not 207).")
                             .arg(urlOf(folder).toString())
                             .arg(reply->status),
                         QStringLiteral("webdav"));
    if (reply->status == 405 || reply->status == 501)
        return makeError(ErrorKind::Unsupported,
                         QStringLiteral("%1 does not speak WebDAV (HTTP %2 for PROPFIND).")
                             .arg(urlOf(folder).toString())
                             .arg(reply->status),
                         QStringLiteral("webdav"));
    return statusError(reply->status, urlOf(folder).toString());
}

Result<QByteArray> WebDavClient::get(const QString &path)
{
    auto reply = send("GET", path, {}, {});
    if (!reply)
        return reply.error();
    if (reply->status != 200)
        return statusError(reply->status, urlOf(path).toString());
    return reply->body;
}

Result<void> WebDavClient::put(const QString &path, const QByteArray &body)
{
    auto reply = send("PUT", path, body, {{"Content-Type", "application/octet-stream"}});
    if (!reply)
        return reply.error();
    if (reply->status != 200 && reply->status != 201 && reply->status != 204)
        return statusError(reply->status, urlOf(path).toString());
    return {};
}

Result<bool> WebDavClient::makeFolder(const QString &path)
{
    auto reply = send("MKCOL", path.endsWith(QLatin1Char('/')) ? path : path + QLatin1Char('/'), {}, {});
    if (!reply)
        return reply.error();
    if (reply->status == 201)
        return true;
    if (reply->status == 405) // there already (RFC 4918 9.3.1)
        return false;
    return statusError(reply->status, urlOf(path).toString());
}

Result<void> WebDavClient::remove(const QString &path)
{
    auto reply = send("DELETE", path, {}, {});
    if (!reply)
        return reply.error();
    if (reply->status == 200 || reply->status == 204 || reply->status == 404)
        return {};
    return statusError(reply->status, urlOf(path).toString());
}

Result<void> WebDavClient::check()
{
    auto listed = list();
    if (!listed)
        return listed.error();
    return {};
}

Result<QList<DavEntry>> parseMultistatus(const QByteArray &xml, const QString &folderPath)
{
    QString folder = QUrl::fromPercentEncoding(folderPath.toUtf8());
    if (!folder.endsWith(QLatin1Char('/')))
        folder += QLatin1Char('/');
    QXmlStreamReader reader(xml);
    QList<DavEntry> entries;
    bool sawMultistatus = false;
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement() || reader.namespaceUri() != kDav)
            continue;
        if (reader.name() == QLatin1String("multistatus")) {
            sawMultistatus = true;
            continue;
        }
        if (reader.name() != QLatin1String("response"))
            continue;
        QString href;
        DavEntry entry;
        bool okProps = false;
        DavEntry candidate;
        // One response: its href and the props of the propstat whose status is 200.
        while (!(reader.isEndElement() && reader.name() == QLatin1String("response")) && !reader.atEnd()) {
            reader.readNext();
            if (!reader.isStartElement() || reader.namespaceUri() != kDav)
                continue;
            if (reader.name() == QLatin1String("href")) {
                href = reader.readElementText().trimmed();
            } else if (reader.name() == QLatin1String("propstat")) {
                candidate = DavEntry{};
                bool good = false;
                while (!(reader.isEndElement() && reader.name() == QLatin1String("propstat")) &&
                       !reader.atEnd()) {
                    reader.readNext();
                    if (!reader.isStartElement() || reader.namespaceUri() != kDav)
                        continue;
                    if (reader.name() == QLatin1String("collection"))
                        candidate.folder = true;
                    else if (reader.name() == QLatin1String("getcontentlength"))
                        candidate.size = reader.readElementText().trimmed().toLongLong();
                    else if (reader.name() == QLatin1String("getetag"))
                        candidate.etag = reader.readElementText().trimmed().toUtf8();
                    else if (reader.name() == QLatin1String("status"))
                        good = reader.readElementText().contains(QLatin1String(" 200 "));
                }
                if (good) {
                    entry = candidate;
                    okProps = true;
                }
            }
        }
        if (href.isEmpty())
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("A WebDAV listing has a response without href."),
                             QStringLiteral("webdav"));
        QString path = QUrl::fromPercentEncoding(QUrl(href).path(QUrl::FullyEncoded).toUtf8());
        if (path == folder || path + QLatin1Char('/') == folder)
            continue; // the folder itself
        if (!path.startsWith(folder))
            continue; // not a child of the folder asked for
        QString name = path.mid(folder.size());
        if (name.endsWith(QLatin1Char('/'))) {
            name.chop(1);
            entry.folder = true;
        }
        if (name.isEmpty() || name.contains(QLatin1Char('/')) || !okProps)
            continue;
        entry.name = name;
        entries << entry;
    }
    if (reader.hasError() || !sawMultistatus)
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("The WebDAV listing is not a multistatus document: %1")
                .arg(reader.hasError() ? reader.errorString() : QStringLiteral("no multistatus")),
            QStringLiteral("webdav"));
    return entries;
}

} // namespace cachewise::sync
