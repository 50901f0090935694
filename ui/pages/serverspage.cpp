// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/serverspage.h"

#include "core/analysis/kvmodel.h"
#include "core/common/eventlog.h"
#include "core/common/units.h"
#include "core/servers/modellibrary.h"
#include "ui/dialogs/confirmdialog.h"
#include "ui/dialogs/serverdialog.h"
#include "ui/models/rowsmodel.h"
#include "ui/theme.h"
#include "ui/widgets/logview.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {

QString stateText(model::ServerState state)
{
    switch (state) {
    case model::ServerState::Stopped: return ServersPage::tr("Stopped");
    case model::ServerState::Starting: return ServersPage::tr("Starting");
    case model::ServerState::Loading: return ServersPage::tr("Loading model");
    case model::ServerState::Ready: return ServersPage::tr("Ready");
    case model::ServerState::Stopping: return ServersPage::tr("Stopping");
    case model::ServerState::Crashed: return ServersPage::tr("Crashed");
    case model::ServerState::GaveUp: return ServersPage::tr("Given up");
    }
    return {};
}

QColor stateColor(model::ServerState state)
{
    switch (state) {
    case model::ServerState::Ready: return theme::accent();
    case model::ServerState::Starting:
    case model::ServerState::Loading:
    case model::ServerState::Stopping: return theme::warning();
    case model::ServerState::Crashed:
    case model::ServerState::GaveUp: return theme::danger();
    case model::ServerState::Stopped: return {};
    }
    return {};
}

bool runs(model::ServerState state)
{
    return state != model::ServerState::Stopped && state != model::ServerState::Crashed &&
           state != model::ServerState::GaveUp;
}

LogView::Line viewLine(const servers::LlamaLogLine &line)
{
    LogView::Line out;
    if (line.sinceStartUs)
        out.time = servers::formatSinceStart(*line.sinceStartUs);
    switch (line.level) {
    case servers::LlamaLogLine::Level::None: out.level = LogView::Level::None; break;
    case servers::LlamaLogLine::Level::Debug: out.level = LogView::Level::Debug; break;
    case servers::LlamaLogLine::Level::Info: out.level = LogView::Level::Info; break;
    case servers::LlamaLogLine::Level::Warning: out.level = LogView::Level::Warning; break;
    case servers::LlamaLogLine::Level::Error: out.level = LogView::Level::Error; break;
    }
    out.text = line.text;
    return out;
}

LogView::Line viewLine(const EventLogEntry &entry)
{
    static const LogView::Level levels[] = {LogView::Level::Debug, LogView::Level::Info,
                                            LogView::Level::Warning, LogView::Level::Error,
                                            LogView::Level::Fatal};
    return {QDateTime::fromMSecsSinceEpoch(entry.timestampMs).toString(QStringLiteral("HH:mm:ss.zzz")),
            levels[int(entry.level)], QStringLiteral("%1: %2").arg(entry.category, entry.message)};
}

QPushButton *button(QWidget *parent, const QString &text, const QString &name)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

} // namespace

