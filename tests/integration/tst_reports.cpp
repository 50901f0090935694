// SPDX-License-Identifier: GPL-3.0-or-later
// PDF and HTML reports made by the CLI without a display, from the demo projects in a real database:
// the PDF's text (pdftotext) holds the project, the key figures and the recommendation titles, in English
// and in Turkish; every page renders (pdftoppm); HTML escapes what users typed; bad requests write nothing.
#include "core/analysis/recommender.h"
#include "core/demo/demodata.h"
#include "tests/support/cli.h"
#include "tests/support/teststack.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace cachewise;

namespace {

// pdftotext's text with every run of white space as one space (lines wrap anywhere).
QString pdfText(const QString &pdf)
{
    QProcess p;
    p.start(QStringLiteral("pdftotext"),
            {QStringLiteral("-enc"), QStringLiteral("UTF-8"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput())
        .replace(QRegularExpression(QStringLiteral("\\s+")), QStringLiteral(" "));
}

} // namespace

class TestReports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pdfInEnglishAndTurkish();
    void actionsInWords();
    void htmlEscapesUserText();
    void emptyRangeIsOnePage();
    void refusals();

private:
    test::TestStack m_stack;
    QString m_dataDir;
    QTemporaryDir m_out;
};

void TestReports::initTestCase()
{
    QVERIFY(m_stack.start());
    QVERIFY(test::loadDemo(m_stack));
    m_dataDir = QFileInfo(m_stack.databasePath()).absolutePath();
}

void TestReports::pdfInEnglishAndTurkish()
{
    const QString chatbot = demo::demoProjects().first().id;
    auto recommendations = m_stack.repository().recommendations().list(chatbot);
    QVERIFY(recommendations && !recommendations->isEmpty());
    for (const QString &language : {QStringLiteral("en"), QStringLiteral("tr")}) {
        const QString pdf = m_out.filePath(QStringLiteral("chatbot-%1.pdf").arg(language));
        const test::CliResult r =
            test::runCli(m_dataDir, {QStringLiteral("export"), QStringLiteral("--project"), chatbot,
                                     QStringLiteral("--format"), QStringLiteral("pdf"),
                                     QStringLiteral("--language"), language, QStringLiteral("--out"), pdf});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains(QStringLiteral("Chatbot v2")), qPrintable(text.left(400)));
        if (language == QLatin1String("en")) {
            for (const QString &label :
                 {QStringLiteral("CacheWise report"), QStringLiteral("Key figures"),
                  QStringLiteral("KV Cache Size"), QStringLiteral("Memory Usage"),
                  QStringLiteral("Inference Time"), QStringLiteral("Optimization score"),
                  QStringLiteral("Recommendations"), QStringLiteral("Action log"), QStringLiteral("Sources")})
                QVERIFY2(text.contains(label), qPrintable(label));
            // Each recommendation's title as an English reader sees it.
            QLocale::setDefault(QLocale(QStringLiteral("en")));
            for (const model::Recommendation &rec : *recommendations) {
                const QString title =
                    analysis::renderRecommendation(QJsonDocument::fromJson(rec.details).object()).title;
                QVERIFY2(text.contains(title.simplified()), qPrintable(title));
            }
        } else {
            for (const QString &label :
                 {QStringLiteral("CacheWise raporu"), QStringLiteral("Temel göstergeler"),
                  QStringLiteral("Optimizasyon skoru"), QStringLiteral("Öneriler"),
                  QStringLiteral("Eylem günlüğü")})
                QVERIFY2(text.contains(label), qPrintable(label));
            QVERIFY(!text.contains(QStringLiteral("Key figures")));
        }
        // Every page renders.
        QProcess pages;
        pages.start(QStringLiteral("pdftoppm"),
                    {QStringLiteral("-r"), QStringLiteral("40"), QStringLiteral("-png"), pdf,
                     m_out.filePath(QStringLiteral("page-") + language)});
        QVERIFY(pages.waitForFinished(120000));
        QCOMPARE(pages.exitCode(), 0);
        const QStringList pngs =
            QDir(m_out.path()).entryList({QStringLiteral("page-") + language + QStringLiteral("*.png")});
        QVERIFY2(pngs.size() >= 2, qPrintable(QString::number(pngs.size()))); // title page and more
    }
}

