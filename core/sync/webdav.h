// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace cachewise::sync {

// Where a device syncs: a WebDAV folder on the user's own storage, over HTTPS with certificate verification.
struct WebDavAccount
{
    QUrl folder; // https://host/remote.php/dav/files/USER/CacheWise/ (a trailing slash is added)
    QString user;
    QString password;                  // an app password; kept in the OS keychain by the caller
    QList<QSslCertificate> trustedCas; // a private CA (--ca-file) on top of the system's
    QByteArray pinnedSha256;           // a self-signed certificate the user confirmed, by its SHA-256
};

// One entry of a folder listing.
struct DavEntry
{
    QString name; // the last path segment, decoded
    bool folder = false;
    qint64 size = 0;
    QByteArray etag;
};

// A WebDAV client for the sync engine: PROPFIND with Depth 1 (servers refuse infinity), GET, PUT, MKCOL,
// DELETE.
// Each call waits in an event loop of its own, so it belongs on a thread of its own, never the GUI's. Every
// failure says what happened in words, with ErrorKind and field: Network ("dns", "connection",
// "timeout", "certificate" — the message then names the certificate's SHA-256 fingerprint), BadInput
// ("password": 401), Conflict ("forbidden": 403), NotFound (404), TooLarge ("quota": 507), Unsupported
// ("webdav": the server does not speak WebDAV there), Unavailable (another status).
class WebDavClient
{
public:
    // `timeoutMs`: how long a request may go without a byte moving.
    explicit WebDavClient(WebDavAccount account, int timeoutMs = 30'000);
    ~WebDavClient();

    // The folder's children (not the folder itself), by name. `path` is relative to the account's folder.
    Result<QList<DavEntry>> list(const QString &path = {});
    Result<QByteArray> get(const QString &path);
    Result<void> put(const QString &path, const QByteArray &body);
    // True when it made the folder, false when it was there already.
    Result<bool> makeFolder(const QString &path);
    // A file, or a folder with everything in it; gone already counts as done.
    Result<void> remove(const QString &path);
    // The account's folder answers as WebDAV with these credentials (Test connection).
    Result<void> check();

    // Hears of each transfer's bytes as they go (sent or received so far, and the whole when known).
    using Progress = std::function<void(qint64 done, qint64 total)>;
    void setProgress(Progress progress) { m_progress = std::move(progress); }

    // The SHA-256 of the certificate the server last presented (for pinning after the user confirms it).
    QByteArray lastCertificateSha256() const { return m_lastCertificate; }

private:
    struct Reply
    {
        int status = 0;
        QByteArray body;
    };
    Result<Reply> send(const QByteArray &verb, const QString &path, const QByteArray &body,
                       const QList<std::pair<QByteArray, QByteArray>> &headers);
    QUrl urlOf(const QString &path) const;

    WebDavAccount m_account;
    int m_timeoutMs;
    std::unique_ptr<QNetworkAccessManager> m_network;
    QByteArray m_lastCertificate;
    Progress m_progress;
};

// The children of a PROPFIND multistatus reply for the folder at `folderPath` (URL path), or BadInput.
Result<QList<DavEntry>> parseMultistatus(const QByteArray &xml, const QString &folderPath);

} // namespace cachewise::sync
