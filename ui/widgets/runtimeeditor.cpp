// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/runtimeeditor.h"

#include "core/analysis/modelcatalog.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QThreadPool>

#include <tuple>

namespace cachewise::ui {

QHBoxLayout *makeCacheTypeRow(QWidget *parent, const QString &prefix, QComboBox **k, QComboBox **v)
{
    auto *row = new QHBoxLayout;
    for (const auto &[combo, which, name] :
         {std::tuple{k, QStringLiteral("K"), RuntimeEditor::tr("K cache type")},
          std::tuple{v, QStringLiteral("V"), RuntimeEditor::tr("V cache type")}}) {
        *combo = new QComboBox(parent);
        (*combo)->setObjectName(prefix + QStringLiteral("Cache") + which);
        (*combo)->setAccessibleName(name);
        row->addWidget(new QLabel(which, parent));
        row->addWidget(*combo, 1);
    }
    // V follows K where the engine has one type for both (the box is disabled then).
    QObject::connect(*k, &QComboBox::currentIndexChanged, *v, [k = *k, v = *v] {
        if (!v->isEnabled())
            v->setCurrentIndex(std::max(0, v->findData(k->currentData())));
    });
    offerCacheTypes(*k, *v, model::Engine::LlamaCpp);
    return row;
}

void offerCacheTypes(QComboBox *k, QComboBox *v, model::Engine engine)
{
    const bool one = model::oneKvCacheType(engine);
    for (QComboBox *combo : {k, v}) {
        const QString current = combo->currentData().toString();
        const QSignalBlocker blocker(combo);
        combo->clear();
        for (const model::CacheType type : model::cacheTypesFor(engine))
            combo->addItem(model::engineCacheTypeName(engine, type), model::name(type));
        const int kept = combo->findData(current);
        combo->setCurrentIndex(kept >= 0 ? kept
                                         : std::max(0, combo->findData(model::name(model::CacheType::F16))));
    }
    v->setEnabled(!one);
    v->setToolTip(one ? RuntimeEditor::tr("This engine takes one KV cache type for K and V: V follows K.")
                      : QString());
    if (one) {
        const QSignalBlocker blocker(v);
        v->setCurrentIndex(std::max(0, v->findData(k->currentData())));
    }
}

RuntimeEditor::RuntimeEditor(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_engine = new QComboBox(this);
    m_engine->setObjectName(QStringLiteral("runtimeEngine"));
    m_engine->addItem(QStringLiteral("llama.cpp (llama-server)"), model::name(model::Engine::LlamaCpp));
    m_engine->addItem(QStringLiteral("Ollama"), model::name(model::Engine::Ollama));
    m_engine->addItem(QStringLiteral("vLLM"), model::name(model::Engine::Vllm));
    m_engine->addItem(QStringLiteral("SGLang"), model::name(model::Engine::Sglang));
    m_engine->addItem(tr("Other"), model::name(model::Engine::Generic));
    m_engine->setAccessibleName(tr("Engine"));

    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("runtimeModel"));
    m_model->setAccessibleName(tr("Model architecture"));
    for (const analysis::ModelArch &m : analysis::modelPresets())
        m_model->addItem(m.displayName, QString::fromUtf8(analysis::modelToJson(m)));
    m_loadModel = new QPushButton(tr("From a GGUF file or config.json…"), this);
    m_loadModel->setObjectName(QStringLiteral("loadModelFile"));
    connect(m_loadModel, &QPushButton::clicked, this, &RuntimeEditor::loadModelFile);
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_loadModel);
    m_modelInfo = new QLabel(this);
    m_modelInfo->setObjectName(QStringLiteral("runtimeModelInfo"));
    m_modelInfo->setWordWrap(true);
    m_modelInfo->setStyleSheet(QStringLiteral("color: %1;").arg(theme::secondaryText().name()));
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        auto model = analysis::modelFromJson(m_model->currentData().toString().toUtf8());
        if (!model)
            return;
        int sliding = 0;
        for (const analysis::LayerSpec &l : model->layers)
            sliding += l.kind == analysis::LayerKind::SlidingWindow;
        m_modelInfo->setText(tr("%1 layers, %2 with a sliding window. Source: %3")
                                 .arg(model->layerCount())
                                 .arg(sliding)
                                 .arg(model->source));
    });

    m_context = new QSpinBox(this);
    m_context->setObjectName(QStringLiteral("runtimeContext"));
    m_context->setRange(1, 2'147'483'647);
    m_context->setAccessibleName(tr("Context (tokens)"));
    m_context->setToolTip(
        tr("llama.cpp: -c, shared by all slots. Ollama: num_ctx per request. vLLM: --max-model-len."));
    m_parallel = new QSpinBox(this);
    m_parallel->setObjectName(QStringLiteral("runtimeParallel"));
    m_parallel->setRange(1, 4096);
    m_parallel->setAccessibleName(tr("Parallel sequences"));
    m_parallel->setToolTip(tr("llama.cpp: -np. Ollama: OLLAMA_NUM_PARALLEL. vLLM: --max-num-seqs."));
    QHBoxLayout *types = makeCacheTypeRow(this, QStringLiteral("runtime"), &m_cacheK, &m_cacheV);
    connect(m_engine, &QComboBox::currentIndexChanged, this, [this] {
        offerCacheTypes(
            m_cacheK, m_cacheV,
            model::parseEngine(m_engine->currentData().toString()).value_or(model::Engine::Generic));
    });
    m_unified = new QCheckBox(tr("Unified KV cache (--kv-unified)"), this);
    m_unified->setObjectName(QStringLiteral("runtimeUnified"));
    m_swaFull = new QCheckBox(tr("Full-size sliding-window cache (--swa-full)"), this);
    m_swaFull->setObjectName(QStringLiteral("runtimeSwaFull"));
    m_flashAttention = new QCheckBox(tr("Flash attention on"), this);
    m_flashAttention->setObjectName(QStringLiteral("runtimeFlashAttention"));
    m_prefixCaching = new QCheckBox(tr("Prefix caching on"), this);
    m_prefixCaching->setObjectName(QStringLiteral("runtimePrefixCaching"));
    m_gpuMemory = new QDoubleSpinBox(this);
    m_gpuMemory->setObjectName(QStringLiteral("runtimeGpuMemory"));
    m_gpuMemory->setRange(0, 100000);
    m_gpuMemory->setDecimals(1);
    m_gpuMemory->setSpecialValueText(tr("unknown"));
    m_gpuMemory->setSuffix(QStringLiteral(" GB"));
    m_gpuMemory->setAccessibleName(tr("GPU memory"));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("runtimeError"));
    m_error->setStyleSheet(QStringLiteral("color: %1;").arg(theme::danger().name()));
    m_error->setWordWrap(true);
    m_error->hide();
    auto *save = new QPushButton(tr("Save engine and model"), this);
    save->setObjectName(QStringLiteral("saveRuntimeButton"));
    connect(save, &QPushButton::clicked, this, &RuntimeEditor::save);

    m_notDescribed =
        new QLabel(tr("Not described yet: the values below are suggestions until you save them."), this);
    m_notDescribed->setObjectName(QStringLiteral("runtimeNotDescribed"));
    m_notDescribed->setWordWrap(true);
    m_notDescribed->setStyleSheet(QStringLiteral("color: %1;").arg(theme::warning().name()));
    form->addRow(m_notDescribed);
    form->addRow(tr("Engine"), m_engine);
    form->addRow(tr("Model architecture"), modelRow);
    form->addRow(QString(), m_modelInfo);
    form->addRow(tr("Context (tokens)"), m_context);
    form->addRow(tr("Parallel sequences"), m_parallel);
    form->addRow(tr("Cache types"), types);
    form->addRow(QString(), m_unified);
    form->addRow(QString(), m_swaFull);
    form->addRow(QString(), m_flashAttention);
    form->addRow(QString(), m_prefixCaching);
    form->addRow(tr("GPU memory"), m_gpuMemory);
    form->addRow(QString(), m_error);
    form->addRow(QString(), save);
    setRuntime(std::nullopt);
}

