// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/analysis/kvjson.h"

#include <QJsonArray>

namespace cachewise::analysis {

QString layerKindId(LayerKind kind)
{
    switch (kind) {
    case LayerKind::Full: return QStringLiteral("full");
    case LayerKind::SlidingWindow: return QStringLiteral("sliding");
    case LayerKind::Latent: return QStringLiteral("latent");
    case LayerKind::Recurrent: return QStringLiteral("recurrent");
    }
    return QStringLiteral("full");
}

QJsonObject modelSummaryJson(const ModelArch &model)
{
    int sliding = 0;
    int recurrent = 0;
    for (const LayerSpec &l : model.layers) {
        sliding += l.kind == LayerKind::SlidingWindow;
        recurrent += l.kind == LayerKind::Recurrent;
    }
    const LayerSpec first = model.layers.isEmpty() ? LayerSpec{} : model.layers.first();
    QJsonObject o{{QStringLiteral("id"), model.id},
                  {QStringLiteral("name"), model.displayName},
                  {QStringLiteral("family"), model.family},
                  {QStringLiteral("parametersBillions"), model.parametersBillions},
                  {QStringLiteral("layers"), model.layerCount()},
                  {QStringLiteral("slidingLayers"), sliding},
                  {QStringLiteral("recurrentLayers"), recurrent},
                  {QStringLiteral("trainingContext"), double(model.trainingContext)},
                  {QStringLiteral("attentionSinks"), model.attentionSinks},
                  {QStringLiteral("source"), model.source}};
    if (first.kind == LayerKind::Latent)
        o[QStringLiteral("latentDim")] = first.latentDim;
    for (const LayerSpec &l : model.layers) {
        if (l.kvHeads > 0) {
            o[QStringLiteral("kvHeads")] = l.kvHeads;
            o[QStringLiteral("headDim")] = l.headDimK;
            break;
        }
    }
    return o;
}

QJsonObject kvEstimateJson(const ModelArch &model, const KvConfig &config, const KvEstimate &estimate)
{
    QJsonArray layers;
    for (const LayerAllocation &a : estimate.layers) {
        const LayerSpec &spec = model.layers.at(a.index);
        QJsonObject l{{QStringLiteral("index"), a.index},
                      {QStringLiteral("kind"), layerKindId(a.kind)},
                      {QStringLiteral("cells"), double(a.cells)},
                      {QStringLiteral("bytesPerToken"), double(a.bytesPerToken)},
                      {QStringLiteral("kBytes"), double(a.kBytes)},
                      {QStringLiteral("vBytes"), double(a.vBytes)},
                      {QStringLiteral("bytes"), double(a.kBytes + a.vBytes + a.stateBytes)}};
        if (spec.kvHeads > 0) {
            l[QStringLiteral("kvHeads")] = spec.kvHeads;
            l[QStringLiteral("headDimK")] = spec.headDimK;
            l[QStringLiteral("headDimV")] = spec.headDimV;
        }
        if (a.kind == LayerKind::SlidingWindow)
            l[QStringLiteral("window")] = spec.window;
        if (a.kind == LayerKind::Latent)
            l[QStringLiteral("latentDim")] = spec.latentDim;
        if (a.kind == LayerKind::Recurrent)
            l[QStringLiteral("stateBytes")] = double(a.stateBytes);
        layers.append(l);
    }
    const QJsonObject inputs{{QStringLiteral("engine"), model::name(config.engine)},
                             {QStringLiteral("context"), double(config.context)},
                             {QStringLiteral("parallel"), config.parallel},
                             {QStringLiteral("unified"), config.unified},
                             {QStringLiteral("swaFull"), config.swaFull},
                             {QStringLiteral("cacheTypeK"), QLatin1String(cacheTypeInfo(config.typeK).name)},
                             {QStringLiteral("cacheTypeV"), QLatin1String(cacheTypeInfo(config.typeV).name)}};
    QJsonArray lines;
    for (const QString &line : formatLlamaKvLines(estimate, config))
        lines.append(line);
    return QJsonObject{{QStringLiteral("model"), modelSummaryJson(model)},
                       {QStringLiteral("config"), inputs},
                       {QStringLiteral("bytesPerToken"), double(estimate.bytesPerToken)},
                       {QStringLiteral("contextPerSequence"), double(estimate.contextPerSequence)},
                       {QStringLiteral("cells"), double(estimate.cells)},
                       {QStringLiteral("streams"), estimate.streams},
                       {QStringLiteral("kBytes"), double(estimate.kBytes)},
                       {QStringLiteral("vBytes"), double(estimate.vBytes)},
                       {QStringLiteral("stateBytes"), double(estimate.stateBytes)},
                       {QStringLiteral("totalBytes"), double(estimate.totalBytes)},
                       {QStringLiteral("totalGiB"), double(estimate.totalBytes) / double(qint64(1) << 30)},
                       {QStringLiteral("llamaServerLog"), lines},
                       {QStringLiteral("layers"), layers}};
}

} // namespace cachewise::analysis
