// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QWidget>

class QComboBox;
class QJsonObject;
class QLabel;
class QVBoxLayout;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace cachewise::ui {

class RowsModel;

// The servers a project is read from: each with its state (up, or down and why), last scrape and
// latency; add one by URL (with an API key when the server wants one: it goes to the OS keychain), give it
// another key, enable, disable or remove it. Changes go out as signals.
class SourcesPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit SourcesPanel(QWidget *parent = nullptr);
    void setSources(const QList<model::Source> &sources);
    void showError(const QString &message);
    void clearInput();

Q_SIGNALS:
    // apiKey empty: the server needs none.
    void addRequested(model::Engine engine, const QString &url, int intervalMs, const QString &apiKey);
    // An empty key removes the source's key.
    void apiKeyRequested(const QString &sourceId, const QString &apiKey);
    void removeRequested(const QString &sourceId);
    void enableRequested(const QString &sourceId, bool enabled);
    // A llama-server launched by CacheWise as the source (the Models & servers page's dialog).
    void launchRequested();

private:
    QString selectedId() const;

    RowsModel *m_rows;
    QTableView *m_table;
    QComboBox *m_engine;
    QLineEdit *m_url;
    QLineEdit *m_apiKey;
    QSpinBox *m_interval;
    QLabel *m_error;
    QLabel *m_found;
    QList<model::Source> m_sources;
};

// What the scrapers learnt about the project's servers that the user should know or answer: evidence
// that contradicts the described runtime, a restart, a refused erase, and the one question the HTTP API
// cannot answer (do llama-server's slots share one cache?), with buttons for the answer.
class SourceNotices final : public QWidget
{
    Q_OBJECT

public:
    explicit SourceNotices(QWidget *parent = nullptr);
    void setSources(const QList<model::Source> &sources);
    int count() const { return m_count; }
    // The notice in the reader's language.
    static QString text(const QString &code, const QJsonObject &args);

Q_SIGNALS:
    // layout: "unified" or "per_slot"; slots and slotContext as the server reported them.
    void layoutAnswered(const QString &sourceId, model::KvLayout layout, int slots, qint64 slotContext);
    void restartAcknowledged(const QString &sourceId);

private:
    QVBoxLayout *m_rows;
    QByteArray m_shown; // what is on screen, so an unchanged reload leaves the buttons alone
    int m_count = 0;
};

// llama-server's slots as the last scrape saw them: tokens in each slot against its context,
// processing or idle (and for how long).
class SlotsTable final : public QWidget
{
    Q_OBJECT

public:
    explicit SlotsTable(QWidget *parent = nullptr);
    // processedData of the newest sample; hides itself when it holds no slots.
    void setProcessedData(const QByteArray &json);
    int rowCount() const;

private:
    RowsModel *m_rows;
    QTableView *m_table;
};

// vLLM's and SGLang's latency percentiles as the last scrape computed them from their histograms:
// p50, p95 and p99 of the time to first token, inter-token latency, time per output token and
// end-to-end latency, in milliseconds.
class LatencyTable final : public QWidget
{
    Q_OBJECT

public:
    explicit LatencyTable(QWidget *parent = nullptr);
    // processedData of the newest sample; hides itself when it holds no percentiles.
    void setProcessedData(const QByteArray &json);
    int rowCount() const;

private:
    RowsModel *m_rows;
    QTableView *m_table;
};

} // namespace cachewise::ui
