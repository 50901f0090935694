// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/units.h"

#include <QDateTime>

#include <cmath>

namespace cachewise {

Unit unitOf(model::Metric metric)
{
    using model::Metric;
    switch (metric) {
    case Metric::KvCacheSizeKB:
    case Metric::KvCacheCapacityKB: return Unit::KibiBytes;
    case Metric::MemoryUsageGB: return Unit::GibiBytes;
    case Metric::InferenceTimeMs:
    case Metric::TimeToFirstTokenMs:
    case Metric::TimePerOutputTokenMs: return Unit::Milliseconds;
    case Metric::KvCacheUsageRatio:
    case Metric::PrefixCacheHitRate: return Unit::Ratio;
    case Metric::OptimizationScore: return Unit::Score;
    case Metric::TokensPerSecond:
    case Metric::DecodeTokensPerSecond: return Unit::PerSecond;
    case Metric::TokensProcessed:
    case Metric::RequestsRunning:
    case Metric::RequestsWaiting:
    case Metric::Preemptions: return Unit::Count;
    }
    return Unit::Count;
}

QString formatValue(double value, Unit unit, const QLocale &locale)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    switch (unit) {
    case Unit::KibiBytes: {
        // KB as pushed are kibibytes; show the largest unit that keeps the number readable.
        const double bytes = value * 1024.0;
        return locale.formattedDataSize(qint64(std::llround(bytes)), bytes >= 1024.0 * 1024 * 1024 ? 2 : 1,
                                        QLocale::DataSizeIecFormat);
    }
    case Unit::GibiBytes: return locale.toString(value, 'f', 2) + QStringLiteral(" GiB");
    case Unit::Milliseconds:
        // Per-token times are a few milliseconds: keep a decimal where a whole number would hide it.
        return value >= 10'000 ? locale.toString(value / 1000.0, 'f', 1) + QStringLiteral(" s")
               : value < 100   ? locale.toString(value, 'f', 1) + QStringLiteral(" ms")
                               : locale.toString(value, 'f', 0) + QStringLiteral(" ms");
    case Unit::Ratio: return locale.toString(value * 100.0, 'f', 1) + QStringLiteral(" %");
    case Unit::Score: return locale.toString(value, 'f', 1);
    case Unit::PerSecond: return locale.toString(value, 'f', 1) + QStringLiteral("/s");
    case Unit::Count: return locale.toString(qint64(std::llround(value)));
    }
    return locale.toString(value);
}

QString formatBytes(double bytes, const QLocale &locale)
{
    if (!std::isfinite(bytes) || bytes < 0)
        return QStringLiteral("–");
    return locale.formattedDataSize(qint64(std::llround(bytes)), 2, QLocale::DataSizeIecFormat);
}

QString formatCount(qint64 value, const QLocale &locale)
{
    return locale.toString(value);
}

QString formatDecimal(double value, int decimals, const QLocale &locale)
{
    return locale.toString(value, 'f', decimals);
}

QString formatSignificant(double value, int digits, const QLocale &locale)
{
    return locale.toString(value, 'g', digits);
}

QString formatDateTime(qint64 msSinceEpoch, const QLocale &locale)
{
    return locale.toString(QDateTime::fromMSecsSinceEpoch(msSinceEpoch), QLocale::ShortFormat);
}

QString formatDateTime(qint64 msSinceEpoch, const QString &pattern, const QLocale &locale)
{
    return locale.toString(QDateTime::fromMSecsSinceEpoch(msSinceEpoch), pattern);
}

} // namespace cachewise
