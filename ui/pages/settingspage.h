// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/asyncrepository.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;

namespace cachewise::ui {

// The app's own settings: language, theme, reduced motion; where the data lives.
class SettingsPage final : public QWidget
{
    Q_OBJECT

public:
    SettingsPage(storage::AsyncRepository &repository, const QString &dataFolder, QWidget *parent = nullptr);

    void setListenerUrl(const QString &url);

Q_SIGNALS:
    void appearanceChanged();
    void languageChanged(const QString &language);
    void message(const QString &text);

private:
    void show(const QMap<QString, QString> &settings);

    storage::AsyncRepository &m_repository;
    QComboBox *m_language;
    QComboBox *m_theme;
    QCheckBox *m_reducedMotion;
    QLabel *m_listener;
    bool m_filling = false;
};

} // namespace cachewise::ui