ServersPage::ServersPage(services::AsyncServers &servers, QWidget *parent)
    : QWidget(parent), m_servers(servers), m_tabs(new QTabWidget(this)), m_poll(new QTimer(this))
{
    setObjectName(QStringLiteral("serversPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Models & Servers"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    layout->addWidget(title);
    m_tabs->setObjectName(QStringLiteral("serversTabs"));
    m_tabs->addTab(buildServersTab(), tr("Servers"));
    m_tabs->addTab(buildModelsTab(), tr("Model Library"));
    m_tabs->addTab(buildEventLogTab(), tr("Event Log"));
    layout->addWidget(m_tabs, 1);

    connect(&m_servers, &services::AsyncServers::loaded, this, &ServersPage::show);
    connect(&m_servers, &services::AsyncServers::logRead, this,
            [this](const QString &id, bool fromStart, const QList<servers::LlamaLogLine> &lines) {
                if (id != m_logShown)
                    return;
                QList<LogView::Line> out;
                out.reserve(lines.size());
                for (const servers::LlamaLogLine &line : lines)
                    out << viewLine(line);
                if (fromStart)
                    m_serverLog->setLines(out);
                else
                    m_serverLog->appendLines(out);
            });
    connect(
        &m_servers, &services::AsyncServers::scanned, this, [this](const services::LibraryScanSummary &s) {
            QString text = tr("Models found: %1 · headers read: %2").arg(s.models).arg(s.headersRead);
            if (s.problems > 0)
                text += QStringLiteral(" · ") + tr("files that cannot be read: %1").arg(s.problems);
            if (!s.missing.isEmpty())
                text += QStringLiteral(" · ") + tr("missing: %1").arg(s.missing.join(QStringLiteral(", ")));
            m_scanResult->setText(text);
            Q_EMIT message(text);
        });
    connect(&m_servers, &services::AsyncServers::serverAdded, this, [this](const model::ServerProfile &p) {
        if (m_dialog)
            m_dialog->accept();
        Q_EMIT message(tr("Server added on port %1; start it with Start.").arg(p.port));
        m_pendingSelection = p.id;
    });
    connect(&m_servers, &services::AsyncServers::serverRefused, this,
            [this](const QString &, const QString &text) {
                if (m_dialog)
                    m_dialog->showError(text);
                else
                    Q_EMIT message(tr("Not added: %1").arg(text));
            });
    connect(&m_servers, &services::AsyncServers::serverRemoved, this,
            [this] { Q_EMIT message(tr("Server removed; its project keeps its data.")); });
    connect(&m_servers, &services::AsyncServers::failed, this,
            [this](const QString &text) { Q_EMIT message(tr("Error: %1").arg(text)); });
    // While the page shows: the server's new log lines and the event log every second, states every five.
    m_poll->setInterval(1000);
    connect(m_poll, &QTimer::timeout, this, &ServersPage::pollLogs);
}

ServersPage::~ServersPage() = default;

ServerDialog *ServersPage::serverDialog() const
{
    return m_dialog;
}

QWidget *ServersPage::buildServersTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *bar = new QHBoxLayout;
    auto *add = button(tab, tr("New Server…"), QStringLiteral("newServerButton"));
    m_start = button(tab, tr("Start"), QStringLiteral("startServerButton"));
    m_stop = button(tab, tr("Stop"), QStringLiteral("stopServerButton"));
    m_restart = button(tab, tr("Restart"), QStringLiteral("restartServerButton"));
    m_remove = button(tab, tr("Remove"), QStringLiteral("removeServerButton"));
    m_openProject = button(tab, tr("Open Project"), QStringLiteral("openServerProjectButton"));
    for (QPushButton *b : {add, m_start, m_stop, m_restart, m_remove, m_openProject})
        bar->addWidget(b);
    bar->addStretch();
    layout->addLayout(bar);
    m_serverRows = new RowsModel(
        {tr("Model"), tr("Project"), tr("Port"), tr("State"), tr("PID"), tr("CPU"), tr("Memory")}, tab);
    m_serverTable = makeRowsView(tab, QStringLiteral("serverTable"), m_serverRows);
    m_serverTable->setAccessibleName(tr("llama-servers CacheWise launches"));
    m_noServers =
        new QLabel(tr("No llama-server yet. New Server… launches one for a project with the KV flags "
                      "you choose; CacheWise keeps it running, reads its log and its metrics."),
                   tab);
    m_noServers->setObjectName(QStringLiteral("noServers"));
    m_noServers->setWordWrap(true);

    auto *details = new QWidget(tab);
    auto *form = new QFormLayout(details);
    form->setContentsMargins(0, 0, 0, 0);
    m_state = new QLabel(details);
    m_state->setObjectName(QStringLiteral("serverState"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command = new QPlainTextEdit(details);
    m_command->setObjectName(QStringLiteral("serverCommandLine"));
    m_command->setReadOnly(true);
    m_command->setAccessibleName(tr("Command line"));
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->setMaximumHeight(m_command->fontMetrics().lineSpacing() * 3 + 12);
    auto *copy = button(details, tr("Copy"), QStringLiteral("copyCommandButton"));
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(m_command, 1);
    commandRow->addWidget(copy, 0, Qt::AlignTop);
    m_kv = new QLabel(details);
    m_kv->setObjectName(QStringLiteral("serverKv"));
    m_kv->setWordWrap(true);
    m_kv->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_process = new QLabel(details);
    m_process->setObjectName(QStringLiteral("serverProcess"));
    m_process->setWordWrap(true);
    form->addRow(tr("State"), m_state);
    form->addRow(tr("Command line"), commandRow);
    form->addRow(tr("KV cache"), m_kv);
    form->addRow(tr("Process"), m_process);

    m_serverLog = new LogView(tr("llama-server log"), tab);
    m_serverLog->setObjectName(QStringLiteral("serverLog"));
    connect(m_serverLog, &LogView::message, this, &ServersPage::message);
    m_split = new QSplitter(Qt::Vertical, tab);
    auto *top = new QWidget(m_split);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_serverTable, 1);
    topLayout->addWidget(details);
    m_split->addWidget(top);
    m_split->addWidget(m_serverLog);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
    layout->addWidget(m_noServers);
    layout->addWidget(m_split, 1);
    layout->addStretch();

    connect(add, &QPushButton::clicked, this, [this] { newServer(); });
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedServer(); !id.isEmpty()) {
            m_servers.startServer(id);
            Q_EMIT message(tr("Starting llama-server…"));
        }
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedServer(); !id.isEmpty()) {
            m_servers.stopServer(id);
            Q_EMIT message(tr("Stopping llama-server…"));
        }
    });
    connect(m_restart, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedServer(); !id.isEmpty()) {
            m_servers.restartServer(id);
            Q_EMIT message(tr("Restarting llama-server…"));
        }
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const auto r = row(selectedServer());
        if (!r)
            return;
        auto *confirm = new ConfirmDialog(
            this, tr("Remove Server"),
            tr("Remove the llama-server of %1 (%2)? Its profile and source go; the project keeps its data.")
                .arg(r->projectName, QFileInfo(r->profile.modelPath).fileName()),
            tr("Remove"));
        connect(confirm, &QDialog::accepted, this,
                [this, id = r->profile.id] { m_servers.removeServer(id); });
        confirm->open();
    });
    connect(m_openProject, &QPushButton::clicked, this, [this] {
        if (const auto r = row(selectedServer()))
            Q_EMIT openProjectRequested(r->profile.projectId);
    });
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_command->toPlainText());
        Q_EMIT message(tr("Command copied to the clipboard"));
    });
    connect(m_serverTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showDetails();
        updateButtons();
    });
    return tab;
}

