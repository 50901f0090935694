// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/project/projectsettingspanel.h"

#include "core/analysis/projectanalysis.h"
#include "core/common/random.h"
#include "core/common/units.h"
#include "ui/dialogs/confirmdialog.h"
#include "ui/models/rowsmodel.h"
#include "ui/theme.h"
#include "ui/widgets/pushsnippets.h"
#include "ui/widgets/runtimeeditor.h"
#include "ui/widgets/sourcespanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace cachewise::ui {
namespace {

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(QStringLiteral("sectionTitle"));
    return label;
}

// A section's title and, when given, the sentence under it that says what it is for.
void addSection(QVBoxLayout *layout, QWidget *parent, const QString &title, const QString &hint = {})
{
    layout->addWidget(sectionTitle(title, parent));
    if (hint.isEmpty())
        return;
    auto *text = new QLabel(hint, parent);
    text->setWordWrap(true);
    layout->addWidget(text);
}

} // namespace

ProjectSettingsPanel::ProjectSettingsPanel(services::AsyncRepository &repository, QWidget *parent)
    : QWidget(parent), m_repository(repository)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("settingsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *tab = new QWidget(scroll);
    scroll->setWidget(tab);
    auto *layout = new QVBoxLayout(tab);

    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(sectionTitle(tr("Model details"), tab));
    modelRow->addStretch();
    auto *edit = new QPushButton(tr("Edit"), tab);
    edit->setObjectName(QStringLiteral("editModelButton"));
    connect(edit, &QPushButton::clicked, this, [this] { Q_EMIT editRequested(m_project); });
    modelRow->addWidget(edit);
    layout->addLayout(modelRow);

    addSection(layout, tab, tr("Engine and model"),
               tr("The KV memory, the recommendations and the score are computed from this."));
    m_runtime = new RuntimeEditor(tab);
    m_runtime->setObjectName(QStringLiteral("runtimeEditor"));
    layout->addWidget(m_runtime);
    connect(m_runtime, &RuntimeEditor::saveRequested, this,
            [this](const model::ProjectRuntime &runtime) { m_repository.saveRuntime(m_projectId, runtime); });
    connect(&m_repository, &services::AsyncRepository::runtimeSaved, this, [this](const QString &projectId) {
        if (projectId != m_projectId)
            return;
        m_runtimeLoadedFor.clear(); // show what was stored
        Q_EMIT message(tr("Engine and model saved; recommendations recomputed"));
        Q_EMIT reloadRequested();
    });
    connect(&m_repository, &services::AsyncRepository::runtimeRefused, this,
            [this](const QString &, const QString &text) { m_runtime->showError(text); });

    addSection(layout, tab, tr("Sources"),
               tr("Servers CacheWise reads on a schedule instead of waiting for pushes."));
    m_sources = new SourcesPanel(tab);
    m_sources->setObjectName(QStringLiteral("sourcesPanel"));
    layout->addWidget(m_sources);
    connect(m_sources, &SourcesPanel::launchRequested, this, &ProjectSettingsPanel::newServerRequested);
    connect(m_sources, &SourcesPanel::addRequested, this,
            [this](model::Engine engine, const QString &url, int intervalMs, const QString &apiKey) {
                model::Source source;
                source.projectId = m_projectId;
                source.engine = engine;
                source.baseUrl = url;
                source.intervalMs = intervalMs;
                m_repository.addSource(source, apiKey);
            });
    connect(m_sources, &SourcesPanel::apiKeyRequested, &m_repository,
            &services::AsyncRepository::setSourceApiKey);
    connect(m_sources, &SourcesPanel::removeRequested, &m_repository,
            &services::AsyncRepository::removeSource);
    connect(m_sources, &SourcesPanel::enableRequested, &m_repository,
            &services::AsyncRepository::setSourceEnabled);
    connect(&m_repository, &services::AsyncRepository::sourcesChanged, this,
            [this](const QString &projectId) {
                if (projectId != m_projectId)
                    return;
                m_sources->clearInput();
                Q_EMIT message(tr("Sources saved; the app reads them within seconds"));
                Q_EMIT reloadRequested();
            });
    connect(&m_repository, &services::AsyncRepository::sourceRefused, this,
            [this](const QString &field, const QString &text) {
                m_sources->showError(field == QLatin1String("apiKey")
                                         ? tr("The API key could not be kept in the OS keychain, so nothing "
                                              "was changed: %1")
                                               .arg(text)
                                         : text);
            });

    addSection(layout, tab, tr("Automated Management"));
    auto *automation = new QFormLayout;
    m_automationEnabled = new QCheckBox(tr("Enable Automated Management"), tab);
    m_automationEnabled->setObjectName(QStringLiteral("automationEnabled"));
    m_automationDryRun =
        new QCheckBox(tr("Dry run: record decisions in the action log, change nothing"), tab);
    m_automationDryRun->setObjectName(QStringLiteral("automationDryRun"));
    m_maxCache = new QLineEdit(tab);
    m_maxCache->setObjectName(QStringLiteral("maxCachePercent"));
    m_maxCache->setAccessibleName(tr("Max Cache Size (%)"));
    m_maxCache->setToolTip(tr("Act when the KV cache is fuller than this share of its capacity"));
    m_maxLatency = new QLineEdit(tab);
    m_maxLatency->setObjectName(QStringLiteral("maxLatencyIncreasePercent"));
    m_maxLatency->setAccessibleName(tr("Max Latency Increase (%)"));
    m_maxLatency->setToolTip(tr("Act when inference time rises more than this against its recent average"));
    auto error = [tab](const QString &name) {
        auto *label = new QLabel(tab);
        label->setObjectName(name);
        label->setStyleSheet(QStringLiteral("color: #FF3B30;"));
        label->hide();
        return label;
    };
    m_maxCacheError = error(QStringLiteral("maxCacheError"));
    m_maxLatencyError = error(QStringLiteral("maxLatencyError"));
    m_hysteresis = new QLineEdit(tab);
    m_hysteresis->setObjectName(QStringLiteral("hysteresisPercent"));
    m_hysteresis->setAccessibleName(tr("Hysteresis (percentage points)"));
    m_hysteresis->setToolTip(
        tr("After acting, wait until the value is this far below its limit before acting on a "
           "new crossing"));
    m_cooldown = new QSpinBox(tab);
    m_cooldown->setObjectName(QStringLiteral("cooldownSeconds"));
    m_cooldown->setRange(0, 86400);
    m_cooldown->setSuffix(tr(" s"));
    m_cooldown->setAccessibleName(tr("Cooldown"));
    m_cooldown->setToolTip(tr("At least this long between two actions of the same rule"));
    m_webhookUrl = new QLineEdit(tab);
    m_webhookUrl->setObjectName(QStringLiteral("webhookUrl"));
    m_webhookUrl->setPlaceholderText(QStringLiteral("https://example.org/hooks/cachewise"));
    m_webhookUrl->setAccessibleName(tr("Webhook URL"));
    m_webhookSecret = new QLineEdit(tab);
    m_webhookSecret->setObjectName(QStringLiteral("webhookSecret"));
    m_webhookSecret->setAccessibleName(tr("Webhook signing secret"));
    m_webhookSecret->setToolTip(
        tr("Each webhook carries X-CacheWise-Signature: sha256=HMAC-SHA256(secret, body)"));
    auto *generateSecret = new QPushButton(tr("Generate"), tab);
    generateSecret->setObjectName(QStringLiteral("generateWebhookSecret"));
    connect(generateSecret, &QPushButton::clicked, this,
            [this] { m_webhookSecret->setText(random::urlSafeToken(24)); });
    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(m_webhookSecret, 1);
    secretRow->addWidget(generateSecret);
    m_automationError = error(QStringLiteral("automationError"));
    auto *saveAutomation = new QPushButton(tr("Save Changes"), tab);
    saveAutomation->setObjectName(QStringLiteral("saveAutomationButton"));
    connect(saveAutomation, &QPushButton::clicked, this, &ProjectSettingsPanel::saveAutomation);
    automation->addRow(m_automationEnabled);
    automation->addRow(m_automationDryRun);
    automation->addRow(tr("Max Cache Size (%)"), m_maxCache);
    automation->addRow(QString(), m_maxCacheError);
    automation->addRow(tr("Max Latency Increase (%)"), m_maxLatency);
    automation->addRow(QString(), m_maxLatencyError);
    automation->addRow(tr("Hysteresis (percentage points)"), m_hysteresis);
    automation->addRow(tr("Cooldown"), m_cooldown);
    automation->addRow(tr("Webhook URL"), m_webhookUrl);
    automation->addRow(tr("Webhook signing secret"), secretRow);
    automation->addRow(QString(), m_automationError);
    automation->addRow(QString(), saveAutomation);
    layout->addLayout(automation);
    connect(&m_repository, &services::AsyncRepository::automationSaved, this,
            [this](const QString &projectId, const model::AutomationSettings &settings) {
                if (projectId != m_projectId)
                    return;
                showAutomation(settings);
                Q_EMIT message(tr("Automated management settings saved"));
            });
    connect(&m_repository, &services::AsyncRepository::automationRefused, this,
            [this](const QString &field, const QString &text) {
                QLabel *label = field == QLatin1String("maxLatencyIncreasePercent") ? m_maxLatencyError
                                : field == QLatin1String("maxCachePercent")         ? m_maxCacheError
                                                                                    : m_automationError;
                label->setText(text);
                label->show();
            });

    auto *keysRow = new QHBoxLayout;
    keysRow->addWidget(sectionTitle(tr("Integration keys"), tab));
    keysRow->addStretch();
    auto *create = new QPushButton(tr("Create key"), tab);
    create->setObjectName(QStringLiteral("createKeyButton"));
    auto *revoke = new QPushButton(tr("Revoke"), tab);
    revoke->setObjectName(QStringLiteral("revokeKeyButton"));
    keysRow->addWidget(create);
    keysRow->addWidget(revoke);
    layout->addLayout(keysRow);

    m_newKeyBox = new QWidget(tab);
    auto *newKeyRow = new QHBoxLayout(m_newKeyBox);
    newKeyRow->setContentsMargins(0, 0, 0, 0);
    auto *newKeyLabel = new QLabel(tr("New key (shown once):"), m_newKeyBox);
    m_newKey = new QLineEdit(m_newKeyBox);
    m_newKey->setObjectName(QStringLiteral("newKey"));
    m_newKey->setReadOnly(true);
    auto *copy = new QPushButton(tr("Copy"), m_newKeyBox);
    copy->setObjectName(QStringLiteral("copyKeyButton"));
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_newKey->text());
        Q_EMIT message(tr("Key copied to the clipboard"));
    });
    newKeyRow->addWidget(newKeyLabel);
    newKeyRow->addWidget(m_newKey, 1);
    newKeyRow->addWidget(copy);
    m_newKeyBox->hide();
    layout->addWidget(m_newKeyBox);

    m_keyRows = new RowsModel({tr("Key"), tr("Name"), tr("Created"), tr("Last used"), tr("Status")}, this);
    m_keys = makeRowsView(tab, QStringLiteral("keyTable"), m_keyRows);
    m_keys->setMaximumHeight(180);
    layout->addWidget(m_keys);
    connect(create, &QPushButton::clicked, this,
            [this] { m_repository.createApiKey(m_projectId, tr("created in the app")); });
    connect(revoke, &QPushButton::clicked, this, [this] {
        const QString keyId = currentKey(m_keys);
        if (keyId.isEmpty())
            return;
        auto *box = new ConfirmDialog(this, tr("Revoke"),
                                      tr("Revoke this key? Programs that push with it get 401 from now on."),
                                      tr("Revoke"));
        box->setObjectName(QStringLiteral("confirmRevoke"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QDialog::accepted, this, [this, keyId] { m_repository.revokeApiKey(keyId); });
        box->open();
    });

    auto *snippetRow = new QHBoxLayout;
    snippetRow->addWidget(sectionTitle(tr("Push metrics from your program"), tab));
    snippetRow->addStretch();
    m_snippetKind = new QComboBox(tab);
    m_snippetKind->setObjectName(QStringLiteral("snippetKind"));
    m_snippetKind->addItems(snippetKindNames());
    connect(m_snippetKind, &QComboBox::currentIndexChanged, this, &ProjectSettingsPanel::updateSnippet);
    snippetRow->addWidget(m_snippetKind);
    auto *copySnippet = new QPushButton(tr("Copy"), tab);
    connect(copySnippet, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_snippet->toPlainText());
        Q_EMIT message(tr("Snippet copied to the clipboard"));
    });
    snippetRow->addWidget(copySnippet);
    layout->addLayout(snippetRow);
    m_snippet = new QPlainTextEdit(tab);
    m_snippet->setObjectName(QStringLiteral("pushSnippet"));
    m_snippet->setReadOnly(true);
    m_snippet->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_snippet->setMinimumHeight(160);
    layout->addWidget(m_snippet, 1);
    outer->addWidget(scroll);
    connect(&m_repository, &services::AsyncRepository::apiKeyCreated, this,
            [this](const model::NewApiKey &key) {
                if (key.key.projectId != m_projectId)
                    return;
                m_newKey->setText(key.secret);
                m_newKeyBox->show();
                Q_EMIT message(tr("API key created. Copy it now: it is shown only once."));
                Q_EMIT reloadRequested();
            });
    connect(&m_repository, &services::AsyncRepository::apiKeyRevoked, this, [this] {
        Q_EMIT message(tr("API key revoked"));
        Q_EMIT reloadRequested();
    });
}

