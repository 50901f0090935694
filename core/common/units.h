// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/metric.h"

#include <QLocale>
#include <QString>

namespace cachewise {

// How a metric's value is shown to people, in one place (machine formats never come here).
enum class Unit
{
    Count,
    KibiBytes,
    GibiBytes,
    Milliseconds,
    Ratio, // 0..1, shown as a percentage
    Score, // 0..100
    PerSecond,
};

Unit unitOf(model::Metric metric);

// "469 MiB", "2,7 GiB" (Turkish), "550 ms", "47 %", "1.250 tokens"… in the given locale.
QString formatValue(double value, Unit unit, const QLocale &locale = QLocale());

// A size in bytes in the binary unit that shows its number: "4.00 MiB", "2.13 GiB", "512 bytes".
QString formatBytes(double bytes, const QLocale &locale = QLocale());

// The one place the window and the reports turn other numbers into text, in the user's locale.
// A whole number with the locale's group separators: "1,250" ("1.250" in Turkish).
QString formatCount(qint64 value, const QLocale &locale = QLocale());
// A number with a fixed count of decimals: "27.4", "0" (decimals 0).
QString formatDecimal(double value, int decimals, const QLocale &locale = QLocale());
// A number with at most `digits` significant digits and no trailing zeros, as a form shows it for editing.
QString formatSignificant(double value, int digits, const QLocale &locale = QLocale());
// A moment in local time, short: "02/12/2026 14:05".
QString formatDateTime(qint64 msSinceEpoch, const QLocale &locale = QLocale());
// A moment in local time in the given pattern ("yyyy-MM-dd HH:mm:ss", "HH:mm"), with the locale's names.
QString formatDateTime(qint64 msSinceEpoch, const QString &pattern, const QLocale &locale = QLocale());

} // namespace cachewise