void RuntimeEditor::addCustomModel(const analysis::ModelArch &model)
{
    const QString json = QString::fromUtf8(analysis::modelToJson(model));
    int index = m_model->findData(json);
    if (index < 0) {
        m_model->addItem(tr("%1 (from file)").arg(model.displayName), json);
        index = m_model->count() - 1;
    }
    m_model->setCurrentIndex(index);
}

void RuntimeEditor::setRuntime(const std::optional<model::ProjectRuntime> &runtime)
{
    clearError();
    m_notDescribed->setVisible(!runtime.has_value());
    const model::ProjectRuntime r = runtime.value_or(model::ProjectRuntime{});
    m_engine->setCurrentIndex(std::max(0, m_engine->findData(model::name(r.engine))));
    offerCacheTypes(m_cacheK, m_cacheV, r.engine);
    if (runtime) {
        auto model = analysis::modelFromJson(r.modelJson);
        const auto preset = analysis::findPreset(r.modelId);
        if (preset)
            m_model->setCurrentIndex(std::max(0, m_model->findText(preset->displayName)));
        else if (model)
            addCustomModel(*model);
    } else {
        m_model->setCurrentIndex(0);
    }
    m_context->setValue(int(std::min<qint64>(r.context, 2'147'483'647)));
    m_parallel->setValue(r.parallel);
    m_cacheK->setCurrentIndex(std::max(0, m_cacheK->findData(model::name(r.cacheTypeK))));
    m_cacheV->setCurrentIndex(std::max(0, m_cacheV->findData(model::name(r.cacheTypeV))));
    m_unified->setChecked(r.unified);
    m_swaFull->setChecked(r.swaFull);
    m_flashAttention->setChecked(r.flashAttention);
    m_prefixCaching->setChecked(r.prefixCaching);
    m_gpuMemory->setValue(r.gpuMemoryGB);
    Q_EMIT m_model->currentIndexChanged(m_model->currentIndex());
}

void RuntimeEditor::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void RuntimeEditor::clearError()
{
    m_error->hide();
}

void RuntimeEditor::loadModelFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Model file"), QString(),
                                                      tr("Model files (*.gguf *.json);;All files (*)"));
    if (!path.isEmpty())
        readModelFile(path);
}

void RuntimeEditor::readModelFile(const QString &path)
{
    m_loadModel->setEnabled(false);
    // Reading a file is disk work: off the GUI thread, the answer comes back queued.
    QPointer<RuntimeEditor> self(this);
    QThreadPool::globalInstance()->start([self, path] {
        auto model = path.endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive)
                         ? analysis::modelFromGgufFile(path)
                         : analysis::modelFromHfConfigFile(path);
        const QByteArray json = model ? analysis::modelToJson(*model) : QByteArray();
        const QString error = model ? QString() : model.errorMessage();
        QMetaObject::invokeMethod(
            qApp,
            [self, path, json, error] {
                if (self)
                    self->modelFileRead(path, json, error);
            },
            Qt::QueuedConnection);
    });
}

