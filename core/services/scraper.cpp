// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/scraper.h"

#include "core/analysis/modelcatalog.h"
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

namespace cachewise::services {

using namespace cachewise::sources;

namespace {

constexpr int kMaxBackoffMs = 60'000;

struct Run
{
    model::Source source;
    QTimer *timer = nullptr;
    bool busy = false;
    int failures = 0;
    std::optional<LlamaProps> props;
    std::optional<LlamaProps> propsAtLastSample; // to tell what a restart changed
    qint64 modelBytes = -1;                      // -1: not asked yet, 0: the server did not say
    LlamaSession llama;
    PromSession prom;
    QHash<QString, std::optional<analysis::ModelArch>>
        ollamaArchs; // by model name; empty: /api/show had none
    std::optional<model::SourceState> lastState;
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

QString describe(QNetworkReply *reply, const QString &path, bool hasKey, int timeoutMs)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0 && reply->error() == QNetworkReply::OperationCanceledError)
        return QStringLiteral("%1: no answer within %2 s (the server accepted the connection but did not "
                              "reply; is it hung or overloaded?)")
            .arg(path)
            .arg(double(timeoutMs) / 1000.0);
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
    ScraperWorker(QString databasePath, storage::MetricWriter &writer, const Clock &clock)
        : m_path(std::move(databasePath)), m_writer(writer), m_clock(clock), m_repository(clock)
    {}

    // Before start(), from the owner's thread.
    void setAutomation(std::shared_ptr<automation::AutomationEngine> engine)
    {
        m_automation = std::move(engine);
    }

    void start()
    {
        m_network = new QNetworkAccessManager(this);
        m_started = true;
        reload();
    }

    void reloadIfStarted()
    {
        if (m_started)
            reload();
    }

Q_SIGNALS:
    void stateChanged(const QString &sourceId, model::SourceState state, const QString &reason);
    void sourcesRead(int enabled);

private:
    void reload()
    {
        if (!m_repository.isOpen()) {
            if (auto opened = m_repository.open(m_path); !opened) {
                qCWarning(lcSources) << "cannot open the database:" << opened.errorMessage();
                return;
            }
        }
        auto list = m_repository.sources().list();
        if (!list)
            return;
        QSet<QString> wanted;
        for (const model::Source &s : *list) {
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
                (*it)->llama = LlamaSession();
                (*it)->propsAtLastSample.reset();
                (*it)->prom = PromSession();
                (*it)->keyState = Run::Key::Unread;
                (*it)->apiKey.clear();
            } else {
                (*it)->source = s; // what the user answered or the executor learnt since
            }
        }
        for (auto it = m_runs.begin(); it != m_runs.end();) {
            if (!wanted.contains(it.key())) {
                (*it)->timer->stop();
                (*it)->timer->deleteLater();
                (*it)->timer = nullptr; // a scrape still in flight must not schedule the next one
                it = m_runs.erase(it);
            } else {
                ++it;
            }
        }
        qCDebug(lcSources) << "sources read:" << m_runs.size() << "enabled";
        Q_EMIT sourcesRead(int(m_runs.size()));
    }

