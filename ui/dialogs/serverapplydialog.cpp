// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/serverapplydialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {

QPlainTextEdit *commandBox(QWidget *parent, const QString &command, const QString &name, const QString &label)
{
    auto *box = new QPlainTextEdit(command, parent);
    box->setObjectName(name);
    box->setReadOnly(true);
    box->setAccessibleName(label);
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Tall enough for the whole line at the dialog's width: the KV flags come last.
    box->setMinimumHeight(box->fontMetrics().lineSpacing() * 5 + 12);
    box->setMaximumHeight(box->fontMetrics().lineSpacing() * 8 + 12);
    return box;
}

} // namespace

ServerApplyDialog::ServerApplyDialog(QWidget *parent, const QString &title, const QString &commandBefore,
                                     const QString &commandAfter, bool revert)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("serverApplyDialog"));
    setWindowTitle(revert ? tr("Revert on the Server") : tr("Apply to the Server"));
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    heading->setWordWrap(true);
    layout->addWidget(heading);
    auto *note = new QLabel(
        tr("CacheWise restarts the llama-server it launches with these flags and waits until it is ready. "
           "If it does not become ready, the previous flags and the previous server come back and the action "
           "log says why. The effect on the KV cache and memory is logged; speed is compared once as much "
           "traffic has passed as before."),
        this);
    note->setObjectName(QStringLiteral("serverApplyNote"));
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addWidget(new QLabel(tr("Now:"), this));
    layout->addWidget(commandBox(this, commandBefore, QStringLiteral("serverCommandBefore"), tr("Now")));
    layout->addWidget(new QLabel(revert ? tr("After reverting:") : tr("After applying:"), this));
    layout->addWidget(commandBox(this, commandAfter, QStringLiteral("serverCommandAfter"), tr("After")));
    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("serverApplyCancel"));
    m_confirm =
        buttons->addButton(revert ? tr("Restart with the Previous Flags") : tr("Restart with the New Flags"),
                           QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("serverApplyConfirm"));
    m_confirm->setDefault(true);
    layout->addWidget(buttons);
    connect(m_confirm, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    setMinimumWidth(640);
}

} // namespace cachewise::ui
