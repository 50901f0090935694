// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/analysis/kvmodel.h"
#include "core/storage/types.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace cachewise::ui {

// How a project runs its model: engine, architecture (a preset, or read from a GGUF file or a
// Hugging Face config.json off the GUI thread), context, slots, cache types and switches.
class RuntimeEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit RuntimeEditor(QWidget *parent = nullptr);

    void setRuntime(const std::optional<model::ProjectRuntime> &runtime);
    // Reads a GGUF header or a config.json off the GUI thread; on success the model becomes the choice.
    void readModelFile(const QString &path);
    void showError(const QString &message);
    void clearError();

Q_SIGNALS:
    void saveRequested(const cachewise::model::ProjectRuntime &runtime);

private:
    void loadModelFile();
    void modelFileRead(const QString &path, const QByteArray &modelJson, const QString &error);
    void save();
    void addCustomModel(const analysis::ModelArch &model);

    QComboBox *m_engine;
    QComboBox *m_model;
    QPushButton *m_loadModel;
    QSpinBox *m_context;
    QSpinBox *m_parallel;
    QComboBox *m_cacheK;
    QComboBox *m_cacheV;
    QCheckBox *m_unified;
    QCheckBox *m_swaFull;
    QCheckBox *m_flashAttention;
    QCheckBox *m_prefixCaching;
    QDoubleSpinBox *m_gpuMemory;
    QLabel *m_error;
    QLabel *m_modelInfo;
    QLabel *m_notDescribed;
};

// "K [type] V [type]": two combos of the cache types (data: llama.cpp's name), named prefix +
// "CacheK"/"CacheV".
QHBoxLayout *makeCacheTypeRow(QWidget *parent, const QString &prefix, QComboBox **k, QComboBox **v);
// Offers exactly the cache types `engine` accepts, in its own spelling (the item data is the model's
// name), keeping the current choice when the engine takes it. For an engine with one type for K and V
// the V box follows K and cannot be changed on its own.
void offerCacheTypes(QComboBox *k, QComboBox *v, model::Engine engine);

} // namespace cachewise::ui
