// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"

#include <QJsonObject>

namespace cachewise::analysis {

QString layerKindId(LayerKind kind); // "full", "sliding", "latent", "recurrent"

// The model summary `cachewise-cli model list --json` prints.
QJsonObject modelSummaryJson(const ModelArch &model);
// An estimate with its inputs and the per-layer breakdown (`cachewise-cli kv --json`).
QJsonObject kvEstimateJson(const ModelArch &model, const KvConfig &config, const KvEstimate &estimate);

} // namespace cachewise::analysis
