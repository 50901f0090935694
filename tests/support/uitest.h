// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemView>
#include <QDir>
#include <QStackedWidget>
#include <QString>
#include <QTest>
#include <QWidget>

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
