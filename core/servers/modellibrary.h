// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise::servers {

// A model found on disk: one .gguf file, or the parts of a split one ("name-00001-of-00003.gguf")
// counted as one model. What its header says, or why it could not be read.
struct ModelFile
{
    QString name;      // the file's name (a split model's without "-00001-of-00003"); Ollama: "name:tag"
    QString path;      // the file, or a split model's first part (what llama-server's -m takes)
    QStringList parts; // every part, in order (one for a whole file)
    qint64 sizeBytes = 0;
    qint64 modifiedMs = 0;                    // the newest part's
    std::optional<analysis::ModelArch> model; // from the header; empty when it could not be read
    std::optional<qint64> fileType;           // general.file_type (llama.cpp's LLAMA_FTYPE), when given
    std::optional<qint64> kvBytesPerToken;    // every layer's K and V of one token at f16
    QString problem;                          // why there is no model: a corrupt header, a missing part
};

// What a scan found, and how many headers it had to read (the others came from what it was given).
struct ModelScan
{
    QList<ModelFile> models;
    int headersRead = 0;
};

// Every .gguf file under `folders` (sub-folders too, symbolic links not followed), split parts grouped.
// Only headers are read, and only for files whose path, size and modification time differ from what
// `known` holds (the last scan's result, by path). A file that cannot be read is listed with its problem.
ModelScan scanModels(const QStringList &folders, const QHash<QString, ModelFile> &known = {});

// The models of an Ollama store (`OLLAMA_MODELS`, or ~/.ollama/models): each manifest under
// manifests/ names its model layer, a GGUF blob under blobs/ (sha256:X is stored as sha256-X). Tags of one
// blob are one model, named by them all ("llama3.2:3b, llama3.2:latest"). A manifest that cannot be read or
// whose blob is missing is listed with its problem, under the manifest's path.
ModelScan scanOllamaStore(const QString &storeFolder, const QHash<QString, ModelFile> &known = {});

// Where models usually are on this machine, those that exist: LM Studio's folders (~/.lmstudio/models,
// ~/.cache/lm-studio/models), llama.cpp's download cache ($LLAMA_CACHE, else the system cache folder's
// llama.cpp), and, apart, Ollama's stores ($OLLAMA_MODELS, ~/.ollama/models, and the Linux service's
// /usr/share/ollama/.ollama/models).
struct UsualModelFolders
{
    QStringList folders;
    QStringList ollamaStores;
};
UsualModelFolders usualModelFolders();

// llama.cpp's name of a general.file_type (LLAMA_FTYPE_MOSTLY_Q4_K_M is "Q4_K_M"); empty when unknown.
QString fileTypeName(qint64 fileType);

// What `models list --json` prints of a model: what its header says and, when `at` is given, the KV cache
// llama-server would allocate for it with that context and those slots.
QJsonObject modelFileJson(const ModelFile &model, const analysis::KvConfig *at = nullptr);

// The header facts a list shows: the first attention layer's KV heads and head size (K), or nothing.
struct AttentionShape
{
    int kvHeads = 0;
    int headSize = 0;
};
std::optional<AttentionShape> attentionShape(const analysis::ModelArch &model);

} // namespace cachewise::servers
