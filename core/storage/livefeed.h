// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>

#include <mutex>

class QTimer;

namespace cachewise::storage {

class MetricWriter;

// Committed samples for live views, coalesced: the writer thread hands every commit over, and the
// owner's thread gets at most one samplesCommitted() per interval with all of them, never one
// signal per sample. A commit after a quiet interval is passed on at once; one during the interval
// waits for its end, so a sample reaches the views within one interval. Holds at most maxBuffered
// samples between flushes; beyond that the oldest are dropped and the next signal says so, so a view
// reloads from storage instead.
class LiveFeed final : public QObject
{
    Q_OBJECT

public:
    explicit LiveFeed(int intervalMs = 250, int maxBuffered = 50'000, QObject *parent = nullptr);
    ~LiveFeed() override;

    // Installs this feed as the writer's commit observer; call before the writer starts.
    void attach(MetricWriter &writer);
    // Thread-safe: what the writer's observer calls.
    void push(const QList<MetricSample> &samples);

Q_SIGNALS:
    // `dropped` counts samples left out because the buffer was full.
    void samplesCommitted(const QList<cachewise::model::MetricSample> &samples, qint64 dropped);

private:
    void schedule();
    void flush();

    std::mutex m_mutex;
    QList<MetricSample> m_buffer;
    qint64 m_dropped = 0;
    bool m_scheduled = false; // a flush is on its way for what the buffer holds
    const int m_intervalMs;
    const int m_maxBuffered;
    QTimer *m_timer;
    QElapsedTimer m_sinceFlush; // owner's thread
};

} // namespace cachewise::storage

Q_DECLARE_METATYPE(cachewise::model::MetricSample)
