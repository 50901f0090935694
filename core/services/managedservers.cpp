// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/managedservers.h"

#include "core/analysis/kvmodel.h"
#include "core/analysis/modelcatalog.h"
#include "core/analysis/recommender.h"
#include "core/servers/process.h"
#include "core/servers/profile.h"
#include "core/services/runtimes.h"
#include "core/storage/repository.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace cachewise::services {
namespace {

// The runtime a profile runs: what the KV analytics compute with.
model::ProjectRuntime runtimeFor(const model::ServerProfile &p,
                                 const std::optional<analysis::ModelArch> &arch)
{
    model::ProjectRuntime r;
    r.engine = model::Engine::LlamaCpp;
    if (arch)
        r.modelJson = analysis::modelToJson(*arch);
    r.context = p.context;
    r.parallel = p.parallel;
    r.unified = p.unified;
    r.cacheTypeK = p.cacheTypeK;
    r.cacheTypeV = p.cacheTypeV;
    r.flashAttention = p.flashAttention != model::FlashAttention::Off;
    return r;
}

} // namespace

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
    } else if (!servers::loopbackPortFree(p.port)) {
        // Another program listens there: llama-server could not bind it.
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("Port %1 on 127.0.0.1 is in use by another program; choose another, "
                                        "or leave it to CacheWise.")
                             .arg(p.port),
                         QStringLiteral("port"));
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
    const model::ProjectRuntime runtime = runtimeFor(p, arch.value());
    if (auto saved = saveRuntime(repository, p.projectId, runtime); !saved)
        return saved.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return stored;
}

model::ServerProfile withRuntime(model::ServerProfile profile, const model::ProjectRuntime &runtime)
{
    profile.context = runtime.context;
    profile.parallel = runtime.parallel;
    profile.unified = runtime.unified;
    profile.cacheTypeK = runtime.cacheTypeK;
    profile.cacheTypeV = runtime.cacheTypeV;
    if (!runtime.flashAttention)
        profile.flashAttention = model::FlashAttention::Off;
    else if (profile.flashAttention == model::FlashAttention::Off)
        profile.flashAttention = model::FlashAttention::On;
    // A quantized V cache needs flash attention on (auto may turn it off on some backends).
    if (model::cacheTypeInfo(profile.cacheTypeV).blockElements > 1)
        profile.flashAttention = model::FlashAttention::On;
    return profile;
}

namespace {

// The recommendation, when it has `status`: NotFound, or Conflict naming the status it has.
Result<model::Recommendation> recommendationIn(storage::Repository &repository, const QString &id,
                                               model::RecommendationStatus status)
{
    auto found = repository.recommendations().get(id);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(ErrorKind::NotFound, QStringLiteral("no recommendation %1").arg(id));
    if ((*found)->status != status)
        return makeError(ErrorKind::Conflict, QStringLiteral("the recommendation is %1, not %2")
                                                  .arg(model::name((*found)->status), model::name(status)));
    return **found;
}

} // namespace

