// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/screenshots.h"

#include "ui/mainwindow.h"
#include "ui/models/projecttablemodel.h"
#include "ui/pages/projectpage.h"
#include "ui/pages/projectspage.h"
#include "ui/pages/serverspage.h"
#include "ui/uisetup.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QTabWidget>
#include <QTimer>

namespace cachewise::ui {
namespace {

void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

QStringList renderScreenshots(services::Engine &engine, const Clock &clock, const QString &listenerUrl,
                              const QString &folder, QString *error)
{
    QStringList written;
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot create %1").arg(folder);
        return {};
    }
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    for (const char *language : {"en", "tr"}) {
        installTranslations(*app, language);
        for (const QString &theme : {QStringLiteral("light"), QStringLiteral("dark")}) {
            applyTheme(*app, theme);
            MainWindow window(engine, clock);
            window.resize(1280, 800);
            window.setListening(listenerUrl);
            window.show();
            auto save = [&](const QString &page) {
                settle(600);
                const QString file = QDir(folder).filePath(
                    QStringLiteral("%1-%2-%3.png").arg(page, QString::fromLatin1(language), theme));
                if (window.grab().save(file))
                    written << file;
                else
                    *error = QStringLiteral("cannot write %1").arg(file);
            };
            settle(1500); // the first reads
            save(QStringLiteral("dashboard"));
            window.showPage(MainWindow::ProjectsPageIndex);
            save(QStringLiteral("projects"));
            const QModelIndex first = window.projects()->model()->index(0, 0);
            if (first.isValid()) {
                window.openProject(first.data(ProjectTableModel::ProjectIdRole).toString());
                settle(1000);
                save(QStringLiteral("project-dashboard"));
                for (const auto &[tab, name] :
                     {std::pair{ProjectPage::RecommendationsTab, QStringLiteral("project-recommendations")},
                      std::pair{ProjectPage::WhatIfTab, QStringLiteral("project-whatif")},
                      std::pair{ProjectPage::SettingsTab, QStringLiteral("project-settings")},
                      std::pair{ProjectPage::MetricsLogTab, QStringLiteral("project-metrics")},
                      std::pair{ProjectPage::ActionLogTab, QStringLiteral("project-actions")}}) {
                    window.projectPage()->tabs()->setCurrentIndex(tab);
                    save(name);
                }
            }
            window.showPage(MainWindow::ServersPageIndex);
            for (const auto &[tab, name] :
                 {std::pair{ServersPage::ServersTab, QStringLiteral("servers")},
                  std::pair{ServersPage::ModelsTab, QStringLiteral("servers-models")},
                  std::pair{ServersPage::EventLogTab, QStringLiteral("servers-eventlog")}}) {
                window.serversPage()->showTab(tab);
                save(name);
            }
            window.showPage(MainWindow::SettingsPageIndex);
            save(QStringLiteral("settings"));
            window.showPage(MainWindow::AccountPageIndex);
            save(QStringLiteral("account"));
        }
    }
    return error->isEmpty() ? written : QStringList{};
}

} // namespace cachewise::ui
