// SPDX-License-Identifier: GPL-3.0-or-later
// Live updates are coalesced: many commits, few signals, every sample delivered once.
#include "core/common/clock.h"
#include "core/storage/livefeed.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;
using namespace cachewise::storage;

class TestLiveFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coalescesCommits();
    void boundedBuffer();
    void quietFeedPassesACommitOnAtOnce();
};

void TestLiveFeed::coalescesCommits()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f.sqlite"));
    SystemClock clock;
    Repository repo(clock);
    QVERIFY(repo.open(path));
    const QString id = repo.projects().create(QStringLiteral("P"), QString(), QString())->id;
    MetricWriter writer(path, clock);
    LiveFeed feed(200);
    feed.attach(writer);
    QVERIFY(writer.start());
    QSignalSpy spy(&feed, &LiveFeed::samplesCommitted);
    constexpr int kSamples = 2000;
    std::atomic<int> acknowledged{0};
    for (int i = 0; i < kSamples; ++i) {
        MetricSample s;
        s.projectId = id;
        s.timestampMs = clock.nowMs();
        s.setValue(Metric::TokensProcessed, i);
        s.setValue(Metric::KvCacheSizeKB, 1);
        s.setValue(Metric::MemoryUsageGB, 1);
        s.setValue(Metric::InferenceTimeMs, 1);
        writer.submit({s}, [&](const WriteOutcome &o) { acknowledged += o.ok() ? 1 : 0; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(acknowledged.load(), kSamples, 20000);
    int delivered = 0;
    int signals = 0;
    QSet<int> seen;
    QDeadlineTimer deadline(5000);
    while (delivered < kSamples && !deadline.hasExpired()) {
        if (spy.isEmpty() && !spy.wait(1000))
            continue;
        const QList<QVariant> args = spy.takeFirst();
        ++signals;
        QCOMPARE(args.at(1).toLongLong(), 0);
        const auto samples = args.at(0).value<QList<MetricSample>>();
        for (const MetricSample &s : samples)
            seen.insert(int(*s.value(Metric::TokensProcessed)));
        delivered += int(samples.size());
    }
    QVERIFY2(signals < kSamples / 10, qPrintable(QString::number(signals)));
    QCOMPARE(delivered, kSamples);
    QCOMPARE(seen.size(), kSamples);
}

void TestLiveFeed::boundedBuffer()
{
    LiveFeed feed(100, 10);
    QSignalSpy spy(&feed, &LiveFeed::samplesCommitted);
    QList<MetricSample> many(25);
    for (int i = 0; i < 25; ++i)
        many[i].timestampMs = i;
    feed.push(many);
    QVERIFY(spy.wait(2000));
    const auto samples = spy.first().at(0).value<QList<MetricSample>>();
    QCOMPARE(samples.size(), 10);
    QCOMPARE(samples.first().timestampMs, 15); // the newest are kept
    QCOMPARE(spy.first().at(1).toLongLong(), 15);
}

void TestLiveFeed::quietFeedPassesACommitOnAtOnce()
{
    // After a quiet interval a commit reaches the views at once, not at the next tick; one right after
    // it waits for the interval's end (still one signal an interval).
    LiveFeed feed(3000);
    QSignalSpy spy(&feed, &LiveFeed::samplesCommitted);
    QElapsedTimer since;
    since.start();
    QList<qint64> signalledAt; // when each signal was emitted
    connect(&feed, &LiveFeed::samplesCommitted, this, [&] { signalledAt << since.elapsed(); });
    feed.push({MetricSample{}});
    QVERIFY(spy.wait(1500));
    QVERIFY2(signalledAt.first() < 1500, qPrintable(QString::number(signalledAt.first())));
    feed.push({MetricSample{}, MetricSample{}});
    QVERIFY(!spy.wait(1000));
    QVERIFY(spy.wait(4000));
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(1).at(0).value<QList<MetricSample>>().size(), 2);
    // Not before the interval is over (a coarse timer would fire up to 150 ms early).
    QVERIFY2(signalledAt[1] - signalledAt[0] >= 2995,
             qPrintable(QString::number(signalledAt[1] - signalledAt[0])));
}

QTEST_GUILESS_MAIN(TestLiveFeed)
#include "tst_livefeed.moc"