Result<ServerApplyPlan> planServerApply(storage::Repository &repository, const QString &recommendationId,
                                        const QString &dataDir)
{
    auto found = recommendationIn(repository, recommendationId, model::RecommendationStatus::Pending);
    if (!found)
        return found.error();
    const model::Recommendation &r = found.value();
    auto profiles = repository.servers().list(r.projectId);
    if (!profiles)
        return profiles.error();
    const QJsonObject details = QJsonDocument::fromJson(r.details).object();
    if (profiles->isEmpty())
        return makeError(
            ErrorKind::NotFound,
            QStringLiteral("the project has no llama-server CacheWise launches; start yours with: %1")
                .arg(analysis::applyFlags(details).join(QLatin1Char(' '))));
    auto runtime = repository.runtimes().get(r.projectId);
    if (!runtime)
        return runtime.error();
    const model::ServerProfile before = profiles->first();
    std::optional<analysis::ModelArch> arch;
    if (auto read = analysis::modelFromGgufFile(before.modelPath))
        arch = std::move(read).value();
    // A profile's project has the profile's runtime unless someone removed it since.
    const model::ProjectRuntime current = runtime->has_value() ? **runtime : runtimeFor(before, arch);
    const auto changed = analysis::runtimeAfter(current, details);
    if (!changed)
        return makeError(ErrorKind::Unsupported,
                         QStringLiteral("the recommendation changes no flag of llama-server: %1")
                             .arg(analysis::applyFlags(details).join(QLatin1Char(' '))));
    const model::ServerProfile after = withRuntime(before, *changed);
    const QList<servers::ProfileProblem> problems = servers::checkProfile(after, arch);
    if (!problems.isEmpty()) {
        QStringList messages;
        for (const servers::ProfileProblem &problem : problems)
            messages << problem.message;
        return makeError(ErrorKind::BadInput, messages.join(QLatin1Char(' ')), problems.first().field);
    }
    return ServerApplyPlan{r, before, after, serverCommandLine(before, dataDir),
                           serverCommandLine(after, dataDir)};
}

Result<ServerApplyPlan> planServerRevert(storage::Repository &repository, const QString &recommendationId,
                                         const QString &dataDir)
{
    auto found = recommendationIn(repository, recommendationId, model::RecommendationStatus::Applied);
    if (!found)
        return found.error();
    const model::Recommendation &r = found.value();
    auto change = repository.runtimes().appliedChange(recommendationId);
    if (!change)
        return change.error();
    auto profiles = repository.servers().list(r.projectId);
    if (!profiles)
        return profiles.error();
    if (!change->has_value() || !(*change)->before || profiles->isEmpty())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("nothing to revert on a server CacheWise launches"));
    const model::ServerProfile before = profiles->first();
    const model::ServerProfile after = withRuntime(before, *(*change)->before);
    return ServerApplyPlan{r, before, after, serverCommandLine(before, dataDir),
                           serverCommandLine(after, dataDir)};
}

std::optional<KvComparison> compareKvAllocation(const model::ServerProfile &profile)
{
    const auto measured = analysis::parseLlamaKvLine(profile.measuredKvLine);
    auto arch = analysis::modelFromGgufFile(profile.modelPath);
    if (!measured || !arch)
        return std::nullopt;
    analysis::KvConfig config;
    config.engine = model::Engine::LlamaCpp;
    config.context = profile.context;
    config.parallel = profile.parallel;
    config.unified = profile.unified;
    config.typeK = profile.cacheTypeK;
    config.typeV = profile.cacheTypeV;
    const auto estimate = analysis::estimateKv(arch.value(), config);
    if (!estimate)
        return std::nullopt;
    const QStringList lines = analysis::formatLlamaKvLines(*estimate, config);
    if (lines.isEmpty())
        return std::nullopt;
    const auto computed = analysis::parseLlamaKvLine(lines.first());
    if (!computed)
        return std::nullopt;
    KvComparison c;
    c.measuredLine = profile.measuredKvLine;
    c.computedLine = lines.first();
    c.differenceMiB = measured->totalMiB - computed->totalMiB;
    c.differs = std::abs(c.differenceMiB) >= 0.005 || measured->cells != computed->cells;
    return c;
}

