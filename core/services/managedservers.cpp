// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/managedservers.h"

#include "core/analysis/modelcatalog.h"
#include "core/servers/process.h"
#include "core/servers/profile.h"
#include "core/services/runtimes.h"
#include "core/storage/repository.h"

#include <QDir>
#include <QSet>

namespace cachewise::services {

QString serverFolder(const QString &dataDir, const QString &profileId)
{
    return QDir(dataDir).filePath(QStringLiteral("servers/%1").arg(profileId));
}

QString slotSavePath(const QString &dataDir, const QString &profileId)
{
    return serverFolder(dataDir, profileId) + QStringLiteral("/slots");
}

QString serverLogFile(const QString &dataDir, const QString &profileId)
{
    return serverFolder(dataDir, profileId) + QStringLiteral("/server.log");
}

servers::LaunchSpec launchSpec(const model::ServerProfile &profile, const QString &dataDir)
{
    // The slot folder exists before llama-server is asked to save into it.
    QDir().mkpath(slotSavePath(dataDir, profile.id));
    return servers::LaunchSpec{profile.id,
                               profile.executable,
                               servers::serverArguments(profile, slotSavePath(dataDir, profile.id)),
                               serverLogFile(dataDir, profile.id),
                               serverFolder(dataDir, profile.id),
                               profile.port};
}

QString serverCommandLine(const model::ServerProfile &profile, const QString &dataDir)
{
    return servers::shellCommandLine(profile.executable,
                                     servers::serverArguments(profile, slotSavePath(dataDir, profile.id)));
}

Result<model::ServerProfile> addServer(storage::Repository &repository, const model::ServerProfile &profile)
{
    model::ServerProfile p = profile;
    auto arch = analysis::modelFromGgufFile(p.modelPath);
    if (!arch)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("Cannot read the model %1: %2").arg(p.modelPath, arch.errorMessage()),
                         QStringLiteral("model"));
    auto existing = repository.servers().list();
    if (!existing)
        return existing.error();
    if (p.port == 0) {
        QSet<int> taken;
        for (const model::ServerProfile &other : existing.value())
            taken.insert(other.port);
        const std::optional<int> port = servers::freeLoopbackPort(taken);
        if (!port)
            return makeError(ErrorKind::Unavailable, QStringLiteral("No free port on 127.0.0.1."),
                             QStringLiteral("port"));
        p.port = *port;
    }
    const QList<servers::ProfileProblem> problems = servers::checkProfile(p, arch.value());
    if (!problems.isEmpty()) {
        QStringList messages;
        for (const servers::ProfileProblem &problem : problems)
            messages << problem.message;
        return makeError(ErrorKind::BadInput, messages.join(QLatin1Char(' ')), problems.first().field);
    }

    storage::Transaction tx(repository.database());
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    model::Source source;
    source.projectId = p.projectId;
    source.engine = model::Engine::LlamaCpp;
    source.baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(p.port);
    auto added = repository.sources().add(source);
    if (!added)
        return added.error();
    p.sourceId = added->id;
    auto stored = repository.servers().add(p);
    if (!stored)
        return stored.error();
    model::ProjectRuntime runtime;
    runtime.engine = model::Engine::LlamaCpp;
    runtime.modelJson = analysis::modelToJson(arch.value());
    runtime.context = p.context;
    runtime.parallel = p.parallel;
    runtime.unified = p.unified;
    runtime.cacheTypeK = p.cacheTypeK;
    runtime.cacheTypeV = p.cacheTypeV;
    runtime.flashAttention = p.flashAttention != model::FlashAttention::Off;
    if (auto saved = saveRuntime(repository, p.projectId, runtime); !saved)
        return saved.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return stored;
}

model::ServerProcess currentProcess(const model::ServerProcess &recorded)
{
    using model::ServerState;
    const bool running = recorded.state == ServerState::Starting || recorded.state == ServerState::Loading ||
                         recorded.state == ServerState::Ready || recorded.state == ServerState::Stopping;
    if (!running ||
        (recorded.pid && servers::isRunning(servers::ProcessHandle{*recorded.pid, recorded.processIdentity})))
        return recorded;
    model::ServerProcess gone = recorded;
    gone.state = ServerState::Stopped;
    gone.stateReason = QStringLiteral("It exited while no CacheWise was watching.");
    gone.pid.reset();
    return gone;
}

Result<void> removeServer(storage::Repository &repository, const QString &profileId)
{
    auto profile = repository.servers().get(profileId);
    if (!profile)
        return profile.error();
    if (!profile->has_value())
        return makeError(ErrorKind::NotFound, QStringLiteral("no server with id %1").arg(profileId));
    auto process = repository.servers().process(profileId);
    if (!process)
        return process.error();
    if (process->has_value() && (*process)->pid &&
        servers::isRunning(servers::ProcessHandle{*(*process)->pid, (*process)->processIdentity}))
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("The server runs (pid %1): stop it first.").arg(*(*process)->pid));
    storage::Transaction tx(repository.database());
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    if (const QString sourceId = (*profile)->sourceId; !sourceId.isEmpty()) {
        if (auto r = repository.sources().remove(sourceId); !r)
            return r.error();
    }
    if (auto r = repository.servers().remove(profileId); !r)
        return r.error();
    return tx.commit();
}

} // namespace cachewise::services
