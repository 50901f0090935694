// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sources/scraper.h"

#include "core/analysis/projectanalysis.h"
#include "core/automation/automationengine.h"
#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/common/secretstore.h"
#include "core/sources/llamaserver.h"
#include "core/sources/ollama.h"
#include "core/sources/promengines.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>

namespace cachewise::sources {

namespace {

constexpr int kMaxBackoffMs = 60'000;

struct Run
{
    storage::Source source;
    QTimer *timer = nullptr;
    bool busy = false;
    int failures = 0;
    std::optional<LlamaProps> props;
    qint64 modelBytes = -1; // -1: not asked yet
    CounterTracker counters;
    std::optional<double> lastInferenceMs;
    QHash<int, qint64> idleSince;
    QHash<QString, std::optional<analysis::ModelArch>>
        ollamaArchs; // by model name; empty: /api/show had none
    QString lastState;
    QString lastReason;
    // The source's API key, read from the OS keychain before the first scrape and again after the
    // server refuses it (it may have been changed from the CLI or the UI).
    enum class Key
    {
        Unread,
        Reading,
        Ready,
        Failed,
    } keyState = Key::Unread;
    QString apiKey;
    QString keyError;
};

QString describe(QNetworkReply *reply, const QString &path, bool hasKey)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 501 && path == QLatin1String("/slots"))
        return QStringLiteral("HTTP 501 on /slots: start llama-server with --slots (or without --no-slots)");
    if (status == 401 || status == 403)
        return hasKey ? QStringLiteral("HTTP %1 on %2: the server refused the source's API key")
                            .arg(status)
                            .arg(path)
                      : QStringLiteral("HTTP %1 on %2: the server wants an API key; give the source one")
                            .arg(status)
                            .arg(path);
    if (status > 0)
        return QStringLiteral("HTTP %1 on %2").arg(status).arg(path);
    return QStringLiteral("%1: %2").arg(path, reply->errorString());
}

} // namespace

class ScraperWorker final : public QObject
{
    Q_OBJECT

public:
    ScraperWorker(QString databasePath, storage::MetricWriter &writer, const Clock &clock, int reloadMs)
        : m_path(std::move(databasePath)), m_writer(writer), m_clock(clock), m_repository(clock),
          m_reloadMs(reloadMs)
    {}

    // Before start(), from the owner's thread.
    void setAutomation(std::shared_ptr<automation::AutomationEngine> engine)
    {
        m_automation = std::move(engine);
    }

    void start()
    {
        m_network = new QNetworkAccessManager(this);
        m_reload = new QTimer(this);
        connect(m_reload, &QTimer::timeout, this, &ScraperWorker::reload);
        m_reload->start(m_reloadMs);
        reload();
    }

Q_SIGNALS:
    void stateChanged(const QString &sourceId, const QString &state, const QString &reason);

private:
    void reload()
    {
        if (!m_repository.isOpen()) {
            if (auto opened = m_repository.open(m_path); !opened) {
                qCWarning(lcIngest) << "sources: cannot open the database:" << opened.errorMessage();
                return;
            }
        }
        auto list = m_repository.sources();
        if (!list)
            return;
        QSet<QString> wanted;
        for (const storage::Source &s : *list) {
            if (!s.enabled)
                continue;
            wanted.insert(s.id);
            auto it = m_runs.find(s.id);
            if (it == m_runs.end()) {
                auto run = std::make_shared<Run>();
                run->source = s;
                run->timer = new QTimer(this);
                run->timer->setSingleShot(true);
                connect(run->timer, &QTimer::timeout, this, [this, id = s.id] { scrape(id); });
                m_runs.insert(s.id, run);
                scrape(s.id);
            } else if ((*it)->source.baseUrl != s.baseUrl || (*it)->source.intervalMs != s.intervalMs ||
                       (*it)->source.hasApiKey != s.hasApiKey) {
                (*it)->source = s;
                (*it)->props.reset();
                (*it)->counters.reset();
                (*it)->keyState = Run::Key::Unread;
                (*it)->apiKey.clear();
            }
        }
        for (auto it = m_runs.begin(); it != m_runs.end();) {
            if (!wanted.contains(it.key())) {
                (*it)->timer->stop();
                (*it)->timer->deleteLater();
                it = m_runs.erase(it);
            } else {
                ++it;
            }
        }
    }

