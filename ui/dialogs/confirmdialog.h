// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace cachewise::ui {

// Asks before something that cannot be undone. Cancel is the default button, so Enter and Esc both
// cancel; the action's button is drawn in the danger colour and is never the default. With
// `typeToConfirm` (a project's name, say) the action stays disabled until exactly that is typed.
class ConfirmDialog final : public QDialog
{
    Q_OBJECT

public:
    ConfirmDialog(QWidget *parent, const QString &title, const QString &text, const QString &action,
                  const QString &typeToConfirm = {});

    QPushButton *actionButton() const { return m_action; }
    QPushButton *cancelButton() const { return m_cancel; }
    // Null without typeToConfirm.
    QLineEdit *confirmField() const { return m_field; }

private:
    QPushButton *m_action;
    QPushButton *m_cancel;
    QLineEdit *m_field = nullptr;
};

} // namespace cachewise::ui
