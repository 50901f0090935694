// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/types.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;

namespace cachewise::ui {

// Right after a project was created: its API key, shown this once with a copy button, and ready programs
// (curl, Python, the OpenTelemetry SDK) that push to this listener with it.
class NewKeyDialog final : public QDialog
{
    Q_OBJECT

public:
    NewKeyDialog(QWidget *parent, const model::Project &project, const model::NewApiKey &key,
                 const QString &listenerUrl);

    QString keyText() const;
    QString snippetText() const;
    QComboBox *snippetKind() const { return m_kind; }

Q_SIGNALS:
    void copied(const QString &what);

private:
    QLineEdit *m_key;
    QComboBox *m_kind;
    QPlainTextEdit *m_snippet;
};

} // namespace cachewise::ui
