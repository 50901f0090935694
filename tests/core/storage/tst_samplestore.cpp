// SPDX-License-Identifier: GPL-3.0-or-later
// The compact sample store: the values' encoding, samples of one millisecond, late samples, the size of a
// sample on disk, and the conversion of a database written before it (stopped halfway, run twice at once).
#include "core/common/clock.h"
#include "core/storage/database.h"
#include "core/storage/metricwriter.h"
#include "core/storage/repository.h"
#include "core/storage/samplecodec.h"
#include "core/storage/sampleconversion.h"
#include "core/storage/sampleinserter.h"
#include "tests/support/teststack.h"

#include <QFileInfo>
#include <QRandomGenerator64>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <future>
#include <limits>
#include <thread>

using namespace cachewise;
using namespace cachewise::storage;
using test::scalar;
using test::writeAndWait;

namespace {

constexpr qint64 kT0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

SampleValues roundTrip(const SampleValues &values, qsizetype *size = nullptr)
{
    QByteArray encoded;
    encodeSampleValues(values, encoded);
    if (size)
        *size = encoded.size();
    SampleValues decoded;
    decoded.fill(-1.0);
    if (!decodeSampleValues(encoded.constData(), encoded.size(), decoded))
        decoded.fill(std::nullopt);
    return decoded;
}

MetricSample sampleAt(const QString &projectId, qint64 ts, double tokens)
{
    MetricSample s;
    s.projectId = projectId;
    s.timestampMs = ts;
    s.setValue(Metric::TokensProcessed, tokens);
    s.setValue(Metric::KvCacheSizeKB, 480000);
    s.setValue(Metric::MemoryUsageGB, 2.7);
    s.setValue(Metric::InferenceTimeMs, 550);
    return s;
}

} // namespace

class TestSampleStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void valuesComeBackBitForBit();
    void absentValuesCostNothing();
    void damagedValuesAreRefused();
    void samplesOfOneMillisecondKeepTheirOrder();
    void lateSamplesFindTheirPlace();
    void aSampleTakesUnderFortyBytes();
    void conversionStoppedHalfwayFinishesLater();
    void twoConvertersTakeTurns();
    void deletedProjectsKeyIsNeverReused();
    void summaryOfAnyRangeMatchesItsSamples();
    void convertedFileShrinks();

private:
    // A schema-9 database with `count` samples of one project, spread over `count` seconds with some in
    // the same millisecond and some out of order; returns the project's id.
    QString makeOldDatabase(int count);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock;
};

void TestSampleStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("test.sqlite"));
    m_clock.setNowMs(kT0 + 86'400'000);
}

