// SPDX-License-Identifier: GPL-3.0-or-later
// llama-server's log read line by line (real standard errors at two verbosities), and the KV cache
// allocation line found in it (analysis::parseLlamaKvLine): from the real log, from every flag combination
// of kv-cache-lines.txt, and refused when it is anything else.
#include "core/analysis/kvmodel.h"
#include "core/servers/llamalog.h"
#include "tests/support/replayserver.h"

#include <QFile>
#include <QTest>

using namespace cachewise;
using namespace cachewise::servers;
using Level = LlamaLogLine::Level;
using analysis::LlamaKvLine;
using analysis::parseLlamaKvLine;

namespace {

QList<QByteArray> lines(const QString &relative)
{
    QFile file(test::testDataPath(relative));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> out = file.readAll().split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

} // namespace

class TestLlamaLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultVerbosity();
    void verboseStartUp();
    void malformedPrefixesKeepTheLine_data();
    void malformedPrefixesKeepTheLine();
    void allocationFromTheRealLog();
    void allocationForEveryFlagCombination();
    void notAnAllocation_data();
    void notAnAllocation();
};

void TestLlamaLog::defaultVerbosity()
{
    const QList<QByteArray> log = lines(QStringLiteral("llama-server/logs/default-verbosity-stderr.log"));
    QCOMPARE(log.size(), 12);
    int warnings = 0;
    qint64 previous = -1;
    for (const QByteArray &raw : log) {
        const LlamaLogLine line = parseLlamaLogLine(raw);
        QVERIFY2(line.level == Level::Info || line.level == Level::Warning, raw.constData());
        QVERIFY(line.sinceStartUs && *line.sinceStartUs >= previous);
        previous = *line.sinceStartUs;
        warnings += line.level == Level::Warning ? 1 : 0;
    }
    QCOMPARE(warnings, 5); // the CORS warning, between its two rules
    const LlamaLogLine first = parseLlamaLogLine(log.first());
    QCOMPARE(*first.sinceStartUs, qint64(7285)); // "0.00.007.285"
    QCOMPARE(first.text, QStringLiteral("cmn  common_param: common_params_print_info: verbosity = 3 (adjust "
                                        "with the `-lv N` CLI arg)"));
    const LlamaLogLine slots = parseLlamaLogLine(log.at(8));
    QCOMPARE(slots.text, QStringLiteral("srv    load_model: initializing, n_slots = 4, n_ctx_slot = 1024, "
                                        "kv_unified = 'false'"));
    QCOMPARE(*parseLlamaLogLine(log.last()).sinceStartUs, qint64(526'980));
}

void TestLlamaLog::verboseStartUp()
{
    // -lv 4: 500 prefixed lines, and 45 printed without a prefix (the chat template's lines, the sampler's
    // tab-indented settings), which keep their text and have no level or time.
    const QList<QByteArray> log = lines(QStringLiteral("llama-server/f16-npauto-kvu/server.log"));
    QCOMPARE(log.size(), 545);
    int info = 0;
    int warnings = 0;
    int bare = 0;
    for (const QByteArray &raw : log) {
        const LlamaLogLine line = parseLlamaLogLine(raw);
        switch (line.level) {
        case Level::Info: ++info; break;
        case Level::Warning: ++warnings; break;
        case Level::None:
            ++bare;
            QVERIFY(!line.sinceStartUs);
            QCOMPARE(line.text, QString::fromUtf8(raw));
            break;
        default: QFAIL(raw.constData());
        }
    }
    QCOMPARE(info, 495);
    QCOMPARE(warnings, 5);
    QCOMPARE(bare, 45);
}

void TestLlamaLog::malformedPrefixesKeepTheLine_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("level");
    QTest::addColumn<qint64>("sinceStartUs"); // -1: none
    QTest::addColumn<QString>("text");
    QTest::addRow("error") << QByteArray("1.02.003.004 E srv  oops\r\n") << int(Level::Error)
                           << qint64(62'003'004) << QStringLiteral("srv  oops");
    QTest::addRow("debug, no text") << QByteArray("0.00.000.001 D") << int(Level::Debug) << qint64(1)
                                    << QString();
    QTest::addRow("unknown letter") << QByteArray("0.00.000.001 X text") << int(Level::None) << qint64(-1)
                                    << QStringLiteral("0.00.000.001 X text");
    QTest::addRow("letter without a space") << QByteArray("0.00.000.001 Itext") << int(Level::None)
                                            << qint64(-1) << QStringLiteral("0.00.000.001 Itext");
    QTest::addRow("three parts") << QByteArray("0.00.001 I text") << int(Level::None) << qint64(-1)
                                 << QStringLiteral("0.00.001 I text");
    QTest::addRow("seconds over 59") << QByteArray("0.60.000.000 I text") << int(Level::None) << qint64(-1)
                                     << QStringLiteral("0.60.000.000 I text");
    QTest::addRow("empty") << QByteArray() << int(Level::None) << qint64(-1) << QString();
    QTest::addRow("not UTF-8 stays readable")
        << QByteArray("\xff I x") << int(Level::None) << qint64(-1) << QString::fromUtf8("\xff I x");
}

void TestLlamaLog::malformedPrefixesKeepTheLine()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, level);
    QFETCH(qint64, sinceStartUs);
    QFETCH(QString, text);
    const LlamaLogLine line = parseLlamaLogLine(raw);
    QCOMPARE(int(line.level), level);
    QCOMPARE(line.sinceStartUs.value_or(-1), sinceStartUs);
    QCOMPARE(line.text, text);
}

