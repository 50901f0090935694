// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/asyncservers.h"

#include "core/common/clock.h"
#include "core/servers/process.h"
#include "core/servers/profile.h"
#include "core/services/servermanager.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QFile>
#include <QThread>

namespace cachewise::services {
namespace {

constexpr int kLogLinesKept = 50'000;
constexpr qint64 kApplyTimeoutMs = 600'000; // a large model loads for minutes

QList<servers::LlamaLogLine> parseLines(const QList<QByteArray> &raw)
{
    QList<servers::LlamaLogLine> lines;
    lines.reserve(raw.size());
    for (const QByteArray &line : raw)
        lines << servers::parseLlamaLogLine(line);
    return lines;
}

} // namespace

AsyncServers::AsyncServers(QString databasePath, QString dataDir, storage::Writes writes,
                           ServerManager *manager, const Clock &clock, QObject *parent)
    : QObject(parent), m_path(std::move(databasePath)), m_dataDir(std::move(dataDir)),
      m_writes(std::move(writes)), m_manager(manager), m_clock(clock), m_thread(new QThread),
      m_context(new QObject)
{
    qRegisterMetaType<ServersSnapshot>();
    qRegisterMetaType<LibraryScanSummary>();
    qRegisterMetaType<ServerApplyPlan>();
    qRegisterMetaType<FlagChange>();
    qRegisterMetaType<model::ServerProfile>();
    qRegisterMetaType<QList<servers::LlamaLogLine>>();
    m_thread->setObjectName(QStringLiteral("cachewise-ui-servers"));
    m_context->moveToThread(m_thread);
    m_thread->start();
}

AsyncServers::~AsyncServers()
{
    if (m_applyThread) // a restart in progress is let finish: it puts the old flags back if it fails
        m_applyThread->wait();
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_tails.clear();
            m_repository.reset();
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_context;
    delete m_thread;
}

void AsyncServers::post(std::function<void(storage::Repository &)> work)
{
    QMetaObject::invokeMethod(
        m_context,
        [this, work = std::move(work)] {
            if (!m_repository) {
                auto repository = std::make_unique<storage::Repository>(m_clock);
                if (auto r = repository->open(m_path); !r) {
                    Q_EMIT failed(r.errorMessage());
                    return;
                }
                m_repository = std::move(repository);
            }
            work(*m_repository);
        },
        Qt::QueuedConnection);
}

void AsyncServers::load()
{
    post([this](storage::Repository &repository) {
        ServersSnapshot snapshot;
        auto models = storedModels(repository);
        auto profiles = repository.servers().list();
        auto processes = repository.servers().processes();
        auto projects = repository.projects().list();
        auto folders = configuredLibraryFolders(repository);
        if (!models)
            return Q_EMIT failed(models.errorMessage());
        if (!profiles)
            return Q_EMIT failed(profiles.errorMessage());
        if (!processes)
            return Q_EMIT failed(processes.errorMessage());
        if (!projects)
            return Q_EMIT failed(projects.errorMessage());
        if (!folders)
            return Q_EMIT failed(folders.errorMessage());
        snapshot.models = models.value();
        std::sort(snapshot.models.begin(), snapshot.models.end(),
                  [](const servers::ModelFile &a, const servers::ModelFile &b) {
                      return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
                  });
        snapshot.projects = projects.value();
        snapshot.folders = folders.value();
        snapshot.executables = servers::findLlamaServers();
        QHash<QString, model::ServerProcess> recorded;
        for (const model::ServerProcess &p : processes.value())
            recorded.insert(p.profileId, p);
        QHash<QString, QString> projectNames;
        for (const model::Project &p : snapshot.projects)
            projectNames.insert(p.id, p.name);
        const qint64 now = m_clock.nowMs();
        for (const model::ServerProfile &profile : profiles.value()) {
            ServerRow row;
            row.profile = profile;
            model::ServerProcess stored = recorded.value(profile.id);
            stored.profileId = profile.id;
            row.process = currentProcess(stored);
            row.projectName = projectNames.value(profile.projectId, profile.projectId);
            row.commandLine = serverCommandLine(profile, m_dataDir);
            row.kv = compareKvAllocation(profile);
            if (row.process.pid) {
                // The manager reads usage every 5 s: the newest of the last half minute.
                if (auto usage = repository.servers().usage(profile.id, now - 30'000, now + 1);
                    usage && !usage->isEmpty())
                    row.usage = usage->constLast();
            }
            snapshot.servers << row;
        }
        Q_EMIT loaded(snapshot);
    });
}

void AsyncServers::scan()
{
    post([this](storage::Repository &repository) {
        auto folders = configuredLibraryFolders(repository);
        if (!folders)
            return Q_EMIT failed(folders.errorMessage());
        // Headers are read here; only storing the result goes through the writer.
        auto scan = readLibrary(repository, m_clock, folders.value());
        if (!scan)
            return Q_EMIT failed(scan.errorMessage());
        auto stored = storage::writeThrough(
            m_writes, [&](storage::Repository &w) { return storeLibraryScan(w, scan.value()); });
        if (!stored)
            return Q_EMIT failed(stored.errorMessage());
        LibraryScanSummary summary;
        summary.models = int(scan->models.size());
        summary.headersRead = scan->headersRead;
        summary.missing = scan->missing;
        summary.problems =
            int(std::count_if(scan->models.cbegin(), scan->models.cend(),
                              [](const servers::ModelFile &m) { return !m.problem.isEmpty(); }));
        Q_EMIT scanned(summary);
    });
    load();
}

void AsyncServers::addModelFolder(const QString &folder)
{
    post([this, folder](storage::Repository &repository) {
        auto current = repository.settings().value(storage::setting::ModelFolders);
        if (!current)
            return Q_EMIT failed(current.errorMessage());
        QStringList folders = storage::modelFolders(current.value());
        if (!folders.contains(folder))
            folders << folder;
        auto saved = storage::writeThrough(m_writes, [&](storage::Repository &w) {
            return w.settings().set(storage::setting::ModelFolders, folders.join(QLatin1Char(':')));
        });
        if (!saved)
            Q_EMIT failed(saved.errorMessage());
    });
    scan();
}

void AsyncServers::addServer(const model::ServerProfile &profile)
{
    post([this, profile](storage::Repository &) {
        auto added = storage::writeThrough(
            m_writes, [&](storage::Repository &w) { return services::addServer(w, profile); });
        if (!added)
            return Q_EMIT serverRefused(added.error().field, added.errorMessage());
        Q_EMIT serverAdded(added.value());
    });
    load();
}

void AsyncServers::removeServer(const QString &profileId)
{
    post([this, profileId](storage::Repository &) {
        auto removed = storage::writeThrough(
            m_writes, [&](storage::Repository &w) { return services::removeServer(w, profileId); });
        if (!removed)
            return Q_EMIT failed(removed.errorMessage());
        m_tails.remove(profileId);
        Q_EMIT serverRemoved(profileId);
    });
    load();
}

void AsyncServers::startServer(const QString &profileId)
{
    if (!m_manager)
        return Q_EMIT failed(tr("Servers are not managed in this run."));
    m_manager->startServer(profileId);
}

void AsyncServers::stopServer(const QString &profileId)
{
    if (!m_manager)
        return Q_EMIT failed(tr("Servers are not managed in this run."));
    m_manager->stopServer(profileId);
}

void AsyncServers::restartServer(const QString &profileId)
{
    if (!m_manager)
        return Q_EMIT failed(tr("Servers are not managed in this run."));
    m_manager->restartServer(profileId);
}

void AsyncServers::readLog(const QString &profileId, bool fromStart)
{
    post([this, profileId, fromStart](storage::Repository &) {
        const QString path = serverLogFile(m_dataDir, profileId);
        auto &tail = m_tails[profileId];
        QList<servers::LlamaLogLine> lines;
        if (fromStart || !tail) {
            // The rotated part first, then the file as it is; the tail goes on from where this read ended.
            QFile rotated(path + QStringLiteral(".1"));
            if (rotated.open(QIODevice::ReadOnly)) {
                QList<QByteArray> raw = rotated.readAll().split('\n');
                if (!raw.isEmpty() && raw.constLast().isEmpty())
                    raw.removeLast();
                lines = parseLines(raw);
            }
            tail = std::make_shared<servers::LogTail>(path);
            lines << parseLines(tail->readNew());
            if (lines.size() > kLogLinesKept)
                lines = lines.mid(lines.size() - kLogLinesKept);
            return Q_EMIT logRead(profileId, true, lines);
        }
        lines = parseLines(tail->readNew());
        if (!lines.isEmpty())
            Q_EMIT logRead(profileId, false, lines);
    });
}

void AsyncServers::planApply(const QString &recommendationId, bool revert)
{
    post([this, recommendationId, revert](storage::Repository &repository) {
        auto plan = revert ? planServerRevert(repository, recommendationId, m_dataDir)
                           : planServerApply(repository, recommendationId, m_dataDir);
        if (!plan)
            return Q_EMIT applyRefused(recommendationId, plan.errorMessage());
        Q_EMIT applyPlanned(plan.value(), revert);
    });
}

bool AsyncServers::applying() const
{
    return m_applyThread != nullptr;
}

void AsyncServers::apply(const ServerApplyPlan &plan, bool revert)
{
    const QString id = plan.recommendation.id;
    if (!m_manager)
        return Q_EMIT applyFailed(id, revert, tr("Servers are not managed in this run."));
    if (m_applyThread)
        return Q_EMIT applyFailed(id, revert,
                                  tr("Another server is being restarted; try again when it is done."));
    // ServerControl waits in an event loop of its own: a thread for it, so neither the window nor the
    // manager waits. The manager lets go of the server meanwhile, so that it does not take the stop for a
    // crash, and takes over whatever runs when it is done.
    m_applyThread = QThread::create([this, plan, revert, id, manager = m_manager] {
        QPointer<AsyncServers> self(this);
        const auto report = [self](auto &&emitter) {
            QMetaObject::invokeMethod(self, [self, emitter] {
                if (self)
                    emitter(*self);
            });
        };
        storage::Repository reads(m_clock);
        if (auto opened = reads.open(m_path); !opened) {
            const QString message = opened.errorMessage();
            return report([=](AsyncServers &s) { Q_EMIT s.applyFailed(id, revert, message); });
        }
        if (manager)
            manager->hold(plan.before.id);
        ServerControl control(reads, m_writes, m_dataDir, m_clock);
        const auto changed =
            control.changeFlags(plan.before, plan.after, plan.recommendation, revert, kApplyTimeoutMs);
        if (manager)
            manager->release(plan.before.id);
        if (!changed) {
            const QString message = changed.errorMessage();
            return report([=](AsyncServers &s) { Q_EMIT s.applyFailed(id, revert, message); });
        }
        const FlagChange change = changed.value();
        report([=](AsyncServers &s) { Q_EMIT s.applyFinished(id, revert, change); });
    });
    m_applyThread->setObjectName(QStringLiteral("cachewise-apply"));
    connect(m_applyThread, &QThread::finished, this, [this] {
        m_applyThread->deleteLater();
        m_applyThread = nullptr;
        load();
    });
    m_applyThread->start();
}

} // namespace cachewise::services