    QNetworkRequest requestFor(const std::shared_ptr<Run> &run, const QString &path) const
    {
        QNetworkRequest request(QUrl(run->source.baseUrl + path));
        request.setTransferTimeout(std::clamp(run->source.intervalMs * 2, 1000, 10'000));
        if (!run->apiKey.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + run->apiKey.toUtf8());
        return request;
    }

    // Hands `done` the body of a 200, or the reason there was none.
    void whenFinished(QNetworkReply *reply, const std::shared_ptr<Run> &run, const QString &path,
                      std::function<void(QByteArray, QString)> done)
    {
        connect(reply, &QNetworkReply::finished, this, [reply, run, path, done = std::move(done)] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() != QNetworkReply::NoError || status != 200) {
                if ((status == 401 || status == 403) && run->source.hasApiKey)
                    run->keyState = Run::Key::Unread; // read it again: it may have been replaced
                done({}, describe(reply, path, run->source.hasApiKey));
            } else {
                done(reply->readAll(), {});
            }
        });
    }

    void post(const std::shared_ptr<Run> &run, const QString &path, const QByteArray &body,
              std::function<void(QByteArray, QString)> done)
    {
        QNetworkRequest request = requestFor(run, path);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        whenFinished(m_network->post(request, body), run, path, std::move(done));
    }

    // GET base + path; `done` gets the body or the reason it failed.
    void get(const std::shared_ptr<Run> &run, const QString &path,
             std::function<void(QByteArray, QString)> done)
    {
        QNetworkRequest request = requestFor(run, path);
        // Never to another origin: the key must not follow a redirect elsewhere.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::SameOriginRedirectPolicy);
        whenFinished(m_network->get(request), run, path, std::move(done));
    }

    // Reads the source's API key from the keychain, then scrapes.
    void readKey(const std::shared_ptr<Run> &run)
    {
        run->keyState = Run::Key::Reading;
        secrets::read(secrets::sourceKeyName(run->source.id), this,
                      [this, run](const Result<std::optional<QString>> &key) {
                          if (!m_runs.contains(run->source.id))
                              return; // removed meanwhile
                          if (key && key.value()) {
                              run->keyState = Run::Key::Ready;
                              run->apiKey = *key.value();
                          } else {
                              run->keyState = Run::Key::Failed;
                              run->apiKey.clear();
                              run->keyError =
                                  key ? QStringLiteral("the source's API key is not in the OS keychain "
                                                       "any more; give the source its key again")
                                      : QStringLiteral("the source's API key could not be read: %1")
                                            .arg(key.errorMessage());
                          }
                          scrape(run->source.id);
                      });
    }

    void scrape(const QString &sourceId)
    {
        const auto found = m_runs.constFind(sourceId);
        if (found == m_runs.constEnd())
            return;
        const std::shared_ptr<Run> run = *found;
        if (run->busy)
            return;
        if (run->source.hasApiKey && run->keyState != Run::Key::Ready) {
            if (run->keyState == Run::Key::Unread)
                readKey(run); // scrapes again when the keychain answers
            if (run->keyState == Run::Key::Failed) {
                run->keyState = Run::Key::Unread; // try the keychain again after the backoff
                finish(run, run->keyError, {});
            }
            return;
        }
        if (run->source.engine == QLatin1String("vllm") || run->source.engine == QLatin1String("sglang"))
            return scrapeMetrics(run);
        if (run->source.engine == QLatin1String("ollama"))
            return scrapeOllama(run);
        if (run->source.engine != QLatin1String("llama.cpp")) {
            finish(run, QStringLiteral("this version cannot read %1 servers").arg(run->source.engine), {});
            return;
        }
        run->busy = true;
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        auto scraped = std::make_shared<LlamaScrape>();
        // props (once) → slots → metrics (if enabled) → models (once) → sample
        const auto afterModels = [this, run, scraped, timer] {
            scraped->modelBytes = std::max<qint64>(0, run->modelBytes);
            const Mapping mapping = mappingFor(run->source.projectId);
            storage::MetricSample sample = llamaSample(run->source.projectId, m_clock.nowMs(), *scraped,
                                                       LlamaMapping{mapping.bytesPerToken, mapping.unified},
                                                       run->counters, run->lastInferenceMs);
            sample.processedData = slotsJson(scraped->slots, sample.timestampMs, run->idleSince);
            finish(run, {}, sample, timer->elapsed(), mapping.bytesPerToken == 0);
        };
        const auto afterMetrics = [this, run, afterModels] {
            if (run->modelBytes >= 0)
                return afterModels();
            get(run, QStringLiteral("/v1/models"),
                [run, afterModels](const QByteArray &body, const QString &) {
                    const QJsonArray data =
                        QJsonDocument::fromJson(body).object().value(QLatin1String("data")).toArray();
                    run->modelBytes = data.isEmpty() ? 0
                                                     : qint64(data.first()
                                                                  .toObject()
                                                                  .value(QLatin1String("meta"))
                                                                  .toObject()
                                                                  .value(QLatin1String("size"))
                                                                  .toDouble());
                    afterModels();
                });
        };
        const auto afterSlots = [this, run, scraped, afterMetrics] {
            if (!run->props || !run->props->metricsEndpoint)
                return afterMetrics();
            get(run, QStringLiteral("/metrics"),
                [this, run, scraped, afterMetrics](const QByteArray &body, const QString &error) {
                    if (!error.isEmpty())
                        return finish(run, error, {});
                    auto parsed = parsePrometheusText(body);
                    if (!parsed)
                        return finish(run, QStringLiteral("/metrics: %1").arg(parsed.errorMessage()), {});
                    scraped->metrics = std::move(parsed).value();
                    afterMetrics();
                });
        };
        const auto slots = [this, run, scraped, afterSlots] {
            get(run, QStringLiteral("/slots"),
                [this, run, scraped, afterSlots](const QByteArray &body, const QString &error) {
                    if (!error.isEmpty())
                        return finish(run, error, {});
                    auto parsed = parseLlamaSlots(body);
                    if (!parsed)
                        return finish(run, parsed.errorMessage(), {});
                    scraped->slots = std::move(parsed).value();
                    afterSlots();
                });
        };
        if (run->props)
            return slots();
        get(run, QStringLiteral("/props"), [this, run, slots](const QByteArray &body, const QString &error) {
            if (!error.isEmpty())
                return finish(run, error, {});
            auto props = parseLlamaProps(body);
            if (!props)
                return finish(run, props.errorMessage(), {});
            run->props = *props;
            slots();
        });
    }

