// SPDX-License-Identifier: GPL-3.0-or-later
// Memory of the listener under hostile clients: a 200 MB body announced with Content-Length, a
// 200 MB chunked body, and many half-sent requests. Prints resident memory; never fails on it.
#include "tests/support/httpclient.h"
#include "tests/support/teststack.h"

#include <QCoreApplication>
#include <QFile>
#include <QTcpSocket>
#include <QThread>

#include <cstdio>
#include <thread>

using namespace cachewise;
using namespace cachewise::test;

namespace {

qint64 statusKiB(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Sends up to `total` bytes after `head` in 64 KiB pieces until the server stops taking them.
qint64 flood(quint16 port, const QByteArray &head, qint64 total, bool chunked, int *status)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return 0;
    socket.write(head);
    const QByteArray piece(64 * 1024, ' ');
    const QByteArray chunk = QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    qint64 sent = 0;
    QByteArray answer;
    while (sent < total && socket.state() == QAbstractSocket::ConnectedState) {
        socket.write(chunked ? chunk : piece);
        if (!socket.waitForBytesWritten(2000))
            break;
        sent += piece.size();
        answer += socket.readAll();
        if (answer.contains("\r\n\r\n"))
            break; // answered: the server is not reading any more
    }
    answer += socket.readAll(); // what arrived before the server closed
    if (!answer.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
        answer += socket.readAll();
    *status = answer.mid(9, 3).toInt();
    return sent;
}

void report(const char *what)
{
    std::printf("%-52s RSS %7lld KiB   peak %7lld KiB\n", what, statusKiB("VmRSS:"), statusKiB("VmHWM:"));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TestStack stack;
    if (!stack.start()) {
        std::fprintf(stderr, "cannot start the listener\n");
        return 1;
    }
    const CreatedProject project = stack.createProject(QStringLiteral("guard"));
    const QByteArray auth = "Authorization: Bearer " + project.apiKey.toLatin1() + "\r\n";
    constexpr qint64 k200MB = 200LL * 1024 * 1024;
    std::printf("Listener memory under hostile clients (body limit 4 MiB, the default)\n\n");
    report("started");

    int status = 0;
    qint64 sent = flood(stack.port(),
                        "POST /api/metrics HTTP/1.1\r\nContent-Type: application/json\r\n" + auth +
                            "Content-Length: " + QByteArray::number(k200MB) + "\r\n\r\n",
                        k200MB, false, &status);
    std::printf("200 MB with Content-Length: answered %d after %lld KiB sent\n", status, sent / 1024);
    report("after 200 MB Content-Length body");

    sent = flood(
        stack.port(),
        "POST /api/metrics HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" +
            auth + "\r\n",
        k200MB, true, &status);
    std::printf("200 MB chunked: answered %d after %lld KiB sent\n", status, sent / 1024);
    report("after 200 MB chunked body");

    // 200 clients that start a request and stop (the connection cap is 256).
    std::vector<std::unique_ptr<QTcpSocket>> slow;
    for (int i = 0; i < 200; ++i) {
        auto s = std::make_unique<QTcpSocket>();
        s->connectToHost(QStringLiteral("127.0.0.1"), stack.port());
        if (s->waitForConnected(2000)) {
            s->write("POST /api/metrics HTTP/1.1\r\nContent-Length: 4000000\r\n\r\n" +
                     QByteArray(16 * 1024, ' '));
            s->waitForBytesWritten(1000);
        }
        slow.push_back(std::move(s));
    }
    QThread::msleep(500);
    report("200 half-sent requests open");
    int timedOut = 0;
    for (auto &s : slow) {
        if (s->waitForReadyRead(15000) && s->readAll().startsWith("HTTP/1.1 408"))
            ++timedOut;
    }
    std::printf("half-sent requests answered 408: %d of %zu\n", timedOut, slow.size());
    slow.clear();
    QThread::msleep(500);
    report("after the timeouts");
    HttpClient client(QStringLiteral("127.0.0.1"), stack.port());
    std::printf("health after all that: %d\n", client.request("GET", "/api/health").status);
    return 0;
}
