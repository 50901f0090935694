// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/livefeed.h"

#include "core/storage/metricwriter.h"

#include <QTimer>

namespace cachewise::storage {

LiveFeed::LiveFeed(int intervalMs, int maxBuffered, QObject *parent)
    : QObject(parent), m_intervalMs(intervalMs), m_maxBuffered(maxBuffered), m_timer(new QTimer(this))
{
    qRegisterMetaType<QList<MetricSample>>();
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early: two signals in one interval
    connect(m_timer, &QTimer::timeout, this, &LiveFeed::flush);
}

LiveFeed::~LiveFeed() = default;

void LiveFeed::attach(MetricWriter &writer)
{
    writer.setCommitObserver([this](const QList<MetricSample> &samples) { push(samples); });
}

void LiveFeed::push(const QList<MetricSample> &samples)
{
    {
        std::lock_guard lock(m_mutex);
        m_buffer += samples;
        const qsizetype excess = m_buffer.size() - m_maxBuffered;
        if (excess > 0) {
            m_buffer.remove(0, excess);
            m_dropped += excess;
        }
        if (m_scheduled)
            return; // the flush on its way takes these too
        m_scheduled = true;
    }
    QMetaObject::invokeMethod(this, &LiveFeed::schedule, Qt::QueuedConnection);
}

void LiveFeed::schedule()
{
    const qint64 wait = m_sinceFlush.isValid() ? m_intervalMs - m_sinceFlush.elapsed() : 0;
    if (wait <= 0)
        flush();
    else if (!m_timer->isActive())
        m_timer->start(int(wait));
}

void LiveFeed::flush()
{
    QList<MetricSample> samples;
    qint64 dropped = 0;
    {
        std::lock_guard lock(m_mutex);
        samples.swap(m_buffer);
        std::swap(dropped, m_dropped);
        m_scheduled = false;
    }
    m_sinceFlush.start();
    if (!samples.isEmpty() || dropped > 0)
        Q_EMIT samplesCommitted(samples, dropped);
}

} // namespace cachewise::storage
