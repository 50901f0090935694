// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/serverdialog.h"

#include "core/servers/profile.h"
#include "core/services/managedservers.h"
#include "ui/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cachewise::ui {

ServerDialog::ServerDialog(QWidget *parent, const services::ServersSnapshot &snapshot,
                           const QString &projectId)
    : QDialog(parent), m_project(new QComboBox(this)), m_model(new QComboBox(this)),
      m_executable(new QComboBox(this)), m_context(new QSpinBox(this)), m_parallel(new QSpinBox(this)),
      m_unified(new QCheckBox(tr("One cache shared by every slot (--kv-unified)"), this)),
      m_typeK(new QComboBox(this)), m_typeV(new QComboBox(this)), m_flashAttention(new QComboBox(this)),
      m_gpuLayers(new QSpinBox(this)), m_threads(new QSpinBox(this)), m_port(new QSpinBox(this)),
      m_extra(new QLineEdit(this)), m_command(new QPlainTextEdit(this)), m_problemLabel(new QLabel(this)),
      m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("serverDialog"));
    setWindowTitle(tr("New llama-server"));
    for (const model::Project &p : snapshot.projects)
        m_project->addItem(p.name, p.id);
    m_project->setCurrentIndex(std::max(0, m_project->findData(projectId)));
    m_project->setObjectName(QStringLiteral("serverProject"));
    for (const servers::ModelFile &m : snapshot.models) {
        if (m.model && m.problem.isEmpty()) {
            m_models << m;
            m_model->addItem(m.name, m.path);
            m_model->setItemData(m_model->count() - 1, m.path, Qt::ToolTipRole);
        }
    }
    m_model->setObjectName(QStringLiteral("serverModel"));
    m_executable->setObjectName(QStringLiteral("serverExecutable"));
    m_executable->setEditable(true);
    m_executable->addItems(snapshot.executables);
    m_executable->lineEdit()->setPlaceholderText(tr("Path to llama-server"));
    auto *browse = new QPushButton(tr("Choose…"), this);
    browse->setObjectName(QStringLiteral("serverExecutableBrowse"));
    m_context->setObjectName(QStringLiteral("serverContext"));
    m_context->setRange(256, 1 << 24);
    m_context->setSingleStep(1024);
    m_context->setValue(4096);
    m_context->setToolTip(tr("-c: the cells of every slot together"));
    m_parallel->setObjectName(QStringLiteral("serverParallel"));
    m_parallel->setRange(1, 256);
    m_parallel->setToolTip(tr("-np: requests served at once"));
    m_unified->setObjectName(QStringLiteral("serverUnified"));
    for (const model::CacheTypeInfo &info : model::cacheTypes()) {
        if (!model::acceptsCacheType(model::Engine::LlamaCpp, info.type))
            continue;
        m_typeK->addItem(QString::fromLatin1(info.name), int(info.type));
        m_typeV->addItem(QString::fromLatin1(info.name), int(info.type));
    }
    m_typeK->setObjectName(QStringLiteral("serverCacheTypeK"));
    m_typeV->setObjectName(QStringLiteral("serverCacheTypeV"));
    m_typeK->setCurrentIndex(m_typeK->findData(int(model::CacheType::F16)));
    m_typeV->setCurrentIndex(m_typeV->findData(int(model::CacheType::F16)));
    m_flashAttention->setObjectName(QStringLiteral("serverFlashAttention"));
    m_flashAttention->addItem(tr("Automatic"), int(model::FlashAttention::Auto));
    m_flashAttention->addItem(tr("On"), int(model::FlashAttention::On));
    m_flashAttention->addItem(tr("Off"), int(model::FlashAttention::Off));
    m_gpuLayers->setObjectName(QStringLiteral("serverGpuLayers"));
    m_gpuLayers->setRange(-1, 10000);
    m_gpuLayers->setValue(-1);
    m_gpuLayers->setSpecialValueText(tr("llama-server's default"));
    m_threads->setObjectName(QStringLiteral("serverThreads"));
    m_threads->setRange(0, 1024);
    m_threads->setSpecialValueText(tr("llama-server's default"));
    m_port->setObjectName(QStringLiteral("serverPort"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("A free port"));
    m_extra->setObjectName(QStringLiteral("serverExtraArgs"));
    m_extra->setPlaceholderText(tr("More arguments, as on a command line"));
    m_command->setObjectName(QStringLiteral("serverCommandPreview"));
    m_command->setReadOnly(true);
    m_command->setAccessibleName(tr("Command line"));
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->setMaximumHeight(m_command->fontMetrics().lineSpacing() * 4 + 12);
    m_problemLabel->setObjectName(QStringLiteral("serverProblems"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(QStringLiteral("color: %1;").arg(theme::danger().name()));
    m_error->setObjectName(QStringLiteral("serverError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: %1;").arg(theme::danger().name()));
    m_error->hide();

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->addRow(tr("Project"), m_project);
    form->addRow(tr("Model"), m_model);
    auto *exeRow = new QHBoxLayout;
    exeRow->addWidget(m_executable, 1);
    exeRow->addWidget(browse);
    form->addRow(tr("Executable"), exeRow);
    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_context, 1);
    sizeRow->addWidget(new QLabel(tr("Slots"), this));
    sizeRow->addWidget(m_parallel);
    form->addRow(tr("Context"), sizeRow);
    form->addRow(QString(), m_unified);
    auto *typeRow = new QHBoxLayout;
    typeRow->addWidget(new QLabel(tr("K"), this));
    typeRow->addWidget(m_typeK, 1);
    typeRow->addWidget(new QLabel(tr("V"), this));
    typeRow->addWidget(m_typeV, 1);
    form->addRow(tr("Cache types"), typeRow);
    form->addRow(tr("Flash attention"), m_flashAttention);
    form->addRow(tr("GPU layers"), m_gpuLayers);
    form->addRow(tr("Threads"), m_threads);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("Extra arguments"), m_extra);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Command line"), this));
    layout->addWidget(m_command);
    layout->addWidget(m_problemLabel);
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(this);
    auto *cancel = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    cancel->setObjectName(QStringLiteral("serverCancel"));
    m_add = buttons->addButton(tr("Add Server"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(QStringLiteral("serverAdd"));
    m_add->setDefault(true);
    layout->addWidget(buttons);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, [this] {
        m_error->hide();
        m_add->setEnabled(false); // until the page says added (closes) or refused (showError)
        Q_EMIT addRequested(profile());
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Choose llama-server"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        connect(dialog, &QFileDialog::fileSelected, this,
                [this](const QString &path) { m_executable->setCurrentText(path); });
        dialog->open();
    });
    // A new model starts at its trained context, at most llama-server's own default of 4096.
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        if (const auto arch = chosenModel(); arch && arch->trainingContext > 0)
            m_context->setValue(int(std::min<qint64>(arch->trainingContext, 4096)));
        update();
    });
    // A quantized V cache needs flash attention: turned on with it, as the CLI does.
    connect(m_typeV, &QComboBox::currentIndexChanged, this, [this] {
        const auto type = model::CacheType(m_typeV->currentData().toInt());
        if (model::cacheTypeInfo(type).blockElements > 1)
            m_flashAttention->setCurrentIndex(m_flashAttention->findData(int(model::FlashAttention::On)));
        update();
    });
    for (QComboBox *box : {m_project, m_typeK, m_flashAttention})
        connect(box, &QComboBox::currentIndexChanged, this, &ServerDialog::update);
    connect(m_executable, &QComboBox::currentTextChanged, this, &ServerDialog::update);
    for (QSpinBox *box : {m_context, m_parallel, m_gpuLayers, m_threads, m_port})
        connect(box, &QSpinBox::valueChanged, this, &ServerDialog::update);
    connect(m_unified, &QCheckBox::toggled, this, &ServerDialog::update);
    connect(m_extra, &QLineEdit::textChanged, this, &ServerDialog::update);
    if (const auto arch = chosenModel(); arch && arch->trainingContext > 0)
        m_context->setValue(int(std::min<qint64>(arch->trainingContext, 4096)));
    setMinimumWidth(560);
    update();
}

