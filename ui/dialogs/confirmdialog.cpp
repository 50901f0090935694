// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/confirmdialog.h"

#include "ui/theme.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachewise::ui {

ConfirmDialog::ConfirmDialog(QWidget *parent, const QString &title, const QString &text,
                             const QString &action, const QString &typeToConfirm)
    : QDialog(parent)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *message = new QLabel(text, this);
    message->setObjectName(QStringLiteral("confirmText"));
    message->setWordWrap(true);
    layout->addWidget(message);
    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("confirmCancel"));
    m_action = buttons->addButton(action, QDialogButtonBox::DestructiveRole);
    m_action->setObjectName(QStringLiteral("confirmAction"));
    m_action->setAutoDefault(false);
    m_action->setDefault(false);
    m_action->setStyleSheet(
        QStringLiteral("QPushButton { color: white; background: %1; border: none; border-radius: 4px; "
                       "padding: 4px 12px; } QPushButton:disabled { background: %2; }")
            .arg(theme::danger().name(), theme::secondaryText().name()));
    m_cancel->setAutoDefault(true);
    m_cancel->setDefault(true);
    if (!typeToConfirm.isEmpty()) {
        auto *prompt = new QLabel(
            tr("Type %1 to confirm.").arg(QStringLiteral("<b>%1</b>").arg(typeToConfirm.toHtmlEscaped())),
            this);
        prompt->setTextFormat(Qt::RichText);
        layout->addWidget(prompt);
        m_field = new QLineEdit(this);
        m_field->setObjectName(QStringLiteral("confirmField"));
        m_field->setAccessibleName(tr("Confirmation"));
        layout->addWidget(m_field);
        m_action->setEnabled(false);
        connect(m_field, &QLineEdit::textChanged, this, [this, typeToConfirm](const QString &typed) {
            m_action->setEnabled(typed == typeToConfirm);
        });
    }
    layout->addWidget(buttons);
    connect(m_action, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    m_cancel->setFocus();
}

} // namespace cachewise::ui
