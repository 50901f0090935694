// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/servers/supervisor.h"

#include "core/analysis/kvmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

namespace cachewise::servers {

ServerSupervisor::ServerSupervisor(LaunchSpec spec, SupervisorTimings timings, QObject *parent)
    : QObject(parent), m_spec(std::move(spec)), m_timings(timings), m_network(new QNetworkAccessManager(this))
{
    m_clock.start();
    m_poll.setInterval(m_timings.pollMs);
    connect(&m_poll, &QTimer::timeout, this, &ServerSupervisor::poll);
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process)
            killProcess(*m_process);
    });
    m_restartTimer.setSingleShot(true);
    m_restartTimer.setTimerType(Qt::PreciseTimer); // a coarse timer fires up to 5 % early
    m_killTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_restartTimer, &QTimer::timeout, this, [this] {
        if (m_state == model::ServerState::Crashed && !m_stopRequested)
            start();
    });
}

ServerSupervisor::~ServerSupervisor()
{
    if (QNetworkReply *reply = std::exchange(m_health, nullptr)) {
        reply->disconnect(this);
        reply->abort();
    }
}

bool ServerSupervisor::start()
{
    if (m_process && isRunning(*m_process))
        return true;
    m_stopRequested = false;
    m_restartTimer.stop();
    QDir().mkpath(QFileInfo(m_spec.logFile).absolutePath());
    if (!m_spec.workingFolder.isEmpty())
        QDir().mkpath(m_spec.workingFolder);
    // What the log held before is an earlier run's: read from its end.
    m_tail.emplace(m_spec.logFile, QFileInfo(m_spec.logFile).size());
    const Result<ProcessHandle> launched =
        launchDetached(m_spec.program, m_spec.arguments, m_spec.logFile, m_spec.workingFolder);
    if (!launched) {
        m_process.reset();
        setState(model::ServerState::Crashed, launched.errorMessage());
        return false;
    }
    m_process = launched.value();
    m_readySince.reset();
    setState(model::ServerState::Starting);
    m_poll.start();
    return true;
}

bool ServerSupervisor::adopt(const ProcessHandle &process)
{
    if (!isRunning(process))
        return false;
    m_process = process;
    m_stopRequested = false;
    m_tail.emplace(m_spec.logFile, QFileInfo(m_spec.logFile).size());
    setState(model::ServerState::Starting);
    m_poll.start();
    poll();
    return true;
}

void ServerSupervisor::stop()
{
    m_stopRequested = true;
    m_restartTimer.stop();
    if (!m_process || !isRunning(*m_process)) {
        m_poll.stop();
        setState(model::ServerState::Stopped);
        return;
    }
    setState(model::ServerState::Stopping);
    terminateProcess(*m_process);
    m_killTimer.start(m_timings.stopTimeoutMs);
    m_poll.start();
}

void ServerSupervisor::setState(model::ServerState state, const QString &reason)
{
    if (state == m_state && reason == m_reason)
        return;
    m_state = state;
    m_reason = reason;
    Q_EMIT stateChanged(state, reason);
}

void ServerSupervisor::poll()
{
    readLog();
    if (!m_process || !isRunning(*m_process)) {
        exited();
        return;
    }
    if (m_state == model::ServerState::Stopping)
        return;
    // Ready long enough: the crash history is forgotten and the next backoff starts small again.
    if (m_readySince && m_clock.elapsed() - *m_readySince >= m_timings.stableMs) {
        m_crashes.clear();
        m_backoffMs = 0;
    }
    askHealth();
}

void ServerSupervisor::askHealth()
{
    if (m_health)
        return; // one question at a time
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(m_spec.port)));
    request.setTransferTimeout(std::max(1000, m_timings.pollMs * 4));
    QNetworkReply *reply = m_network->get(request);
    m_health = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_health == reply)
            m_health = nullptr;
        if (m_state == model::ServerState::Stopping || m_state == model::ServerState::Stopped || !m_process ||
            !isRunning(*m_process))
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) {
            if (m_state != model::ServerState::Ready)
                m_readySince = m_clock.elapsed();
            setState(model::ServerState::Ready);
        } else if (status == 503) {
            setState(model::ServerState::Loading);
        }
        // No answer yet: still starting (the port is bound early, but not at once).
    });
}

void ServerSupervisor::readLog()
{
    if (!m_tail)
        return;
    const QList<QByteArray> added = m_tail->readNew();
    for (const QByteArray &raw : added) {
        LlamaLogLine line = parseLlamaLogLine(raw);
        if (line.text.startsWith(QLatin1String("llama_kv_cache: size =")) &&
            analysis::parseLlamaKvLine(line.text)) {
            m_kvLine = line.text;
            Q_EMIT kvAllocationLogged(m_kvLine);
        }
        m_lines.push_back(std::move(line));
        if (int(m_lines.size()) > m_timings.logMaxLines)
            m_lines.pop_front();
    }
    if (rotateLog(m_spec.logFile, m_timings.logMaxBytes))
        m_tail.emplace(m_spec.logFile, 0);
    if (!added.isEmpty())
        Q_EMIT linesRead(int(added.size()));
}

QString ServerSupervisor::lastErrorLines() const
{
    // The error lines of the last run, else its last lines.
    QStringList errors;
    QStringList last;
    for (auto it = m_lines.rbegin(); it != m_lines.rend() && last.size() < 5; ++it)
        last.prepend(it->text);
    for (auto it = m_lines.rbegin(); it != m_lines.rend() && errors.size() < 5; ++it) {
        if (it->level == LlamaLogLine::Level::Error || it->text.startsWith(QLatin1String("error")))
            errors.prepend(it->text);
    }
    return (errors.isEmpty() ? last : errors).join(QLatin1Char('\n'));
}

void ServerSupervisor::exited()
{
    m_poll.stop();
    m_killTimer.stop();
    if (QNetworkReply *reply = std::exchange(m_health, nullptr))
        reply->abort();
    if (m_stopRequested) {
        m_process.reset();
        setState(model::ServerState::Stopped);
        return;
    }
    m_process.reset();
    const qint64 now = m_clock.elapsed();
    if (m_readySince && now - *m_readySince >= m_timings.stableMs) {
        m_crashes.clear();
        m_backoffMs = 0;
    }
    m_readySince.reset();
    m_crashes.push_back(now);
    while (!m_crashes.empty() && now - m_crashes.front() > m_timings.crashWindowMs)
        m_crashes.pop_front();
    const QString lines = lastErrorLines();
    if (int(m_crashes.size()) >= m_timings.maxCrashes) {
        setState(model::ServerState::GaveUp, lines);
        Q_EMIT gaveUp(lines);
        return;
    }
    m_backoffMs =
        m_backoffMs == 0 ? m_timings.firstBackoffMs : std::min(m_backoffMs * 2, m_timings.maxBackoffMs);
    setState(model::ServerState::Crashed, lines);
    m_restartTimer.start(m_backoffMs);
}

} // namespace cachewise::servers
