// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/newkeydialog.h"

#include "ui/widgets/pushsnippets.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachewise::ui {

NewKeyDialog::NewKeyDialog(QWidget *parent, const model::Project &project, const model::NewApiKey &key,
                           const QString &listenerUrl)
    : QDialog(parent)
{
    setWindowTitle(tr("Project Created"));
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(
        QStringLiteral("<b>%1</b>").arg(tr("%1 is ready for metrics.").arg(project.name).toHtmlEscaped()),
        this);
    heading->setWordWrap(true);
    layout->addWidget(heading);
    auto *once = new QLabel(tr("Its API key is shown only this once: copy it now. You can make more keys and "
                               "revoke them in the project's Settings."),
                            this);
    once->setWordWrap(true);
    layout->addWidget(once);
    auto *keyRow = new QHBoxLayout;
    m_key = new QLineEdit(key.secret, this);
    m_key->setObjectName(QStringLiteral("newKeySecret"));
    m_key->setReadOnly(true);
    m_key->setAccessibleName(tr("API key"));
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    keyRow->addWidget(m_key, 1);
    auto *copyKey = new QPushButton(tr("Copy Key"), this);
    copyKey->setObjectName(QStringLiteral("copyNewKey"));
    connect(copyKey, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_key->text());
        Q_EMIT copied(tr("API key copied to the clipboard"));
    });
    keyRow->addWidget(copyKey);
    layout->addLayout(keyRow);

    auto *snippetRow = new QHBoxLayout;
    snippetRow->addWidget(new QLabel(tr("Send a first sample from your code:"), this));
    snippetRow->addStretch();
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("newKeySnippetKind"));
    m_kind->addItems(snippetKindNames());
    snippetRow->addWidget(m_kind);
    auto *copySnippet = new QPushButton(tr("Copy"), this);
    copySnippet->setObjectName(QStringLiteral("copyNewKeySnippet"));
    snippetRow->addWidget(copySnippet);
    layout->addLayout(snippetRow);
    m_snippet = new QPlainTextEdit(this);
    m_snippet->setObjectName(QStringLiteral("newKeySnippet"));
    m_snippet->setReadOnly(true);
    m_snippet->setLineWrapMode(QPlainTextEdit::NoWrap); // code reads as it will be pasted
    m_snippet->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_snippet->setMinimumHeight(200);
    layout->addWidget(m_snippet, 1);
    const auto update = [this, listenerUrl, projectId = project.id, secret = key.secret] {
        m_snippet->setPlainText(
            pushSnippet(SnippetKind(m_kind->currentIndex()), listenerUrl, projectId, secret));
    };
    update();
    connect(m_kind, &QComboBox::currentIndexChanged, this, update);
    connect(copySnippet, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_snippet->toPlainText());
        Q_EMIT copied(tr("Snippet copied to the clipboard"));
    });
    auto *buttons = new QDialogButtonBox(this);
    QPushButton *done = buttons->addButton(tr("Done"), QDialogButtonBox::AcceptRole);
    done->setObjectName(QStringLiteral("newKeyDone"));
    done->setDefault(true);
    connect(done, &QPushButton::clicked, this, &QDialog::accept);
    layout->addWidget(buttons);
    setMinimumWidth(620);
}

QString NewKeyDialog::keyText() const
{
    return m_key->text();
}

QString NewKeyDialog::snippetText() const
{
    return m_snippet->toPlainText();
}

} // namespace cachewise::ui
