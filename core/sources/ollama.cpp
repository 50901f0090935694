// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sources/ollama.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace cachewise::sources {

Result<QList<OllamaModel>> parseOllamaPs(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject() || !doc.object().value(QLatin1String("models")).isArray())
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("/api/ps is not Ollama's list of loaded models"));
    QList<OllamaModel> out;
    for (const QJsonValue &v : doc.object().value(QLatin1String("models")).toArray()) {
        const QJsonObject o = v.toObject();
        OllamaModel m;
        m.name = o.value(QLatin1String("name")).toString(o.value(QLatin1String("model")).toString());
        if (m.name.isEmpty())
            return makeError(ErrorKind::BadInput, QStringLiteral("a model in /api/ps has no name"));
        m.sizeBytes = qint64(o.value(QLatin1String("size")).toDouble());
        m.vramBytes = qint64(o.value(QLatin1String("size_vram")).toDouble());
        m.contextLength = qint64(o.value(QLatin1String("context_length")).toDouble());
        m.expiresAt = o.value(QLatin1String("expires_at")).toString();
        out << m;
    }
    return out;
}

model::MetricSample ollamaSample(const QString &projectId, qint64 nowMs, const QList<OllamaLoaded> &loaded)
{
    using model::Metric;
    model::MetricSample s;
    s.projectId = projectId;
    s.timestampMs = nowMs;
    double kvBytes = 0;
    bool kvKnown = true; // every loaded model's KV estimated (none loaded: truly 0)
    double memory = 0;
    QJsonArray models;
    for (const OllamaLoaded &l : loaded) {
        memory += double(l.model.sizeBytes);
        QJsonObject o{{QStringLiteral("name"), l.model.name},
                      {QStringLiteral("sizeBytes"), double(l.model.sizeBytes)},
                      {QStringLiteral("vramBytes"), double(l.model.vramBytes)},
                      {QStringLiteral("contextLength"), double(l.model.contextLength)},
                      {QStringLiteral("expiresAt"), l.model.expiresAt}};
        if (l.kvBytes) {
            kvBytes += double(*l.kvBytes);
            o.insert(QStringLiteral("kvBytes"), double(*l.kvBytes));
        } else {
            kvKnown = false;
        }
        models.append(o);
    }
    if (kvKnown) {
        s.setValue(Metric::KvCacheSizeKB, std::round(kvBytes / 1024.0));
        s.setValue(Metric::KvCacheCapacityKB, std::round(kvBytes / 1024.0));
    }
    s.setValue(Metric::MemoryUsageGB, memory / 1e9);
    // Ollama reports no token counts or timings on its API: those stay out of the sample.
    s.processedData =
        QJsonDocument(QJsonObject{{QStringLiteral("models"), models}}).toJson(QJsonDocument::Compact);
    return s;
}

} // namespace cachewise::sources
