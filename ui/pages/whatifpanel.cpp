// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pages/whatifpanel.h"

#include "core/analysis/projectanalysis.h"
#include "core/common/units.h"
#include "ui/models/rowsmodel.h"
#include "ui/theme.h"
#include "ui/widgets/runtimeeditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {

QString bytes(qint64 value)
{
    return QLocale().formattedDataSize(value, 2, QLocale::DataSizeIecFormat);
}

QString signedBytes(qint64 value)
{
    if (value == 0)
        return QStringLiteral("0");
    return (value > 0 ? QStringLiteral("+") : QStringLiteral("−")) + bytes(std::abs(value));
}

QString signedCount(qint64 value)
{
    return value > 0 ? QStringLiteral("+%1").arg(formatCount(value))
                     : (value < 0 ? QStringLiteral("−%1").arg(formatCount(-value)) : QStringLiteral("0"));
}

} // namespace

WhatIfPanel::WhatIfPanel(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    m_stack = new QStackedWidget(this);
    auto *empty =
        new QLabel(tr("Describe how this project runs its model (Settings → Engine and model) to try "
                      "other cache settings."),
                   this);
    empty->setObjectName(QStringLiteral("emptyWhatIf"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    m_stack->addWidget(empty);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    auto *form = new QFormLayout;
    QHBoxLayout *types = makeCacheTypeRow(content, QStringLiteral("whatIf"), &m_cacheK, &m_cacheV);
    m_context = new QSpinBox(content);
    m_context->setObjectName(QStringLiteral("whatIfContext"));
    m_context->setRange(1, 2'147'483'647);
    m_context->setAccessibleName(tr("Context (tokens)"));
    m_parallel = new QSpinBox(content);
    m_parallel->setObjectName(QStringLiteral("whatIfParallel"));
    m_parallel->setRange(1, 4096);
    m_parallel->setAccessibleName(tr("Parallel sequences"));
    m_budget = new QDoubleSpinBox(content);
    m_budget->setObjectName(QStringLiteral("whatIfBudget"));
    m_budget->setRange(0.01, 100000);
    m_budget->setDecimals(2);
    m_budget->setSuffix(QStringLiteral(" GiB"));
    m_budget->setAccessibleName(tr("Memory budget for the KV cache"));
    form->addRow(tr("Cache types"), types);
    form->addRow(tr("Context (tokens)"), m_context);
    form->addRow(tr("Parallel sequences"), m_parallel);
    form->addRow(tr("Memory budget for the KV cache"), m_budget);
    layout->addLayout(form);

    m_rows = new RowsModel({tr("Now"), tr("What if"), tr("Difference")}, this);
    m_rows->setKeysAsRowTitles(true);
    m_table = makeRowsView(content, QStringLiteral("whatIfTable"), m_rows);
    m_table->verticalHeader()->show();
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    showGrid({});
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->resizeRowsToContents();
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int row = 0; row < m_rows->rowCount(); ++row)
        height += m_table->rowHeight(row);
    m_table->setFixedHeight(height);
    layout->addWidget(m_table);
    m_note = new QLabel(content);
    m_note->setObjectName(QStringLiteral("whatIfNote"));
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    m_logLine = new QLabel(content);
    m_logLine->setObjectName(QStringLiteral("whatIfLogLine"));
    m_logLine->setWordWrap(true);
    m_logLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_logLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_logLine->setStyleSheet(QStringLiteral("color: %1;").arg(theme::secondaryText().name()));
    layout->addWidget(m_logLine);
    layout->addStretch();
    m_stack->addWidget(content);
    outer->addWidget(m_stack);

    for (QComboBox *combo : {m_cacheK, m_cacheV})
        connect(combo, &QComboBox::currentIndexChanged, this, &WhatIfPanel::recompute);
    for (QSpinBox *spin : {m_context, m_parallel})
        connect(spin, &QSpinBox::valueChanged, this, &WhatIfPanel::recompute);
    connect(m_budget, &QDoubleSpinBox::valueChanged, this, &WhatIfPanel::recompute);
}

void WhatIfPanel::setRuntime(const std::optional<model::ProjectRuntime> &runtime)
{
    std::optional<analysis::AnalysisInput> input;
    if (runtime) {
        if (auto parsed = analysis::analysisInput(*runtime))
            input = *parsed;
    }
    if (!input) {
        m_model.reset();
        m_loadedFor.clear();
        m_stack->setCurrentIndex(0);
        return;
    }
    m_stack->setCurrentIndex(1);
    // A periodic reload must not undo what the user is trying: reset the inputs only when the
    // project's configuration itself changed.
    const QString key = QString::fromUtf8(runtime->modelJson) + model::name(runtime->engine) +
                        QString::number(runtime->context) + QString::number(runtime->parallel) +
                        model::name(runtime->cacheTypeK) + model::name(runtime->cacheTypeV) +
                        QString::number(runtime->updatedAtMs);
    m_model = input->model;
    m_current = input->config;
    if (key == m_loadedFor) {
        recompute();
        return;
    }
    m_loadedFor = key;
    const QSignalBlocker b1(m_cacheK), b2(m_cacheV), b3(m_context), b4(m_parallel), b5(m_budget);
    offerCacheTypes(m_cacheK, m_cacheV, runtime->engine);
    m_cacheK->setCurrentIndex(std::max(0, m_cacheK->findData(model::name(runtime->cacheTypeK))));
    m_cacheV->setCurrentIndex(std::max(0, m_cacheV->findData(model::name(runtime->cacheTypeV))));
    m_context->setValue(int(std::min<qint64>(m_current.context, 2'147'483'647)));
    m_parallel->setValue(m_current.parallel);
    // Budget: today's allocation, so the first answer is "what else fits in the same memory".
    const auto now = analysis::estimateKv(*m_model, m_current);
    m_budget->setValue(now ? double(now->totalBytes) / double(qint64(1) << 30) : 1.0);
    recompute();
}

QString WhatIfPanel::cellText(int row, int column) const
{
    return m_rows->index(row, column).data().toString();
}

void WhatIfPanel::showGrid(const Grid &grid)
{
    const QString titles[kRows] = {tr("KV cache memory"), tr("Bytes per token"), tr("Context per sequence"),
                                   tr("Sequences that fit in the budget")};
    QList<RowsModel::Row> rows;
    for (int row = 0; row < kRows; ++row) {
        RowsModel::Row r{titles[row], {}};
        for (const QString &text : grid[std::size_t(row)])
            r.cells.append({text, QString(), QColor(), Qt::AlignRight | Qt::AlignVCenter});
        rows.append(std::move(r));
    }
    m_rows->setRows(std::move(rows));
}

void WhatIfPanel::recompute()
{
    if (!m_model)
        return;
    analysis::KvConfig changed = m_current;
    changed.typeK = *analysis::parseCacheType(m_cacheK->currentData().toString());
    changed.typeV = *analysis::parseCacheType(m_cacheV->currentData().toString());
    changed.context = m_context->value();
    changed.parallel = m_parallel->value();
    const auto now = analysis::estimateKv(*m_model, m_current);
    const auto next = analysis::estimateKv(*m_model, changed);
    Grid grid;
    for (int row = 0; row < kRows; ++row) {
        for (int column = 0; column < kColumns; ++column)
            grid[std::size_t(row)][std::size_t(column)] = cellText(row, column);
    }
    const auto set = [&grid](int row, int column, const QString &text) {
        grid[std::size_t(row)][std::size_t(column)] = text;
    };
    if (!now || !next) {
        m_note->setText(!next ? next.errorMessage() : now.errorMessage());
        m_note->setStyleSheet(QStringLiteral("color: %1;").arg(theme::danger().name()));
        for (int row = 0; row < 4; ++row)
            for (int column = 1; column < 3; ++column)
                set(row, column, QStringLiteral("–"));
        showGrid(grid);
        m_logLine->clear();
        return;
    }
    const qint64 budget = qint64(m_budget->value() * double(qint64(1) << 30));
    const auto fitsNow =
        analysis::maxConcurrentSequences(*m_model, m_current, now->contextPerSequence, budget);
    const auto fitsNext =
        analysis::maxConcurrentSequences(*m_model, changed, next->contextPerSequence, budget);
    set(0, 0, bytes(now->totalBytes));
    set(0, 1, bytes(next->totalBytes));
    const double percent = now->totalBytes > 0
                               ? 100.0 * double(next->totalBytes - now->totalBytes) / double(now->totalBytes)
                               : 0;
    set(0, 2,
        QStringLiteral("%1 (%2 %)")
            .arg(signedBytes(next->totalBytes - now->totalBytes), formatDecimal(percent, 1)));
    set(1, 0, formatCount(now->bytesPerToken));
    set(1, 1, formatCount(next->bytesPerToken));
    set(1, 2, signedCount(next->bytesPerToken - now->bytesPerToken));
    set(2, 0, formatCount(now->contextPerSequence));
    set(2, 1, formatCount(next->contextPerSequence));
    set(2, 2, signedCount(next->contextPerSequence - now->contextPerSequence));
    set(3, 0, fitsNow ? formatCount(*fitsNow) : QStringLiteral("–"));
    set(3, 1, fitsNext ? formatCount(*fitsNext) : QStringLiteral("–"));
    set(3, 2, fitsNow && fitsNext ? signedCount(*fitsNext - *fitsNow) : QStringLiteral("–"));
    showGrid(grid);
    m_note->setStyleSheet(QString());
    const auto &info = analysis::cacheTypeInfo(changed.typeV);
    const bool llama =
        changed.engine == analysis::Engine::LlamaCpp || changed.engine == analysis::Engine::Ollama;
    m_note->setText(llama && info.blockElements > 1
                        ? tr("A quantized V cache needs flash attention (-fa on, OLLAMA_FLASH_ATTENTION=1).")
                        : tr("Sequences that fit: each holding its full context per sequence."));
    // What the engine itself would be started with, or would print: its own words, never another's.
    const QString type = model::engineCacheTypeName(changed.engine, changed.typeK);
    switch (changed.engine) {
    case analysis::Engine::LlamaCpp:
    case analysis::Engine::Ollama:
        m_logLine->setText(analysis::formatLlamaKvLines(*next, changed).join(QLatin1Char('\n')));
        break;
    case analysis::Engine::Vllm:
        m_logLine->setText(
            QStringLiteral("vllm serve … --kv-cache-dtype %1 --max-model-len %2 --max-num-seqs %3")
                .arg(type)
                .arg(changed.context)
                .arg(changed.parallel));
        break;
    case analysis::Engine::Sglang:
        m_logLine->setText(
            QStringLiteral("python -m sglang.launch_server … --kv-cache-dtype %1 --context-length %2 "
                           "--max-running-requests %3")
                .arg(type)
                .arg(changed.context)
                .arg(changed.parallel));
        break;
    case analysis::Engine::Generic: m_logLine->clear(); break;
    }
}

} // namespace cachewise::ui
