// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise::servers {

// A model found on disk: one .gguf file, or the parts of a split one ("name-00001-of-00003.gguf")
// counted as one model. What its header says, or why it could not be read.
struct ModelFile
{
    QString path;      // the file, or a split model's first part
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

} // namespace cachewise::servers
