// SPDX-License-Identifier: GPL-3.0-or-later
// cachewise: the desktop app, or with --headless the storage, listener and rules without a window.
#include "app/cachewise/application.h"
#include "core/common/eventlog.h"
#include "core/common/paths.h"
#include "core/services/engine.h"
#include "core/storage/livefeed.h"
#include "core/storage/sampleconversion.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTextStream>

#ifdef CACHEWISE_WITH_UI
#include "ui/dialogs/conversiondialog.h"
#include "ui/mainwindow.h"
#include "ui/screenshots.h"
#include "ui/theme.h"
#include "ui/uisetup.h"
#include "ui/windowhost.h"

#include <QApplication>
#endif

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

[[maybe_unused]] bool argumentsAsk(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], flag) == 0)
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace cachewise;
    installEventLog(); // the window's event log shows what the parts log from here on
    std::unique_ptr<QCoreApplication> qapp;
#ifdef CACHEWISE_WITH_UI
    // No display is needed for headless mode, --help or --version.
    const bool headless = argumentsAsk(argc, argv, "--headless") || argumentsAsk(argc, argv, "--help") ||
                          argumentsAsk(argc, argv, "-h") || argumentsAsk(argc, argv, "--version") ||
                          argumentsAsk(argc, argv, "-v");
    if (headless)
        qapp = std::make_unique<QCoreApplication>(argc, argv);
    else
        qapp = std::make_unique<QApplication>(argc, argv);
#else
    qapp = std::make_unique<QCoreApplication>(argc, argv);
