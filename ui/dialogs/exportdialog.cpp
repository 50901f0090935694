// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dialogs/exportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace cachewise::ui {

ExportDialog::ExportDialog(const QString &baseName, QWidget *parent)
    : QDialog(parent), m_format(new QComboBox(this)), m_path(new QLineEdit(this))
{
    setWindowTitle(tr("Export"));
    setObjectName(QStringLiteral("exportDialog"));
    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_format->setAccessibleName(tr("Format"));
    m_format->addItem(tr("PDF report"), int(ExportJob::Format::Pdf));
    m_format->addItem(tr("HTML report"), int(ExportJob::Format::Html));
    m_format->addItem(tr("Samples as CSV"), int(ExportJob::Format::Csv));
    m_format->addItem(tr("Samples as JSON"), int(ExportJob::Format::Json));
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_path->setAccessibleName(tr("File"));
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    QString name = baseName;
    name.replace(QRegularExpression(QStringLiteral("[^\\w\\- ]")), QStringLiteral("_"));
    m_path->setText(QDir(folder).filePath(name.trimmed().isEmpty() ? QStringLiteral("cachewise") : name) +
                    QStringLiteral(".pdf"));
    auto *choose = new QPushButton(tr("Choose…"), this);
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString picked = QFileDialog::getSaveFileName(this, tr("Export"), m_path->text());
        if (!picked.isEmpty())
            m_path->setText(picked);
        updateSuffix();
    });
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSuffix);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(choose);
    auto *form = new QFormLayout;
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("File"), fileRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!m_path->text().trimmed().isEmpty())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

ExportJob::Format ExportDialog::format() const
{
    return ExportJob::Format(m_format->currentData().toInt());
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportDialog::updateSuffix()
{
    // The suffix follows the format, unless the user typed a name of their own.
    const QFileInfo info(m_path->text());
    static const QStringList known{QStringLiteral("pdf"), QStringLiteral("html"), QStringLiteral("csv"),
                                   QStringLiteral("json")};
    if (info.suffix().isEmpty() || known.contains(info.suffix().toLower()))
        m_path->setText(
            QDir(info.path())
                .filePath(info.completeBaseName() + QLatin1Char('.') + ExportJob::suffix(format())));
}

} // namespace cachewise::ui
