// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/settingspage.h"

#include "core/ingest/otlp.h"
#include "core/storage/settings.h"
#include "ui/models/rowsmodel.h"
#include "ui/theme.h"
#include "ui/uisetup.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace cachewise::ui {

SettingsPage::SettingsPage(services::AsyncRepository &repository, const QString &dataFolder, QWidget *parent)
    : QWidget(parent), m_repository(repository), m_language(new QComboBox(this)),
      m_theme(new QComboBox(this)),
      m_reducedMotion(new QCheckBox(tr("Reduce motion (no fades or chart animations)"), this)),
      m_listener(new QLabel(this))
{
    setObjectName(QStringLiteral("settingsPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Settings"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    layout->addWidget(title);
    auto *form = new QFormLayout;
    m_language->setObjectName(QStringLiteral("languageChoice"));
    m_language->setAccessibleName(tr("Language"));
    m_language->addItem(tr("System"), QStringLiteral("system"));
    m_language->setToolTip(tr("The window is rebuilt in the chosen language"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Türkçe"), QStringLiteral("tr"));
    m_theme->setObjectName(QStringLiteral("themeChoice"));
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->addItem(tr("System"), QStringLiteral("system"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_reducedMotion->setObjectName(QStringLiteral("reducedMotion"));
    auto *folder = new QLabel(dataFolder, this);
    folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_listener->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_listener->setText(tr("Listener starting…"));
    form->addRow(tr("Language"), m_language);
    form->addRow(tr("Theme"), m_theme);
    form->addRow(QString(), m_reducedMotion);
    form->addRow(tr("Data folder"), folder);
    form->addRow(tr("Listener"), m_listener);
    layout->addLayout(form);

    auto *otlpTitle = new QLabel(tr("OpenTelemetry"), this);
    otlpTitle->setObjectName(QStringLiteral("sectionTitle"));
    layout->addWidget(otlpTitle);
    auto *otlpHint =
        new QLabel(tr("Programs send OTLP/HTTP (JSON or protobuf) to the listener's /v1/metrics. "
                      "Well-known metric names are read without setting anything up; map your "
                      "own names here, or map a well-known one to \"Ignore\"."),
                   this);
    otlpHint->setWordWrap(true);
    layout->addWidget(otlpHint);
    auto *otlpForm = new QFormLayout;
    m_projectAttribute = new QLineEdit(this);
    m_projectAttribute->setObjectName(QStringLiteral("otlpProjectAttribute"));
    m_projectAttribute->setAccessibleName(tr("Project from resource attribute"));
    m_projectAttribute->setToolTip(tr("A program that sends without a project's key lands in the project "
                                      "named by this resource attribute's value"));
    otlpForm->addRow(tr("Project from resource attribute"), m_projectAttribute);
    layout->addLayout(otlpForm);
    m_otlpNameRows = new RowsModel({tr("Metric name"), tr("Read as")}, this);
    m_otlpNames = makeRowsView(this, QStringLiteral("otlpNames"), m_otlpNameRows);
    m_otlpNames->setAccessibleName(tr("Your OpenTelemetry metric names"));
    m_otlpNames->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_otlpNames->setMaximumHeight(160);
    layout->addWidget(m_otlpNames);
    auto *mapRow = new QHBoxLayout;
    m_otlpName = new QLineEdit(this);
    m_otlpName->setObjectName(QStringLiteral("otlpName"));
    m_otlpName->setPlaceholderText(QStringLiteral("my_app.kv_cache.blocks"));
    m_otlpName->setAccessibleName(tr("Metric name"));
    m_otlpField = new QComboBox(this);
    m_otlpField->setObjectName(QStringLiteral("otlpField"));
    m_otlpField->setAccessibleName(tr("Read as"));
    for (const QString &field : ingest::otlpFieldNames())
        m_otlpField->addItem(fieldLabel(field), field);
    auto *map = new QPushButton(tr("Map"), this);
    map->setObjectName(QStringLiteral("otlpMapButton"));
    auto *unmap = new QPushButton(tr("Remove"), this);
    unmap->setObjectName(QStringLiteral("otlpUnmapButton"));
    mapRow->addWidget(m_otlpName, 1);
    mapRow->addWidget(new QLabel(tr("as"), this));
    mapRow->addWidget(m_otlpField);
    mapRow->addWidget(map);
    mapRow->addWidget(unmap);
    layout->addLayout(mapRow);
    layout->addStretch();

    connect(m_projectAttribute, &QLineEdit::editingFinished, this, [this] {
        if (m_filling)
            return;
        // Checked here first, so a refused value goes back to the saved one instead of lingering.
        auto valid =
            storage::validateSetting(storage::setting::OtlpProjectAttribute, m_projectAttribute->text());
        if (!valid) {
            m_projectAttribute->setText(m_savedProjectAttribute);
            Q_EMIT message(tr("Not saved: %1").arg(valid.errorMessage()));
            return;
        }
        m_savedProjectAttribute = valid.value();
        m_repository.saveSetting(storage::setting::OtlpProjectAttribute, valid.value());
    });
    connect(map, &QPushButton::clicked, this, [this] {
        const QString name = m_otlpName->text().trimmed();
        if (name.isEmpty())
            return;
        m_repository.mapOtlpName(name, m_otlpField->currentData().toString());
        m_otlpName->clear();
        Q_EMIT message(tr("%1 is read as %2 from now on").arg(name, m_otlpField->currentText()));
    });
    connect(unmap, &QPushButton::clicked, this, [this] {
        if (const QString name = currentKey(m_otlpNames); !name.isEmpty())
            m_repository.unmapOtlpName(name);
    });
    connect(&m_repository, &services::AsyncRepository::otlpNamesLoaded, this, &SettingsPage::showOtlpNames);
    m_repository.loadOtlpNames();

    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        const QString language = m_language->currentData().toString();
        m_repository.saveSetting(storage::setting::UiLanguage, language);
        Q_EMIT languageChanged(language);
    });
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        const QString theme = m_theme->currentData().toString();
        m_repository.saveSetting(storage::setting::UiTheme, theme);
        applyTheme(*qApp, theme);
        Q_EMIT appearanceChanged();
    });
    connect(m_reducedMotion, &QCheckBox::toggled, this, [this](bool on) {
        if (m_filling)
            return;
        m_repository.saveSetting(storage::setting::UiReducedMotion,
                                 on ? QStringLiteral("1") : QStringLiteral("0"));
        theme::setReducedMotion(on);
        Q_EMIT appearanceChanged();
    });
    connect(&m_repository, &services::AsyncRepository::settingsLoaded, this, &SettingsPage::show);
    m_repository.loadSettings();
}

void SettingsPage::show(const QMap<QString, QString> &settings)
{
    m_filling = true;
    m_language->setCurrentIndex(
        std::max(0, m_language->findData(settings.value(storage::setting::UiLanguage))));
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(settings.value(storage::setting::UiTheme))));
    m_reducedMotion->setChecked(settings.value(storage::setting::UiReducedMotion) == QLatin1String("1"));
    m_savedProjectAttribute = settings.value(storage::setting::OtlpProjectAttribute);
    m_projectAttribute->setText(m_savedProjectAttribute);
    m_filling = false;
}