QWidget *ServersPage::buildModelsTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *bar = new QHBoxLayout;
    auto *scan = button(tab, tr("Scan"), QStringLiteral("scanModelsButton"));
    scan->setToolTip(tr("Reads the headers of new and changed .gguf files in the folders"));
    auto *addFolder = button(tab, tr("Add Folder…"), QStringLiteral("addModelFolderButton"));
    auto *fromModel = button(tab, tr("New Server…"), QStringLiteral("newServerFromModelButton"));
    m_atContext = new QSpinBox(tab);
    m_atContext->setObjectName(QStringLiteral("libraryContext"));
    m_atContext->setAccessibleName(tr("Context for the KV column"));
    m_atContext->setRange(256, 1 << 24);
    m_atContext->setSingleStep(1024);
    m_atContext->setValue(8192);
    m_atParallel = new QSpinBox(tab);
    m_atParallel->setObjectName(QStringLiteral("libraryParallel"));
    m_atParallel->setAccessibleName(tr("Slots for the KV column"));
    m_atParallel->setRange(1, 256);
    m_atType = new QComboBox(tab);
    m_atType->setObjectName(QStringLiteral("libraryCacheType"));
    m_atType->setAccessibleName(tr("Cache type for the KV column"));
    for (const model::CacheTypeInfo &info : model::cacheTypes()) {
        if (model::acceptsCacheType(model::Engine::LlamaCpp, info.type))
            m_atType->addItem(QString::fromLatin1(info.name), int(info.type));
    }
    m_atType->setCurrentIndex(m_atType->findData(int(model::CacheType::F16)));
    bar->addWidget(scan);
    bar->addWidget(addFolder);
    bar->addWidget(fromModel);
    bar->addStretch();
    bar->addWidget(new QLabel(tr("KV cache at"), tab));
    bar->addWidget(m_atContext);
    bar->addWidget(new QLabel(tr("tokens,"), tab));
    bar->addWidget(m_atParallel);
    bar->addWidget(new QLabel(tr("slots,"), tab));
    bar->addWidget(m_atType);
    layout->addLayout(bar);
    m_folders = new QLabel(tab);
    m_folders->setObjectName(QStringLiteral("modelFolders"));
    m_folders->setWordWrap(true);
    m_folders->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scanResult = new QLabel(tab);
    m_scanResult->setObjectName(QStringLiteral("scanResult"));
    m_scanResult->setStyleSheet(QStringLiteral("color: #8E8E93;"));
    layout->addWidget(m_folders);
    layout->addWidget(m_scanResult);
    m_modelRows = new RowsModel({tr("Model"), tr("Architecture"), tr("Parameters"), tr("Quantization"),
                                 tr("Trained context"), tr("Layers"), tr("KV heads"), tr("Head size"),
                                 tr("KV per token"), tr("KV cache"), tr("File size"), tr("Problem")},
                                tab);
    m_modelTable = makeRowsView(tab, QStringLiteral("modelTable"), m_modelRows);
    m_modelTable->setAccessibleName(tr("Model library"));
    layout->addWidget(m_modelTable, 1);

    connect(scan, &QPushButton::clicked, this, [this] {
        m_scanResult->setText(tr("Scanning…"));
        m_servers.scan();
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Add a Model Folder"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &folder) {
            m_scanResult->setText(tr("Scanning…"));
            m_servers.addModelFolder(QDir(folder).absolutePath());
        });
        dialog->open();
    });
    connect(fromModel, &QPushButton::clicked, this, [this] {
        const QString path = currentKey(m_modelTable);
        newServer();
        if (m_dialog && !path.isEmpty())
            m_dialog->selectModel(path);
    });
    connect(m_atContext, &QSpinBox::valueChanged, this, &ServersPage::showModels);
    connect(m_atParallel, &QSpinBox::valueChanged, this, &ServersPage::showModels);
    connect(m_atType, &QComboBox::currentIndexChanged, this, &ServersPage::showModels);
    return tab;
}

