// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QPushButton;

namespace cachewise::ui {

// Before CacheWise restarts a server it launches with a recommendation's flags (or, reverting, with the
// flags it had): the command line before and after, and what happens when the server does not come up.
class ServerApplyDialog final : public QDialog
{
    Q_OBJECT

public:
    ServerApplyDialog(QWidget *parent, const QString &title, const QString &commandBefore,
                      const QString &commandAfter, bool revert);

    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    QPushButton *m_confirm;
    QPushButton *m_cancel;
};

} // namespace cachewise::ui
