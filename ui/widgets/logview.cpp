// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/logview.h"

#include "ui/theme.h"

#include <QAbstractTableModel>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

#include <deque>

namespace cachewise::ui {

namespace {

QString levelName(LogView::Level level)
{
    switch (level) {
    case LogView::Level::None: return QString();
    case LogView::Level::Debug: return LogView::tr("debug");
    case LogView::Level::Info: return LogView::tr("info");
    case LogView::Level::Warning: return LogView::tr("warning");
    case LogView::Level::Error: return LogView::tr("error");
    case LogView::Level::Fatal: return LogView::tr("fatal");
    }
    return QString();
}

// A line without a level (a continuation, a plain print) is filtered as info.
LogView::Level effectiveLevel(LogView::Level level)
{
    return level == LogView::Level::None ? LogView::Level::Info : level;
}

QString lineText(const LogView::Line &line)
{
    QStringList parts;
    if (!line.time.isEmpty())
        parts << line.time;
    if (line.level != LogView::Level::None)
        parts << levelName(line.level);
    parts << line.text;
    return parts.join(QLatin1Char(' '));
}

} // namespace

class LogLinesModel final : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    static constexpr int LevelRole = Qt::UserRole;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_lines.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : 3; }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid() || index.row() >= int(m_lines.size()))
            return {};
        const LogView::Line &line = m_lines.at(size_t(index.row()));
        switch (role) {
        case Qt::DisplayRole:
            return index.column() == 0 ? line.time : index.column() == 1 ? levelName(line.level) : line.text;
        case Qt::ForegroundRole:
            if (index.column() != 1)
                return {};
            if (line.level == LogView::Level::Error || line.level == LogView::Level::Fatal)
                return theme::danger();
            if (line.level == LogView::Level::Warning)
                return theme::warning();
            return theme::secondaryText();
        case LevelRole: return int(effectiveLevel(line.level));
        default: return {};
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
        case 0: return LogView::tr("Time");
        case 1: return LogView::tr("Level");
        case 2: return LogView::tr("Message");
        default: return {};
        }
    }

    void setLines(const QList<LogView::Line> &lines)
    {
        beginResetModel();
        m_lines.assign(lines.cbegin(), lines.cend());
        trim();
        endResetModel();
    }

    void append(const QList<LogView::Line> &lines)
    {
        if (lines.isEmpty())
            return;
        // The oldest go first, so the view never holds more than kMaxLines.
        const qsizetype overflow = qsizetype(m_lines.size()) + lines.size() - LogView::kMaxLines;
        if (overflow > 0) {
            const int drop = int(std::min<qsizetype>(overflow, qsizetype(m_lines.size())));
            if (drop > 0) {
                beginRemoveRows({}, 0, drop - 1);
                m_lines.erase(m_lines.begin(), m_lines.begin() + drop);
                endRemoveRows();
            }
        }
        const QList<LogView::Line> added =
            lines.size() > LogView::kMaxLines ? lines.mid(lines.size() - LogView::kMaxLines) : lines;
        beginInsertRows({}, int(m_lines.size()), int(m_lines.size() + added.size()) - 1);
        m_lines.insert(m_lines.end(), added.cbegin(), added.cend());
        endInsertRows();
    }

    const LogView::Line &line(int row) const { return m_lines.at(size_t(row)); }

private:
    void trim()
    {
        while (m_lines.size() > size_t(LogView::kMaxLines))
            m_lines.pop_front();
    }
    std::deque<LogView::Line> m_lines;
};

class LogFilterModel final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setMinimum(LogView::Level level)
    {
        m_minimum = level;
        invalidateRowsFilter();
    }
    void setText(const QString &text)
    {
        m_text = text;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const auto *lines = static_cast<const LogLinesModel *>(sourceModel());
        const LogView::Line &line = lines->line(row);
        if (int(effectiveLevel(line.level)) < int(m_minimum))
            return false;
        return m_text.isEmpty() || line.text.contains(m_text, Qt::CaseInsensitive) ||
               line.time.contains(m_text, Qt::CaseInsensitive);
        Q_UNUSED(parent)
    }

private:
    LogView::Level m_minimum = LogView::Level::Debug;
    QString m_text;
};