QWidget *ServersPage::buildEventLogTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *hint = new QLabel(tr("What CacheWise itself logged since it started: the listener, sources, rules, "
                               "servers and storage (the last %1 lines).")
                                .arg(QLocale().toString(kEventLogCapacity)),
                            tab);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    m_eventLog = new LogView(tr("CacheWise event log"), tab);
    m_eventLog->setObjectName(QStringLiteral("eventLog"));
    m_eventLog->setLevelFilter(LogView::Level::Info);
    connect(m_eventLog, &LogView::message, this, &ServersPage::message);
    layout->addWidget(m_eventLog, 1);
    return tab;
}

void ServersPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
    pollLogs();
    m_poll->start();
}

void ServersPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_poll->stop();
}

void ServersPage::reload()
{
    m_servers.load();
}

void ServersPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

void ServersPage::pollLogs()
{
    // The event log is memory; reading it here costs nothing.
    const QList<EventLogEntry> entries = eventLogSince(m_eventSequence);
    if (!entries.isEmpty()) {
        m_eventSequence = entries.constLast().sequence;
        QList<LogView::Line> lines;
        lines.reserve(entries.size());
        for (const EventLogEntry &e : entries)
            lines << viewLine(e);
        m_eventLog->appendLines(lines);
    }
    if (!m_logShown.isEmpty())
        m_servers.readLog(m_logShown, false);
    // States and process readings change without a database event the window hears of (usage).
    if (++m_pollCount % 5 == 0)
        reload();
}

void ServersPage::show(const services::ServersSnapshot &snapshot)
{
    m_snapshot = snapshot;
    m_loaded = true;
    QList<RowsModel::Row> rows;
    for (const services::ServerRow &r : snapshot.servers) {
        const model::ServerProcess &p = r.process;
        RowsModel::Row row;
        row.key = r.profile.id;
        row.cells
            << RowsModel::Cell(QFileInfo(r.profile.modelPath).fileName(), r.profile.modelPath)
            << RowsModel::Cell(r.projectName)
            << RowsModel::Cell(QString::number(r.profile.port), {}, {}, Qt::AlignRight | Qt::AlignVCenter)
            << RowsModel::Cell(stateText(p.state), p.stateReason, stateColor(p.state))
            << RowsModel::Cell(p.pid ? QString::number(*p.pid) : QStringLiteral("—"))
            << RowsModel::Cell(r.usage ? QStringLiteral("%1 %").arg(formatDecimal(r.usage->cpuPercent, 0))
                                       : QStringLiteral("—"),
                               tr("Share of one CPU core"))
            << RowsModel::Cell(r.usage ? formatBytes(double(r.usage->residentBytes)) : QStringLiteral("—"),
                               tr("Resident memory"));
        rows << row;
    }
    m_serverRows->setRows(rows);
    m_noServers->setVisible(rows.isEmpty());
    m_split->setVisible(!rows.isEmpty());
    if (!m_pendingSelection.isEmpty() && row(m_pendingSelection)) {
        selectServer(m_pendingSelection);
        m_pendingSelection.clear();
    } else if (selectedServer().isEmpty() && !rows.isEmpty()) {
        selectServer(rows.first().key);
    }
    QStringList folders = snapshot.folders.folders;
    folders << snapshot.folders.ollamaStores;
    m_folders->setText(folders.isEmpty() ? tr("No model folder yet: Add Folder… chooses one.")
                                         : tr("Folders: %1").arg(folders.join(QStringLiteral(", "))));
    showModels();
    showDetails();
    updateButtons();
}

