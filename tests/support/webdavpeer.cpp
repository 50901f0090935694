// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/webdavpeer.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <unistd.h>

namespace cachewise::test {
namespace {

constexpr char kModules[] = "/usr/lib/apache2/modules";
const char *const kUsers[] = {"alice", "bob"};

} // namespace

WebDavPeer::WebDavPeer() = default;

WebDavPeer::~WebDavPeer()
{
    stop();
}

bool WebDavPeer::run(const QString &program, const QStringList &arguments)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(program, arguments);
    if (!p.waitForFinished(60'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("%1 %2 failed: %3")
                      .arg(program, arguments.join(QLatin1Char(' ')),
                           QString::fromLocal8Bit(p.readAllStandardError()));
        return false;
    }
    return true;
}

bool WebDavPeer::setPassword(const QString &user, const QString &password)
{
    return run(QStringLiteral("htpasswd"),
               {QStringLiteral("-bB"), m_dir.filePath(QStringLiteral("htpasswd")), user, password});
}

QString WebDavPeer::url(const QString &user) const
{
    return QStringLiteral("https://127.0.0.1:%1/%2/").arg(m_port).arg(user);
}

QString WebDavPeer::plainUrl() const
{
    return QStringLiteral("https://127.0.0.1:%1/plain/").arg(m_port);
}

QString WebDavPeer::caFile() const
{
    return m_dir.filePath(QStringLiteral("ca.crt"));
}

QString WebDavPeer::folder(const QString &user) const
{
    return m_dir.filePath(QStringLiteral("dav/") + user);
}

bool WebDavPeer::prepare()
{
    if (QStandardPaths::findExecutable(QStringLiteral("apache2"), {QStringLiteral("/usr/sbin")}).isEmpty()) {
        m_error = QStringLiteral("apache2 is missing (apt-get install apache2-bin)");
        return false;
    }
    const QString d = m_dir.path();
    for (const char *user : kUsers)
        QDir().mkpath(folder(QString::fromLatin1(user)));
    QDir().mkpath(d + QStringLiteral("/lock"));
    QDir().mkpath(d + QStringLiteral("/plain"));
    // A test CA and a server certificate for 127.0.0.1 signed by it.
    QFile ext(d + QStringLiteral("/ext.cnf"));
    if (!ext.open(QIODevice::WriteOnly) || ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n") < 0)
        return false;
    ext.close();
    if (!run(QStringLiteral("openssl"),
             {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
              QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
              QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=CacheWise test CA"),
              QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"),
              QStringLiteral("ca.crt")}) ||
        !run(QStringLiteral("openssl"),
             {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
              QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
              QStringLiteral("-keyout"), QStringLiteral("server.key"), QStringLiteral("-out"),
              QStringLiteral("server.csr")}) ||
        !run(QStringLiteral("openssl"),
             {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
              QStringLiteral("server.csr"), QStringLiteral("-CA"), QStringLiteral("ca.crt"),
              QStringLiteral("-CAkey"), QStringLiteral("ca.key"), QStringLiteral("-CAcreateserial"),
              QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
              QStringLiteral("ext.cnf"), QStringLiteral("-out"), QStringLiteral("server.crt")}))
        return false;
    if (!run(QStringLiteral("htpasswd"), {QStringLiteral("-bcB"), QStringLiteral("htpasswd"),
                                          QStringLiteral("alice"), QStringLiteral("alice-pass")}) ||
        !setPassword(QStringLiteral("bob"), QStringLiteral("bob-pass")))
        return false;
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_port = probe.serverPort();
    }
    const bool root = ::geteuid() == 0;
    QString conf;
    conf += QStringLiteral("ServerRoot \"%1\"\nServerName 127.0.0.1\nPidFile %1/httpd.pid\n").arg(d);
    conf += QStringLiteral("Listen 127.0.0.1:%1\n").arg(m_port);
    if (root) // Apache will not serve as root: its workers become www-data, who then owns the files
        conf += QStringLiteral("User www-data\nGroup www-data\n");
    for (const char *module :
         {"mpm_event", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic", "dav", "dav_fs",
          "ssl", "socache_shmcb", "alias", "rewrite", "ratelimit", "env"})
        conf += QStringLiteral("LoadModule %1_module %2/mod_%1.so\n")
                    .arg(QString::fromLatin1(module), QString::fromLatin1(kModules));
    conf += QStringLiteral(
                "ErrorLog %1/error.log\nLogLevel warn\nDavLockDB %1/lock/davlock\n"
                "FileETag Digest MTime Size\nSSLEngine on\nSSLSessionCache shmcb:%1/lock/ssl(512000)\n"
                "SSLCertificateFile %1/server.crt\nSSLCertificateKeyFile %1/server.key\n"
                "DocumentRoot %1/dav\n"
                "<Directory %1/dav>\n  Dav On\n  AuthType Basic\n  AuthName \"CacheWise test\"\n"
                "  AuthUserFile %1/htpasswd\n  Require valid-user\n  AuthzSendForbiddenOnFailure On\n"
                // A full account: while the flag file exists every PUT gets 507, as a quota'd host answers.
                "  RewriteEngine On\n  RewriteCond %1/quota-full -f\n  RewriteCond %{REQUEST_METHOD} =PUT\n"
                "  RewriteRule ^ - [R=507]\n"
                // Slow downloads while this flag file exists (16 KiB/s), so a test can stop the server
                // in the middle of one.
                "  <If \"-f '%1/slow-downloads'\">\n    SetOutputFilter RATE_LIMIT\n"
                "    SetEnv rate-limit 16\n  </If>\n"
                "</Directory>\n"
                // A plain web folder, not WebDAV: what a wrong URL reaches.
                "Alias /plain %1/plain\n<Directory %1/plain>\n  Require all granted\n</Directory>\n")
                .arg(d);
    for (const char *user : kUsers)
        conf += QStringLiteral("<Directory %1/dav/%2>\n  Require user %2\n</Directory>\n")
                    .arg(d, QString::fromLatin1(user));
    QFile file(d + QStringLiteral("/httpd.conf"));
    if (!file.open(QIODevice::WriteOnly) || file.write(conf.toUtf8()) < 0)
        return false;
    file.close();
    if (root && !run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("www-data:www-data"),
                                               d + QStringLiteral("/dav"), d + QStringLiteral("/lock")}))
        return false;
    QFile::setPermissions(d, QFile::permissions(d) | QFile::ExeOther | QFile::ReadOther);
    m_prepared = true;
    return true;
}

