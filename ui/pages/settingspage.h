// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/services/asyncrepository.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace cachewise::ui {

class RowsModel;

// The app's own settings: language, theme, reduced motion; where the data lives; how OpenTelemetry
// metrics are read (which resource attribute names the project, the user's own metric names).
class SettingsPage final : public QWidget
{
    Q_OBJECT

public:
    SettingsPage(services::AsyncRepository &repository, const QString &dataFolder, QWidget *parent = nullptr);

    void setListenerUrl(const QString &url);

Q_SIGNALS:
    void appearanceChanged();
    void languageChanged(const QString &language);
    void message(const QString &text);

private:
    void show(const QMap<QString, QString> &settings);
    void showOtlpNames(const QMap<QString, QString> &fieldByName);
    static QString fieldLabel(const QString &field);

    services::AsyncRepository &m_repository;
    QComboBox *m_language;
    QComboBox *m_theme;
    QCheckBox *m_reducedMotion;
    QLabel *m_listener;
    QLineEdit *m_projectAttribute;
    QString m_savedProjectAttribute;
    RowsModel *m_otlpNameRows;
    QTableView *m_otlpNames;
    QLineEdit *m_otlpName;
    QComboBox *m_otlpField;
    bool m_filling = false;
};

} // namespace cachewise::ui