void TestLlamaLog::allocationFromTheRealLog()
{
    QList<LlamaKvLine> found;
    for (const QByteArray &raw : lines(QStringLiteral("llama-server/f16-npauto-kvu/server.log"))) {
        if (auto a = parseLlamaKvLine(parseLlamaLogLine(raw).text))
            found << *a;
    }
    // One line: the buffer-size and attn_rot lines of the same constructor are not allocations.
    QCOMPARE(found.size(), 1);
    const LlamaKvLine &a = found.first();
    QCOMPARE(a.totalMiB, 4.0);
    QCOMPARE(a.cells, 4096);
    QCOMPARE(a.layers, 2);
    QCOMPARE(a.sequences, 4);
    QCOMPARE(a.streams, 1); // the four slots share one cache
    QCOMPARE(a.typeK, QStringLiteral("f16"));
    QCOMPARE(a.kMiB, 2.0);
    QCOMPARE(a.typeV, QStringLiteral("f16"));
    QCOMPARE(a.vMiB, 2.0);
}

void TestLlamaLog::allocationForEveryFlagCombination()
{
    int read = 0;
    for (const QByteArray &raw : lines(QStringLiteral("llama-server/kv-cache-lines.txt"))) {
        if (raw.startsWith('#') || raw.trimmed().isEmpty())
            continue;
        const QList<QByteArray> parts = raw.split('|');
        QCOMPARE(parts.size(), 2);
        const QString flags = QString::fromUtf8(parts.first());
        const auto a = parseLlamaKvLine(QString::fromUtf8(parts.last()).trimmed());
        QVERIFY2(a, raw.constData());
        QCOMPARE(a->layers, 32);
        QVERIFY2(std::abs(a->totalMiB - (a->kMiB + a->vMiB)) <= 0.01, raw.constData());
        QCOMPARE(a->streams == 1 && a->sequences > 1, flags.contains(QStringLiteral("--kv-unified")));
        const QRegularExpression np(QStringLiteral("-np (\\d+)"));
        QCOMPARE(a->sequences, np.match(flags).captured(1).toInt());
        ++read;
    }
    QCOMPARE(read, 7);
}

void TestLlamaLog::notAnAllocation_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("buffer size") << QStringLiteral(
        "llama_kv_cache:        CPU KV buffer size =     4.00 MiB");
    QTest::addRow("cut short") << QStringLiteral(
        "llama_kv_cache: size =    4.00 MiB (  4096 cells,   2 layers");
    QTest::addRow("no cells") << QStringLiteral(
        "llama_kv_cache: size =    0.00 MiB (     0 cells,   2 layers,  "
        "4/1 seqs), K (f16):    0.00 MiB, V (f16):    0.00 MiB");
    QTest::addRow("no streams") << QStringLiteral(
        "llama_kv_cache: size =    4.00 MiB (  4096 cells,   2 layers,  "
        "4/0 seqs), K (f16):    2.00 MiB, V (f16):    2.00 MiB");
    QTest::addRow("a type with a space")
        << QStringLiteral("llama_kv_cache: size =    4.00 MiB (  4096 cells,   "
                          "2 layers,  4/1 seqs), K (f 16):    2.00 MiB, V "
                          "(f16):    2.00 MiB");
    QTest::addRow("more after it") << QStringLiteral(
        "llama_kv_cache: size =    4.00 MiB (  4096 cells,   2 layers,  "
        "4/1 seqs), K (f16):    2.00 MiB, V (f16):    2.00 MiB, x");
    QTest::addRow("a number too long")
        << QStringLiteral("llama_kv_cache: size =    4.00 MiB (  99999999999999999999 "
                          "cells,   2 layers,  4/1 seqs), K (f16):    2.00 MiB, V "
                          "(f16):    2.00 MiB");
    QTest::addRow("empty") << QString();
}

void TestLlamaLog::notAnAllocation()
{
    QFETCH(QString, text);
    QVERIFY(!parseLlamaKvLine(text));
}

QTEST_GUILESS_MAIN(TestLlamaLog)
#include "tst_llamalog.moc"
