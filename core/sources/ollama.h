// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/metric.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace cachewise::sources {

// One model Ollama has loaded (GET /api/ps).
struct OllamaModel
{
    QString name;
    qint64 sizeBytes = 0;     // everything it takes, KV included
    qint64 vramBytes = 0;     // the part on the GPU
    qint64 contextLength = 0; // num_ctx per request (0 on servers before July 2025)
    QString expiresAt;
};

Result<QList<OllamaModel>> parseOllamaPs(const QByteArray &json);

struct OllamaLoaded
{
    OllamaModel model;
    std::optional<qint64> kvBytes; // what the KV model says it allocated (analysis::ollamaKvBytes)
};

// Ollama has no KV metrics: the KV each loaded model allocated, as estimated by the caller, is reported
// as the KV size (it is allocated up front; left out when any loaded model's estimate is unknown);
// memory = what /api/ps says the models take. Tokens and timings are not on Ollama's API and are left
// out. The loaded models go to processedData.
model::MetricSample ollamaSample(const QString &projectId, qint64 nowMs, const QList<OllamaLoaded> &loaded);

} // namespace cachewise::sources
