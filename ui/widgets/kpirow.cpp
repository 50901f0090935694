// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/kpirow.h"

#include "core/common/units.h"
#include "ui/widgets/kpicard.h"

#include <QComboBox>
#include <QCoreApplication>

#include <algorithm>
#include <limits>

namespace cachewise::ui {
namespace {

using model::Metric;

struct KpiSpec
{
    Metric metric;
    bool total; // the period's total instead of its mean
    bool higherIsBetter;
};

const KpiSpec kKpis[] = {
    {Metric::TokensProcessed, true, true},
    {Metric::KvCacheSizeKB, false, false},
    {Metric::MemoryUsageGB, false, false},
    {Metric::InferenceTimeMs, false, false},
};

QString title(Metric m)
{
    switch (m) {
    case Metric::TokensProcessed: return KpiCard::tr("Tokens Processed");
    case Metric::KvCacheSizeKB: return KpiCard::tr("KV Cache Size");
    case Metric::MemoryUsageGB: return KpiCard::tr("Memory Usage");
    default: return KpiCard::tr("Inference Time");
    }
}

void showScore(KpiCard &card, const ScoreFigure &figure)
{
    const QString about = KpiCard::tr("CacheWise's score (0–100), computed from the last 24 hours of "
                                      "measurements and the engine and model described in Settings; the "
                                      "Recommendations tab shows its parts. A score a client pushes is shown "
                                      "apart, as \"Reported Score\".");
    if (figure.score) {
        const QString value = KpiCard::tr("%1 / 100").arg(formatDecimal(*figure.score, 0));
        QString note = KpiCard::tr("last 24 hours");
        if (figure.meanOfProjects)
            note = figure.scoredProjects == 1
                       ? KpiCard::tr("one project, last 24 h")
                       : KpiCard::tr("mean of %1 projects, last 24 h").arg(figure.scoredProjects);
        card.setNoted(value, note, about);
        return;
    }
    card.setNoted(QStringLiteral("–"),
                  figure.describedProjects == 0
                      ? (figure.meanOfProjects ? KpiCard::tr("No project's engine described")
                                               : KpiCard::tr("Describe engine and model"))
                      : KpiCard::tr("Needs more data"),
                  about);
}

} // namespace

QList<KpiCard *> makeKpiCards(QWidget *parent)
{
    QList<KpiCard *> cards;
    for (const KpiSpec &spec : kKpis)
        cards << new KpiCard(title(spec.metric), parent);
    auto *score = new KpiCard(KpiCard::tr("Optimization Score"), parent);
    score->setObjectName(QStringLiteral("scoreCard"));
    cards << score;
    return cards;
}

void showKpis(const QList<KpiCard *> &cards,
              const std::array<storage::MetricSummary, model::kMetricCount> &current,
              const std::array<storage::MetricSummary, model::kMetricCount> &previous,
              const ScoreFigure &score)
{
    if (cards.size() > qsizetype(std::size(kKpis)))
        showScore(*cards[qsizetype(std::size(kKpis))], score);
    const bool anySamples = std::any_of(current.begin(), current.end(),
                                        [](const storage::MetricSummary &m) { return m.count > 0; });
    for (qsizetype i = 0; i < cards.size() && i < qsizetype(std::size(kKpis)); ++i) {
        const KpiSpec &spec = kKpis[i];
        const storage::MetricSummary &now = current[model::metricIndex(spec.metric)];
        const storage::MetricSummary &before = previous[model::metricIndex(spec.metric)];
        if (now.count == 0) {
            if (anySamples)
                cards[i]->setNotMeasured();
            else
                cards[i]->setEmpty();
            continue;
        }
        const double value = spec.total ? now.sum : now.mean;
        const double earlier = before.count == 0 ? 0.0 : (spec.total ? before.sum : before.mean);
        const double trend =
            earlier == 0 ? std::numeric_limits<double>::quiet_NaN() : (value - earlier) / earlier * 100.0;
        cards[i]->setValue(formatValue(value, unitOf(spec.metric)), trend, spec.higherIsBetter);
    }
}

QComboBox *makeRangeChoice(QWidget *parent, const QString &objectName)
{
    auto *range = new QComboBox(parent);
    range->setObjectName(objectName);
    range->setAccessibleName(KpiCard::tr("Time range"));
    range->addItem(KpiCard::tr("Live (5 min)"), qint64(5 * 60'000));
    range->addItem(KpiCard::tr("Last hour"), qint64(3'600'000));
    range->addItem(KpiCard::tr("Last 24 hours"), qint64(24 * 3'600'000));
    range->addItem(KpiCard::tr("Last 7 days"), qint64(7 * 24 * 3'600'000LL));
    range->addItem(KpiCard::tr("Last 30 days"), qint64(30 * 24 * 3'600'000LL));
    range->setCurrentIndex(1);
    return range;
}

} // namespace cachewise::ui