void ServersPage::showModels()
{
    analysis::KvConfig at;
    at.context = m_atContext->value();
    at.parallel = m_atParallel->value();
    at.typeK = at.typeV = model::CacheType(m_atType->currentData().toInt());
    const auto right = Qt::AlignRight | Qt::AlignVCenter;
    const QString none = QStringLiteral("—");
    QList<RowsModel::Row> rows;
    for (const servers::ModelFile &m : std::as_const(m_snapshot.models)) {
        RowsModel::Row row;
        row.key = m.path;
        row.cells << RowsModel::Cell(m.name, m.parts.join(QLatin1Char('\n')));
        if (!m.model) {
            for (int i = 0; i < 9; ++i)
                row.cells << RowsModel::Cell(none);
            row.cells << RowsModel::Cell(formatBytes(double(m.sizeBytes)), {}, {}, right)
                      << RowsModel::Cell(QString(m.problem).remove(m.path + QStringLiteral(": ")), m.problem,
                                         theme::danger());
            rows << row;
            continue;
        }
        const analysis::ModelArch &arch = *m.model;
        const auto shape = servers::attentionShape(arch);
        const QString quant = m.fileType ? servers::fileTypeName(*m.fileType) : QString();
        const auto kv = analysis::estimateKv(arch, at);
        row.cells << RowsModel::Cell(arch.family)
                  << RowsModel::Cell(arch.parametersBillions > 0
                                         ? tr("%1 B").arg(formatSignificant(arch.parametersBillions, 3))
                                         : none,
                                     {}, {}, right)
                  << RowsModel::Cell(quant.isEmpty() ? none : quant)
                  << RowsModel::Cell(arch.trainingContext > 0 ? formatCount(arch.trainingContext) : none, {},
                                     {}, right)
                  << RowsModel::Cell(QString::number(arch.layerCount()), {}, {}, right)
                  << RowsModel::Cell(shape ? QString::number(shape->kvHeads) : none, {}, {}, right)
                  << RowsModel::Cell(shape ? QString::number(shape->headSize) : none, {}, {}, right)
                  << RowsModel::Cell(m.kvBytesPerToken ? formatBytes(double(*m.kvBytesPerToken)) : none,
                                     tr("K and V of one token in every layer, at f16"), {}, right)
                  << RowsModel::Cell(kv ? formatBytes(double(kv->totalBytes)) : none,
                                     kv ? tr("What llama-server allocates at -c %1 -np %2 with %3 K and V")
                                              .arg(at.context)
                                              .arg(at.parallel)
                                              .arg(m_atType->currentText())
                                        : kv.errorMessage(),
                                     {}, right)
                  << RowsModel::Cell(formatBytes(double(m.sizeBytes)), {}, {}, right) << RowsModel::Cell();
        rows << row;
    }
    m_modelRows->setRows(rows);
}

std::optional<services::ServerRow> ServersPage::row(const QString &profileId) const
{
    for (const services::ServerRow &r : m_snapshot.servers) {
        if (r.profile.id == profileId)
            return r;
    }
    return std::nullopt;
}

QString ServersPage::selectedServer() const
{
    return currentKey(m_serverTable);
}

void ServersPage::selectServer(const QString &profileId)
{
    for (int i = 0; i < m_serverRows->rowCount(); ++i) {
        if (m_serverRows->keyAt(i) == profileId) {
            m_serverTable->setCurrentIndex(m_serverRows->index(i, 0));
            return;
        }
    }
}

