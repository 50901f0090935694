// SPDX-License-Identifier: GPL-3.0-or-later
// The one formatter of numbers for people: the same figure in English and in Turkish.
#include "core/common/units.h"

#include <QDateTime>
#include <QTest>

#include <cmath>
#include <limits>

using namespace cachewise;

class TestUnits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsAndDecimals();
    void metricValues();
    void bytes();
    void moments();

private:
    const QLocale m_en{QLocale::English, QLocale::UnitedStates};
    const QLocale m_tr{QLocale::Turkish, QLocale::Turkey};
};

void TestUnits::countsAndDecimals()
{
    QCOMPARE(formatCount(1250, m_en), QStringLiteral("1,250"));
    QCOMPARE(formatCount(1250, m_tr), QStringLiteral("1.250"));
    QCOMPARE(formatCount(-3, m_en), QStringLiteral("-3"));
    QCOMPARE(formatDecimal(27.44, 1, m_en), QStringLiteral("27.4"));
    QCOMPARE(formatDecimal(27.44, 1, m_tr), QStringLiteral("27,4"));
    QCOMPARE(formatDecimal(0.4, 0, m_en), QStringLiteral("0"));
    QCOMPARE(formatSignificant(85, 6, m_en), QStringLiteral("85"));
    QCOMPARE(formatSignificant(12.5, 6, m_tr), QStringLiteral("12,5"));
}

void TestUnits::metricValues()
{
    // 480,000 KiB pushed as kvCacheSizeKB: 468.75 MiB.
    QCOMPARE(formatValue(480000, Unit::KibiBytes, m_en), QStringLiteral("468.8 MiB"));
    QCOMPARE(formatValue(480000, Unit::KibiBytes, m_tr), QStringLiteral("468,8 MiB"));
    QCOMPARE(formatValue(2.7, Unit::GibiBytes, m_tr), QStringLiteral("2,70 GiB"));
    QCOMPARE(formatValue(550, Unit::Milliseconds, m_en), QStringLiteral("550 ms"));
    QCOMPARE(formatValue(12.34, Unit::Milliseconds, m_en), QStringLiteral("12.3 ms")); // per-token times
    QCOMPARE(formatValue(12500, Unit::Milliseconds, m_en), QStringLiteral("12.5 s"));
    QCOMPARE(formatValue(0.274, Unit::Ratio, m_en), QStringLiteral("27.4 %"));
    QCOMPARE(formatValue(1250.4, Unit::Count, m_tr), QStringLiteral("1.250"));
    QCOMPARE(formatValue(std::numeric_limits<double>::quiet_NaN(), Unit::Count, m_en), QStringLiteral("–"));
}

void TestUnits::bytes()
{
    QCOMPARE(formatBytes(4.0 * 1024 * 1024, m_en), QStringLiteral("4.00 MiB"));
    QCOMPARE(formatBytes(512, m_en), QStringLiteral("512 bytes"));
    QCOMPARE(formatBytes(-1, m_en), QStringLiteral("–"));
}

void TestUnits::moments()
{
    const qint64 ms = QDateTime(QDate(2026, 12, 2), QTime(14, 5, 9)).toMSecsSinceEpoch(); // local time
    QCOMPARE(formatDateTime(ms, QStringLiteral("yyyy-MM-dd HH:mm:ss"), m_en),
             QStringLiteral("2026-12-02 14:05:09"));
    QCOMPARE(formatDateTime(ms, QStringLiteral("d MMMM"), m_tr), QStringLiteral("2 Aralık"));
    // The short form names the day and the minute.
    QVERIFY(formatDateTime(ms, m_en).contains(QStringLiteral("2:05")));
    QVERIFY(formatDateTime(ms, m_tr).contains(QStringLiteral("14:05")));
}

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
