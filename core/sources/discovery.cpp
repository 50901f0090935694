// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sources/discovery.h"

#include "core/sources/llamaserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>
#include <optional>

namespace cachewise::sources {

namespace {

const QString kLmStudio = QStringLiteral("LM Studio");

// LM Studio's model list (REST API v0): the loaded models (empty when none is), or nullopt when the body
// is not that list.
std::optional<QString> lmStudioModels(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.value(QLatin1String("object")).toString() != QLatin1String("list") ||
        !o.value(QLatin1String("data")).isArray())
        return std::nullopt;
    QStringList loaded;
    for (const QJsonValue &v : o.value(QLatin1String("data")).toArray()) {
        const QJsonObject m = v.toObject();
        if (!m.contains(QLatin1String("state")) || !m.value(QLatin1String("id")).isString())
            return std::nullopt; // an OpenAI-style list from another server
        if (m.value(QLatin1String("state")).toString() == QLatin1String("loaded"))
            loaded << m.value(QLatin1String("id")).toString();
    }
    return loaded.join(QStringLiteral(", "));
}

} // namespace

QString serverName(const ProbeTarget &target)
{
    return target.lmStudio ? kLmStudio : model::name(target.engine);
}

QString serverName(const FoundServer &server)
{
    return server.lmStudio ? kLmStudio : model::name(server.engine);
}

QList<ProbeTarget> defaultProbeTargets()
{
    return {{8080, model::Engine::LlamaCpp}, {9931, model::Engine::LlamaCpp},
            {8000, model::Engine::Vllm},     {30000, model::Engine::Sglang},
            {11434, model::Engine::Ollama},  {1234, model::Engine::Generic, true}};
}

Result<QList<ProbeTarget>> probeTargets()
{
    const QString custom = qEnvironmentVariable("CACHEWISE_DISCOVER_PORTS");
    if (custom.isEmpty())
        return defaultProbeTargets();
    QList<ProbeTarget> targets;
    for (const QString &item : custom.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList parts = item.split(QLatin1Char(':'));
        bool ok = false;
        const uint port = parts.value(0).toUInt(&ok);
        const bool lmStudio = parts.value(1) == QLatin1String("lmstudio");
        const auto engine =
            lmStudio ? std::optional(model::Engine::Generic) : model::parseEngine(parts.value(1));
        if (!ok || port == 0 || port > 65535 || parts.size() != 2 || !engine ||
            (*engine == model::Engine::Generic && !lmStudio))
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("CACHEWISE_DISCOVER_PORTS wants PORT:ENGINE,… with ENGINE one of "
                                            "llama.cpp, vllm, sglang, ollama, lmstudio (got '%1')")
                                 .arg(item));
        targets << ProbeTarget{quint16(port), *engine, lmStudio};
    }
    return targets;
}

Discovery::Discovery(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this)) {}

void Discovery::start(const QList<ProbeTarget> &targets, int timeoutMs)
{
    m_found.clear();
    m_pending = int(targets.size());
    if (m_pending == 0) {
        done();
        return;
    }
    for (const ProbeTarget &t : targets) {
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(t.port);
        const QString path = t.lmStudio                            ? QStringLiteral("/api/v0/models")
                             : t.engine == model::Engine::LlamaCpp ? QStringLiteral("/props")
                             : t.engine == model::Engine::Vllm     ? QStringLiteral("/version")
                             : t.engine == model::Engine::Sglang   ? QStringLiteral("/get_server_info")
                                                                   : QStringLiteral("/api/version");
        QNetworkRequest request{QUrl(base + path)};
        request.setTransferTimeout(timeoutMs);
        QNetworkReply *reply = m_network->get(request);
        connect(reply, &QNetworkReply::finished, this, [this, reply, t, base] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray body = reply->readAll();
            const QJsonObject o = QJsonDocument::fromJson(body).object();
            const bool llamaRefusal =
                status == 401 &&
                o.value(QLatin1String("error")).toObject().value(QLatin1String("type")).toString() ==
                    QLatin1String("authentication_error");
            if (t.engine == model::Engine::LlamaCpp && llamaRefusal) {
                FoundServer f{t.engine, base, QStringLiteral("needs an API key (started with --api-key)")};
                f.needsApiKey = true;
                m_found << f;
            } else if (status == 200) {
                if (t.lmStudio) {
                    if (const auto models = lmStudioModels(body)) {
                        FoundServer f{t.engine, base, *models};
                        f.lmStudio = true;
                        m_found << f;
                    }
                } else if (t.engine == model::Engine::LlamaCpp) {
                    if (auto props = parseLlamaProps(body))
                        m_found << FoundServer{t.engine, base, props->modelPath};
                } else if (t.engine == model::Engine::Sglang) {
                    if (o.contains(QLatin1String("model_path")) || o.contains(QLatin1String("version")))
                        m_found << FoundServer{t.engine, base,
                                               o.value(QLatin1String("model_path")).toString()};
                } else if (o.value(QLatin1String("version")).isString()) {
                    m_found << FoundServer{t.engine, base, o.value(QLatin1String("version")).toString()};
                }
            }
            if (--m_pending == 0)
                done();
        });
    }
}

void Discovery::done()
{
    std::sort(m_found.begin(), m_found.end(),
              [](const FoundServer &a, const FoundServer &b) { return a.url < b.url; });
    Q_EMIT finished(m_found);
}

} // namespace cachewise::sources
