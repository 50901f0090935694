// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/servers/modellibrary.h"

#include <QList>
#include <QStringList>

namespace cachewise {
class Clock;
}
namespace cachewise::storage {
class Repository;
}

namespace cachewise::services {

// The folders a scan with none given covers: the setting's, then (unless turned off) the usual places
// that exist on this machine.
struct LibraryFolders
{
    QStringList folders;      // scanned for .gguf files
    QStringList ollamaStores; // read through their manifests
};
Result<LibraryFolders> configuredLibraryFolders(storage::Repository &repository);

// What a scan found and stored.
struct LibraryScan
{
    LibraryFolders scanned;
    QStringList missing; // folders given that do not exist (nothing of theirs is forgotten)
    QList<servers::ModelFile> models;
    int headersRead = 0;
    QStringList roots; // what the stored scan is replaced under
    qint64 seenAtMs = 0;
};

// Reads what `folders` hold (only the headers of files that changed since the stored scan); stores nothing.
Result<LibraryScan> readLibrary(storage::Repository &repository, const Clock &clock,
                                const LibraryFolders &folders);
// Stores a scan in place of what was stored under its folders.
Result<void> storeLibraryScan(storage::Repository &repository, const LibraryScan &scan);

// Scans `folders` (a folder holding manifests/ and blobs/ is read as an Ollama store), reading only the
// headers of files that changed since the stored scan, and stores what it found in their place.
Result<LibraryScan> scanLibrary(storage::Repository &repository, const Clock &clock,
                                const LibraryFolders &folders);

// Every model the stored scans found, by name.
Result<QList<servers::ModelFile>> storedModels(storage::Repository &repository);

} // namespace cachewise::services