void ProjectSettingsPanel::showProject(const QString &projectId)
{
    m_projectId = projectId;
    m_newKeyBox->hide();
    m_newKey->clear();
}

void ProjectSettingsPanel::show(const services::ProjectSnapshot &snapshot)
{
    m_project = snapshot.overview.project;
    updateSnippet();
    showKeys(snapshot.keys);
    if (!m_automationLoaded || m_loadedAutomationFor != m_projectId) {
        // Filled once per project, so a periodic reload never overwrites what the user is typing.
        showAutomation(snapshot.automation);
        m_automationLoaded = true;
        m_loadedAutomationFor = m_projectId;
    }
    if (m_runtimeLoadedFor != m_projectId) {
        m_runtime->setRuntime(snapshot.runtime);
        m_runtimeLoadedFor = m_projectId;
    }
    m_sources->setSources(snapshot.sources);
}

void ProjectSettingsPanel::showAutomation(const model::AutomationSettings &settings)
{
    m_automationEnabled->setChecked(settings.enabled);
    m_automationDryRun->setChecked(settings.dryRun);
    m_maxCache->setText(formatSignificant(settings.maxCachePercent, 6));
    m_maxLatency->setText(formatSignificant(settings.maxLatencyIncreasePercent, 6));
    m_hysteresis->setText(formatSignificant(settings.hysteresisPercent, 6));
    m_cooldown->setValue(settings.cooldownSeconds);
    m_webhookUrl->setText(settings.webhookUrl);
    m_webhookSecret->setText(settings.webhookSecret);
    m_maxCacheError->hide();
    m_maxLatencyError->hide();
    m_automationError->hide();
}

