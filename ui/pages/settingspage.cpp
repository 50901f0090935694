// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/settingspage.h"

#include "core/storage/settings.h"
#include "ui/theme.h"
#include "ui/uisetup.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace cachewise::ui {

SettingsPage::SettingsPage(storage::AsyncRepository &repository, const QString &dataFolder, QWidget *parent)
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
    layout->addStretch();

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
    connect(&m_repository, &storage::AsyncRepository::settingsLoaded, this, &SettingsPage::show);
    m_repository.loadSettings();
}

void SettingsPage::show(const QMap<QString, QString> &settings)
{
    m_filling = true;
    m_language->setCurrentIndex(
        std::max(0, m_language->findData(settings.value(storage::setting::UiLanguage))));
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(settings.value(storage::setting::UiTheme))));
    m_reducedMotion->setChecked(settings.value(storage::setting::UiReducedMotion) == QLatin1String("1"));
    m_filling = false;
}

void SettingsPage::setListenerUrl(const QString &url)
{
    m_listener->setText(url);
}

} // namespace cachewise::ui
