// SPDX-License-Identifier: GPL-3.0-or-later
// The projects page: create with validation, delete, search, the table model.
#include "core/analysis/modelcatalog.h"
#include "core/analysis/projectanalysis.h"
#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/services/scraper.h"
#include "core/storage/livefeed.h"
#include "core/storage/repository.h"
#include "core/storage/settings.h"
#include "tests/support/httpclient.h"
#include "tests/support/replayserver.h"
#include "tests/support/teststack.h"
#include "tests/support/uitest.h"
#include "ui/charts/barchart.h"
#include "ui/charts/timeserieschart.h"
#include "ui/dialogs/confirmdialog.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/dialogs/projectdialog.h"
#include "ui/mainwindow.h"
#include "ui/models/projecttablemodel.h"
#include "ui/models/samplelogmodel.h"
#include "ui/pages/dashboardpage.h"
#include "ui/pages/projectpage.h"
#include "ui/pages/projectspage.h"
#include "ui/pages/settingspage.h"
#include "ui/pages/whatifpanel.h"
#include "ui/theme.h"
#include "ui/uisetup.h"
#include "ui/widgets/kpicard.h"
#include "ui/widgets/runtimeeditor.h"
#include "ui/widgets/scorepanel.h"
#include "ui/widgets/sourcespanel.h"
#include "ui/windowhost.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace cachewise;
using test::currentStateOf;
using test::grab;

class TestProjectsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::applyTheme(*qApp); }
    void createProjectWithValidation();
    void deleteAsksFirst();
    void searchFiltersProjects();
    void projectModelIsSound();

private:
    SystemClock m_clock;
};

void TestProjectsPage::createProjectWithValidation()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    ui::MainWindow window(stack.engine(), m_clock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(ui::MainWindow::ProjectsPageIndex);
    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
    ui::ProjectDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<ui::ProjectDialog *>(QStringLiteral("projectDialog"))) != nullptr);
    auto *save = dialog->findChild<QPushButton *>(QStringLiteral("saveButton"));
    save->click();
    auto *nameError = dialog->findChild<QLabel *>(QStringLiteral("nameError"));
    auto *modelError = dialog->findChild<QLabel *>(QStringLiteral("modelError"));
    QVERIFY(nameError->isVisible());
    QCOMPARE(nameError->text(), QStringLiteral("Project Name is required."));
    QVERIFY(modelError->isVisible());
    QCOMPARE(modelError->text(), QStringLiteral("Model Name is required."));
    grab(*dialog, QStringLiteral("project-dialog-errors-en"));
    QCOMPARE(stack.repository().projects().list()->size(), 0); // nothing stored

    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("projectName")),
                     QStringLiteral("Chatbot v2"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("modelName")),
                     QStringLiteral("Llama-3.1-8B"));
    QSignalSpy closed(dialog, &QDialog::finished);
    save->click();
    QTRY_COMPARE(closed.count(), 1); // closed (and deleted) once stored
    auto stored = stack.repository().projects().list();
    QCOMPARE(stored->size(), 1);
    QCOMPARE(stored->first().modelName, QStringLiteral("Llama-3.1-8B"));
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 1);

    // A name taken already (case aside) and a name past 255 characters: said inline, nothing stored,
    // nothing cut.
    window.findChild<QPushButton *>(QStringLiteral("newProjectButton"))->click();
    QTRY_VERIFY((dialog = window.findChild<ui::ProjectDialog *>(QStringLiteral("projectDialog"))) != nullptr);
    auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("projectName"));
    QTest::keyClicks(name, QStringLiteral("chatbot V2"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("modelName")),
                     QStringLiteral("Llama-3.1-8B"));
    dialog->findChild<QPushButton *>(QStringLiteral("saveButton"))->click();
    nameError = dialog->findChild<QLabel *>(QStringLiteral("nameError"));
    QTRY_COMPARE(nameError->text(), QStringLiteral("A project named \"chatbot V2\" already exists."));
    QVERIFY(nameError->isVisible());
    const QString tooLong(300, QLatin1Char('x'));
    name->setText(tooLong);
    QCOMPARE(name->text().size(), 300); // kept as typed
    dialog->findChild<QPushButton *>(QStringLiteral("saveButton"))->click();
    QTRY_COMPARE(nameError->text(), QStringLiteral("Project Name must be at most 255 characters."));
    QCOMPARE(stack.repository().projects().list()->size(), 1);
}

void TestProjectsPage::deleteAsksFirst()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    stack.createProject(QStringLiteral("Doomed"));
    ui::MainWindow window(stack.engine(), m_clock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(ui::MainWindow::ProjectsPageIndex);
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    table->selectRow(0);
    window.findChild<QPushButton *>(QStringLiteral("deleteProjectButton"))->click();
    ui::ConfirmDialog *box = nullptr;
    QTRY_VERIFY((box = window.findChild<ui::ConfirmDialog *>(QStringLiteral("confirmDelete"))) != nullptr);
    // Enter cancels: Cancel is the default, the Delete button is not, and it waits for the name.
    QVERIFY(box->cancelButton()->isDefault());
    QVERIFY(!box->actionButton()->isDefault() && !box->actionButton()->autoDefault());
    QVERIFY(!box->actionButton()->isEnabled());
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(window.findChild<ui::ConfirmDialog *>(QStringLiteral("confirmDelete")) == nullptr);
    QTest::qWait(200); // a negative fact needs a window: a delete, had one been asked, would have run by now
    QCOMPARE(stack.repository().projects().list()->size(), 1);
    table->selectRow(0);
    window.findChild<QPushButton *>(QStringLiteral("deleteProjectButton"))->click();
    QTRY_VERIFY((box = window.findChild<ui::ConfirmDialog *>(QStringLiteral("confirmDelete"))) != nullptr);
    QTest::keyClicks(box->confirmField(), QStringLiteral("Wrong name"));
    QVERIFY(!box->actionButton()->isEnabled());
    box->confirmField()->clear();
    QTest::keyClicks(box->confirmField(), stack.repository().projects().list()->first().name);
    QVERIFY(box->actionButton()->isEnabled());
    grab(*box, QStringLiteral("confirm-delete-en"));
    box->actionButton()->click();
    QTRY_COMPARE(table->model()->rowCount(), 0);
    QCOMPARE(stack.repository().projects().list()->size(), 0);
}

void TestProjectsPage::searchFiltersProjects()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    for (const demo::DemoProject &p : demo::demoProjects())
        QVERIFY(stack.repository().projects().create(p.name, p.modelName, p.architecture, p.id));
    ui::MainWindow window(stack.engine(), m_clock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *table = window.findChild<QTableView *>(QStringLiteral("projectTable"));
    QTRY_COMPARE(table->model()->rowCount(), 3);
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    auto *search = window.findChild<QLineEdit *>(QStringLiteral("projectSearch"));
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, QStringLiteral("qwen")); // matches the model name
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("Code Gen API"));
}

void TestProjectsPage::projectModelIsSound()
{
    ui::ProjectTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    services::ProjectOverview a;
    a.project.id = QStringLiteral("a");
    a.project.name = QStringLiteral("Alpha");
    a.stats.sampleCount = 12;
    a.stats.lastTimestampMs = 1'705'312'800'000;
    services::ProjectOverview b = a;
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

QTEST_MAIN(TestProjectsPage)
#include "tst_projectspage.moc"
