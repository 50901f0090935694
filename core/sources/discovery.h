// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/enums.h"

#include <QList>
#include <QObject>
#include <QString>

class QNetworkAccessManager;

namespace cachewise::sources {

struct FoundServer
{
    model::Engine engine = model::Engine::LlamaCpp;
    QString url;              // base URL, e.g. http://127.0.0.1:8080
    QString detail;           // model or version, as the server says (LM Studio: its loaded models)
    bool needsApiKey = false; // answered 401 as llama-server started with --api-key does
    // LM Studio: found and named, not readable (it has no metrics endpoint; `engine` is Generic).
    bool lmStudio = false;
};

struct ProbeTarget
{
    quint16 port = 0;
    model::Engine engine = model::Engine::LlamaCpp; // what usually listens there
    bool lmStudio = false;                          // LM Studio's server (engine Generic)
};

// What listens, as people call it: "LM Studio", or the engine's name.
QString serverName(const ProbeTarget &target);
QString serverName(const FoundServer &server);

// The usual local ports: llama-server 8080 and 9931, vLLM 8000, SGLang 30000, Ollama 11434, LM Studio
// 1234 — or, when CACHEWISE_DISCOVER_PORTS is set (PORT:ENGINE,… with ENGINE also "lmstudio"), those
// (unusual setups, tests); an error if it is malformed.
Result<QList<ProbeTarget>> probeTargets();
QList<ProbeTarget> defaultProbeTargets();

// Probes loopback ports for inference servers, all at once and without blocking: each port gets the
// request that identifies its engine (llama-server /props with total_slots, vLLM /version, SGLang
// /get_server_info, Ollama /api/version, LM Studio /api/v0/models with each model's state). `finished` lists
// what answered as expected, and a llama-server that refused with its own 401 (started with --api-key),
// marked as needing a key.
class Discovery final : public QObject
{
    Q_OBJECT

public:
    explicit Discovery(QObject *parent = nullptr);
    void start(const QList<ProbeTarget> &targets, int timeoutMs = 1500);

Q_SIGNALS:
    void finished(const QList<cachewise::sources::FoundServer> &found);

private:
    void done();

    QNetworkAccessManager *m_network;
    QList<FoundServer> m_found;
    int m_pending = 0;
};

} // namespace cachewise::sources