Result<std::optional<TrafficComparison>> compareTraffic(storage::Repository &repository,
                                                        const QString &projectId, qint64 changeAtMs,
                                                        qint64 nowMs, qint64 minWindowMs, qint64 maxWindowMs,
                                                        qint64 minSamples)
{
    const qint64 window = std::min(nowMs - changeAtMs, maxWindowMs);
    if (window < minWindowMs)
        return std::optional<TrafficComparison>();
    const auto side = [&](qint64 from, qint64 to) -> Result<TrafficWindow> {
        auto summary = repository.samples().summary(projectId, from, to);
        if (!summary)
            return summary.error();
        const model::MetricSummary &tps = (*summary)[model::metricIndex(model::Metric::TokensPerSecond)];
        const model::MetricSummary &ttft = (*summary)[model::metricIndex(model::Metric::TimeToFirstTokenMs)];
        TrafficWindow w;
        w.samples = std::max(tps.count, ttft.count);
        if (tps.count > 0)
            w.tokensPerSecond = tps.mean;
        if (ttft.count > 0)
            w.timeToFirstTokenMs = ttft.mean;
        return w;
    };
    auto before = side(changeAtMs - window, changeAtMs);
    if (!before)
        return before.error();
    auto after = side(changeAtMs, changeAtMs + window);
    if (!after)
        return after.error();
    if (before->samples < minSamples || after->samples < minSamples)
        return std::optional<TrafficComparison>();
    return std::optional<TrafficComparison>(TrafficComparison{window, before.value(), after.value()});
}

QString describeTraffic(const TrafficComparison &c)
{
    const auto change = [](double from, double to) {
        return from > 0 ? QStringLiteral(" (%1%2 %)")
                              .arg(to >= from ? QStringLiteral("+") : QStringLiteral("−"))
                              .arg(std::abs(to - from) * 100.0 / from, 0, 'f', 1)
                        : QString();
    };
    QStringList parts;
    if (c.before.tokensPerSecond && c.after.tokensPerSecond)
        parts << QStringLiteral("tokens per second %1 → %2%3")
                     .arg(*c.before.tokensPerSecond, 0, 'f', 1)
                     .arg(*c.after.tokensPerSecond, 0, 'f', 1)
                     .arg(change(*c.before.tokensPerSecond, *c.after.tokensPerSecond));
    if (c.before.timeToFirstTokenMs && c.after.timeToFirstTokenMs)
        parts << QStringLiteral("time to first token %1 → %2 ms%3")
                     .arg(*c.before.timeToFirstTokenMs, 0, 'f', 0)
                     .arg(*c.after.timeToFirstTokenMs, 0, 'f', 0)
                     .arg(change(*c.before.timeToFirstTokenMs, *c.after.timeToFirstTokenMs));
    if (parts.isEmpty())
        parts << QStringLiteral("no measure on both sides to compare");
    return QStringLiteral("Over %1 min before and after (%2 and %3 samples): %4")
        .arg(c.windowMs / 60'000)
        .arg(c.before.samples)
        .arg(c.after.samples)
        .arg(parts.join(QStringLiteral(", ")));
}

QList<model::ActionLogEntry> changesAwaitingTraffic(const QList<model::ActionLogEntry> &log, qint64 nowMs)
{
    QSet<QString> compared;
    for (const model::ActionLogEntry &e : log) {
        if (e.actionType == QLatin1String("server_traffic_compared"))
            compared.insert(
                QJsonDocument::fromJson(e.directive).object().value(QLatin1String("change")).toString());
    }
    QList<model::ActionLogEntry> waiting;
    for (const model::ActionLogEntry &e : log) {
        const bool change = e.actionType == QLatin1String("server_applied") ||
                            e.actionType == QLatin1String("server_reverted");
        if (change && e.timestampMs > nowMs - 24 * 3600 * 1000 && !compared.contains(e.id))
            waiting << e;
    }
    return waiting;
}

model::ServerProcess processRecord(const QString &profileId, model::ServerState state, const QString &reason,
                                   const std::optional<servers::ProcessHandle> &process,
                                   std::optional<qint64> startedAtMs, qint64 nowMs)
{
    model::ServerProcess p;
    p.profileId = profileId;
    p.state = state;
    p.stateReason = reason;
    if (process) {
        p.pid = process->pid;
        p.processIdentity = process->identity;
        p.startedAtMs = startedAtMs;
    }
    p.updatedAtMs = nowMs;
    return p;
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