LogView::LogView(const QString &name, QWidget *parent)
    : QWidget(parent), m_name(name), m_lines(new LogLinesModel(this)), m_filter(new LogFilterModel(this)),
      m_table(new QTableView(this)), m_level(new QComboBox(this)), m_text(new QLineEdit(this)),
      m_follow(new QCheckBox(tr("Follow"), this)), m_count(new QLabel(this))
{
    m_filter->setSourceModel(m_lines);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_level->setAccessibleName(tr("Lowest level shown"));
    m_level->addItem(tr("All levels"), int(Level::Debug));
    m_level->addItem(tr("Info and above"), int(Level::Info));
    m_level->addItem(tr("Warnings and errors"), int(Level::Warning));
    m_level->addItem(tr("Errors only"), int(Level::Error));
    m_text->setObjectName(QStringLiteral("logFilter"));
    m_text->setPlaceholderText(tr("Filter lines…"));
    m_text->setAccessibleName(tr("Show lines containing"));
    m_text->setClearButtonEnabled(true);
    m_follow->setObjectName(QStringLiteral("logFollow"));
    m_follow->setToolTip(tr("Keep the newest line in view as lines arrive"));
    m_follow->setChecked(true);
    auto *copy = new QPushButton(tr("Copy"), this);
    copy->setObjectName(QStringLiteral("logCopy"));
    copy->setToolTip(tr("Copies the selected lines, or every line shown"));
    auto *save = new QPushButton(tr("Save…"), this);
    save->setObjectName(QStringLiteral("logSave"));
    m_count->setObjectName(QStringLiteral("logCount"));
    m_count->setStyleSheet(QStringLiteral("color: #8E8E93;"));
    bar->addWidget(m_level);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_follow);
    bar->addWidget(copy);
    bar->addWidget(save);
    layout->addLayout(bar);

    m_table->setObjectName(QStringLiteral("logLines"));
    m_table->setAccessibleName(name);
    m_table->setModel(m_filter);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_table, 1);
    layout->addWidget(m_count);

    connect(m_level, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setMinimum(Level(m_level->currentData().toInt()));
        updateCount();
        scrollIfFollowing();
    });
    connect(m_text, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text);
        updateCount();
        scrollIfFollowing();
    });
    connect(m_follow, &QCheckBox::toggled, this, [this] { scrollIfFollowing(); });
    // Scrolling up to read stops following (the user's scrolling only, after it has moved the view).
    connect(m_table->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        QMetaObject::invokeMethod(
            this,
            [this] {
                const QScrollBar *scroll = m_table->verticalScrollBar();
                if (scroll->value() < scroll->maximum())
                    m_follow->setChecked(false);
            },
            Qt::QueuedConnection);
    });
    connect(copy, &QPushButton::clicked, this, [this] {
        QStringList text;
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (rows.isEmpty()) {
            text = shownText();
        } else {
            QList<int> sorted;
            for (const QModelIndex &index : rows)
                sorted << m_filter->mapToSource(index).row();
            std::sort(sorted.begin(), sorted.end());
            for (const int row : std::as_const(sorted))
                text << lineText(m_lines->line(row));
        }
        QApplication::clipboard()->setText(text.join(QLatin1Char('\n')) + QLatin1Char('\n'));
        Q_EMIT message(tr("Lines copied: %1").arg(QLocale().toString(qsizetype(text.size()))));
    });
    connect(save, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(window(), tr("Save Log"), QString(), tr("Text files (*.log *.txt)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->selectFile(m_name + QStringLiteral(".log"));
        connect(dialog, &QFileDialog::fileSelected, this, &LogView::saveTo);
        dialog->open();
    });
    connect(this, &LogView::saved, this,
            [this](const QString &written) { Q_EMIT message(tr("Log saved to %1").arg(written)); });
    connect(this, &LogView::saveFailed, this,
            [this](const QString &error) { Q_EMIT message(tr("The log was not saved: %1").arg(error)); });
    updateCount();
}

void LogView::setLines(const QList<Line> &lines)
{
    m_lines->setLines(lines);
    updateCount();
    scrollIfFollowing();
}

void LogView::appendLines(const QList<Line> &lines)
{
    m_lines->append(lines);
    updateCount();
    scrollIfFollowing();
}

void LogView::clear()
{
    setLines({});
}

QStringList LogView::shownText() const
{
    QStringList out;
    out.reserve(m_filter->rowCount());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        out << lineText(m_lines->line(m_filter->mapToSource(m_filter->index(row, 0)).row()));
    return out;
}

int LogView::lineCount() const
{
    return m_lines->rowCount();
}

int LogView::shownCount() const
{
    return m_filter->rowCount();
}

bool LogView::following() const
{
    return m_follow->isChecked();
}

void LogView::setLevelFilter(Level minimum)
{
    m_level->setCurrentIndex(std::max(0, m_level->findData(int(minimum))));
}

void LogView::setTextFilter(const QString &text)
{
    m_text->setText(text);
}

void LogView::saveTo(const QString &path)
{
    const QStringList lines = shownText();
    QPointer<LogView> self(this);
    QThread *writer = QThread::create([self, path, lines] {
        QSaveFile file(path);
        QString error;
        if (!file.open(QIODevice::WriteOnly)) {
            error = file.errorString();
        } else {
            for (const QString &line : lines) {
                file.write(line.toUtf8());
                file.write("\n");
            }
            if (!file.commit())
                error = file.errorString();
        }
        QMetaObject::invokeMethod(self, [self, path, error] {
            if (!self)
                return;
            if (error.isEmpty())
                Q_EMIT self->saved(path);
            else
                Q_EMIT self->saveFailed(error);
        });
    });
    connect(writer, &QThread::finished, writer, &QObject::deleteLater);
    writer->start();
}

void LogView::scrollIfFollowing()
{
    if (!m_follow->isChecked())
        return;
    m_table->scrollToBottom();
}

void LogView::updateCount()
{
    const int all = lineCount();
    const int shown = shownCount();
    m_count->setText(
        shown == all ? tr("Lines: %1").arg(QLocale().toString(all))
                     : tr("Lines shown: %1 of %2").arg(QLocale().toString(shown), QLocale().toString(all)));
}

} // namespace cachewise::ui
