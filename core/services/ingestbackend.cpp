// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/ingestbackend.h"

#include "core/automation/automationengine.h"
#include "core/common/logging.h"
#include "core/services/projects.h"
#include "core/storage/keystore.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"
#include "core/storage/writes.h"

#include <QFileInfo>
#include <QThread>

#include <algorithm>

namespace cachewise::services {
namespace {

// Each project's directives in turn: the automation judges a project's samples together.
QJsonArray judge(automation::AutomationEngine &automation, const QList<model::MetricSample> &samples)
{
    if (samples.isEmpty())
        return {};
    // Nearly every request is of one project: judged as it is, without grouping.
    const QString &first = samples.constFirst().projectId;
    if (std::all_of(samples.cbegin(), samples.cend(),
                    [&first](const model::MetricSample &s) { return s.projectId == first; }))
        return automation.samplesCommitted(first, samples);
    QList<QString> order;
    QHash<QString, QList<model::MetricSample>> byProject;
    for (const model::MetricSample &s : samples) {
        auto &list = byProject[s.projectId];
        if (list.isEmpty())
            order << s.projectId;
        list << s;
    }
    QJsonArray actions;
    for (const QString &projectId : std::as_const(order)) {
        for (const QJsonValue &action : automation.samplesCommitted(projectId, byProject.value(projectId)))
            actions.append(action);
    }
    return actions;
}

} // namespace

DatabaseIngestBackend::DatabaseIngestBackend(QString databasePath, storage::MetricWriter &writer,
                                             std::shared_ptr<automation::AutomationEngine> automation,
                                             const Clock &clock, QObject *parent)
    : QObject(parent), m_databasePath(std::move(databasePath)), m_writer(writer),
      m_automation(std::move(automation)), m_clock(clock), m_thread(new QThread), m_context(new QObject)
{
    m_thread->setObjectName(QStringLiteral("cachewise-ingest-storage"));
    m_context->moveToThread(m_thread);
    m_thread->start();
    if (m_automation) {
        m_automation->setAlertHandler([this](const automation::Alert &alert) {
            // Any thread: a signal emission is safe; receivers get it queued.
            Q_EMIT this->alert(alert.projectId, alert.rule, alert.message, alert.dryRun);
        });
    }
}

DatabaseIngestBackend::~DatabaseIngestBackend()
{
    if (m_automation)
        m_automation->setAlertHandler({}); // this object goes away; late alerts go nowhere
    // The connection and the timer belong to the thread: end them there.
    QMetaObject::invokeMethod(
        m_context, [this] { m_repository.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_context;
    delete m_thread;
}

Result<void> DatabaseIngestBackend::start()
{
    Result<void> opened;
    QMetaObject::invokeMethod(
        m_context,
        [this, &opened] {
            auto repository = std::make_unique<storage::Repository>(m_clock);
            if (auto r = repository->open(m_databasePath); !r) {
                opened = r.error();
                return;
            }
            m_repository = std::move(repository);
            readSettings();
        },
        Qt::BlockingQueuedConnection);
    return opened;
}

void DatabaseIngestBackend::reloadSettings()
{
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            if (m_repository)
                readSettings();
        },
        Qt::QueuedConnection);
}

void DatabaseIngestBackend::readSettings()
{
    ingest::IngestSettings read;
    const auto number = [this](const QString &key) -> qint64 {
        auto v = m_repository->settings().integer(key);
        return v ? v.value() : storage::findSetting(key)->defaultValue.toLongLong();
    };
    read.maxSamples = int(number(storage::setting::MaxSamplesPerRequest));
    read.maxFutureSkewMs = number(storage::setting::MaxFutureSkewSeconds) * 1000;
    read.maxProcessedDataBytes = int(number(storage::setting::MaxProcessedDataBytes));
    read.ratePerSecond = double(number(storage::setting::RateLimitPerSecond));
    read.maxBodyBytes = qsizetype(number(storage::setting::MaxBodyBytes));
    if (auto attribute = m_repository->settings().value(storage::setting::OtlpProjectAttribute))
        read.otlpProjectAttribute = attribute.value();
    if (auto names = m_repository->settings().otlpNames())
        read.otlpNames = names.value();
    read.maxKeylessProjects = int(number(storage::setting::OtlpMaxKeylessProjects));
    if (auto hosts = m_repository->settings().value(storage::setting::AllowedHosts))
        read.allowedHosts = hosts.value().split(QLatin1Char(','), Qt::SkipEmptyParts);
    const std::lock_guard lock(m_settingsMutex);
    read.generation = m_settings.generation;
    if (read == m_settings)
        return;
    read.generation = m_settings.generation + 1;
    m_settings = std::move(read);
    m_settingsGeneration.store(m_settings.generation);
    qCDebug(lcIngest) << "listener settings read, generation" << m_settings.generation;
    // Under the lock, so that once the observer is cleared it is never called again (it only posts).
    if (m_settingsObserver)
        m_settingsObserver();
}

void DatabaseIngestBackend::setSettingsObserver(std::function<void()> observer)
{
    const std::lock_guard lock(m_settingsMutex);
    m_settingsObserver = std::move(observer);
}

ingest::IngestSettings DatabaseIngestBackend::settings() const
{
    const std::lock_guard lock(m_settingsMutex);
    return m_settings;
}

qsizetype DatabaseIngestBackend::queuedSamples() const
{
    return qsizetype(m_writer.queuedSamples());
}

const LatencyHistogram &DatabaseIngestBackend::commitLatency() const
{
    return m_writer.commitLatency();
}

template <typename T>
void DatabaseIngestBackend::run(Done<T> done, std::function<Result<T>(storage::Repository &)> work)
{
    QMetaObject::invokeMethod(
        m_context,
        [this, done = std::move(done), work = std::move(work)] {
            if (!m_repository)
                return done(makeError(ErrorKind::Unavailable, QStringLiteral("the database is not open")));
            done(work(*m_repository));
        },
        Qt::QueuedConnection);
}

template <typename T>
void DatabaseIngestBackend::write(Done<T> done, std::function<Result<T>(storage::Repository &)> work)
{
    QMetaObject::invokeMethod(
        m_context,
        [this, done = std::move(done), work = std::move(work)] {
            done(storage::writeThrough(m_writer.writes(), work));
        },
        Qt::QueuedConnection);
}

std::optional<model::ApiKey> DatabaseIngestBackend::cachedApiKey(const QString &secret) const
{
    const QByteArray hash = storage::KeyStore::hashSecret(secret);
    const std::lock_guard lock(m_keysMutex);
    const auto it = m_keys.constFind(hash);
    if (it == m_keys.constEnd())
        return std::nullopt;
    return it.value();
}

void DatabaseIngestBackend::forgetKeys()
{
    const std::lock_guard lock(m_keysMutex);
    m_keys.clear();
    ++m_keysGeneration;
}

void DatabaseIngestBackend::findApiKey(const QString &secret, Done<std::optional<model::ApiKey>> done)
{
    quint64 generation = 0;
    {
        const std::lock_guard lock(m_keysMutex);
        generation = m_keysGeneration;
    }
    run<std::optional<model::ApiKey>>(
        [this, secret, generation, done = std::move(done)](Result<std::optional<model::ApiKey>> found) {
            if (found && found.value()) {
                // Kept unless the keys changed while it was read (then the next request reads again).
                const std::lock_guard lock(m_keysMutex);
                if (generation == m_keysGeneration)
                    m_keys.insert(storage::KeyStore::hashSecret(secret), *found.value());
            }
            done(std::move(found));
        },
        [secret](storage::Repository &r) { return r.keys().findBySecret(secret); });
}

void DatabaseIngestBackend::project(const QString &id, Done<std::optional<model::Project>> done)
{
    run<std::optional<model::Project>>(std::move(done),
                                       [id](storage::Repository &r) { return r.projects().get(id); });
}

void DatabaseIngestBackend::projects(Done<QList<model::Project>> done)
{
    run<QList<model::Project>>(std::move(done), [](storage::Repository &r) { return r.projects().list(); });
}

void DatabaseIngestBackend::otlpProjects(const QStringList &names, int maxKeylessProjects,
                                         Done<QHash<QString, QString>> done)
{
    // A write: the names' projects are found and the missing ones created in one transaction.
    write<QHash<QString, QString>>(
        std::move(done),
        [names, maxKeylessProjects](storage::Repository &r) -> Result<QHash<QString, QString>> {
            storage::Transaction tx(r.database());
            if (!tx.begun())
                return makeError(ErrorKind::Storage, tx.beginError());
            auto projects = r.projects().list();
            if (!projects)
                return projects.error();
            QHash<QString, QString> ids;
            int keyless = 0; // projects keyless OTLP made that still have no key
            for (const model::Project &p : projects.value()) {
                auto keys = r.keys().list(p.id);
                if (!keys)
                    return keys.error();
                // Names are unique whatever their case, so that is how a program's name finds its project.
                const auto named = std::find_if(names.begin(), names.end(), [&p](const QString &name) {
                    return name.compare(p.name, Qt::CaseInsensitive) == 0;
                });
                if (named != names.end()) {
                    // A key (even a revoked one) means the owner chose who may write: not a keyless program.
                    if (!keys->isEmpty())
                        return makeError(
                            ErrorKind::Conflict,
                            QStringLiteral("project \"%1\" takes metrics only with one of its API "
                                           "keys (Authorization: Bearer …)")
                                .arg(p.name),
                            *named);
                    ids.insert(*named, p.id);
                }
                if (keys->isEmpty() && p.modelArchitecture == QLatin1String("OpenTelemetry"))
                    ++keyless;
            }
            QStringList missing; // one project for names that differ only in case
            for (const QString &name : names) {
                if (!ids.contains(name) && !missing.contains(name, Qt::CaseInsensitive))
                    missing << name;
            }
            if (keyless + missing.size() > maxKeylessProjects)
                return makeError(
                    ErrorKind::TooLarge,
                    QStringLiteral("%1 new project(s) for programs without a key would make more "
                                   "than otlp.maxKeylessProjects (%2, %3 made already); send with "
                                   "a project's API key, or raise the setting")
                        .arg(missing.size())
                        .arg(maxKeylessProjects)
                        .arg(keyless));
            for (const QString &name : std::as_const(missing)) {
                auto created = r.projects().create(name, QString(), QStringLiteral("OpenTelemetry"));
                if (!created)
                    return created.error();
                qCInfo(lcIngest) << "created project" << name << "for OpenTelemetry metrics";
                for (const QString &same : names) {
                    if (same.compare(name, Qt::CaseInsensitive) == 0)
                        ids.insert(same, created->id);
                }
            }
            if (auto committed = tx.commit(); !committed)
                return committed.error();
            return ids;
        });
}

void DatabaseIngestBackend::createProjectWithKey(const QString &name, const QString &modelName,
                                                 const QString &architecture,
                                                 Done<QPair<model::Project, model::NewApiKey>> done)
{
    using Created = QPair<model::Project, model::NewApiKey>;
    write<Created>(std::move(done),
                   [name, modelName, architecture](storage::Repository &r) -> Result<Created> {
                       return services::createProjectWithKey(r, name, modelName, architecture,
                                                             QStringLiteral("default"));
                   });
}

void DatabaseIngestBackend::projectDetails(const QString &projectId, int recentSamples,
                                           Done<ingest::ProjectDetails> done)
{
    run<ingest::ProjectDetails>(
        std::move(done),
        [projectId, recentSamples](storage::Repository &r) -> Result<ingest::ProjectDetails> {
            auto stats = r.samples().stats(projectId);
            if (!stats)
                return stats.error();
            auto recent = r.samples().recent(projectId, recentSamples);
            if (!recent)
                return recent.error();
            return ingest::ProjectDetails{stats.value(), recent.value()};
        });
}

void DatabaseIngestBackend::recommendations(const QString &projectId, Done<QList<model::Recommendation>> done)
{
    run<QList<model::Recommendation>>(
        std::move(done), [projectId](storage::Repository &r) { return r.recommendations().list(projectId); });
}

void DatabaseIngestBackend::acknowledgeAction(const QString &projectId, const QString &actionId,
                                              const QString &outcome, const QString &message,
                                              Done<model::ActionLogEntry> done)
{
    write<model::ActionLogEntry>(std::move(done),
                                 [projectId, actionId, outcome, message](storage::Repository &r) {
                                     return r.actions().acknowledge(projectId, actionId, outcome, message);
                                 });
}

void DatabaseIngestBackend::selfState(Done<ingest::SelfState> done)
{
    run<ingest::SelfState>(std::move(done), [](storage::Repository &r) -> Result<ingest::SelfState> {
        ingest::SelfState state;
        auto projects = r.projects().list();
        if (!projects)
            return projects.error();
        for (const model::Project &p : projects.value()) {
            auto latest = r.samples().recent(p.id, 1);
            if (latest && !latest->isEmpty())
                state.latestSamples.append({p, latest->first()});
        }
        if (auto sources = r.sources().list())
            state.sources = sources.value();
        const QString file = r.database().databaseName();
        state.databaseBytes = QFileInfo(file).size() + QFileInfo(file + QStringLiteral("-wal")).size();
        return state;
    });
}

void DatabaseIngestBackend::recordKeyUse(const QString &keyId, qint64 atMs)
{
    m_writer.recordKeyUse(keyId, atMs);
}

void DatabaseIngestBackend::submit(QList<model::MetricSample> samples, const QString &keyId,
                                   std::function<void(ingest::SubmitOutcome)> done)
{
    // The automation sees what was committed (the list is shared, not copied, unless the writer changes it).
    const QList<model::MetricSample> committed = samples;
    m_writer.submit(
        std::move(samples),
        [automation = m_automation, committed, done = std::move(done)](const storage::WriteOutcome &written) {
            // Writer thread: the automation engine is thread-safe.
            ingest::SubmitOutcome outcome;
            outcome.accepted = written.accepted;
            outcome.errorKind = written.errorKind;
            outcome.error = written.error;
            if (written.ok() && automation)
                outcome.actions = judge(*automation, committed);
            done(std::move(outcome));
        },
        keyId);
}

} // namespace cachewise::services