    struct Mapping
    {
        qint64 bytesPerToken = 0;
        bool unified = false;
    };

    // Bytes per token and the unified switch from the project's runtime, when it describes one.
    Mapping mappingFor(const QString &projectId)
    {
        Mapping mapping;
        if (auto runtime = m_repository.runtime(projectId); runtime && runtime->has_value()) {
            if (auto input = analysis::analysisInput(**runtime)) {
                mapping.unified = input->config.unified;
                if (auto e = analysis::estimateKv(input->model, input->config))
                    mapping.bytesPerToken = e->bytesPerToken;
            }
        }
        return mapping;
    }

    // Ollama: /api/ps for what is loaded, /api/show once per model for its architecture.
    void scrapeOllama(const std::shared_ptr<Run> &run)
    {
        run->busy = true;
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        get(run, QStringLiteral("/api/ps"), [this, run, timer](const QByteArray &body, const QString &error) {
            if (!error.isEmpty())
                return finish(run, error, {});
            auto models = parseOllamaPs(body);
            if (!models)
                return finish(run, models.errorMessage(), {});
            auto loaded = std::make_shared<QList<OllamaLoaded>>();
            for (const OllamaModel &m : *models)
                *loaded << OllamaLoaded{m, run->ollamaArchs.value(m.name)};
            showNext(run, loaded, 0, timer);
        });
    }

