// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/uisetup.h"

#include "ui/theme.h"

#include <QApplication>
#include <QFont>
#include <QFontDatabase>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QPointer>
#include <QStyle>
#include <QTranslator>

namespace cachewise::ui {

void applyIdentity(QApplication &app)
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256, 512})
        icon.addFile(QStringLiteral(":/icons/cachewise-%1.png").arg(size), QSize(size, size));
    app.setWindowIcon(icon);
    QGuiApplication::setDesktopFileName(QStringLiteral(CACHEWISE_APP_ID));
}

bool applyTheme(QApplication &app, const QString &theme)
{
    if (QFontDatabase::families().contains(QStringLiteral("Inter"))) {
        QFont font(QStringLiteral("Inter"));
        font.setPointSizeF(10);
        app.setFont(font);
    }
    // The platform's own palette decides "system" (Qt 6.4 has no colour-scheme hint yet).
    static const bool systemIsDark = app.style()->standardPalette().color(QPalette::Window).lightness() < 128;
    const bool dark = theme == QLatin1String("dark") || (theme == QLatin1String("system") && systemIsDark);
    theme::setDark(dark);

    const QColor background = dark ? QColor(0x1C, 0x1C, 0x1E) : QColor(0xF2, 0xF2, 0xF7);
    const QColor surface = dark ? QColor(0x2C, 0x2C, 0x2E) : QColor(0xFF, 0xFF, 0xFF);
    const QColor text = dark ? QColor(0xFF, 0xFF, 0xFF) : QColor(0x00, 0x00, 0x00);
    const QColor border = dark ? QColor(0x3A, 0x3A, 0x3C) : QColor(0xE5, 0xE5, 0xEA);
    QPalette palette = app.style()->standardPalette();
    palette.setColor(QPalette::Window, background);
    palette.setColor(QPalette::Base, surface);
    palette.setColor(QPalette::AlternateBase, dark ? QColor(0x32, 0x32, 0x35) : QColor(0xF7, 0xF7, 0xFA));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::ToolTipBase, surface);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x8E, 0x8E, 0x93));
    palette.setColor(QPalette::Highlight, QColor(0x00, 0x7A, 0xFF));
    palette.setColor(QPalette::HighlightedText, QColor(0xFF, 0xFF, 0xFF));
    palette.setColor(QPalette::Button, surface);
    palette.setColor(QPalette::Link, QColor(0x00, 0x7A, 0xFF));
    // setColor(role) above set every group; a disabled control must look disabled (greyed text, flat).
    const QColor disabledText = dark ? QColor(0x63, 0x63, 0x66) : QColor(0xAE, 0xAE, 0xB2);
    for (const QPalette::ColorRole role :
         {QPalette::ButtonText, QPalette::WindowText, QPalette::Text, QPalette::PlaceholderText})
        palette.setColor(QPalette::Disabled, role, disabledText);
    palette.setColor(QPalette::Disabled, QPalette::Button, background);
    palette.setColor(QPalette::Disabled, QPalette::Base, background);
    app.setPalette(palette);
    // Cards and page furniture in the product's look.
    app.setStyleSheet(QStringLiteral(R"(
        QLabel#pageTitle { font-size: 20px; font-weight: 700; }
        QLabel#sectionTitle { font-size: 14px; font-weight: 600; margin-top: 8px; }
        QLabel#brand { font-size: 16px; font-weight: 700; color: #007AFF; }
        QLabel#secondaryText, QLabel#kpiTitle { color: #8E8E93; }
        QFrame#kpiCard, QFrame#scoreCard { background: %1; border: 1px solid %2; border-radius: 10px; }
        QFrame#kpiCard:hover, QFrame#scoreCard:hover { border: 1px solid #007AFF; }
        QListWidget#sidebar { background: %1; border-right: 1px solid %2; }
        QListWidget#sidebar::item { border-radius: 6px; }
        QListWidget#sidebar::item:selected { background: #007AFF; color: #FFFFFF; }
        QListWidget#sidebar::item:hover:!selected { background: %3; }
        QPushButton#primaryButton, QPushButton#newProjectButton {
            background: #007AFF; color: #FFFFFF; border: none; border-radius: 6px; padding: 6px 14px; }
        QPushButton#primaryButton:hover, QPushButton#newProjectButton:hover { background: #1A88FF; }
        QPushButton#primaryButton:disabled, QPushButton#newProjectButton:disabled {
            background: %2; color: #8E8E93; }
    )")
                          .arg(surface.name(), border.name(), background.name()));
    return dark;
}

} // namespace cachewise::ui
