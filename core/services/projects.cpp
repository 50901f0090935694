// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/projects.h"

#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/services/projectanalysis.h"
#include "core/storage/repository.h"

#include <future>

namespace cachewise::services {

Result<QPair<model::Project, model::NewApiKey>>
createProjectWithKey(storage::Repository &repository, const QString &name, const QString &modelName,
                     const QString &architecture, const QString &keyName, std::optional<model::Source> source)
{
    storage::Transaction tx(repository.database());
    if (!tx.begun())
        return makeError(ErrorKind::Storage, tx.beginError());
    auto project = repository.projects().create(name, modelName, architecture);
    if (!project)
        return project.error();
    auto key = repository.keys().create(project->id, keyName);
    if (!key)
        return makeError(ErrorKind::Storage, key.errorMessage());
    if (source) {
        source->projectId = project->id;
        if (auto added = repository.sources().add(*source); !added)
            return added.error();
    }
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    return QPair<model::Project, model::NewApiKey>{project.value(), key.value()};
}

Result<void> loadSampleData(storage::MetricWriter &writer, const QString &databasePath, const Clock &clock)
{
    storage::Repository repository(clock);
    if (auto r = repository.open(databasePath); !r)
        return r;
    const qint64 now = clock.nowMs();
    const storage::Writes writes = writer.writes();
    for (const demo::DemoProject &p : demo::demoProjects()) {
        auto prepared = storage::writeThrough(writes, [&](storage::Repository &w) -> Result<void> {
            auto existing = w.projects().get(p.id);
            if (!existing)
                return existing.error();
            if (!existing.value()) {
                if (auto created = w.projects().create(p.name, p.modelName, p.architecture, p.id); !created)
                    return created.error();
            }
            if (auto cleared = w.samples().clear(p.id, std::nullopt); !cleared)
                return cleared.error();
            return {};
        });
        if (!prepared)
            return prepared;
        std::promise<storage::WriteOutcome> done;
        auto future = done.get_future();
        writer.submit(demo::demoHistory(p, now),
                      [&done](const storage::WriteOutcome &o) { done.set_value(o); });
        const storage::WriteOutcome outcome = future.get();
        if (!outcome.ok())
            return makeError(ErrorKind::Storage,
                             QStringLiteral("cannot store the sample history: %1").arg(outcome.error));
        if (auto runtime = storage::writeThrough(
                writes, [&](storage::Repository &w) { return w.runtimes().set(p.id, demo::demoRuntime(p)); });
            !runtime)
            return runtime.error();
        for (const model::ActionLogEntry &entry : demo::demoActions(p, now)) {
            auto logged = storage::writeThrough(writes, [&](storage::Repository &w) -> Result<void> {
                auto existing = w.actions().get(entry.id);
                if (!existing)
                    return existing.error();
                if (existing->has_value())
                    return {}; // loaded before
                if (auto added = w.actions().add(entry); !added)
                    return added.error();
                return {};
            });
            if (!logged)
                return logged;
        }
        if (auto analysed = analyseProject(repository, p.id, now, writes); !analysed)
            return analysed.error();
    }
    return {};
}

} // namespace cachewise::services
