// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/enums.h"
#include "core/servers/llamalog.h"
#include "core/servers/process.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <deque>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace cachewise::servers {

// How one server is run: the program, its arguments, where its log goes, the port its /health answers on.
struct LaunchSpec
{
    QString profileId;
    QString program;
    QStringList arguments;
    QString logFile;
    QString workingFolder;
    int port = 0;
};

// The supervisor's clock, shortened by tests.
struct SupervisorTimings
{
    int pollMs = 250;            // the process checked, its log read and /health asked this often
    int stopTimeoutMs = 10'000;  // SIGTERM, then SIGKILL after this long
    int firstBackoffMs = 1000;   // a crash is restarted after this, doubling each time…
    int maxBackoffMs = 60'000;   // …up to this
    int stableMs = 300'000;      // ready this long: the next crash starts the backoff again
    int crashWindowMs = 600'000; // this many crashes in this window: given up
    int maxCrashes = 5;
    qint64 logMaxBytes = 20 << 20; // the log file is rotated past this
    int logMaxLines = 50'000;      // lines kept in memory for the viewer
};

// Runs one llama-server and keeps it alive: starting (the process runs, /health does not answer yet),
// loading (/health 503), ready (200), stopping (SIGTERM sent; SIGKILL after the timeout), stopped; a process
// that ends without being asked is crashed and restarted after a backoff, and given up after too many
// crashes, with the last error lines as the reason. Its standard output and error go to a log file, read as
// it grows (so a server taken over from an earlier CacheWise is read the same way). Lives on one thread.
class ServerSupervisor final : public QObject
{
    Q_OBJECT

public:
    ServerSupervisor(LaunchSpec spec, SupervisorTimings timings = {}, QObject *parent = nullptr);
    ~ServerSupervisor() override;

    // Launches the server (a running one is left alone). False with the reason when it cannot start.
    bool start();
    // Stops it; its exit is reported as stopped.
    void stop();
    // Takes over a server launched earlier that still runs; false when it does not.
    bool adopt(const ProcessHandle &process);
    // A new program line for the next start (apply, revert).
    void setSpec(const LaunchSpec &spec) { m_spec = spec; }

    model::ServerState state() const { return m_state; }
    const QString &reason() const { return m_reason; }
    std::optional<ProcessHandle> process() const { return m_process; }
    const LaunchSpec &spec() const { return m_spec; }
    // The log lines read so far (at most logMaxLines), oldest first.
    const std::deque<LlamaLogLine> &lines() const { return m_lines; }
    // The last KV allocation line the server logged (llama_kv_cache: size = …), verbatim.
    const QString &kvAllocationLine() const { return m_kvLine; }
    int crashCount() const { return int(m_crashes.size()); }

Q_SIGNALS:
    void stateChanged(cachewise::model::ServerState state, const QString &reason);
    void linesRead(int count);
    void kvAllocationLogged(const QString &line);
    // Crashed too often: not restarted again. `lastLines` are the error lines (or the last lines) it wrote.
    void gaveUp(const QString &lastLines);

private:
    void poll();
    void setState(model::ServerState state, const QString &reason = {});
    void readLog();
    void exited();
    void askHealth();
    QString lastErrorLines() const;

    LaunchSpec m_spec;
    SupervisorTimings m_timings;
    model::ServerState m_state = model::ServerState::Stopped;
    QString m_reason;
    std::optional<ProcessHandle> m_process;
    std::optional<LogTail> m_tail;
    std::deque<LlamaLogLine> m_lines;
    QString m_kvLine;
    QTimer m_poll;
    QTimer m_killTimer;
    QTimer m_restartTimer;
    QElapsedTimer m_clock;        // monotonic, for the crash window
    std::deque<qint64> m_crashes; // when each recent crash happened (m_clock ms)
    std::optional<qint64> m_readySince;
    int m_backoffMs = 0;
    bool m_stopRequested = false;
    QNetworkAccessManager *m_network = nullptr;
    QNetworkReply *m_health = nullptr; // the /health question in flight
};

} // namespace cachewise::servers