void TestReports::actionsInWords()
{
    // The action log of a report names types and outcomes in the report's language, not as codes.
    const QString chatbot = demo::demoProjects().first().id;
    model::ActionLogEntry entry;
    entry.projectId = chatbot;
    entry.actionType = QStringLiteral("evict_lru");
    entry.details = QStringLiteral("Slots 2 and 3 would be erased.");
    entry.status = model::ActionStatus::DryRun;
    QVERIFY(m_stack.repository().actions().add(entry));
    for (const auto &[language, type, outcome] :
         {std::tuple{QStringLiteral("en"), QStringLiteral("Erase least recently used slots"),
                     QStringLiteral("Dry run")},
          std::tuple{QStringLiteral("tr"), QStringLiteral("En uzun süredir kullanılmayan slotları sil"),
                     QStringLiteral("Prova")}}) {
        const QString html = m_out.filePath(QStringLiteral("actions-%1.html").arg(language));
        const test::CliResult r =
            test::runCli(m_dataDir, {QStringLiteral("export"), QStringLiteral("--project"), chatbot,
                                     QStringLiteral("--format"), QStringLiteral("html"),
                                     QStringLiteral("--language"), language, QStringLiteral("--out"), html});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(html);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains(QStringLiteral("<td>%1</td><td>%2</td>").arg(type, outcome)),
                 qPrintable(language));
        QVERIFY(!text.contains(QStringLiteral("evict_lru")) && !text.contains(QStringLiteral("dry_run")));
        QVERIFY(text.contains(QStringLiteral("src=\"data:image/png;base64,"))); // the charts travel inside
    }
}

void TestReports::htmlEscapesUserText()
{
    auto created = m_stack.repository().projects().create(QStringLiteral("<script>alert(1)</script> & Co"),
                                                          QStringLiteral("<b>model</b>"), QString());
    QVERIFY(created);
    const QString html = m_out.filePath(QStringLiteral("escaped.html"));
    const test::CliResult r = test::runCli(
        m_dataDir, {QStringLiteral("export"), QStringLiteral("--project"), created->id,
                    QStringLiteral("--format"), QStringLiteral("html"), QStringLiteral("--out"), html});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile file(html);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray page = file.readAll();
    QVERIFY(page.startsWith("<!DOCTYPE html>"));
    QVERIFY(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    QVERIFY(page.contains("&lt;b&gt;model&lt;/b&gt;"));
    QVERIFY(!page.contains("<script>"));
    QVERIFY(!page.contains("<b>model"));
    // It has no samples: it says so, with no empty charts.
    QVERIFY(page.contains("No samples in this range."));
    QVERIFY(!page.contains("<img"));
}

void TestReports::emptyRangeIsOnePage()
{
    // A period without samples: one page that says so, not a title page and empty charts.
    const QString pdf = m_out.filePath(QStringLiteral("empty.pdf"));
    const test::CliResult r = test::runCli(
        m_dataDir, {QStringLiteral("export"), QStringLiteral("--project"), demo::demoProjects().first().id,
                    QStringLiteral("--format"), QStringLiteral("pdf"), QStringLiteral("--from"),
                    QStringLiteral("2020-01-01T00:00:00Z"), QStringLiteral("--to"),
                    QStringLiteral("2020-01-02T00:00:00Z"), QStringLiteral("--out"), pdf});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QProcess info;
    info.start(QStringLiteral("pdfinfo"), {pdf});
    QVERIFY(info.waitForFinished(60000));
    QVERIFY2(info.readAllStandardOutput().contains("Pages:           1"), "more than one page");
    const QString text = pdfText(pdf);
    QVERIFY2(text.contains(QStringLiteral("No samples from")), qPrintable(text.left(400)));
}

void TestReports::refusals()
{
    const QString pdf = m_out.filePath(QStringLiteral("refused.pdf"));
    const QString chatbot = demo::demoProjects().first().id;
    const QStringList base{QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("pdf"),
                           QStringLiteral("--out"), pdf};
    QCOMPARE(
        test::runCli(m_dataDir, base + QStringList{QStringLiteral("--project"),
                                                   QStringLiteral("33333333-3333-4333-8333-333333333333")})
            .exitCode,
        1);
    QCOMPARE(test::runCli(m_dataDir, base + QStringList{QStringLiteral("--project"), chatbot,
                                                        QStringLiteral("--language"), QStringLiteral("fr")})
                 .exitCode,
             2);
    QCOMPARE(
        test::runCli(m_dataDir, base + QStringList{QStringLiteral("--project"), chatbot,
                                                   QStringLiteral("--content"), QStringLiteral("minute")})
            .exitCode,
        2);
    QCOMPARE(test::runCli(m_dataDir,
                          base + QStringList{QStringLiteral("--all"), QStringLiteral("--from"),
                                             QStringLiteral("2026-01-02T00:00:00Z"), QStringLiteral("--to"),
                                             QStringLiteral("2026-01-01T00:00:00Z")})
                 .exitCode,
             2);
    QVERIFY(!QFile::exists(pdf)); // nothing half-written
}

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
