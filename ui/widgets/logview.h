// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace cachewise::ui {

class LogLinesModel;
class LogFilterModel;

// A log as a table of lines (time, level, text) with a level filter, a text filter, follow mode (the view
// stays at the newest line as lines arrive), Copy (the selected lines, else every line shown) and Save…
// (the lines shown, written off the GUI thread). Holds at most kMaxLines; the oldest go first.
class LogView final : public QWidget
{
    Q_OBJECT

public:
    enum class Level
    {
        None, // the line carries no level (a continuation, a plain print): shown as info
        Debug,
        Info,
        Warning,
        Error,
        Fatal,
    };
    struct Line
    {
        QString time; // as the log has it ("0.01.250.113" since start, or a clock time)
        Level level = Level::None;
        QString text;
    };
    static constexpr int kMaxLines = 50'000;

    explicit LogView(const QString &name, QWidget *parent = nullptr);

    void setLines(const QList<Line> &lines);
    void appendLines(const QList<Line> &lines);
    void clear();

    // The lines the filters let through, as text ("time level text"), oldest first.
    QStringList shownText() const;
    int lineCount() const;
    int shownCount() const;
    bool following() const;
    void setLevelFilter(Level minimum);
    void setTextFilter(const QString &text);
    // Writes the lines shown to `path` on a thread of its own; saved() or saveFailed() after.
    void saveTo(const QString &path);
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void message(const QString &text);
    void saved(const QString &path);
    void saveFailed(const QString &message);

private:
    void scrollIfFollowing();
    void updateCount();

    QString m_name;
    LogLinesModel *m_lines;
    LogFilterModel *m_filter;
    QTableView *m_table;
    QComboBox *m_level;
    QLineEdit *m_text;
    QCheckBox *m_follow;
    QLabel *m_count;
};

} // namespace cachewise::ui
