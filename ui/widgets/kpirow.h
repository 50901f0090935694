// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QList>

class QComboBox;
class QWidget;

namespace cachewise::ui {

class KpiCard;

// The five key figures of the product brief, as cards: tokens processed (the period's total), KV
// cache size, memory usage, inference time and optimization score (its means), each against the
// period before it.
QList<KpiCard *> makeKpiCards(QWidget *parent);
void showKpis(const QList<KpiCard *> &cards,
              const std::array<storage::MetricSummary, model::kMetricCount> &current,
              const std::array<storage::MetricSummary, model::kMetricCount> &previous);

// The time ranges a page offers (live 5 min, 1 h, 24 h, 7 d, 30 d; the item data is the length in ms).
QComboBox *makeRangeChoice(QWidget *parent, const QString &objectName);

} // namespace cachewise::ui