    static int timeoutFor(const std::shared_ptr<Run> &run)
    {
        return std::clamp(run->source.intervalMs * 2, 1000, 10'000);
    }

    QNetworkRequest requestFor(const std::shared_ptr<Run> &run, const QString &path) const
    {
        QNetworkRequest request(QUrl(run->source.baseUrl + path));
        request.setTransferTimeout(timeoutFor(run));
        if (!run->apiKey.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + run->apiKey.toUtf8());
        return request;
    }

    // Hands `done` the body of a 200, or the reason there was none; `headers` sees the reply first.
    void whenFinished(QNetworkReply *reply, const std::shared_ptr<Run> &run, const QString &path,
                      std::function<void(QByteArray, QString)> done,
                      std::function<void(const QNetworkReply &)> headers = {})
    {
        connect(reply, &QNetworkReply::finished, this,
                [reply, run, path, done = std::move(done), headers = std::move(headers)] {
                    reply->deleteLater();
                    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    if (reply->error() != QNetworkReply::NoError || status != 200) {
                        if ((status == 401 || status == 403) && run->source.hasApiKey)
                            run->keyState = Run::Key::Unread; // read it again: it may have been replaced
                        done({}, describe(reply, path, run->source.hasApiKey, timeoutFor(run)));
                    } else {
                        if (headers)
                            headers(*reply);
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
             std::function<void(QByteArray, QString)> done,
             std::function<void(const QNetworkReply &)> headers = {})
    {
        QNetworkRequest request = requestFor(run, path);
        // Never to another origin: the key must not follow a redirect elsewhere.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::SameOriginRedirectPolicy);
        whenFinished(m_network->get(request), run, path, std::move(done), std::move(headers));
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
        const model::Engine engine = run->source.engine;
        if (engine == model::Engine::Vllm || engine == model::Engine::Sglang)
            return scrapeMetrics(run);
        if (engine == model::Engine::Ollama)
            return scrapeOllama(run);
        if (engine != model::Engine::LlamaCpp) {
            finish(run, QStringLiteral("this version cannot read %1 servers").arg(model::name(engine)), {});
            return;
        }
        run->busy = true;
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        auto scraped = std::make_shared<LlamaScrape>();
        // props (once) → slots → metrics (if enabled) → models (once) → sample; after a restart props and
        // models are read again first, since the server may have come back with other flags.
        const auto compose = [this, run, scraped, timer](bool restarted) {
            scraped->modelBytes = run->modelBytes > 0 ? std::optional<qint64>(run->modelBytes) : std::nullopt;
            const qint64 now = m_clock.nowMs();
            if (restarted)
                recordRestart(run, now); // first: a restart with other slots forgets the user's answer
            run->propsAtLastSample = run->props;
            const Mapping mapping = mappingFor(run->source.projectId);
            const KvLayout answered = run->source.kvLayout;
            const LlamaCapacity capacity =
                llamaCapacity(scraped->slots, answered, mapping.described, mapping.bytesPerToken);
            qCDebug(lcSources) << run->source.baseUrl << "cache layout" << model::name(capacity.layout)
                               << "pool" << capacity.tokens.value_or(-1)
                               << "tokens; described:" << mapping.described.has_value()
                               << "answered:" << model::name(answered)
                               << "notices:" << capacity.notices.size();
            model::MetricSample sample =
                run->llama.sample(run->source.projectId, now, *scraped, capacity, mapping.bytesPerToken);
            sample.processedData = slotsJson(scraped->slots, now, run->llama.idleSince(), capacity.layout);
            QList<Notice> notices = capacity.notices;
            if (run->source.eraseRefusedAtMs)
                notices << Notice{QLatin1String(notice::kEraseRefused),
                                  {{QStringLiteral("at"), double(*run->source.eraseRefusedAtMs)}}};
            if (run->source.restartedAtMs &&
                (!mapping.runtimeUpdatedAtMs || *mapping.runtimeUpdatedAtMs < *run->source.restartedAtMs))
                notices << Notice{QLatin1String(notice::kRestarted),
                                  {{QStringLiteral("at"), double(*run->source.restartedAtMs)},
                                   {QStringLiteral("changes"), run->source.restartChanges}}};
            finish(run, {}, sample, timer->elapsed(), mapping.bytesPerToken == 0, notices, capacity.tokens);
        };
        const auto afterModels = [this, run, scraped, compose] {
            if (!run->llama.restarted(*scraped))
                return compose(false);
            // Read what the new process is before describing it.
            fetchProps(run, [this, run, compose] {
                run->modelBytes = -1;
                fetchModelBytes(run, [compose] { compose(true); });
            });
        };
        const auto afterMetrics = [this, run, afterModels] {
            if (run->modelBytes >= 0)
                return afterModels();
            fetchModelBytes(run, afterModels);
        };
        const auto afterSlots = [this, run, scraped, afterMetrics] {
            if (!run->props || !run->props->metricsEndpoint)
                return afterMetrics();
            get(
                run, QStringLiteral("/metrics"),
                [this, run, scraped, afterMetrics](const QByteArray &body, const QString &error) {
                    if (!error.isEmpty())
                        return finish(run, error, {});
                    auto parsed = parsePrometheusText(body);
                    if (!parsed)
                        return finish(run, QStringLiteral("/metrics: %1").arg(parsed.errorMessage()), {});
                    scraped->metrics = std::move(parsed).value();
                    afterMetrics();
                },
                [scraped](const QNetworkReply &reply) {
                    scraped->processStart = reply.rawHeader("Process-Start-Time-Unix");
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
        fetchProps(run, slots);
    }

    // /props: what the server is (slots, context per slot, whether /metrics is on); a reply that is not
    // llama-server's ends the scrape.
    void fetchProps(const std::shared_ptr<Run> &run, std::function<void()> then)
    {
        get(run, QStringLiteral("/props"),
            [this, run, then = std::move(then)](const QByteArray &body, const QString &error) {
                if (!error.isEmpty())
                    return finish(run, error, {});
                auto props = parseLlamaProps(body);
                if (!props)
                    return finish(run, props.errorMessage(), {});
                run->props = *props;
                then();
            });
    }

    // /v1/models' meta.size: the model file's bytes (0 when the server does not say).
    void fetchModelBytes(const std::shared_ptr<Run> &run, std::function<void()> then)
    {
        get(run, QStringLiteral("/v1/models"),
            [run, then = std::move(then)](const QByteArray &body, const QString &) {
                const QJsonArray data =
                    QJsonDocument::fromJson(body).object().value(QLatin1String("data")).toArray();
                run->modelBytes = data.isEmpty() ? 0
                                                 : qint64(data.first()
                                                              .toObject()
                                                              .value(QLatin1String("meta"))
                                                              .toObject()
                                                              .value(QLatin1String("size"))
                                                              .toDouble());
                then();
            });
    }

    // A restart is kept with the source: when it was seen, what it changed (the layout the user
    // described no longer holds if the slots changed), and an erase refused before may work now.
    void recordRestart(const std::shared_ptr<Run> &run, qint64 atMs)
    {
        QStringList changes;
        const std::optional<LlamaProps> &before = run->propsAtLastSample;
        if (before && run->props)
            changes = llamaPropsChanges(*before, *run->props);
        const bool slotsChanged = before && run->props &&
                                  (before->totalSlots != run->props->totalSlots ||
                                   before->contextPerSlot != run->props->contextPerSlot);
        const QString text = changes.join(QStringLiteral(", "));
        qCInfo(lcSources) << run->source.baseUrl << "restarted" << text;
        const auto recorded = storage::writeThrough(m_writer.writes(), [&](storage::Repository &w) {
            return w.sources().recordRestart(run->source.id, atMs, text, slotsChanged);
        });
        if (!recorded)
            qCWarning(lcSources) << recorded.errorMessage();
        run->source.restartedAtMs = atMs;
        run->source.restartChanges = text;
        run->source.eraseRefusedAtMs.reset();
        if (slotsChanged)
            run->source.kvLayout = KvLayout::Unknown;
    }

    struct Mapping
    {
        qint64 bytesPerToken = 0;
        std::optional<DescribedLlama> described; // when the runtime says llama.cpp
        std::optional<qint64> runtimeUpdatedAtMs;
        std::optional<model::CacheType> vllmCacheType; // the K cache type, when the runtime says vLLM
    };

    // Bytes per token, and llama-server as the project's runtime describes it, when it does.
    Mapping mappingFor(const QString &projectId)
    {
        Mapping mapping;
        auto runtime = m_repository.runtimes().get(projectId);
        if (!runtime || !runtime->has_value())
            return mapping;
        mapping.runtimeUpdatedAtMs = (*runtime)->updatedAtMs;
        if ((*runtime)->engine == model::Engine::Vllm)
            mapping.vllmCacheType = (*runtime)->cacheTypeK;
        auto input = analysis::analysisInput(**runtime);
        if (!input)
            return mapping;
        auto e = analysis::estimateKv(input->model, input->config);
        if (!e)
            return mapping;
        mapping.bytesPerToken = e->bytesPerToken;
        if (input->config.engine == analysis::Engine::LlamaCpp) {
            DescribedLlama d;
            d.slots = input->config.parallel;
            d.slotContext = e->contextPerSequence;
            d.unified = input->config.unified;
            d.allocatedBytes = e->kBytes + e->vBytes;
            d.bytesPerToken = e->bytesPerToken;
            d.flags = QStringLiteral("-c %1 -np %2%3")
                          .arg(input->config.context)
                          .arg(input->config.parallel)
                          .arg(input->config.unified ? QStringLiteral(" --kv-unified") : QString());
            mapping.described = d;
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
            showNext(run, std::make_shared<QList<OllamaModel>>(std::move(models).value()), 0, timer);
        });
    }

    // Each loaded model's architecture, asked once per model (a remote model has none).
    void showNext(const std::shared_ptr<Run> &run, const std::shared_ptr<QList<OllamaModel>> &loaded,
                  int index, const std::shared_ptr<QElapsedTimer> &timer)
    {
        while (index < loaded->size() && run->ollamaArchs.contains((*loaded)[index].name))
            ++index;
        if (index >= loaded->size()) {
            // Parallel requests and the cache type come from the project's runtime when it runs on Ollama.
            int parallel = 1;
            analysis::CacheType type = analysis::CacheType::F16;
            if (auto runtime = m_repository.runtimes().get(run->source.projectId);
                runtime && runtime->has_value()) {
                if (auto input = analysis::analysisInput(**runtime);
                    input && input->config.engine == analysis::Engine::Ollama) {
                    parallel = input->config.parallel;
                    type = input->config.typeK;
                }
            }
            QList<OllamaLoaded> estimated;
            bool unknown = false;
            for (const OllamaModel &m : std::as_const(*loaded)) {
                const auto arch = run->ollamaArchs.value(m.name);
                std::optional<qint64> kvBytes;
                if (arch && m.contextLength > 0) {
                    if (auto bytes = analysis::ollamaKvBytes(*arch, m.contextLength, parallel, type))
                        kvBytes = *bytes;
                }
                unknown = unknown || !arch;
                estimated << OllamaLoaded{m, kvBytes};
            }
            finish(run, {}, ollamaSample(run->source.projectId, m_clock.nowMs(), estimated), timer->elapsed(),
                   unknown);
            return;
        }
        const QString name = (*loaded)[index].name;
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("model"), name}}).toJson(QJsonDocument::Compact);
        post(run, QStringLiteral("/api/show"), body,
             [this, run, loaded, index, timer, name](const QByteArray &reply, const QString &) {
                 if (auto arch = analysis::modelFromOllamaShow(reply)) {
                     run->ollamaArchs.insert(name, *arch);
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
                const bool vllm = run->source.engine == model::Engine::Vllm;
                const QString prefix = vllm ? QStringLiteral("vllm:") : QStringLiteral("sglang:");
                const bool recognised =
                    std::any_of(parsed->families.begin(), parsed->families.end(),
                                [&prefix](const PromFamily &f) { return f.name.startsWith(prefix); });
                if (!recognised)
                    return finish(
                        run,
                        QStringLiteral("/metrics has no %1 metrics: not a %2 server (or its metrics are off)")
                            .arg(prefix, model::name(run->source.engine)),
                        {});
                const Mapping mapping = mappingFor(run->source.projectId);
                const model::MetricSample sample =
                    vllm ? vllmSample(run->source.projectId, m_clock.nowMs(), *parsed, mapping.bytesPerToken,
                                      run->prom)
                         : sglangSample(run->source.projectId, m_clock.nowMs(), *parsed,
                                        mapping.bytesPerToken, run->prom);
                finish(run, {}, sample, timer->elapsed(), mapping.bytesPerToken == 0,
                       vllm ? vllmCacheTypeNotices(*parsed, mapping) : QList<Notice>());
            });
    }

    // vLLM names its KV cache type in cache_config_info; "auto" is the model's own dtype.
    static QList<Notice> vllmCacheTypeNotices(const Exposition &m, const Mapping &mapping)
    {
        const auto info = m.samples(QStringLiteral("vllm:cache_config_info"));
        if (info.isEmpty() || !mapping.vllmCacheType)
            return {};
        const QString reported = info.first()->label(QStringLiteral("cache_dtype"));
        const QString described = model::name(*mapping.vllmCacheType);
        const bool quantizedReported = reported.startsWith(QLatin1String("fp8")); // fp8, fp8_e4m3, fp8_inc …
        const bool quantizedDescribed = *mapping.vllmCacheType == model::CacheType::Fp8;
        if (reported.isEmpty() || quantizedReported == quantizedDescribed)
            return {};
        return {Notice{QLatin1String(notice::kCacheTypeMismatch),
                       {{QStringLiteral("reported"), reported}, {QStringLiteral("described"), described}}}};
    }

    void finish(const std::shared_ptr<Run> &run, const QString &error,
                const std::optional<model::MetricSample> &sample, qint64 latencyMs = -1,
                bool bytesUnknown = false, const QList<Notice> &notices = {},
                std::optional<qint64> capacityTokens = std::nullopt)
    {
        run->busy = false;
        const qint64 now = m_clock.nowMs();
        model::SourceState state = model::SourceState::Up;
        QString reason = error;
        if (!error.isEmpty()) {
            qCDebug(lcSources) << run->source.baseUrl << "scrape failed:" << error << "(failure"
                               << run->failures + 1 << "in a row)";
            state = model::SourceState::Down;
            ++run->failures;
            run->props.reset(); // it may come back as another build
        } else if (sample) {
            run->failures = 0;
            if (bytesUnknown)
                reason =
                    QStringLiteral("KV in bytes needs the project's model (Settings → Engine and model)");
        }
        // What was learnt is kept before the sample is handed on, so an action it triggers sees the same
        // server (the pool's size); a server that does not answer keeps what was last learnt of it.
        const QByteArray noticeJson = sample ? noticesJson(notices) : run->source.noticesJson;
        if (sample) {
            run->source.noticesJson = noticeJson;
            run->source.capacityTokens = capacityTokens;
        }
        m_writer.recordSourceState({run->source.id, state, reason, now,
                                    latencyMs >= 0 ? std::optional<qint64>(latencyMs) : std::nullopt,
                                    noticeJson, run->source.capacityTokens});
        if (sample) {
            // Once committed, the sample goes through the project's automation (writer thread, as pushes do).
            m_writer.submit({*sample}, [automation = m_automation,
                                        committed = *sample](const storage::WriteOutcome &outcome) {
                if (outcome.ok() && automation)
                    automation->samplesCommitted(committed.projectId, {committed});
            });
        }
        if (state != run->lastState || reason != run->lastReason) {
            run->lastState = state;
            run->lastReason = reason;
            Q_EMIT stateChanged(run->source.id, state, reason);
        }
        // Back off exponentially while the server does not answer.
        const qint64 delay =
            std::min<qint64>(kMaxBackoffMs, qint64(run->source.intervalMs) << std::min(run->failures, 8));
        if (run->timer) // null: the source was disabled or removed while this scrape was under way
            run->timer->start(int(delay));
    }

    QString m_path;
    storage::MetricWriter &m_writer;
    const Clock &m_clock;
    storage::Repository m_repository;
    QNetworkAccessManager *m_network = nullptr;
    bool m_started = false;
    QHash<QString, std::shared_ptr<Run>> m_runs;
    std::shared_ptr<automation::AutomationEngine> m_automation;
};

SourceScraper::SourceScraper(const QString &databasePath, storage::MetricWriter &writer, const Clock &clock,
                             QObject *parent)
    : QObject(parent), m_thread(new QThread), m_worker(new ScraperWorker(databasePath, writer, clock))
{
    m_thread->setObjectName(QStringLiteral("cachewise-sources"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ScraperWorker::stateChanged, this, &SourceScraper::stateChanged);
    connect(m_worker, &ScraperWorker::sourcesRead, this, &SourceScraper::sourcesRead);
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

void SourceScraper::reload()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->reloadIfStarted(); }, Qt::QueuedConnection);
}

} // namespace cachewise::services

#include "scraper.moc"
