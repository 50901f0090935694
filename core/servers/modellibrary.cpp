// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/servers/modellibrary.h"

#include "core/analysis/gguf.h"
#include "core/analysis/modelcatalog.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>

namespace cachewise::servers {
namespace {

struct Part
{
    int index = 0;
    QFileInfo info;
};

// Reads the first part's header; `m` already holds the path, the parts, their size and time.
ModelFile readModel(ModelFile m, const QList<Part> &parts, int expectedParts)
{
    if (expectedParts > 0) {
        for (int i = 1; i <= expectedParts; ++i) {
            const bool present =
                std::any_of(parts.begin(), parts.end(), [i](const Part &p) { return p.index == i; });
            if (!present) {
                m.problem = QStringLiteral("part %1 of %2 is missing").arg(i).arg(expectedParts);
                return m;
            }
        }
    }
    const Result<analysis::GgufHeader> header = analysis::readGgufHeader(m.path);
    if (!header) {
        m.problem = header.errorMessage();
        return m;
    }
    if (const QVariant type = header->values.value(QStringLiteral("general.file_type")); type.isValid())
        m.fileType = type.toLongLong();
    Result<analysis::ModelArch> model = analysis::modelFromGguf(header.value(), m.path);
    if (!model) {
        m.problem = model.errorMessage();
        return m;
    }
    analysis::KvConfig f16;
    f16.context = std::max<qint64>(1, std::min<qint64>(model->trainingContext, 4096));
    if (const auto estimate = analysis::estimateKv(model.value(), f16);
        estimate && estimate->bytesPerToken > 0)
        m.kvBytesPerToken = estimate->bytesPerToken;
    m.model = std::move(model).value();
    return m;
}

} // namespace

ModelScan scanModels(const QStringList &folders, const QHash<QString, ModelFile> &known)
{
    static const QRegularExpression split(QStringLiteral("^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$"),
                                          QRegularExpression::CaseInsensitiveOption);
    // Whole files by path; split parts by their group (folder, name, count).
    QMap<QString, QList<Part>> groups;
    QHash<QString, int> groupParts;
    for (const QString &folder : folders) {
        QDirIterator it(folder, {QStringLiteral("*.gguf"), QStringLiteral("*.GGUF")},
                        QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QFileInfo info(it.next());
            const QRegularExpressionMatch m = split.match(info.fileName());
            if (m.hasMatch() && m.captured(3).toInt() > 0) {
                const QString group =
                    info.absolutePath() + QLatin1Char('/') + m.captured(1) + QLatin1Char('#') + m.captured(3);
                groups[group] << Part{m.captured(2).toInt(), info};
                groupParts.insert(group, m.captured(3).toInt());
            } else {
                groups[info.absoluteFilePath()] << Part{1, info};
            }
        }
    }
    ModelScan scan;
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        QList<Part> &parts = it.value();
        std::sort(parts.begin(), parts.end(), [](const Part &a, const Part &b) { return a.index < b.index; });
        ModelFile found;
        found.path = parts.first().info.absoluteFilePath();
        for (const Part &p : parts) {
            found.parts << p.info.absoluteFilePath();
            found.sizeBytes += p.info.size();
            found.modifiedMs = std::max(found.modifiedMs, p.info.lastModified().toMSecsSinceEpoch());
        }
        if (const auto cached = known.constFind(found.path);
            cached != known.cend() && cached->sizeBytes == found.sizeBytes &&
            cached->modifiedMs == found.modifiedMs && cached->parts == found.parts) {
            scan.models << *cached;
            continue;
        }
        scan.models << readModel(std::move(found), parts, groupParts.value(it.key(), 0));
        ++scan.headersRead;
    }
    return scan;
}

} // namespace cachewise::servers