#endif
    QCoreApplication::setApplicationName(QStringLiteral("cachewise"));
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setApplicationVersion(QStringLiteral(CACHEWISE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("CacheWise: watch, explain and manage the KV cache of local LLM servers."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headlessOption(
        QStringLiteral("headless"), QStringLiteral("Run storage, listener and rules without a window."));
    const QCommandLineOption dataDirOption(
        QStringLiteral("data-dir"),
        QStringLiteral("Keep the database in DIR (default: %1).").arg(paths::defaultDataDir()),
        QStringLiteral("DIR"));
    const QCommandLineOption listenOption(
        QStringLiteral("listen"),
        QStringLiteral(
            "Listen on HOST:PORT (default: the listen.address setting, 127.0.0.1:4318; port 0 picks a "
            "free port)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption allowRemoteOption(
        QStringLiteral("allow-remote"),
        QStringLiteral("Allow --listen on an address other machines can reach."));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"), QStringLiteral("Load the sample projects with a two-hour metric history."));
    const QCommandLineOption screenshotsOption(
        QStringLiteral("screenshots"),
        QStringLiteral("Render every page in English and Turkish, light and dark, with the demo data (in a "
                       "temporary folder) to PNG files in DIR, then exit."),
        QStringLiteral("DIR"));
    parser.addOptions(
        {headlessOption, dataDirOption, listenOption, allowRemoteOption, demoOption, screenshotsOption});
    if (!parser.parse(QCoreApplication::arguments())) {
        std::fprintf(stderr, "cachewise: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "cachewise: unexpected argument '%s' (see --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }

    app::Options options;
    options.dataDir = parser.isSet(dataDirOption) ? parser.value(dataDirOption) : paths::defaultDataDir();
    const QString screenshots = parser.value(screenshotsOption);
    QTemporaryDir screenshotData;
    if (!screenshots.isEmpty()) {
#ifndef CACHEWISE_WITH_UI
        std::fprintf(stderr, "cachewise: --screenshots needs the desktop UI, which this build leaves out\n");
        return 2;
#endif
        if (parser.isSet(headlessOption)) {
            std::fprintf(stderr, "cachewise: --screenshots and --headless do not go together\n");
            return 2;
        }
        // Never the user's own data: a throwaway folder with the demo projects.
        options.dataDir = screenshotData.path();
    }
    options.listen = screenshots.isEmpty() ? parser.value(listenOption) : QStringLiteral("127.0.0.1:0");
    options.allowRemote = parser.isSet(allowRemoteOption);
    options.demo = parser.isSet(demoOption) || !screenshots.isEmpty();
    options.headless = parser.isSet(headlessOption);
#ifndef CACHEWISE_WITH_UI
    options.headless = true; // built without the UI
#endif

    app::Application application(options);
    int exitCode = 0;
    QObject::connect(&application, &app::Application::listening, &application, [](const QString &url) {
        std::fprintf(stdout, "listening on %s\n", qPrintable(url));
        std::fflush(stdout);
    });
    QObject::connect(&application, &app::Application::listenFailed, &application,
                     [&](const QString &message, ErrorKind kind) {
                         std::fprintf(stderr, "cachewise: %s\n", qPrintable(message));
                         exitCode = kind == ErrorKind::Storage ? 1 : 2;
                         if (options.headless)
                             QCoreApplication::exit(exitCode);
                     });
    QObject::connect(&application, &app::Application::finished, &application,
                     [](int code) { QCoreApplication::exit(code); });

    if (auto prepared = application.prepare(); !prepared) {
        std::fprintf(stderr, "cachewise: %s\n", qPrintable(prepared.errorMessage()));
        return prepared.error().kind == ErrorKind::BadInput ? 2 : 1;
    }
    // Samples stored before the compact sample store are converted before anything else opens the file:
    // in the window with its progress (and a way to stop), headless as lines on stderr.
    const QString databasePath = application.databasePath();
    Result<qint64> converted = qint64(0);
#ifdef CACHEWISE_WITH_UI
    if (!options.headless && screenshots.isEmpty()) {
        ui::installTranslations(*qapp);
        ui::applyTheme(*static_cast<QApplication *>(qapp.get()));
        converted =
            ui::ConversionDialog::run([&databasePath](const ui::ConversionDialog::Progress &progress) {
                return storage::convertSamples(databasePath, progress);
            });
    }
#endif
    if (options.headless || !screenshots.isEmpty()) {
        int toldTenths = 0;
        converted = storage::convertSamples(databasePath, [&toldTenths](qint64 done, qint64 total) {
            const int tenths = total > 0 ? int(done * 10 / total) : 10;
            if (tenths > toldTenths) {
                toldTenths = tenths;
                std::fprintf(stderr,
                             "cachewise: converting samples to the compact store: %lld of %lld (%d%%)\n",
                             static_cast<long long>(done), static_cast<long long>(total),
                             total > 0 ? int(done * 100 / total) : 100);
            }
            return true;
        });
    }
    if (!converted) {
        std::fprintf(stderr, "cachewise: %s\n", qPrintable(converted.errorMessage()));
        return converted.error().kind == ErrorKind::Cancelled ? 0 : 1;
    }

    if (auto started = application.start(); !started) {
        std::fprintf(stderr, "cachewise: %s\n", qPrintable(started.errorMessage()));
        return started.error().kind == ErrorKind::BadInput ? 2 : 1;
    }

#ifdef CACHEWISE_WITH_UI
    if (!screenshots.isEmpty()) {
        QObject::connect(&application, &app::Application::listening, &application, [&](const QString &url) {
            QString error;
            const QStringList files =
                ui::renderScreenshots(application.engine(), application.clock(), url, screenshots, &error);
            for (const QString &file : files)
                std::fprintf(stdout, "%s\n", qPrintable(file));
            if (!error.isEmpty())
                std::fprintf(stderr, "cachewise: %s\n", qPrintable(error));
            exitCode = error.isEmpty() ? 0 : 1;
            application.shutdown();
        });
        const int code = qapp->exec();
        return exitCode != 0 ? exitCode : code;
    }
    std::unique_ptr<ui::WindowHost> host;
    if (!options.headless) {
        ui::installTranslations(*qapp, application.uiLanguage().toLatin1().constData());
        ui::applyTheme(*static_cast<QApplication *>(qapp.get()), application.uiTheme());
        ui::applyIdentity(*static_cast<QApplication *>(qapp.get()));
        ui::theme::setReducedMotion(application.uiReducedMotion());
        host = std::make_unique<ui::WindowHost>(application.engine(), application.clock());
        host->show();
    }
#endif
    const int code = qapp->exec();
    return exitCode != 0 ? exitCode : code;
}
