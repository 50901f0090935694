// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

namespace cachewise::ui {

// Scrolling a form must never change a setting: combo boxes and spin boxes take the mouse wheel only
// when they have the keyboard focus (clicked or tabbed into); otherwise the wheel scrolls the page they
// are on. Installed once on the application by the main window.
class WheelGuard final : public QObject
{
    Q_OBJECT

public:
    static void install();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    using QObject::QObject;
};

} // namespace cachewise::ui