QString ServersPage::kvText() const
{
    return m_kv->text();
}

void ServersPage::showDetails()
{
    const auto r = row(selectedServer());
    if (!r) {
        m_state->clear();
        m_command->clear();
        m_kv->clear();
        m_process->clear();
        m_logShown.clear();
        m_serverLog->clear();
        return;
    }
    const model::ServerProcess &p = r->process;
    QString state = stateText(p.state);
    if (p.startedAtMs && runs(p.state))
        state = tr("%1 since %2").arg(state, formatDateTime(*p.startedAtMs));
    if (!p.stateReason.isEmpty())
        state += QStringLiteral(" — ") + p.stateReason.section(QLatin1Char('\n'), 0, 2);
    m_state->setText(state);
    m_state->setToolTip(p.stateReason);
    if (m_command->toPlainText() != r->commandLine)
        m_command->setPlainText(r->commandLine);
    if (r->kv) {
        // In short on the page (the totals and their K and V); the lines as llama-server prints them on
        // hover.
        const auto brief = [](const QString &line) {
            const auto parsed = analysis::parseLlamaKvLine(line);
            return parsed ? tr("%1 MiB (K %2 %3 MiB, V %4 %5 MiB; %6 cells, %7 layers)")
                                .arg(formatDecimal(parsed->totalMiB, 2), parsed->typeK,
                                     formatDecimal(parsed->kMiB, 2), parsed->typeV,
                                     formatDecimal(parsed->vMiB, 2))
                                .arg(parsed->cells)
                                .arg(parsed->layers)
                          : line;
        };
        const QString difference =
            r->kv->differs ? tr("they differ by %1 MiB").arg(formatDecimal(r->kv->differenceMiB, 2))
                           : tr("they agree");
        m_kv->setText(tr("Logged by llama-server: %1\nComputed by CacheWise: %2 — %3")
                          .arg(brief(r->kv->measuredLine), brief(r->kv->computedLine), difference));
        m_kv->setToolTip(r->kv->measuredLine + QLatin1Char('\n') + r->kv->computedLine);
        m_kv->setStyleSheet(r->kv->differs ? QStringLiteral("color: %1;").arg(theme::warning().name())
                                           : QString());
    } else {
        m_kv->setText(r->profile.measuredKvLine.isEmpty()
                          ? tr("Not logged yet: llama-server logs its allocation while it loads the model.")
                          : tr("Logged by llama-server: %1 (the model cannot be read to compare)")
                                .arg(r->profile.measuredKvLine));
        m_kv->setToolTip(QString());
        m_kv->setStyleSheet(QString());
    }
    if (!p.pid || !runs(p.state)) {
        m_process->setText(tr("Not running"));
    } else if (!r->usage) {
        m_process->setText(tr("PID %1; the first readings come within ten seconds").arg(*p.pid));
    } else {
        const model::ServerUsage &u = *r->usage;
        m_process->setText(tr("PID %1 · CPU %2 % of one core · resident memory %3 · %4")
                               .arg(*p.pid)
                               .arg(formatDecimal(u.cpuPercent, 0), formatBytes(double(u.residentBytes)),
                                    u.gpuBytes ? tr("GPU memory %1").arg(formatBytes(double(*u.gpuBytes)))
                                               : tr("no NVIDIA GPU to read")));
    }
    if (m_logShown != r->profile.id) {
        m_logShown = r->profile.id;
        m_serverLog->clear();
        m_servers.readLog(m_logShown, true);
    }
}

void ServersPage::updateButtons()
{
    const auto r = row(selectedServer());
    const bool running = r && runs(r->process.state);
    m_start->setEnabled(r && !running);
    m_stop->setEnabled(running);
    m_restart->setEnabled(r.has_value());
    m_remove->setEnabled(r && !running);
    m_remove->setToolTip(running ? tr("Stop the server first") : QString());
    m_openProject->setEnabled(r.has_value());
}

void ServersPage::newServer(const QString &projectId)
{
    if (m_dialog) {
        m_dialog->raise();
        return;
    }
    m_dialog = new ServerDialog(window(), m_snapshot, projectId);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &ServerDialog::addRequested, &m_servers, &services::AsyncServers::addServer);
    m_dialog->open();
}

} // namespace cachewise::ui
