// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"
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

// The architecture from POST /api/show's model_info (the model's GGUF keys), read as the GGUF reader
// reads a file header.
Result<analysis::ModelArch> modelFromOllamaShow(const QByteArray &json);

struct OllamaLoaded
{
    OllamaModel model;
    std::optional<analysis::ModelArch> arch; // when /api/show answered
};

// Ollama has no KV metrics: the KV each loaded model allocated is estimated with the memory model
// (num_ctx × OLLAMA_NUM_PARALLEL cells, the cache type as configured), and reported as the KV size (it is
// allocated up front; left out when a loaded model's architecture or context is unknown); memory = what
// /api/ps says the models take. Tokens and timings are not on Ollama's API and are left out. The loaded
// models go to processedData.
model::MetricSample ollamaSample(const QString &projectId, qint64 nowMs, const QList<OllamaLoaded> &loaded,
                                 int parallel, analysis::CacheType cacheType);

} // namespace cachewise::sources
