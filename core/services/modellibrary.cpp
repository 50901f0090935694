// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/modellibrary.h"

#include "core/analysis/modelcatalog.h"
#include "core/common/clock.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"

#include <QDir>
#include <QFileInfo>

namespace cachewise::services {
namespace {

servers::ModelFile fromEntry(const model::ModelFileEntry &e)
{
    servers::ModelFile m;
    m.name = e.name;
    m.path = e.path;
    m.parts = e.parts;
    m.sizeBytes = e.sizeBytes;
    m.modifiedMs = e.modifiedMs;
    m.fileType = e.fileType;
    m.kvBytesPerToken = e.kvBytesPerToken;
    m.problem = e.problem;
    if (!e.modelJson.isEmpty()) {
        if (auto arch = analysis::modelFromJson(e.modelJson))
            m.model = std::move(arch).value();
        else if (m.problem.isEmpty()) // stored by a version whose architecture this one cannot read
            m.modifiedMs = -1;        // so the next scan reads the header again
    }
    return m;
}

model::ModelFileEntry toEntry(const servers::ModelFile &m, qint64 seenAtMs)
{
    model::ModelFileEntry e;
    e.name = m.name;
    e.path = m.path;
    e.parts = m.parts;
    e.sizeBytes = m.sizeBytes;
    e.modifiedMs = m.modifiedMs;
    if (m.model)
        e.modelJson = analysis::modelToJson(*m.model);
    e.fileType = m.fileType;
    e.kvBytesPerToken = m.kvBytesPerToken;
    e.problem = m.problem;
    e.seenAtMs = seenAtMs;
    return e;
}

bool isOllamaStore(const QString &folder)
{
    return QFileInfo(folder + QStringLiteral("/manifests")).isDir() &&
           QFileInfo(folder + QStringLiteral("/blobs")).isDir();
}

} // namespace

Result<LibraryFolders> configuredLibraryFolders(storage::Repository &repository)
{
    auto chosen = repository.settings().value(storage::setting::ModelFolders);
    if (!chosen)
        return chosen.error();
    auto usual = repository.settings().integer(storage::setting::ModelUsualFolders);
    if (!usual)
        return usual.error();
    LibraryFolders folders;
    folders.folders = storage::modelFolders(chosen.value());
    if (usual.value() != 0) {
        const servers::UsualModelFolders found = servers::usualModelFolders();
        for (const QString &f : found.folders) {
            if (!folders.folders.contains(f))
                folders.folders << f;
        }
        folders.ollamaStores = found.ollamaStores;
    }
    return folders;
}

Result<LibraryScan> readLibrary(storage::Repository &repository, const Clock &clock,
                                const LibraryFolders &folders)
{
    auto stored = repository.modelFiles().list();
    if (!stored)
        return stored.error();
    QHash<QString, servers::ModelFile> known;
    for (const model::ModelFileEntry &e : stored.value())
        known.insert(e.path, fromEntry(e));

    LibraryScan scan;
    QStringList fileFolders;
    for (const QString &given : folders.folders) {
        const QString folder = QDir(given).absolutePath();
        if (!QFileInfo(folder).isDir())
            scan.missing << folder;
        else if (isOllamaStore(folder))
            scan.scanned.ollamaStores << folder;
        else
            fileFolders << folder;
    }
    for (const QString &given : folders.ollamaStores) {
        const QString store = QDir(given).absolutePath();
        if (!QFileInfo(store).isDir())
            scan.missing << store;
        else if (!scan.scanned.ollamaStores.contains(store))
            scan.scanned.ollamaStores << store;
    }
    scan.scanned.folders = fileFolders;

    servers::ModelScan files = servers::scanModels(fileFolders, known);
    scan.models = files.models;
    scan.headersRead = files.headersRead;
    scan.roots = fileFolders;
    for (const QString &store : std::as_const(scan.scanned.ollamaStores)) {
        const servers::ModelScan ollama = servers::scanOllamaStore(store, known);
        scan.models << ollama.models;
        scan.headersRead += ollama.headersRead;
        scan.roots << store;
    }
    scan.seenAtMs = clock.nowMs();
    std::sort(scan.models.begin(), scan.models.end(),
              [](const servers::ModelFile &a, const servers::ModelFile &b) {
                  return a.name.compare(b.name, Qt::CaseInsensitive) < 0 ||
                         (a.name.compare(b.name, Qt::CaseInsensitive) == 0 && a.path < b.path);
              });
    return scan;
}

Result<void> storeLibraryScan(storage::Repository &repository, const LibraryScan &scan)
{
    QList<model::ModelFileEntry> entries;
    entries.reserve(scan.models.size());
    for (const servers::ModelFile &m : scan.models)
        entries << toEntry(m, scan.seenAtMs);
    return repository.modelFiles().replaceUnder(scan.roots, entries);
}

Result<LibraryScan> scanLibrary(storage::Repository &repository, const Clock &clock,
                                const LibraryFolders &folders)
{
    auto scan = readLibrary(repository, clock, folders);
    if (!scan)
        return scan;
    if (auto stored = storeLibraryScan(repository, scan.value()); !stored)
        return stored.error();
    return scan;
}

Result<QList<servers::ModelFile>> storedModels(storage::Repository &repository)
{
    auto stored = repository.modelFiles().list();
    if (!stored)
        return stored.error();
    QList<servers::ModelFile> out;
    for (const model::ModelFileEntry &e : stored.value())
        out << fromEntry(e);
    return out;
}

} // namespace cachewise::services
