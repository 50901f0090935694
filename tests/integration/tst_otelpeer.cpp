// SPDX-License-Identifier: GPL-3.0-or-later
// The real OpenTelemetry JavaScript SDK (pinned in tests/otel-peer/package.json, installed by npm ci)
// exports to the listener in OTLP/HTTP JSON and protobuf with its default settings and no key: each
// program becomes a project named after its service.name, and the values arrive as recorded.
#include "core/model/metric.h"
#include "tests/support/teststack.h"

#include <QDir>
#include <QProcess>
#include <QTest>

using namespace cachewise;
using model::Metric;

class TestOtelPeer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportsArrive_data();
    void exportsArrive();
};

void TestOtelPeer::exportsArrive_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::newRow("http/json") << QStringLiteral("json");
    QTest::newRow("http/protobuf") << QStringLiteral("proto");
}

void TestOtelPeer::exportsArrive()
{
    QFETCH(QString, protocol);
    const QString peerDir = QString::fromLocal8Bit(qgetenv("CACHEWISE_OTEL_PEER_DIR"));
    QVERIFY2(
        QDir(peerDir).exists(QStringLiteral("node_modules/@opentelemetry/sdk-metrics")),
        "the SDK is not installed: run `npm ci` in tests/otel-peer (packaging/linux/setup-debian.sh test "
        "does)");
    test::TestStack stack;
    QVERIFY(stack.start());
    const QString service = QStringLiteral("peer-") + protocol;

    QProcess node;
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.setWorkingDirectory(peerDir);
    node.start(QStringLiteral("node"),
               {QStringLiteral("peer.mjs"),
                QStringLiteral("http://127.0.0.1:%1/v1/metrics").arg(stack.port()), protocol, service});
    QVERIFY2(node.waitForStarted(10000), qPrintable(node.errorString()));
    QVERIFY(node.waitForFinished(60000));
    const QByteArray output = node.readAll();
    QVERIFY2(node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0, output.constData());
    QVERIFY(output.contains("second: exported"));

    auto projects = stack.repository().projects().list();
    QVERIFY(projects);
    QCOMPARE(projects->size(), 1);
    QCOMPARE(projects->first().name, service);
    auto samples = stack.repository().samples().recent(projects->first().id, 10);
    QVERIFY(samples);
    QCOMPARE(samples->size(), 2);
    const model::MetricSample &first = samples->last(); // newest first
    const model::MetricSample &second = samples->first();
    QCOMPARE(*first.value(Metric::KvCacheUsageRatio), 0.25);
    QCOMPARE(*first.value(Metric::RequestsRunning), 3.0);
    // The second export: the gauge's new value, the up-down counter's level, and the cumulative token
    // counter and duration histogram turned into what happened in between (50 tokens, one 0.6 s request).
    QCOMPARE(*second.value(Metric::KvCacheUsageRatio), 0.375);
    QCOMPARE(*second.value(Metric::RequestsRunning), 2.0);
    QCOMPARE(*second.value(Metric::TokensProcessed), 50.0);
    QCOMPARE(*second.value(Metric::InferenceTimeMs), 600.0);
    QVERIFY(second.timestampMs > first.timestampMs);
    QVERIFY(qAbs(second.timestampMs - QDateTime::currentMSecsSinceEpoch()) < 60'000);
}

QTEST_GUILESS_MAIN(TestOtelPeer)
#include "tst_otelpeer.moc"