void SettingsPage::showOtlpNames(const QMap<QString, QString> &fieldByName)
{
    QList<RowsModel::Row> rows;
    for (auto it = fieldByName.cbegin(); it != fieldByName.cend(); ++it)
        rows.append({it.key(), {{it.key()}, {fieldLabel(it.value())}}});
    m_otlpNameRows->setRows(std::move(rows));
}

QString SettingsPage::fieldLabel(const QString &field)
{
    static const QHash<QString, const char *> labels{
        {QStringLiteral("ignore"), QT_TR_NOOP("Ignore")},
        {QStringLiteral("kv_cache_usage_ratio"), QT_TR_NOOP("KV cache usage (0 to 1)")},
        {QStringLiteral("kv_cache_bytes"), QT_TR_NOOP("KV cache size (bytes)")},
        {QStringLiteral("kv_cache_kib"), QT_TR_NOOP("KV cache size (KiB)")},
        {QStringLiteral("kv_cache_capacity_bytes"), QT_TR_NOOP("KV cache capacity (bytes)")},
        {QStringLiteral("memory_bytes"), QT_TR_NOOP("Memory (bytes)")},
        {QStringLiteral("requests_running"), QT_TR_NOOP("Requests running")},
        {QStringLiteral("requests_waiting"), QT_TR_NOOP("Requests waiting")},
        {QStringLiteral("prefix_cache_hit_rate"), QT_TR_NOOP("Prefix-cache hit rate (0 to 1)")},
        {QStringLiteral("tokens"), QT_TR_NOOP("Tokens")},
        {QStringLiteral("preemptions"), QT_TR_NOOP("Preemptions")},
        {QStringLiteral("request_duration"), QT_TR_NOOP("Request duration")},
        {QStringLiteral("time_to_first_token"), QT_TR_NOOP("Time to first token")},
    };
    const char *label = labels.value(field);
    return label ? tr(label) : field;
}

void SettingsPage::setListenerUrl(const QString &url)
{
    m_listener->setText(url);
}

} // namespace cachewise::ui
