// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QList>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

namespace cachewise::ui {

void installTranslations(QCoreApplication &app, const char *language)
{
    // Replaces what an earlier call installed, so the language can be switched (screenshots).
    static QList<QPointer<QTranslator>> installed;
    for (const QPointer<QTranslator> &t : std::as_const(installed)) {
        if (t) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    }
    installed.clear();
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
    installed << translator << qtTranslator;
}

} // namespace cachewise::ui
