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

} // namespace cachewise