    void showNext(const std::shared_ptr<Run> &run, const std::shared_ptr<QList<OllamaLoaded>> &loaded,
                  int index, const std::shared_ptr<QElapsedTimer> &timer)
    {
        while (index < loaded->size() && (*loaded)[index].arch)
            ++index;
        if (index >= loaded->size()) {
            // Parallel requests and the cache type come from the project's runtime when it runs on Ollama.
            int parallel = 1;
            analysis::CacheType type = analysis::CacheType::F16;
            if (auto runtime = m_repository.runtime(run->source.projectId); runtime && runtime->has_value()) {
                if (auto input = analysis::analysisInput(**runtime);
                    input && input->config.engine == analysis::Engine::Ollama) {
                    parallel = input->config.parallel;
                    type = input->config.typeK;
                }
            }
            const bool unknown =
                std::any_of(loaded->begin(), loaded->end(), [](const OllamaLoaded &l) { return !l.arch; });
            finish(run, {}, ollamaSample(run->source.projectId, m_clock.nowMs(), *loaded, parallel, type),
                   timer->elapsed(), unknown);
            return;
        }
        const QString name = (*loaded)[index].model.name;
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("model"), name}}).toJson(QJsonDocument::Compact);
        post(run, QStringLiteral("/api/show"), body,
             [this, run, loaded, index, timer, name](const QByteArray &reply, const QString &) {
                 if (auto arch = modelFromOllamaShow(reply)) {
                     run->ollamaArchs.insert(name, *arch);
                     (*loaded)[index].arch = *arch;
                 } else {
                     run->ollamaArchs.insert(name,
                                             std::nullopt); // a remote model: ask once, not every scrape
                 }
                 showNext(run, loaded, index + 1, timer);
             });
    }

    // vLLM and SGLang: everything is in /metrics.
    void scrapeMetrics(const std::shared_ptr<Run> &run)
    {
        run->busy = true;
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        get(run, QStringLiteral("/metrics"),
            [this, run, timer](const QByteArray &body, const QString &error) {
                if (!error.isEmpty())
                    return finish(run, error, {});
                auto parsed = parsePrometheusText(body);
                if (!parsed)
                    return finish(run, QStringLiteral("/metrics: %1").arg(parsed.errorMessage()), {});
                const bool vllm = run->source.engine == QLatin1String("vllm");
                const QString prefix = vllm ? QStringLiteral("vllm:") : QStringLiteral("sglang:");
                const bool recognised =
                    std::any_of(parsed->families.begin(), parsed->families.end(),
                                [&prefix](const PromFamily &f) { return f.name.startsWith(prefix); });
                if (!recognised)
                    return finish(
                        run,
                        QStringLiteral("/metrics has no %1 metrics: not a %2 server (or its metrics are off)")
                            .arg(prefix, run->source.engine),
                        {});
                const Mapping mapping = mappingFor(run->source.projectId);
                const storage::MetricSample sample =
                    vllm ? vllmSample(run->source.projectId, m_clock.nowMs(), *parsed, mapping.bytesPerToken,
                                      run->counters, run->lastInferenceMs)
                         : sglangSample(run->source.projectId, m_clock.nowMs(), *parsed,
                                        mapping.bytesPerToken, run->counters, run->lastInferenceMs);
                finish(run, {}, sample, timer->elapsed(), mapping.bytesPerToken == 0);
            });
    }

    void finish(const std::shared_ptr<Run> &run, const QString &error,
                const std::optional<storage::MetricSample> &sample, qint64 latencyMs = -1,
                bool bytesUnknown = false)
    {
        run->busy = false;
        const qint64 now = m_clock.nowMs();
        QString state = QStringLiteral("up");
        QString reason = error;
        if (!error.isEmpty()) {
            state = QStringLiteral("down");
            ++run->failures;
            run->props.reset(); // it may come back as another build
        } else if (sample) {
            run->failures = 0;
            if (bytesUnknown)
                reason =
                    QStringLiteral("KV in bytes needs the project's model (Settings → Engine and model)");
            // Once committed, the sample goes through the project's automation (writer thread, as pushes do).
            m_writer.submit({*sample}, [automation = m_automation,
                                        committed = *sample](const storage::WriteOutcome &outcome) {
                if (outcome.ok() && automation)
                    automation->samplesCommitted(committed.projectId, {committed});
            });
        }
        if (auto recorded = m_repository.recordSourceState(run->source.id, state, reason, now,
                                                           latencyMs >= 0 ? std::optional<qint64>(latencyMs)
                                                                          : std::nullopt);
            !recorded)
            qCWarning(lcIngest) << "sources:" << recorded.errorMessage();
        if (state != run->lastState || reason != run->lastReason) {
            run->lastState = state;
            run->lastReason = reason;
            Q_EMIT stateChanged(run->source.id, state, reason);
        }
        // Back off exponentially while the server does not answer.
        const qint64 delay =
            std::min<qint64>(kMaxBackoffMs, qint64(run->source.intervalMs) << std::min(run->failures, 8));
        run->timer->start(int(delay));
    }

    QString m_path;
    storage::MetricWriter &m_writer;
    const Clock &m_clock;
    storage::Repository m_repository;
    int m_reloadMs;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_reload = nullptr;
    QHash<QString, std::shared_ptr<Run>> m_runs;
    std::shared_ptr<automation::AutomationEngine> m_automation;
};

SourceScraper::SourceScraper(const QString &databasePath, storage::MetricWriter &writer, const Clock &clock,
                             int reloadMs, QObject *parent)
    : QObject(parent), m_thread(new QThread),
      m_worker(new ScraperWorker(databasePath, writer, clock, reloadMs))
{
    m_thread->setObjectName(QStringLiteral("cachewise-sources"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ScraperWorker::stateChanged, this, &SourceScraper::stateChanged);
    m_thread->start();
}

SourceScraper::~SourceScraper()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void SourceScraper::setAutomation(std::shared_ptr<automation::AutomationEngine> engine)
{
    m_worker->setAutomation(std::move(engine));
}

void SourceScraper::start()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->start(); }, Qt::QueuedConnection);
}

} // namespace cachewise::sources

#include "scraper.moc"