bool WebDavPeer::start()
{
    if (!m_dir.isValid() || (!m_prepared && !prepare()))
        return false;
    m_process.setWorkingDirectory(m_dir.path());
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(
        QStringLiteral("/usr/sbin/apache2"),
        {QStringLiteral("-f"), m_dir.filePath(QStringLiteral("httpd.conf")), QStringLiteral("-DFOREGROUND")});
    if (!m_process.waitForStarted(10'000)) {
        m_error = QStringLiteral("apache2 did not start: %1").arg(m_process.errorString());
        return false;
    }
    // Up once it accepts a connection on its port.
    for (int attempt = 0; attempt < 100; ++attempt) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(m_port));
        if (socket.waitForConnected(100))
            return true;
        if (m_process.state() != QProcess::Running)
            break;
        QThread::msleep(50);
    }
    QFile log(m_dir.filePath(QStringLiteral("error.log")));
    log.open(QIODevice::ReadOnly);
    m_error = QStringLiteral("apache2 did not come up: %1 %2")
                  .arg(QString::fromLocal8Bit(m_process.readAll()), QString::fromLocal8Bit(log.readAll()));
    stop();
    return false;
}

bool WebDavPeer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    m_process.terminate();
    if (!m_process.waitForFinished(15'000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    return m_process.state() == QProcess::NotRunning;
}

namespace {

bool setFlag(const QString &path, bool on)
{
    QFile flag(path);
    if (!on)
        return !flag.exists() || flag.remove();
    return flag.open(QIODevice::WriteOnly);
}

} // namespace

bool WebDavPeer::setQuotaFull(bool full)
{
    return setFlag(m_dir.path() + QStringLiteral("/quota-full"), full);
}

bool WebDavPeer::setSlowDownloads(bool slow)
{
    return setFlag(m_dir.path() + QStringLiteral("/slow-downloads"), slow);
}

} // namespace cachewise::test
