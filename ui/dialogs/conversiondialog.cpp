// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/conversiondialog.h"

#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QEventLoop>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>
#include <thread>

namespace cachewise::ui {

ConversionDialog::ConversionDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Updating the database"));
    setModal(true);
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("CacheWise stores samples in a more compact form now. Your stored samples "
                                  "are being converted; this happens once."),
                               this);
    heading->setWordWrap(true);
    layout->addWidget(heading);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 0); // counting until the first batch is done
    layout->addWidget(m_bar);
    m_text = new QLabel(tr("Counting the samples…"), this);
    layout->addWidget(m_text);
    auto *buttons = new QDialogButtonBox(this);
    m_stopButton = buttons->addButton(tr("Stop and Quit"), QDialogButtonBox::RejectRole);
    m_stopButton->setToolTip(tr("What is converted stays converted; the rest is converted the next time "
                                "CacheWise starts."));
    connect(m_stopButton, &QPushButton::clicked, this, &ConversionDialog::requestStop);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

void ConversionDialog::showProgress(qint64 converted, qint64 total)
{
    const QLocale locale;
    m_bar->setRange(0, 1000);
    m_bar->setValue(total > 0 ? int(converted * 1000 / total) : 1000);
    m_text->setText(tr("%1 of %2 samples converted").arg(locale.toString(converted), locale.toString(total)));
}

void ConversionDialog::requestStop()
{
    m_stop = true;
    m_stopButton->setEnabled(false);
    m_text->setText(tr("Stopping after the current batch…"));
}

void ConversionDialog::reject()
{
    requestStop(); // Esc stops too; the dialog closes when the job has
}

void ConversionDialog::closeEvent(QCloseEvent *event)
{
    requestStop();
    event->ignore();
}

Result<qint64> ConversionDialog::run(const Job &job)
{
    ConversionDialog dialog;
    QEventLoop loop;
    struct Shared
    {
        Result<qint64> result = qint64(0);
    };
    auto shared = std::make_shared<Shared>();
    std::thread worker([&, shared] {
        // The dialog outlives this thread (joined below); queued calls die with it.
        const Progress progress = [&dialog](qint64 converted, qint64 total) {
            QMetaObject::invokeMethod(
                &dialog, [&dialog, converted, total] { dialog.showProgress(converted, total); },
                Qt::QueuedConnection);
            return !dialog.stopRequested();
        };
        shared->result = job(progress);
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    // Nothing to convert takes a moment: the dialog appears only for real work.
    QTimer::singleShot(400, &dialog, [&dialog] { dialog.show(); });
    loop.exec();
    worker.join();
    return shared->result;
}

} // namespace cachewise::ui
