// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/servers/modellibrary.h"

#include "core/analysis/gguf.h"
#include "core/analysis/modelcatalog.h"
#include "core/common/timeformat.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>

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

bool unchanged(const QHash<QString, ModelFile> &known, const ModelFile &found)
{
    const auto cached = known.constFind(found.path);
    return cached != known.cend() && cached->sizeBytes == found.sizeBytes &&
           cached->modifiedMs == found.modifiedMs && cached->parts == found.parts &&
           cached->name == found.name;
}

// An Ollama manifest's model: "registry.ollama.ai/library/llama3.2/3b" is "llama3.2:3b", another
// namespace or registry keeps its prefix ("hf.co/user/repo:Q4_K_M").
QString ollamaName(const QString &manifestRelativePath)
{
    QStringList parts = manifestRelativePath.split(QLatin1Char('/'));
    const QString tag = parts.takeLast();
    QString name = parts.join(QLatin1Char('/'));
    for (const QLatin1String prefix :
         {QLatin1String("registry.ollama.ai/library/"), QLatin1String("registry.ollama.ai/")}) {
        if (name.startsWith(prefix)) {
            name = name.mid(prefix.size());
            break;
        }
    }
    return name + QLatin1Char(':') + tag;
}

// The blob an Ollama manifest names as its model ("sha256:<64 hex>"), or why there is none.
Result<QString> ollamaModelDigest(const QString &manifestPath)
{
    QFile file(manifestPath);
    if (file.size() > 1 << 20)
        return makeError(ErrorKind::BadInput, QStringLiteral("the manifest is larger than 1 MiB"));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io,
                         QStringLiteral("cannot read the manifest: %1").arg(file.errorString()));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorKind::BadInput, QStringLiteral("the manifest is not a JSON object"));
    static const QRegularExpression digest(QStringLiteral("^sha256:[0-9a-f]{64}$"));
    for (const QJsonValue &layer : doc.object().value(QLatin1String("layers")).toArray()) {
        const QJsonObject o = layer.toObject();
        if (o.value(QLatin1String("mediaType")).toString() !=
            QLatin1String("application/vnd.ollama.image.model"))
            continue;
        const QString d = o.value(QLatin1String("digest")).toString();
        if (!digest.match(d).hasMatch())
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("the model layer's digest is not sha256:<hex>"));
        return d;
    }
    return makeError(ErrorKind::BadInput, QStringLiteral("the manifest has no GGUF model layer"));
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
        const QRegularExpressionMatch m = split.match(parts.first().info.fileName());
        found.name = groupParts.contains(it.key()) && m.hasMatch() ? m.captured(1) + QStringLiteral(".gguf")
                                                                   : parts.first().info.fileName();
        for (const Part &p : parts) {
            found.parts << p.info.absoluteFilePath();
            found.sizeBytes += p.info.size();
            found.modifiedMs = std::max(found.modifiedMs, p.info.lastModified().toMSecsSinceEpoch());
        }
        if (unchanged(known, found)) {
            scan.models << known.value(found.path);
            continue;
        }
        scan.models << readModel(std::move(found), parts, groupParts.value(it.key(), 0));
        ++scan.headersRead;
    }
    return scan;
}

ModelScan scanOllamaStore(const QString &storeFolder, const QHash<QString, ModelFile> &known)
{
    const QDir manifests(QDir(storeFolder).filePath(QStringLiteral("manifests")));
    const QDir blobs(QDir(storeFolder).filePath(QStringLiteral("blobs")));
    QMap<QString, QStringList> namesByBlob;
    ModelScan scan;
    QDirIterator it(manifests.path(), QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString manifest = it.next();
        const QString name = ollamaName(manifests.relativeFilePath(manifest));
        const Result<QString> digest = ollamaModelDigest(manifest);
        QString problem = digest ? QString() : digest.errorMessage();
        QString blob;
        if (digest) {
            blob = blobs.filePath(QString(digest.value()).replace(QLatin1Char(':'), QLatin1Char('-')));
            if (!QFileInfo(blob).isFile())
                problem = QStringLiteral("its model blob %1 is missing").arg(QFileInfo(blob).fileName());
        }
        if (!problem.isEmpty()) {
            const QFileInfo info(manifest);
            ModelFile broken;
            broken.name = name;
            broken.path = info.absoluteFilePath();
            broken.parts = {broken.path};
            broken.sizeBytes = info.size();
            broken.modifiedMs = info.lastModified().toMSecsSinceEpoch();
            broken.problem = problem;
            scan.models << broken;
            continue;
        }
        namesByBlob[QFileInfo(blob).absoluteFilePath()] << name;
    }
    for (auto blob = namesByBlob.begin(); blob != namesByBlob.end(); ++blob) {
        const QFileInfo info(blob.key());
        blob.value().sort();
        ModelFile found;
        found.name = blob.value().join(QStringLiteral(", "));
        found.path = blob.key();
        found.parts = {blob.key()};
        found.sizeBytes = info.size();
        found.modifiedMs = info.lastModified().toMSecsSinceEpoch();
        if (unchanged(known, found)) {
            scan.models << known.value(found.path);
            continue;
        }
        scan.models << readModel(std::move(found), {Part{1, info}}, 0);
        ++scan.headersRead;
    }
    return scan;
}

