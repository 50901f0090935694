// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tests/support/teststack.h"
#include "ui/mainwindow.h"

#include <QAbstractItemView>
#include <QDir>
#include <QStackedWidget>
#include <QString>
#include <QTest>
#include <QWidget>

#include <memory>

// What the UI suites share (header-only: only the suites that link the UI include it).
namespace cachewise::test {

// Saves a grab of the widget as NAME.png in $CACHEWISE_SCREENSHOT_DIR, when it is set.
inline void grab(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("CACHEWISE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(300); // charts lay out their axes and legend on the event loop
    QVERIFY(w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

// The app as a UI suite meets it: a started stack with the demo projects loaded and the main window on
// it, shown and exposed.
class DemoWindow
{
public:
    bool start(const Clock &clock)
    {
        if (!m_stack.start() || !loadDemo(m_stack))
            return false;
        m_window = std::make_unique<ui::MainWindow>(m_stack.engine(), clock);
        m_window->show();
        return QTest::qWaitForWindowExposed(m_window.get());
    }
    TestStack &stack() { return m_stack; }
    ui::MainWindow &window() { return *m_window; }

private:
    TestStack m_stack;
    std::unique_ptr<ui::MainWindow> m_window;
};

// The state a page shows (empty, loading, data…): the current widget of its stack.
inline QWidget *currentStateOf(QWidget *page)
{
    auto *stack = page->findChild<QStackedWidget *>();
    return stack ? stack->currentWidget() : nullptr;
}

// The text a table view shows in a cell.
inline QString cellText(const QAbstractItemView *view, int row, int column)
{
    return view->model()->index(row, column).data().toString();
}

} // namespace cachewise::test
