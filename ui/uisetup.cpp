// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/uisetup.h"

#include <QApplication>
#include <QFont>
#include <QFontDatabase>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QTranslator>

namespace cachewise::ui {

void installTranslations(QCoreApplication &app, const char *language)
{
    const QString choice = QString::fromLatin1(language);
    const QLocale locale = choice == QLatin1String("system") ? QLocale::system() : QLocale(choice);
    QLocale::setDefault(locale);
    auto *translator = new QTranslator(&app);
    if (translator->load(locale, QStringLiteral("cachewise"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(translator);
    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
}

void applyTheme(QApplication &app)
{
    if (QFontDatabase::families().contains(QStringLiteral("Inter"))) {
        QFont font(QStringLiteral("Inter"));
        font.setPointSizeF(10);
        app.setFont(font);
    }
    QPalette palette = app.palette();
    palette.setColor(QPalette::Window, QColor(0xF2, 0xF2, 0xF7));
    palette.setColor(QPalette::Base, QColor(0xFF, 0xFF, 0xFF));
    palette.setColor(QPalette::AlternateBase, QColor(0xF7, 0xF7, 0xFA));
    palette.setColor(QPalette::Text, QColor(0x00, 0x00, 0x00));
    palette.setColor(QPalette::WindowText, QColor(0x00, 0x00, 0x00));
    palette.setColor(QPalette::PlaceholderText, QColor(0x8E, 0x8E, 0x93));
    palette.setColor(QPalette::Highlight, QColor(0x00, 0x7A, 0xFF));
    palette.setColor(QPalette::HighlightedText, QColor(0xFF, 0xFF, 0xFF));
    palette.setColor(QPalette::Button, QColor(0xFF, 0xFF, 0xFF));
    palette.setColor(QPalette::Link, QColor(0x00, 0x7A, 0xFF));
    app.setPalette(palette);
    // Cards and page furniture in the product's look; colours from the palette above.
    app.setStyleSheet(QStringLiteral(R"(
        QLabel#pageTitle { font-size: 20px; font-weight: 700; }
        QLabel#brand { font-size: 16px; font-weight: 700; color: #007AFF; }
        QLabel#secondaryText, QLabel#kpiTitle { color: #8E8E93; }
        QFrame#kpiCard { background: #FFFFFF; border: 1px solid #E5E5EA; border-radius: 10px; }
        QListWidget#sidebar { background: #FFFFFF; border-right: 1px solid #E5E5EA; }
        QListWidget#sidebar::item { padding: 6px 10px; border-radius: 6px; }
        QListWidget#sidebar::item:selected { background: #007AFF; color: #FFFFFF; }
        QListWidget#sidebar::item:hover:!selected { background: #F2F2F7; }
        QPushButton#primaryButton, QPushButton#newProjectButton {
            background: #007AFF; color: #FFFFFF; border: none; border-radius: 6px; padding: 6px 14px; }
        QPushButton#primaryButton:hover, QPushButton#newProjectButton:hover { background: #1A88FF; }
    )"));
}

} // namespace cachewise::ui