void TestSampleStore::valuesComeBackBitForBit()
{
    QRandomGenerator64 random(20261203);
    for (int round = 0; round < 20'000; ++round) {
        SampleValues values;
        for (const MetricInfo &info : metricTable()) {
            if (random.bounded(3) == 0)
                continue;
            double v = 0;
            switch (random.bounded(5)) {
            case 0: v = double(random.bounded(1'000'000)); break;
            case 1: v = double(random.bounded(100'000)) / 1000.0; break; // short decimals
            case 2: v = random.generateDouble(); break;                  // seventeen digits
            case 3: v = random.generateDouble() * 1e12; break;
            default: v = std::ldexp(1.0, int(random.bounded(60))) - 1; break; // large integers
            }
            if (info.integer)
                v = std::floor(std::min(v, kMaxExactInteger));
            values[metricIndex(info.metric)] = v;
        }
        const SampleValues back = roundTrip(values);
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            QCOMPARE(back[i].has_value(), values[i].has_value());
            if (values[i])
                QVERIFY2(sameBits(*back[i], *values[i]), qPrintable(QString::number(*values[i], 'g', 17)));
        }
    }
    // The edges: zero, negative zero, the largest exact integer, a negative real, the smallest normal.
    for (const double v : {0.0, -0.0, kMaxExactInteger, -2.5, std::numeric_limits<double>::min(), 1e300, 0.1,
                           0.30000000000000004}) {
        SampleValues values;
        values[metricIndex(Metric::MemoryUsageGB)] = v;
        const SampleValues back = roundTrip(values);
        QVERIFY2(back[metricIndex(Metric::MemoryUsageGB)] &&
                     sameBits(*back[metricIndex(Metric::MemoryUsageGB)], v),
                 qPrintable(QString::number(v, 'g', 17)));
    }
}

void TestSampleStore::absentValuesCostNothing()
{
    qsizetype size = 0;
    roundTrip(SampleValues{}, &size);
    QCOMPARE(size, 1); // the presence bits, all clear
    SampleValues values;
    values[metricIndex(Metric::TokensProcessed)] = 800;     // zigzag 1600: two bytes
    values[metricIndex(Metric::MemoryUsageGB)] = 5.27;      // 527 / 10^2: two bytes
    values[metricIndex(Metric::KvCacheUsageRatio)] = 0.999; // 999 / 10^3: two bytes
    roundTrip(values, &size);
    QCOMPARE(size, 1 + 2 + 2 + 2);
    values[metricIndex(Metric::KvCacheUsageRatio)] = 0.1234567891234567; // no short form: 1 + 8 bytes
    roundTrip(values, &size);
    QCOMPARE(size, 1 + 2 + 2 + 9);
    values[metricIndex(Metric::TimePerOutputTokenMs)] = 12.5; // bit 14: the presence bits take three bytes
    roundTrip(values, &size);
    QCOMPARE(size, 3 + 2 + 2 + 9 + 2);
}

void TestSampleStore::damagedValuesAreRefused()
{
    SampleValues values;
    values[metricIndex(Metric::TokensProcessed)] = 800;
    values[metricIndex(Metric::KvCacheUsageRatio)] = 0.1234567891234567;
    QByteArray encoded;
    encodeSampleValues(values, encoded);
    SampleValues out;
    for (qsizetype cut = 0; cut < encoded.size(); ++cut)
        QVERIFY2(!decodeSampleValues(encoded.constData(), cut, out), qPrintable(QString::number(cut)));
    const QByteArray trailing = encoded + QByteArray(1, '\0');
    QVERIFY(!decodeSampleValues(trailing.constData(), trailing.size(), out)); // a byte too many
    const QByteArray unknownMetric("\x80\x80\x02", 3);                        // bit 15
    QVERIFY(!decodeSampleValues(unknownMetric.constData(), unknownMetric.size(), out));
    const QByteArray endless(11, '\xff');
    QVERIFY(!decodeSampleValues(endless.constData(), endless.size(), out));
    // Read back through the store, a damaged row is an error that says which sample, not a zero.
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    QVERIFY(project);
    QVERIFY(test::insertSamples(repo, 1, [&](qint64) { return sampleAt(project->id, kT0, 1); }));
    QSqlQuery damage(repo.database());
    QVERIFY(damage.exec(QStringLiteral("UPDATE samples SET vals = x'ff'")));
    auto page = repo.samples().page(project->id, 0, kT0 + 1, false, std::nullopt, 10);
    QVERIFY(!page);
    QVERIFY2(page.errorMessage().contains(QLatin1String("damaged")), qPrintable(page.errorMessage()));
}

void TestSampleStore::samplesOfOneMillisecondKeepTheirOrder()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    // Five samples in one millisecond, in two transactions, then one a millisecond later.
    QVERIFY(writeAndWait(writer, {sampleAt(project->id, kT0, 1), sampleAt(project->id, kT0, 2),
                                  sampleAt(project->id, kT0, 3)})
                .ok());
    QVERIFY(writeAndWait(writer, {sampleAt(project->id, kT0, 4), sampleAt(project->id, kT0, 5)}).ok());
    QVERIFY(writeAndWait(writer, {sampleAt(project->id, kT0 + 1, 6)}).ok());
    // Paged two at a time, oldest first and newest first: each once, in the order received.
    for (const bool newestFirst : {false, true}) {
        QList<double> seen;
        std::optional<SampleStore::PageCursor> after;
        for (;;) {
            auto page = repo.samples().page(project->id, kT0, kT0 + 2, newestFirst, after, 2);
            QVERIFY(page);
            if (page->isEmpty())
                break;
            for (const SampleRow &row : page.value())
                seen << *row.sample.value(Metric::TokensProcessed);
            after = SampleStore::PageCursor{page->last().sample.timestampMs, page->last().seq};
        }
        const QList<double> expected =
            newestFirst ? QList<double>{6, 5, 4, 3, 2, 1} : QList<double>{1, 2, 3, 4, 5, 6};
        QCOMPARE(seen, expected);
    }
    QCOMPARE(repo.samples().stats(project->id)->rawSampleCount, 6);
}