void ProjectSettingsPanel::saveAutomation()
{
    m_maxCacheError->hide();
    m_maxLatencyError->hide();
    m_automationError->hide();
    // Numbers as the user writes them in their language (Turkish: 92,5).
    bool cacheOk = false;
    bool latencyOk = false;
    const double cache = QLocale().toDouble(m_maxCache->text().trimmed(), &cacheOk);
    const double latency = QLocale().toDouble(m_maxLatency->text().trimmed(), &latencyOk);
    if (!cacheOk) {
        m_maxCacheError->setText(tr("Please enter a valid number."));
        m_maxCacheError->show();
    }
    if (!latencyOk) {
        m_maxLatencyError->setText(tr("Please enter a valid number."));
        m_maxLatencyError->show();
    }
    if (cacheOk && (cache <= 0 || cache > 100)) {
        m_maxCacheError->setText(tr("Enter a percentage above 0 and at most 100."));
        m_maxCacheError->show();
        cacheOk = false;
    }
    if (latencyOk && (latency < 0 || latency > 1000)) {
        m_maxLatencyError->setText(tr("Enter a percentage from 0 to 1000."));
        m_maxLatencyError->show();
        latencyOk = false;
    }
    bool hysteresisOk = false;
    const double hysteresis = QLocale().toDouble(m_hysteresis->text().trimmed(), &hysteresisOk);
    if (!hysteresisOk || hysteresis < 0 || hysteresis > 50) {
        m_automationError->setText(tr("Hysteresis: enter a number from 0 to 50."));
        m_automationError->show();
        return;
    }
    if (!cacheOk || !latencyOk)
        return;
    model::AutomationSettings settings;
    settings.hysteresisPercent = hysteresis;
    settings.cooldownSeconds = m_cooldown->value();
    settings.webhookUrl = m_webhookUrl->text().trimmed();
    settings.webhookSecret = m_webhookSecret->text().trimmed();
    settings.enabled = m_automationEnabled->isChecked();
    settings.dryRun = m_automationDryRun->isChecked();
    settings.maxCachePercent = cache;
    settings.maxLatencyIncreasePercent = latency;
    m_repository.saveAutomation(m_projectId, settings);
}

void ProjectSettingsPanel::setListenerUrl(const QString &url)
{
    m_listenerUrl = url;
    updateSnippet();
}

void ProjectSettingsPanel::updateSnippet()
{
    m_snippet->setPlainText(
        pushSnippet(SnippetKind(m_snippetKind->currentIndex()), m_listenerUrl, m_projectId));
}

void ProjectSettingsPanel::showKeys(const QList<model::ApiKey> &keys)
{
    QList<RowsModel::Row> rows;
    for (const model::ApiKey &k : keys)
        rows.append({k.id,
                     {{k.prefix + QStringLiteral("…")},
                      {k.name},
                      {formatDateTime(k.createdAtMs)},
                      {k.lastUsedAtMs ? formatDateTime(*k.lastUsedAtMs) : tr("never")},
                      {k.revoked() ? tr("Revoked") : tr("Active")}}});
    m_keyRows->setRows(std::move(rows));
}

} // namespace cachewise::ui
