// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/applydialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachewise::ui {

ApplyRecommendationDialog::ApplyRecommendationDialog(QWidget *parent, const QString &title,
                                                     const QStringList &flags,
                                                     const QStringList &runtimeChanges)
    : QDialog(parent)
{
    setWindowTitle(tr("Mark as Applied"));
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    heading->setWordWrap(true);
    layout->addWidget(heading);
    auto *restart = new QLabel(flags.isEmpty() ? tr("CacheWise records the change; it does not change your "
                                                    "server. Make the change there yourself.")
                                               : tr("CacheWise records the change; it does not restart your "
                                                    "server. Restart it with:"),
                               this);
    restart->setObjectName(QStringLiteral("applyRestartNote"));
    restart->setWordWrap(true);
    layout->addWidget(restart);
    if (!flags.isEmpty()) {
        auto *commands = new QPlainTextEdit(flags.join(QLatin1Char('\n')), this);
        commands->setObjectName(QStringLiteral("applyFlags"));
        commands->setReadOnly(true);
        commands->setAccessibleName(tr("Flags"));
        commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        commands->setMaximumHeight(commands->fontMetrics().lineSpacing() * (int(flags.size()) + 1) + 12);
        layout->addWidget(commands);
    }
    QStringList items;
    for (const QString &line : runtimeChanges)
        items << QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    auto *runtime =
        new QLabel(runtimeChanges.isEmpty()
                       ? tr("The project's runtime stays as it is: CacheWise does not model this setting.")
                       : tr("The project's runtime will change (the charts mark when; Undo puts it back):")
                                 .toHtmlEscaped() +
                             QStringLiteral("<ul>%1</ul>").arg(items.join(QString())),
                   this);
    runtime->setObjectName(QStringLiteral("applyRuntimeChanges"));
    runtime->setTextFormat(runtimeChanges.isEmpty() ? Qt::PlainText : Qt::RichText);
    runtime->setWordWrap(true);
    layout->addWidget(runtime);
    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("applyCancel"));
    m_confirm =
        buttons->addButton(flags.isEmpty() ? tr("Mark as Applied") : tr("Copy Flags and Mark as Applied"),
                           QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("applyConfirm"));
    m_confirm->setDefault(true);
    layout->addWidget(buttons);
    connect(m_confirm, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    setMinimumWidth(480);
}

} // namespace cachewise::ui
