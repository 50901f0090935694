// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/units.h"
#include "core/model/enums.h"
#include "core/model/metric.h"
#include "core/model/types.h"

#include <QString>
#include <QStringList>

// What the window and the reports say about a metric. QtCore only: the CLI's reports use it too.
namespace cachewise::ui {

// A metric's name as people read it (translated).
QString metricTitle(model::Metric metric);
// What a metric's figure means, in one or two sentences (translated): charts' and cards' tooltips.
QString metricDescription(model::Metric metric);

// How a unit's values are scaled on a value axis, and the axis title ("MiB" for KiB values…).
struct AxisScale
{
    double divisor;
    QString title;
};
AxisScale axisScale(Unit unit);
// The same for values up to `largest` (in the unit): sizes in the binary unit that shows them, as the
// key figures and tables do ("GiB" for 2 GiB of KiB values, "KiB" for 300 of them).
AxisScale axisScale(Unit unit, double largest);

// What an automated action was and how it ended, in words (translated): the action log and reports.
// A type this version does not know (written by a client, or by a later version) is shown as stored.
QString actionTypeText(const QString &type);
QString actionStatusText(model::ActionStatus status);
// An entry's details in the reader's language; as stored (English) for entries older than schema 9 and
// for phrases a later version wrote.
QString actionDetailsText(const model::ActionLogEntry &entry);

// What differs between two runtimes, one line a setting ("Context: 32,768 → 8,192 tokens"), translated.
QStringList runtimeChangeLines(const model::ProjectRuntime &before, const model::ProjectRuntime &after);

} // namespace cachewise::ui
