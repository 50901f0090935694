// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace cachewise::analysis {

struct GgufHeader;

// Built-in architectures of popular models; each row names the config it was taken from.
const QList<ModelArch> &modelPresets();
// Case-insensitive; also accepts the display name.
std::optional<ModelArch> findPreset(const QString &idOrName);

// A Hugging Face config.json (text models; multimodal configs with a text_config are read through
// it). Errors name the missing or invalid field.
Result<ModelArch> modelFromHfConfig(const QByteArray &json, const QString &source = {});
Result<ModelArch> modelFromHfConfigFile(const QString &path);

// A GGUF header's hyper-parameters, as llama.cpp reads them (src/llama-model.cpp).
Result<ModelArch> modelFromGguf(const GgufHeader &header, const QString &source = {});
Result<ModelArch> modelFromGgufFile(const QString &path);
// The architecture from Ollama's POST /api/show model_info (the model's GGUF keys), read as a GGUF
// header is.
Result<ModelArch> modelFromOllamaShow(const QByteArray &json);

// Compact JSON of an architecture, for storing a project's model and reading it back.
QByteArray modelToJson(const ModelArch &model);
Result<ModelArch> modelFromJson(const QByteArray &json);

} // namespace cachewise::analysis