void TestSampleStore::lateSamplesFindTheirPlace()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
    MetricWriter writer(m_path, m_clock);
    QVERIFY(writer.start());
    QVERIFY(writeAndWait(writer, {sampleAt(project->id, kT0 + 5000, 1), sampleAt(project->id, kT0 + 1000, 2)})
                .ok());
    // A back-filled batch: older than the newest, one of them in a millisecond already taken.
    QVERIFY(writeAndWait(writer, {sampleAt(project->id, kT0 + 1000, 3), sampleAt(project->id, kT0, 4),
                                  sampleAt(project->id, kT0 + 1000, 5)})
                .ok());
    QList<double> order;
    for (const MetricSample &s : test::storedSamples(repo, project->id))
        order << *s.value(Metric::TokensProcessed);
    QCOMPARE(order, (QList<double>{4, 2, 3, 5, 1}));
    // Another connection writing the same project between the writer's transactions is no conflict.
    QVERIFY(
        test::insertSamples(repo, 2, [&](qint64 i) { return sampleAt(project->id, kT0 + 5000, 10 + i); }));
    QVERIFY(writeAndWait(writer, {sampleAt(project->id, kT0 + 5000, 20)}).ok());
    order.clear();
    for (const MetricSample &s : test::storedSamples(repo, project->id))
        order << *s.value(Metric::TokensProcessed);
    QCOMPARE(order, (QList<double>{4, 2, 3, 5, 1, 10, 11, 20}));
}

