// SPDX-License-Identifier: GPL-3.0-or-later
// GGUF headers from real llama.cpp files, and refusals of corrupt ones (never a crash).
#include "core/analysis/gguf.h"
#include "tests/support/replayserver.h"

#include <QBuffer>
#include <QFile>
#include <QTest>

using namespace cachewise;
using analysis::readGgufHeader;

namespace {

QByteArray le64(quint64 v)
{
    QByteArray out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[i] = char((v >> (8 * i)) & 0xff);
    return out;
}

QByteArray le32(quint32 v)
{
    return le64(v).left(4);
}

QByteArray str(const QByteArray &s)
{
    return le64(quint64(s.size())) + s;
}

QByteArray header(quint32 version, quint64 kvCount)
{
    return "GGUF" + le32(version) + le64(0) + le64(kvCount);
}

Result<analysis::GgufHeader> parse(QByteArray bytes)
{
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    return readGgufHeader(buffer);
}

} // namespace

class TestGguf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void llamaVocabFile();
    void phi3VocabFile();
    void refusals_data();
    void refusals();
    void everyTruncationIsRefused();
};

void TestGguf::llamaVocabFile()
{
    const QString path = cachewise::test::testDataPath(QStringLiteral("gguf/ggml-vocab-llama-spm.gguf"));
    auto h = readGgufHeader(path);
    QVERIFY2(h, h ? "" : qPrintable(h.errorMessage()));
    QCOMPARE(h->version, 3u);
    QCOMPARE(h->tensorCount, 0u);
    QCOMPARE(h->architecture(), QStringLiteral("llama"));
    QCOMPARE(h->archInteger(QStringLiteral("block_count")), 32);
    QCOMPARE(h->archInteger(QStringLiteral("attention.head_count")), 32);
    QCOMPARE(h->archInteger(QStringLiteral("attention.head_count_kv")), 32);
    QCOMPARE(h->archInteger(QStringLiteral("embedding_length")), 4096);
    QCOMPARE(h->archInteger(QStringLiteral("context_length")), 4096);
    QVERIFY(!h->archInteger(QStringLiteral("attention.sliding_window")));
    QCOMPARE(h->values.value(QStringLiteral("tokenizer.ggml.add_bos_token")).toBool(), true);
    QCOMPARE(h->arrays.value(QStringLiteral("tokenizer.ggml.tokens")).count, 32000u);
    QCOMPARE(h->arrays.value(QStringLiteral("tokenizer.ggml.tokens")).elementType, 8u);
}

void TestGguf::phi3VocabFile()
{
    auto h = readGgufHeader(cachewise::test::testDataPath(QStringLiteral("gguf/ggml-vocab-phi-3.gguf")));
    QVERIFY(h);
    QCOMPARE(h->architecture(), QStringLiteral("phi3"));
    QCOMPARE(h->archInteger(QStringLiteral("embedding_length")), 3072);
    QCOMPARE(h->archInteger(QStringLiteral("attention.head_count_kv")), 32);
    QCOMPARE(h->archInteger(QStringLiteral("rope.dimension_count")), 96);
    QCOMPARE(h->values.value(QStringLiteral("phi3.rope.freq_base")).toDouble(), 10000.0);
}

void TestGguf::refusals_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addRow("empty file") << QByteArray() << ErrorKind::BadInput;
    QTest::addRow("not GGUF") << QByteArray("PK\x03\x04 a zip file, not a model") << ErrorKind::BadInput;
    QTest::addRow("version 1") << header(1, 0) << ErrorKind::Unsupported;
    QTest::addRow("version 99") << header(99, 0) << ErrorKind::Unsupported;
    QTest::addRow("absurd metadata count") << header(3, quint64(1) << 40) << ErrorKind::BadInput;
    QTest::addRow("key longer than allowed") << header(3, 1) + le64(1 << 20) << ErrorKind::BadInput;
    QTest::addRow("key longer than the file") << header(3, 1) + le64(1000) + "abc" << ErrorKind::BadInput;
    QTest::addRow("unknown value type")
        << header(3, 1) + str("k") + le32(13) + le64(0) << ErrorKind::BadInput;
    QTest::addRow("boolean that is 2")
        << header(3, 1) + str("k") + le32(7) + QByteArray(1, '\x02') << ErrorKind::BadInput;
    QTest::addRow("string longer than the file")
        << header(3, 1) + str("k") + le32(8) + le64(quint64(1) << 50) << ErrorKind::BadInput;
    QTest::addRow("array of more numbers than the file holds")
        << header(3, 1) + str("k") + le32(9) + le32(4) + le64(quint64(1) << 60) << ErrorKind::BadInput;
    QTest::addRow("array of more strings than the file holds")
        << header(3, 1) + str("k") + le32(9) + le32(8) + le64(quint64(1) << 40) << ErrorKind::BadInput;
    QTest::addRow("array of unknown elements")
        << header(3, 1) + str("k") + le32(9) + le32(42) + le64(1) << ErrorKind::BadInput;
    QTest::addRow("arrays nested three deep")
        << header(3, 1) + str("k") + le32(9) + le32(9) + le64(1) + le32(9) + le64(1) << ErrorKind::BadInput;
}

void TestGguf::refusals()
{
    QFETCH(QByteArray, bytes);
    QFETCH(ErrorKind, kind);
    auto h = parse(bytes);
    QVERIFY(!h);
    QCOMPARE(h.error().kind, kind);
    QVERIFY(!h.errorMessage().isEmpty());
}

void TestGguf::everyTruncationIsRefused()
{
    QFile file(cachewise::test::testDataPath(QStringLiteral("gguf/ggml-vocab-phi-3.gguf")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray whole = file.readAll();
    QVERIFY(parse(whole));
    // Cut anywhere in the first kilobytes (the scalar keys) and at spots through the token arrays.
    QList<qsizetype> cuts;
    for (qsizetype n = 0; n < 2048; ++n)
        cuts << n;
    for (qsizetype n = 2048; n < whole.size(); n += 9973)
        cuts << n;
    cuts << whole.size() - 1;
    for (qsizetype n : cuts) {
        auto h = parse(whole.left(n));
        QVERIFY2(!h, qPrintable(QStringLiteral("a file cut at %1 bytes was accepted").arg(n)));
    }
}

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
