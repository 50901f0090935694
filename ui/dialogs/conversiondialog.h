// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QDialog>

#include <atomic>
#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace cachewise::ui {

// Shown while the samples of a database written before the compact sample store are converted, before
// the window opens: how far it is, and a button that stops it (the rest is converted the next time).
class ConversionDialog final : public QDialog
{
    Q_OBJECT

public:
    // Told after each batch: samples converted, and how many in all; returns false to stop.
    using Progress = std::function<bool(qint64 converted, qint64 total)>;
    using Job = std::function<Result<qint64>(const Progress &progress)>;

    // Runs `job` on a thread of its own, the event loop turning meanwhile; the dialog appears only if it
    // takes longer than a moment. Returns the job's result (Cancelled when the user stopped it).
    static Result<qint64> run(const Job &job);

    explicit ConversionDialog(QWidget *parent = nullptr);
    void showProgress(qint64 converted, qint64 total);
    bool stopRequested() const { return m_stop.load(); }

protected:
    void closeEvent(QCloseEvent *event) override;
    void reject() override;

private:
    void requestStop();

    QLabel *m_text;
    QProgressBar *m_bar;
    QPushButton *m_stopButton;
    std::atomic_bool m_stop{false};
};

} // namespace cachewise::ui
