// SPDX-License-Identifier: GPL-3.0-or-later
// Series for charts: LTTB decimation and the choice between raw samples and rollups.
#include "core/common/clock.h"
#include "core/common/decimation.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <future>

using namespace cachewise;
using cachewise::SeriesPoint;
using model::Metric;

namespace {

QList<SeriesPoint> sine(int n)
{
    QList<SeriesPoint> out;
    for (int i = 0; i < n; ++i) {
        const double v = 100.0 + 50.0 * std::sin(i / 50.0);
        out.append(SeriesPoint{qint64(i) * 1000, v, v, v});
    }
    return out;
}

} // namespace

class TestSeries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lttbLeavesShortSeriesAlone();
    void lttbKeepsEndsAndCount_data();
    void lttbKeepsEndsAndCount();
    void lttbKeepsASpike();
    void lttbEnvelopeCoversEveryPoint();
    void resolutionByRange_data();
    void resolutionByRange();
    void seriesFromRawAndRollups();
};

void TestSeries::lttbLeavesShortSeriesAlone()
{
    const auto points = sine(10);
    QCOMPARE(decimateLttb(points, 10), points);
    QCOMPARE(decimateLttb(points, 500), points);
    QCOMPARE(decimateLttb({}, 5), QList<SeriesPoint>{});
}

void TestSeries::lttbKeepsEndsAndCount_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("threshold");
    QTest::addRow("1000 to 100") << 1000 << 100;
    QTest::addRow("1001 to 3") << 1001 << 3;
    QTest::addRow("101 to 100") << 101 << 100;
    QTest::addRow("100000 to 2400") << 100000 << 2400;
}

void TestSeries::lttbKeepsEndsAndCount()
{
    QFETCH(int, n);
    QFETCH(int, threshold);
    const auto points = sine(n);
    const auto out = decimateLttb(points, threshold);
    QCOMPARE(out.size(), threshold);
    QCOMPARE(out.first(), points.first());
    QCOMPARE(out.last().timestampMs, points.last().timestampMs);
    for (qsizetype i = 1; i < out.size(); ++i)
        QVERIFY(out[i].timestampMs > out[i - 1].timestampMs);
}

void TestSeries::lttbKeepsASpike()
{
    auto points = sine(5000);
    points[2345].value = points[2345].minimum = points[2345].maximum = 10'000;
    const auto out = decimateLttb(points, 200);
    QVERIFY(std::any_of(out.begin(), out.end(), [](const SeriesPoint &p) { return p.value == 10'000; }));
}

void TestSeries::lttbEnvelopeCoversEveryPoint()
{
    auto points = sine(3000);
    points[100].minimum = -5; // a bucket whose minimum is not its drawn value
    const auto out = decimateLttb(points, 50);
    double lowest = out.first().minimum;
    double highest = out.first().maximum;
    for (const SeriesPoint &p : out) {
        lowest = std::min(lowest, p.minimum);
        highest = std::max(highest, p.maximum);
    }
    QCOMPARE(lowest, -5.0);
    double inputHighest = points.first().maximum;
    for (const SeriesPoint &p : points)
        inputHighest = std::max(inputHighest, p.maximum);
    QCOMPARE(highest, inputHighest);
}

void TestSeries::resolutionByRange_data()
{
    QTest::addColumn<qint64>("rangeMs");
    QTest::addColumn<qint64>("resolution");
    constexpr qint64 hour = 3'600'000;
    QTest::addRow("live 5 min") << qint64(5 * 60'000) << qint64(0);
    QTest::addRow("1 h") << hour << qint64(0);
    QTest::addRow("24 h") << 24 * hour << qint64(60'000);
    QTest::addRow("7 d") << 7 * 24 * hour << qint64(60'000);
    QTest::addRow("30 d") << 30 * 24 * hour << hour;
}

void TestSeries::resolutionByRange()
{
    QFETCH(qint64, rangeMs);
    QFETCH(qint64, resolution);
    QCOMPARE(storage::SampleStore::seriesResolutionFor(rangeMs), resolution);
}

void TestSeries::seriesFromRawAndRollups()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.sqlite"));
    constexpr qint64 t0 = 1'705'312'800'000;
    ManualClock clock(t0);
    storage::Repository repo(clock);
    QVERIFY(repo.open(path));
    const QString id = repo.projects().create(QStringLiteral("P"), QString(), QString())->id;
    storage::MetricWriter writer(path, clock);
    QVERIFY(writer.start());
    // Two days, one sample a minute, with one spike.
    QList<model::MetricSample> samples;
    for (int i = 0; i < 2 * 24 * 60; ++i) {
        model::MetricSample s;
        s.projectId = id;
        s.timestampMs = t0 + qint64(i) * 60'000;
        s.setValue(Metric::TokensProcessed, 1);
        s.setValue(Metric::KvCacheSizeKB, i == 1500 ? 999'999 : 1000 + i % 60);
        s.setValue(Metric::MemoryUsageGB, 1);
        s.setValue(Metric::InferenceTimeMs, 1);
        samples << s;
    }
    std::promise<storage::WriteOutcome> done;
    writer.submit(samples, [&](const storage::WriteOutcome &o) { done.set_value(o); });
    QVERIFY(done.get_future().get().ok());

    auto hourRaw = repo.samples().series(id, Metric::KvCacheSizeKB, t0, t0 + 3'600'000, 1000);
    QVERIFY(hourRaw);
    QCOMPARE(hourRaw->resolutionMs, 0);
    QCOMPARE(hourRaw->points.size(), 60); // raw, no decimation needed

    auto twoDays = repo.samples().series(id, Metric::KvCacheSizeKB, t0, t0 + 48 * 3'600'000, 400);
    QVERIFY(twoDays);
    QCOMPARE(twoDays->resolutionMs, 60'000);
    QCOMPARE(twoDays->points.size(), 400);
    const bool spikeSeen = std::any_of(twoDays->points.begin(), twoDays->points.end(),
                                       [](const SeriesPoint &p) { return p.maximum == 999'999; });
    QVERIFY(spikeSeen);

    auto month = repo.samples().series(id, Metric::KvCacheSizeKB, t0, t0 + 30LL * 24 * 3'600'000, 400);
    QVERIFY(month);
    QCOMPARE(month->resolutionMs, 3'600'000);
    QCOMPARE(month->points.size(), 48); // hourly buckets of the two days
    QVERIFY(repo.samples().series(id, Metric::KvCacheSizeKB, t0, t0, 10)->points.isEmpty());
}

QTEST_GUILESS_MAIN(TestSeries)
#include "tst_series.moc"