std::optional<analysis::ModelArch> ServerDialog::chosenModel() const
{
    const int index = m_model->currentIndex();
    if (index < 0 || index >= m_models.size())
        return std::nullopt;
    return m_models.at(index).model;
}

void ServerDialog::selectModel(const QString &path)
{
    m_model->setCurrentIndex(std::max(0, m_model->findData(path)));
}

model::ServerProfile ServerDialog::profile() const
{
    model::ServerProfile p;
    p.projectId = m_project->currentData().toString();
    p.modelPath = m_model->currentData().toString();
    p.executable = m_executable->currentText().trimmed();
    if (!p.executable.isEmpty())
        p.executable = QFileInfo(p.executable).absoluteFilePath();
    p.context = m_context->value();
    p.parallel = m_parallel->value();
    p.unified = m_unified->isChecked();
    p.cacheTypeK = model::CacheType(m_typeK->currentData().toInt());
    p.cacheTypeV = model::CacheType(m_typeV->currentData().toInt());
    p.flashAttention = model::FlashAttention(m_flashAttention->currentData().toInt());
    if (m_gpuLayers->value() >= 0)
        p.gpuLayers = m_gpuLayers->value();
    if (m_threads->value() > 0)
        p.threads = m_threads->value();
    p.port = m_port->value();
    p.extraArgs = QProcess::splitCommand(m_extra->text());
    return p;
}

QString ServerDialog::commandLine() const
{
    return m_command->toPlainText();
}

void ServerDialog::update()
{
    model::ServerProfile p = profile();
    const bool freePort = p.port == 0;
    if (freePort)
        p.port = 8080; // shown as PORT below; the real one is chosen when it is added
    QString command =
        servers::shellCommandLine(p.executable.isEmpty() ? QStringLiteral("llama-server") : p.executable,
                                  servers::serverArguments(p, tr("DATA/servers/ID/slots")));
    if (freePort)
        command.replace(QStringLiteral("--port 8080"), QStringLiteral("--port %1").arg(tr("PORT")));
    m_command->setPlainText(command);
    m_problems.clear();
    if (m_project->count() == 0)
        m_problems << tr("Make a project first: a server is one of a project's sources.");
    if (m_model->count() == 0)
        m_problems << tr("No model in the library: add a folder with .gguf files and scan it.");
    if (p.executable.isEmpty())
        m_problems << tr("No llama-server found on PATH or in the usual build folders: choose one.");
    if (const auto arch = chosenModel()) {
        for (const servers::ProfileProblem &problem : servers::checkProfile(p, *arch)) {
            if (problem.field == QLatin1String("executable") && p.executable.isEmpty())
                continue; // said above
            m_problems << problem.message;
        }
    }
    m_problemLabel->setText(m_problems.join(QLatin1Char('\n')));
    m_problemLabel->setVisible(!m_problems.isEmpty());
    m_add->setEnabled(m_problems.isEmpty());
}

void ServerDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    update();
}

} // namespace cachewise::ui
