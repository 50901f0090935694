// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/ingest/ingesthandler.h"
#include "core/storage/repository.h"
#include "ui/mainwindow.h"
#include "ui/models/projecttablemodel.h"
#include "ui/uisetup.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyStateThenProjects();
    void projectModelIsSound();
    void listenerStates();
    void speaksTurkish();

private:
    static void grab(QWidget &w, const QString &name);
};

void TestMainWindow::grab(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("CACHEWISE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

void TestMainWindow::emptyStateThenProjects()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("cachewise.sqlite"));
    SystemClock clock;
    storage::Repository repo(clock);
    QVERIFY(repo.open(db));
    auto counters = std::make_shared<ingest::IngestCounters>();
    ui::MainWindow window(db, clock, counters);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *stack = window.findChild<QStackedWidget *>();
    QVERIFY(stack);
    QTRY_COMPARE(stack->currentWidget()->objectName(), QStringLiteral("emptyState"));
    grab(window, QStringLiteral("mainwindow-empty"));

    for (const demo::DemoProject &p : demo::demoProjects())
        QVERIFY(repo.createProject(p.name, p.modelName, p.architecture, p.id));
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QVERIFY(table);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 3, 5000);
    QCOMPARE(stack->currentWidget(), table);
    QCOMPARE(table->model()->index(0, ui::ProjectTableModel::NameColumn).data().toString(),
             QStringLiteral("Chatbot v2"));
    window.setListening(QStringLiteral("http://127.0.0.1:4318"));
    auto *label = window.findChild<QLabel *>(QStringLiteral("listenerState"));
    QTRY_VERIFY(label->width() >= label->sizeHint().width()); // the header makes room for the address
    grab(window, QStringLiteral("mainwindow-projects"));
}

void TestMainWindow::projectModelIsSound()
{
    ui::ProjectTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    storage::ProjectOverview a;
    a.project.id = QStringLiteral("a");
    a.project.name = QStringLiteral("Alpha");
    a.stats.sampleCount = 12;
    a.stats.lastTimestampMs = 1'705'312'800'000;
    storage::ProjectOverview b = a;
    b.project.name = QStringLiteral("Beta");
    b.stats.lastTimestampMs.reset();
    model.setProjects({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ui::ProjectTableModel::SamplesColumn)
                 .data(ui::ProjectTableModel::RawValueRole)
                 .toLongLong(),
             12);
    QCOMPARE(model.index(1, ui::ProjectTableModel::LastSampleColumn)
                 .data(ui::ProjectTableModel::RawValueRole)
                 .toLongLong(),
             -1);
    model.setProjects({});
    QCOMPARE(model.rowCount(), 0);
}

void TestMainWindow::listenerStates()
{
    QTemporaryDir dir;
    SystemClock clock;
    auto counters = std::make_shared<ingest::IngestCounters>();
    ui::MainWindow window(dir.filePath(QStringLiteral("db.sqlite")), clock, counters);
    auto *label = window.findChild<QLabel *>(QStringLiteral("listenerState"));
    QVERIFY(label);
    window.setListening(QStringLiteral("http://127.0.0.1:4318"));
    QVERIFY(label->text().contains(QStringLiteral("127.0.0.1:4318")));
    window.setListenFailed(QStringLiteral("cannot listen on 127.0.0.1:4318: address in use"),
                           QStringLiteral("address_in_use"));
    QVERIFY(label->toolTip().contains(QStringLiteral("address in use")));
    counters->samplesAccepted = 42;
    auto *rate = window.findChild<QLabel *>(QStringLiteral("listenerRate"));
    QTRY_VERIFY(rate->text().startsWith(QStringLiteral("42")));
}

void TestMainWindow::speaksTurkish()
{
    ui::installTranslations(*qApp, "tr");
    QTemporaryDir dir;
    SystemClock clock;
    auto counters = std::make_shared<ingest::IngestCounters>();
    ui::MainWindow window(dir.filePath(QStringLiteral("db.sqlite")), clock, counters);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *empty = window.findChild<QLabel *>(QStringLiteral("emptyState"));
    QTRY_COMPARE(empty->isVisible(), true);
    QCOMPARE(empty->text(), QStringLiteral("Henüz proje yok. Bir tane oluştur!"));
    window.setListening(QStringLiteral("http://127.0.0.1:4318"));
    auto *label = window.findChild<QLabel *>(QStringLiteral("listenerState"));
    QCOMPARE(label->text(), QStringLiteral("http://127.0.0.1:4318 adresinde dinleniyor"));
    QTRY_VERIFY(label->width() >= label->sizeHint().width());
    grab(window, QStringLiteral("mainwindow-empty-tr"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
