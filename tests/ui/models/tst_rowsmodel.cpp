// SPDX-License-Identifier: GPL-3.0-or-later
// The model behind every data table: a refresh changes rows in place, so selection survives.
#include "ui/models/rowsmodel.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using namespace cachewise;
using ui::RowsModel;

namespace {

RowsModel::Row row(const char *key, const char *value)
{
    return {QString::fromLatin1(key), {{QString::fromLatin1(key)}, {QString::fromLatin1(value)}}};
}

QStringList keys(const RowsModel &model)
{
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i)
        out << model.keyAt(i);
    return out;
}

} // namespace

class TestRowsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void changesInPlace();
    void selectionFollowsItsRow();
    void repeatedKeysStayApart();
};

void TestRowsModel::changesInPlace()
{
    RowsModel model({QStringLiteral("Name"), QStringLiteral("Value")});
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.setRows({row("a", "1"), row("b", "2"), row("c", "3")});
    QCOMPARE(inserted.size(), 3);
    QCOMPARE(model.headerData(1, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Value"));
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.index(1, 0).data(RowsModel::KeyRole).toString(), QStringLiteral("b"));

    // The same rows, one value changed: one dataChanged for that row, nothing else.
    model.setRows({row("a", "1"), row("b", "20"), row("c", "3")});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("20"));
    QCOMPARE(inserted.size(), 3);
    QCOMPARE(removed.size(), 0);

    // Nothing changed: no signal at all.
    model.setRows({row("a", "1"), row("b", "20"), row("c", "3")});
    QCOMPARE(changed.size(), 1);

    // One gone, one new, two swapped.
    model.setRows({row("c", "3"), row("d", "4"), row("a", "1")});
    QCOMPARE(keys(model), (QStringList{QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("a")}));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 4);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(reset.size(), 0);

    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
}

void TestRowsModel::selectionFollowsItsRow()
{
    RowsModel model({QStringLiteral("Name"), QStringLiteral("Value")});
    model.setRows({row("a", "1"), row("b", "2"), row("c", "3")});
    QItemSelectionModel selection(&model);
    selection.setCurrentIndex(model.index(2, 0),
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    // A row appears above and the selected one's value changes: the selection stays on "c".
    model.setRows({row("new", "0"), row("a", "1"), row("b", "2"), row("c", "30")});
    QCOMPARE(selection.currentIndex().data(RowsModel::KeyRole).toString(), QStringLiteral("c"));
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().first().row(), 3);
}

void TestRowsModel::repeatedKeysStayApart()
{
    RowsModel model({QStringLiteral("Name")});
    model.setKeysAsRowTitles(true);
    model.setRows(
        {{QStringLiteral("x"), {{QStringLiteral("1")}}}, {QStringLiteral("x"), {{QStringLiteral("2")}}}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.headerData(0, Qt::Vertical, Qt::DisplayRole).toString(), QStringLiteral("x"));
}

QTEST_MAIN(TestRowsModel)
#include "tst_rowsmodel.moc"