QString fileTypeName(qint64 fileType)
{
    // llama.h's enum llama_ftype; the numbers it skips were removed from llama.cpp.
    static const QHash<qint64, const char *> names{
        {0, "F32"},     {1, "F16"},     {2, "Q4_0"},      {3, "Q4_1"},    {7, "Q8_0"},     {8, "Q5_0"},
        {9, "Q5_1"},    {10, "Q2_K"},   {11, "Q3_K_S"},   {12, "Q3_K_M"}, {13, "Q3_K_L"},  {14, "Q4_K_S"},
        {15, "Q4_K_M"}, {16, "Q5_K_S"}, {17, "Q5_K_M"},   {18, "Q6_K"},   {19, "IQ2_XXS"}, {20, "IQ2_XS"},
        {21, "Q2_K_S"}, {22, "IQ3_XS"}, {23, "IQ3_XXS"},  {24, "IQ1_S"},  {25, "IQ4_NL"},  {26, "IQ3_S"},
        {27, "IQ3_M"},  {28, "IQ2_S"},  {29, "IQ2_M"},    {30, "IQ4_XS"}, {31, "IQ1_M"},   {32, "BF16"},
        {36, "TQ1_0"},  {37, "TQ2_0"},  {38, "MXFP4_MOE"}};
    const auto it = names.constFind(fileType);
    return it == names.cend() ? QString() : QLatin1String(it.value());
}

std::optional<AttentionShape> attentionShape(const analysis::ModelArch &model)
{
    for (const analysis::LayerSpec &layer : model.layers) {
        if ((layer.kind == analysis::LayerKind::Full || layer.kind == analysis::LayerKind::SlidingWindow) &&
            layer.kvHeads > 0)
            return AttentionShape{layer.kvHeads, layer.headDimK};
    }
    return std::nullopt;
}

QJsonObject modelFileJson(const ModelFile &m, const analysis::KvConfig *at)
{
    QJsonObject o{{QStringLiteral("name"), m.name},
                  {QStringLiteral("path"), m.path},
                  {QStringLiteral("parts"), QJsonArray::fromStringList(m.parts)},
                  {QStringLiteral("sizeBytes"), double(m.sizeBytes)},
                  {QStringLiteral("modified"), isoUtc(m.modifiedMs)}};
    if (!m.problem.isEmpty())
        o.insert(QStringLiteral("problem"), m.problem);
    if (m.fileType) {
        o.insert(QStringLiteral("fileType"), double(*m.fileType));
        if (const QString name = fileTypeName(*m.fileType); !name.isEmpty())
            o.insert(QStringLiteral("quantization"), name);
    }
    if (!m.model)
        return o;
    const analysis::ModelArch &arch = *m.model;
    o.insert(QStringLiteral("architecture"), arch.family);
    o.insert(QStringLiteral("displayName"), arch.displayName);
    if (arch.parametersBillions > 0)
        o.insert(QStringLiteral("parametersBillions"), arch.parametersBillions);
    o.insert(QStringLiteral("trainedContext"), double(arch.trainingContext));
    o.insert(QStringLiteral("layers"), arch.layerCount());
    if (const auto shape = attentionShape(arch)) {
        o.insert(QStringLiteral("kvHeads"), shape->kvHeads);
        o.insert(QStringLiteral("headSize"), shape->headSize);
    }
    if (m.kvBytesPerToken)
        o.insert(QStringLiteral("kvBytesPerToken"), double(*m.kvBytesPerToken));
    if (at) {
        const auto estimate = analysis::estimateKv(arch, *at);
        QJsonObject kv{{QStringLiteral("context"), double(at->context)},
                       {QStringLiteral("parallel"), at->parallel},
                       {QStringLiteral("unified"), at->unified},
                       {QStringLiteral("cacheTypeK"), model::name(at->typeK)},
                       {QStringLiteral("cacheTypeV"), model::name(at->typeV)}};
        if (estimate)
            kv.insert(QStringLiteral("totalBytes"), double(estimate->totalBytes));
        else
            kv.insert(QStringLiteral("error"), estimate.errorMessage());
        o.insert(QStringLiteral("kv"), kv);
    }
    return o;
}

UsualModelFolders usualModelFolders()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString home = QDir::homePath();
    QStringList folders{home + QStringLiteral("/.lmstudio/models"),
                        home + QStringLiteral("/.cache/lm-studio/models")};
    folders << (env.contains(QStringLiteral("LLAMA_CACHE"))
                    ? env.value(QStringLiteral("LLAMA_CACHE"))
                    : QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                          QStringLiteral("/llama.cpp"));
    QStringList stores;
    if (env.contains(QStringLiteral("OLLAMA_MODELS")))
        stores << env.value(QStringLiteral("OLLAMA_MODELS"));
    stores << home + QStringLiteral("/.ollama/models") << QStringLiteral("/usr/share/ollama/.ollama/models");
    UsualModelFolders usual;
    for (const QString &f : folders) {
        if (QFileInfo(f).isDir() && !usual.folders.contains(QDir::cleanPath(f)))
            usual.folders << QDir::cleanPath(f);
    }
    for (const QString &s : stores) {
        if (QFileInfo(s + QStringLiteral("/manifests")).isDir() &&
            !usual.ollamaStores.contains(QDir::cleanPath(s)))
            usual.ollamaStores << QDir::cleanPath(s);
    }
    return usual;
}

} // namespace cachewise::servers
