// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QStringList>

class QPushButton;

namespace cachewise::ui {

// Before a recommendation is marked applied: the flags to restart the server with (copied on confirm)
// and what changes in the project's runtime. CacheWise does not restart the server, and says so; the
// change can be undone, so the confirming button is the default.
class ApplyRecommendationDialog final : public QDialog
{
    Q_OBJECT

public:
    ApplyRecommendationDialog(QWidget *parent, const QString &title, const QStringList &flags,
                              const QStringList &runtimeChanges);

    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    QPushButton *m_confirm;
    QPushButton *m_cancel;
};

} // namespace cachewise::ui
