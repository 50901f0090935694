// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QList>

#include <optional>

class QComboBox;
class QWidget;

namespace cachewise::ui {

class KpiCard;

// CacheWise's optimization score as a card shows it: computed from the last 24 hours of measurements
// and the runtime (the Recommendations tab shows its parts), for one project or the mean over projects.
struct ScoreFigure
{
    std::optional<double> score;
    int scoredProjects = 0;      // projects whose score is in it
    int describedProjects = 0;   // projects with an engine and model described
    bool meanOfProjects = false; // the dashboard's: a mean over projects
};

// The five key figures of the product brief, as cards: tokens processed (the period's total), KV
// cache size, memory usage and inference time (their means), each against the period before it, and
// the optimization score — the one CacheWise computes, never a score a client pushed.
QList<KpiCard *> makeKpiCards(QWidget *parent);
void showKpis(const QList<KpiCard *> &cards,
              const std::array<storage::MetricSummary, model::kMetricCount> &current,
              const std::array<storage::MetricSummary, model::kMetricCount> &previous,
              const ScoreFigure &score);

// The time ranges a page offers (live 5 min, 1 h, 24 h, 7 d, 30 d; the item data is the length in ms).
QComboBox *makeRangeChoice(QWidget *parent, const QString &objectName);

} // namespace cachewise::ui
