// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/report/exportjob.h"

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace cachewise::ui {

// Export…: what to write (a PDF or HTML report, or the samples as CSV or JSON) and where.
class ExportDialog final : public QDialog
{
    Q_OBJECT

public:
    // `baseName`: the file name proposed (without suffix), e.g. the project's name.
    ExportDialog(const QString &baseName, QWidget *parent = nullptr);

    ExportJob::Format format() const;
    QString path() const;

private:
    void updateSuffix();

    QComboBox *m_format;
    QLineEdit *m_path;
};

} // namespace cachewise::ui