void TestSampleStore::aSampleTakesUnderFortyBytes()
{
    // A day at 1 Hz of the benchmark's sample (tests/bench/bench_reads): five fields, two of them
    // fractional, through the real writer with its rollups. Page layout is deterministic, so this is a
    // size, not a timing.
    constexpr qint64 kSamples = 86'400;
    {
        Repository repo(m_clock);
        QVERIFY(repo.open(m_path));
        auto project = repo.projects().create(QStringLiteral("P"), QString(), QString());
        MetricWriter writer(m_path, m_clock);
        QVERIFY(writer.start());
        for (qint64 start = 0; start < kSamples; start += 10'000) {
            QList<MetricSample> batch;
            for (qint64 i = start; i < std::min(kSamples, start + 10'000); ++i) {
                MetricSample s;
                s.projectId = project->id;
                s.timestampMs = kT0 + i * 1000;
                s.setValue(Metric::TokensProcessed, double(800 + i % 400));
                s.setValue(Metric::KvCacheSizeKB, double(400'000 + (i * 37) % 80'000));
                s.setValue(Metric::MemoryUsageGB, 5.25 + double(i % 10) / 100.0);
                s.setValue(Metric::InferenceTimeMs, double(450 + i % 100));
                s.setValue(Metric::KvCacheUsageRatio, double(i % 1000) / 1000.0);
                batch << s;
            }
            QVERIFY(writeAndWait(writer, batch).ok());
        }
        writer.stop();
        QCOMPARE(repo.samples().rawCount(project->id).value(), kSamples);
        QSqlQuery checkpoint(repo.database());
        QVERIFY(checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
        // What the samples and rollups take, without the empty database around them.
        const qint64 pages =
            scalar(repo.database(), QStringLiteral("SELECT count(*) FROM dbstat WHERE name IN "
                                                   "('samples', 'rollups')"));
        QVERIFY2(pages > 0, "SQLite's dbstat table is missing (Debian's libsqlite3 has it)");
        const qint64 pageSize = scalar(repo.database(), QStringLiteral("PRAGMA page_size"));
        const double perSample = double(pages * pageSize) / double(kSamples);
        qInfo("%.1f bytes per sample, rollups included", perSample);
        QVERIFY2(perSample <= 40.0, qPrintable(QString::number(perSample)));
    }
}

QString TestSampleStore::makeOldDatabase(int count)
{
    const QString project = QStringLiteral("5f1c2a7e-0b7d-4f43-9a51-6c3e0d2b8a01");
    Connection old;
    if (!old.open(m_path, 9))
        return {};
    QSqlDatabase &db = old.db();
    db.transaction();
    QSqlQuery q(db);
    q.exec(QStringLiteral("INSERT INTO projects VALUES ('%1', 'Old', '', '', %2, %2)").arg(project).arg(kT0));
    q.prepare(QStringLiteral("INSERT INTO metric_samples (project_id, ts, tokens_processed, memory_usage_gb, "
                             "kv_cache_usage_ratio, processed_data) VALUES (?, ?, ?, ?, ?, ?)"));
    for (int i = 0; i < count; ++i) {
        // Every tenth sample shares the millisecond of the one before; every 97th arrived late.
        const qint64 ts = i % 97 == 96 ? kT0 + qint64(i - 50) * 1000 : kT0 + qint64(i - (i % 10 == 9)) * 1000;
        q.bindValue(0, project);
        q.bindValue(1, ts);
        q.bindValue(2, i);
        q.bindValue(3, i % 3 == 0 ? QVariant() : QVariant(2.5 + i / 1000.0));
        q.bindValue(4, double(i % 1000) / 1000.0);
        q.bindValue(5, i % 50 == 0 ? QVariant(QStringLiteral("{\"n\":%1}").arg(i)) : QVariant());
        if (!q.exec())
            return {};
    }
    db.commit();
    return project;
}

void TestSampleStore::conversionStoppedHalfwayFinishesLater()
{
    constexpr int kCount = 5000;
    const QString project = makeOldDatabase(kCount);
    QVERIFY(!project.isEmpty());
    {
        // Stopped after three batches of 700, as closing the app during the conversion stops it.
        Connection c;
        QVERIFY(c.open(m_path));
        QVERIFY(sampleConversionPending(c.db()).value());
        QList<qint64> told;
        auto r = convertSamples(
            c.db(),
            [&](qint64 converted, qint64 total) {
                told << converted;
                return total == kCount && told.size() < 3;
            },
            700);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        QCOMPARE(told, (QList<qint64>{700, 1400, 2100}));
        QCOMPARE(scalar(c.db(), QStringLiteral("SELECT count(*) FROM samples")), 2100);
        QCOMPARE(scalar(c.db(), QStringLiteral("SELECT count(*) FROM metric_samples")), kCount - 2100);
    }
    // Opened again, it finishes: every sample once, with its values, its place and its JSON.
    Repository repo(m_clock);
    qint64 lastTold = 0;
    QVERIFY(repo.open(m_path, [&](qint64 converted, qint64 total) {
        lastTold = converted;
        return total == kCount - 2100;
    }));
    QCOMPARE(lastTold, kCount - 2100);
    QVERIFY(!sampleConversionPending(repo.database()).value());
    const QList<MetricSample> stored = test::storedSamples(repo, project);
    QCOMPARE(stored.size(), kCount);
    QSet<int> seen;
    qint64 previous = std::numeric_limits<qint64>::min();
    for (const MetricSample &s : stored) {
        const int i = int(*s.value(Metric::TokensProcessed));
        QVERIFY(!seen.contains(i));
        seen.insert(i);
        QVERIFY(s.timestampMs >= previous);
        previous = s.timestampMs;
        QCOMPARE(s.value(Metric::MemoryUsageGB).has_value(), i % 3 != 0);
        if (i % 3 != 0)
            QVERIFY(sameBits(*s.value(Metric::MemoryUsageGB), 2.5 + i / 1000.0));
        QVERIFY(sameBits(*s.value(Metric::KvCacheUsageRatio), double(i % 1000) / 1000.0));
        QCOMPARE(s.processedData, i % 50 == 0 ? QStringLiteral("{\"n\":%1}").arg(i).toUtf8() : QByteArray());
    }
    // Samples of one millisecond keep the order they were stored in.
    for (int k = 1; k < stored.size(); ++k) {
        if (stored[k].timestampMs == stored[k - 1].timestampMs &&
            int(*stored[k].value(Metric::TokensProcessed)) % 97 != 96)
            QVERIFY(*stored[k].value(Metric::TokensProcessed) >
                    *stored[k - 1].value(Metric::TokensProcessed));
    }
}

void TestSampleStore::twoConvertersTakeTurns()
{
    constexpr int kCount = 20'000;
    const QString project = makeOldDatabase(kCount);
    QVERIFY(!project.isEmpty());
    // The app and the CLI opening the same old file at once: batches interleave, nothing is doubled.
    auto convert = [this] {
        Connection c;
        if (!c.open(m_path))
            return qint64(-1);
        auto r = convertSamples(c.db(), {}, 500);
        return r ? r.value() : qint64(-1);
    };
    auto first = std::async(std::launch::async, convert);
    auto second = std::async(std::launch::async, convert);
    const qint64 a = first.get();
    const qint64 b = second.get();
    QVERIFY(a >= 0 && b >= 0);
    QCOMPARE(a + b, kCount);
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    QCOMPARE(repo.samples().rawCount(project).value(), kCount);
    QSet<double> markers;
    for (const MetricSample &s : test::storedSamples(repo, project))
        markers.insert(*s.value(Metric::TokensProcessed));
    QCOMPARE(markers.size(), kCount);
}

void TestSampleStore::deletedProjectsKeyIsNeverReused()
{
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    auto first = repo.projects().create(QStringLiteral("A"), QString(), QString());
    QVERIFY(test::insertSamples(repo, 1, [&](qint64) { return sampleAt(first->id, kT0, 1); }));
    const qint64 firstKey = scalar(repo.database(), QStringLiteral("SELECT max(key) FROM project_keys"));
    QVERIFY(repo.projects().remove(first->id).value());
    QCOMPARE(scalar(repo.database(), QStringLiteral("SELECT count(*) FROM samples")), 0);
    auto second = repo.projects().create(QStringLiteral("B"), QString(), QString());
    QVERIFY(test::insertSamples(repo, 1, [&](qint64) { return sampleAt(second->id, kT0, 2); }));
    QVERIFY(scalar(repo.database(), QStringLiteral("SELECT max(key) FROM project_keys")) > firstKey);
    // A sample for the deleted project is refused, never filed under another's key.
    QString error;
    QVERIFY(!test::insertSamples(
        repo, 1, [&](qint64) { return sampleAt(first->id, kT0, 3); }, &error));
    QVERIFY2(error.contains(QLatin1String("does not exist")), qPrintable(error));
    QCOMPARE(test::storedSamples(repo, second->id).size(), 1);
}

void TestSampleStore::summaryOfAnyRangeMatchesItsSamples()
{
    // Three days of samples at uneven times in two projects, through the real writer and its rollups.
    // Any range's summary (hours from hour rollups, minutes from minute rollups, the seconds at the edges
    // from raw samples) must equal what the samples in the range give when added up one by one.
    constexpr qint64 kSpanMs = 3 * 86'400'000;
    m_clock.setNowMs(kT0 + kSpanMs + 86'400'000);
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    const QString projects[] = {repo.projects().create(QStringLiteral("A"), QString(), QString())->id,
                                repo.projects().create(QStringLiteral("B"), QString(), QString())->id};
    QRandomGenerator64 random(14);
    QList<MetricSample> all;
    for (int i = 0; i < 30'000; ++i) {
        MetricSample s;
        s.projectId = projects[i % 3 == 0 ? 1 : 0];
        s.timestampMs = kT0 + qint64(random.bounded(quint64(kSpanMs)));
        s.setValue(Metric::TokensProcessed, double(random.bounded(100'000)));
        if (i % 4 != 0)
            s.setValue(Metric::KvCacheUsageRatio, double(random.bounded(1'000'000)) / 1e6);
        all << s;
    }
    {
        MetricWriter writer(m_path, m_clock);
        QVERIFY(writer.start());
        for (qsizetype at = 0; at < all.size(); at += 5000)
            QVERIFY(writeAndWait(writer, all.mid(at, 5000)).ok());
        writer.stop();
    }

    const auto expected = [&](const QString &projectId, qint64 from, qint64 to, Metric metric) {
        MetricSummary e;
        for (const MetricSample &s : std::as_const(all)) {
            const auto v = s.value(metric);
            if (!v || s.timestampMs < from || s.timestampMs >= to ||
                (!projectId.isEmpty() && s.projectId != projectId))
                continue;
            e.minimum = e.count ? std::min(e.minimum, *v) : *v;
            e.maximum = e.count ? std::max(e.maximum, *v) : *v;
            e.sum += *v;
            ++e.count;
        }
        return e;
    };
    QList<std::pair<qint64, qint64>> ranges{
        {kT0, kT0 + kSpanMs},                  // everything, whole hours
        {kT0 + 3'600'000, kT0 + 7'200'000},    // one whole hour
        {kT0 + 60'000, kT0 + 120'000},         // one whole minute
        {kT0 + 61'500, kT0 + 62'500},          // inside a minute
        {kT0 + 3'599'999, kT0 + 7'200'001},    // an hour and two milliseconds
        {kT0 - 86'400'000, kT0 + 2 * kSpanMs}, // beyond both ends
        {kT0 + 5'000, kT0 + 5'000},            // empty
    };
    for (int i = 0; i < 60; ++i) {
        const qint64 a = kT0 - 3'600'000 + qint64(random.bounded(quint64(kSpanMs + 7'200'000)));
        const qint64 length = qint64(random.bounded(quint64(i % 3 == 0 ? 180'000 : kSpanMs / 2)));
        ranges.append({a, a + length});
    }
    for (const auto &[from, to] : std::as_const(ranges)) {
        for (const QString &projectId : {projects[0], projects[1], QString()}) {
            const auto summary = repo.samples().summary(projectId, from, to);
            QVERIFY2(summary, qPrintable(summary ? QString() : summary.errorMessage()));
            for (Metric metric : {Metric::TokensProcessed, Metric::KvCacheUsageRatio}) {
                const MetricSummary e = expected(projectId, from, to, metric);
                const MetricSummary &got = summary.value()[model::metricIndex(metric)];
                const QByteArray where = QStringLiteral("[%1, %2) of %3, metric %4")
                                             .arg(from - kT0)
                                             .arg(to - kT0)
                                             .arg(projectId.isEmpty() ? QStringLiteral("all") : projectId)
                                             .arg(int(metric))
                                             .toUtf8();
                QVERIFY2(got.count == e.count, where.constData());
                if (e.count == 0)
                    continue;
                QVERIFY2(got.minimum == e.minimum && got.maximum == e.maximum, where.constData());
                QVERIFY2(std::abs(got.sum - e.sum) <= 1e-9 * std::abs(e.sum), where.constData());
                QVERIFY2(std::abs(got.mean - e.sum / double(e.count)) <= 1e-9 * std::abs(got.mean),
                         where.constData());
            }
        }
    }
}

void TestSampleStore::convertedFileShrinks()
{
    // A converted file gives the old rows' pages back: it ends near what the compact store takes, not at
    // the size of the layout before it. Page counts are deterministic: a size, not a timing.
    constexpr int kCount = 40'000;
    QVERIFY(!makeOldDatabase(kCount).isEmpty());
    const auto fileBytes = [this] {
        qint64 total = 0;
        for (const char *suffix : {"", "-wal"})
            total += QFileInfo(m_path + QLatin1String(suffix)).size();
        return total;
    };
    {
        Connection c;
        QVERIFY(c.open(m_path));
        QVERIFY(scalar(c.db(), QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) == 0);
    }
    const qint64 before = fileBytes();
    auto converted = convertSamples(m_path);
    QVERIFY2(converted, qPrintable(converted ? QString() : converted.errorMessage()));
    QCOMPARE(converted.value(), kCount);
    const qint64 after = fileBytes();
    qInfo("%lld bytes before, %lld after", before, after);
    QVERIFY2(after * 2 < before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    Repository repo(m_clock);
    QVERIFY(repo.open(m_path));
    QCOMPARE(scalar(repo.database(), QStringLiteral("SELECT count(*) FROM samples")), kCount);
}

QTEST_GUILESS_MAIN(TestSampleStore)
#include "tst_samplestore.moc"