void RuntimeEditor::modelFileRead(const QString &path, const QByteArray &modelJson, const QString &error)
{
    m_loadModel->setEnabled(true);
    if (!error.isEmpty()) {
        showError(tr("%1 cannot be used: %2").arg(QFileInfo(path).fileName(), error));
        return;
    }
    clearError();
    if (auto model = analysis::modelFromJson(modelJson))
        addCustomModel(*model);
}

void RuntimeEditor::save()
{
    clearError();
    model::ProjectRuntime r;
    r.engine = model::parseEngine(m_engine->currentData().toString()).value_or(model::Engine::Generic);
    r.modelJson = m_model->currentData().toString().toUtf8();
    auto model = analysis::modelFromJson(r.modelJson);
    if (!model) {
        showError(model.errorMessage());
        return;
    }
    r.modelId = analysis::findPreset(model->id) ? model->id : QString();
    r.context = m_context->value();
    r.parallel = m_parallel->value();
    r.cacheTypeK = model::parseCacheType(m_cacheK->currentData().toString()).value_or(model::CacheType::F16);
    r.cacheTypeV = model::parseCacheType(m_cacheV->currentData().toString()).value_or(model::CacheType::F16);
    r.unified = m_unified->isChecked();
    r.swaFull = m_swaFull->isChecked();
    r.flashAttention = m_flashAttention->isChecked();
    r.prefixCaching = m_prefixCaching->isChecked();
    r.gpuMemoryGB = m_gpuMemory->value();
    // The same check the engine would make: a quantized V cache needs flash attention in llama.cpp.
    if ((r.engine == model::Engine::LlamaCpp || r.engine == model::Engine::Ollama) &&
        model::cacheTypeInfo(r.cacheTypeV).blockElements > 1 && !r.flashAttention) {
        showError(tr("A quantized V cache needs flash attention in llama.cpp and Ollama."));
        return;
    }
    Q_EMIT saveRequested(r);
}

} // namespace cachewise::ui
