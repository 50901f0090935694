// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace cachewise::test {

// A real WebDAV server for the sync tests: Debian's Apache (apache2-bin) run as a child process from a
// private configuration on 127.0.0.1, with mod_dav and mod_dav_fs, HTTPS from a test CA made at start
// (openssl), basic auth for two users (alice, bob; passwords "alice-pass", "bob-pass") whose folders are
// closed to each other (403, AuthzSendForbiddenOnFailure), strong ETags at once (FileETag Digest MTime Size).
// Stopped and started again on the same port and files, so a test can take it away mid-sync.
class WebDavPeer
{
public:
    WebDavPeer();
    ~WebDavPeer();

    // False with error() when Apache or openssl is missing or does not come up.
    bool start();
    bool stop(); // SIGTERM, waits for the exit
    bool restart() { return stop() && start(); }
    bool running() const { return m_process.state() == QProcess::Running; }
    int port() const { return m_port; }
    // https://127.0.0.1:PORT/USER/
    QString url(const QString &user) const;
    QString caFile() const;                    // the test CA's certificate (PEM), for --ca-file
    QString folder(const QString &user) const; // the user's files on disk
    QString error() const { return m_error; }
    // Changes a user's password (a 401 after a password change).
    bool setPassword(const QString &user, const QString &password);
    // While full, every PUT is answered 507 Insufficient Storage (a rewrite rule on a flag file).
    bool setQuotaFull(bool full);
    // While slow, files are sent at 16 KiB/s (mod_ratelimit), so a download can be cut halfway.
    bool setSlowDownloads(bool slow);
    // https://127.0.0.1:PORT/plain/: a web folder that is not WebDAV.
    QString plainUrl() const;

private:
    bool prepare();
    bool run(const QString &program, const QStringList &arguments);

    QTemporaryDir m_dir;
    QProcess m_process;
    int m_port = 0;
    bool m_prepared = false;
    QString m_error;
};

} // namespace cachewise::test
