// SPDX-License-Identifier: GPL-3.0-or-later
// What a report shows, collected from a real database holding the demo projects: summaries and their
// trend, charted series within the point budget, the score, recommendations without the dismissed ones,
// actions within the range only, sources; and the refusals.
#include "core/common/clock.h"
#include "core/demo/demodata.h"
#include "core/report/reportdata.h"
#include "core/services/reports.h"
#include "tests/support/teststack.h"

#include <QTest>

#include <algorithm>

using namespace cachewise;
using model::Metric;

class TestReportData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void demoProjects();
    void refusals();
};

void TestReportData::demoProjects()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    QVERIFY(test::loadDemo(stack));
    const SystemClock clock;
    const qint64 now = clock.nowMs();
    const QString chatbot = demo::demoProjects().first().id;
    // An action inside the range and one long before it; a dismissed recommendation.
    model::ActionLogEntry inside;
    inside.projectId = chatbot;
    inside.timestampMs = now - 30 * 60'000;
    inside.actionType = QStringLiteral("evict_lru");
    inside.details = QStringLiteral("inside");
    inside.status = model::ActionStatus::Success;
    QVERIFY(stack.repository().actions().add(inside));
    model::ActionLogEntry before = inside;
    before.timestampMs = now - 30LL * 86'400'000;
    before.details = QStringLiteral("before");
    QVERIFY(stack.repository().actions().add(before));
    auto recommendations = stack.repository().recommendations().list(chatbot);
    QVERIFY(recommendations && recommendations->size() >= 2);
    const QString dismissed = recommendations->first().id;
    QVERIFY(stack.repository()
                .recommendations()
                .setStatus(dismissed, model::RecommendationStatus::Dismissed)
                .value());

    report::ReportRequest request;
    request.fromMs = now - 3 * 3'600'000;
    request.toMs = now + 60'000;
    request.nowMs = now;
    request.maxChartPoints = 100;
    auto data = services::collectReport(stack.repository(), request);
    QVERIFY2(data, qPrintable(data ? QString() : data.errorMessage()));
    QCOMPARE(data->projects.size(), demo::demoProjects().size());
    const report::ProjectReport *chat = nullptr;
    for (const report::ProjectReport &p : data->projects) {
        QVERIFY(p.runtime.has_value());
        QVERIFY(p.current[model::metricIndex(Metric::KvCacheSizeKB)].count > 0);
        QCOMPARE(p.previous[model::metricIndex(Metric::KvCacheSizeKB)].count, 0); // nothing before the demo
        QCOMPARE(p.charts.size(), report::reportChartMetrics().size());
        for (const report::ChartSeries &c : p.charts)
            QVERIFY(c.points.size() <= 100);
        QVERIFY(!p.charts.first().points.isEmpty());
        if (p.project.id == chatbot)
            chat = &p;
    }
    QVERIFY(chat);
    QVERIFY(chat->score.score.has_value());
    QCOMPARE(chat->recommendations.size(), recommendations->size() - 1);
    for (const model::Recommendation &r : chat->recommendations)
        QVERIFY(r.id != dismissed);
    // The one logged inside the range, and the brief's sample entry of the demo.
    QCOMPARE(chat->actions.size(), 2);
    QVERIFY(std::any_of(chat->actions.cbegin(), chat->actions.cend(),
                        [](const model::ActionLogEntry &a) { return a.details == QLatin1String("inside"); }));
    // The data's own span within the period: the demo's first and last sample.
    QVERIFY(chat->hasSamples);
    const auto samples = stack.repository().samples().page(chatbot, 0, now + 60'000, false, std::nullopt, 1);
    QVERIFY(data->dataFromMs && data->dataToMs);
    QVERIFY(*data->dataFromMs <= samples->first().sample.timestampMs);
    QVERIFY(*data->dataFromMs >= request.fromMs && *data->dataToMs <= now);
    // A period without samples has no span and no project with samples.
    report::ReportRequest earlier = request;
    earlier.fromMs = 1000;
    earlier.toMs = 2000;
    auto empty = services::collectReport(stack.repository(), earlier);
    QVERIFY(empty);
    QVERIFY(!empty->dataFromMs && !empty->dataToMs);
    for (const report::ProjectReport &p : empty->projects)
        QVERIFY(!p.hasSamples);
    // One project only.
    request.projectIds = {chatbot};
    QCOMPARE(services::collectReport(stack.repository(), request)->projects.size(), 1);
}

void TestReportData::refusals()
{
    test::TestStack stack;
    QVERIFY(stack.start());
    report::ReportRequest request;
    request.fromMs = 1000;
    request.toMs = 1000;
    auto empty = services::collectReport(stack.repository(), request);
    QVERIFY(!empty);
    QCOMPARE(empty.error().field, QStringLiteral("range"));
    request.toMs = 2000;
    request.projectIds = {QStringLiteral("33333333-3333-4333-8333-333333333333")};
    auto unknown = services::collectReport(stack.repository(), request);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().kind, ErrorKind::NotFound);
}

QTEST_GUILESS_MAIN(TestReportData)
#include "tst_reportdata.moc"
