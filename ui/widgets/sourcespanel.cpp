// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/sourcespanel.h"

#include "core/common/units.h"
#include "core/sources/discovery.h"
#include "core/sources/notices.h"
#include "ui/models/rowsmodel.h"
#include "ui/theme.h"

#include <QComboBox>
#include <QDateTime>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {} // namespace

SourcesPanel::SourcesPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    m_engine = new QComboBox(this);
    m_engine->setObjectName(QStringLiteral("sourceEngine"));
    m_engine->setAccessibleName(tr("Engine"));
    m_engine->addItem(QStringLiteral("llama-server"), model::name(model::Engine::LlamaCpp));
    m_engine->addItem(QStringLiteral("vLLM"), model::name(model::Engine::Vllm));
    m_engine->addItem(QStringLiteral("SGLang"), model::name(model::Engine::Sglang));
    m_engine->addItem(QStringLiteral("Ollama"), model::name(model::Engine::Ollama));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("sourceUrl"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080"));
    m_url->setAccessibleName(tr("Server address"));
    m_apiKey = new QLineEdit(this);
    m_apiKey->setObjectName(QStringLiteral("sourceApiKey"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("API key (optional)"));
    m_apiKey->setAccessibleName(tr("API key"));
    m_apiKey->setToolTip(
        tr("Sent as \"Authorization: Bearer\"; kept in the OS keychain, never in the database"));
    m_interval = new QSpinBox(this);
    m_interval->setObjectName(QStringLiteral("sourceInterval"));
    m_interval->setRange(250, 3'600'000);
    m_interval->setValue(2000);
    m_interval->setSingleStep(250);
    m_interval->setSuffix(tr(" ms"));
    m_interval->setAccessibleName(tr("Scrape interval"));
    auto *add = new QPushButton(tr("Add source"), this);
    add->setObjectName(QStringLiteral("addSourceButton"));
    connect(add, &QPushButton::clicked, this, [this] {
        m_error->hide();
        const auto engine = model::parseEngine(m_engine->currentData().toString());
        Q_EMIT addRequested(engine.value_or(model::Engine::LlamaCpp), m_url->text().trimmed(),
                            m_interval->value(), m_apiKey->text().trimmed());
    });
    row->addWidget(m_engine);
    row->addWidget(new QLabel(tr("at"), this));
    row->addWidget(m_url, 1);
    row->addWidget(m_apiKey);
    row->addWidget(m_interval);
    row->addWidget(add);
    auto *find = new QPushButton(tr("Find servers on this machine"), this);
    find->setObjectName(QStringLiteral("discoverSourcesButton"));
    connect(find, &QPushButton::clicked, this, [this, find] {
        find->setEnabled(false);
        m_found->setText(tr("Looking on the usual ports…"));
        m_found->show();
        auto *discovery = new sources::Discovery(this);
        connect(discovery, &sources::Discovery::finished, this,
                [this, find, discovery](const QList<sources::FoundServer> &found) {
                    discovery->deleteLater();
                    find->setEnabled(true);
                    // LM Studio answers but has nothing to scrape: it is named, not filled in.
                    QList<sources::FoundServer> readable;
                    QStringList others;
                    for (const sources::FoundServer &f : found) {
                        if (f.lmStudio)
                            others << tr("%1 %2 (no metrics endpoint: push from your code)")
                                          .arg(sources::serverName(f), f.url);
                        else
                            readable << f;
                    }
                    if (readable.isEmpty()) {
                        m_found->setText(others.isEmpty()
                                             ? tr("No inference server answers on the usual local ports.")
                                             : tr("Found: %1.").arg(others.join(QStringLiteral(", "))));
                        return;
                    }
                    QStringList names;
                    for (const sources::FoundServer &f : std::as_const(readable))
                        names << (f.needsApiKey
                                      ? tr("%1 %2 (needs an API key)").arg(model::name(f.engine), f.url)
                                      : QStringLiteral("%1 %2").arg(model::name(f.engine), f.url));
                    names << others;
                    m_found->setText(tr("Found: %1. The first is filled in; press Add source.")
                                         .arg(names.join(QStringLiteral(", "))));
                    m_engine->setCurrentIndex(
                        std::max(0, m_engine->findData(model::name(readable.first().engine))));
                    m_url->setText(readable.first().url);
                    if (readable.first().needsApiKey)
                        m_apiKey->setFocus(); // the server was started with --api-key
                });
        const auto targets = sources::probeTargets();
        if (!targets) {
            discovery->deleteLater();
            find->setEnabled(true);
            m_found->setText(targets.errorMessage());
            return;
        }
        discovery->start(*targets);
    });
    layout->addLayout(row);
    auto *findRow = new QHBoxLayout;
    m_found = new QLabel(this);
    m_found->setObjectName(QStringLiteral("discoveredSources"));
    m_found->setWordWrap(true);
    m_found->hide();
    findRow->addWidget(m_found, 1);
    findRow->addWidget(find);
    auto *launch = new QPushButton(tr("Launch a llama-server…"), this);
    launch->setObjectName(QStringLiteral("launchServerButton"));
    launch->setToolTip(tr("CacheWise starts llama-server with a model of your library and keeps it running"));
    connect(launch, &QPushButton::clicked, this, &SourcesPanel::launchRequested);
    findRow->addWidget(launch);
    layout->addLayout(findRow);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("sourceError"));
    m_error->setStyleSheet(QStringLiteral("color: %1;").arg(theme::danger().name()));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    m_rows = new RowsModel({tr("Address"), tr("State"), tr("Last scrape"), tr("Latency"), tr("Every"),
                            tr("Engine"), tr("API key")},
                           this);
    m_table = makeRowsView(this, QStringLiteral("sourceTable"), m_rows);
    m_table->setMaximumHeight(150);
    layout->addWidget(m_table);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    auto *key = new QPushButton(tr("API key…"), this);
    key->setObjectName(QStringLiteral("sourceKeyButton"));
    connect(key, &QPushButton::clicked, this, [this] {
        const QString id = selectedId();
        if (id.isEmpty())
            return;
        bool ok = false;
        const QString secret =
            QInputDialog::getText(this, tr("API key"),
                                  tr("The key this server wants (kept in the OS keychain). Leave it empty to "
                                     "remove the source's key."),
                                  QLineEdit::Password, QString(), &ok);
        if (ok)
            Q_EMIT apiKeyRequested(id, secret.trimmed());
    });
    buttons->addWidget(key);
    auto *toggle = new QPushButton(tr("Enable / Disable"), this);
    toggle->setObjectName(QStringLiteral("toggleSourceButton"));
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(QStringLiteral("removeSourceButton"));
    connect(toggle, &QPushButton::clicked, this, [this] {
        for (const model::Source &s : std::as_const(m_sources)) {
            if (s.id == selectedId())
                Q_EMIT enableRequested(s.id, !s.enabled);
        }
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (!selectedId().isEmpty())
            Q_EMIT removeRequested(selectedId());
    });
    buttons->addWidget(toggle);
    buttons->addWidget(remove);
    layout->addLayout(buttons);
}

QString SourcesPanel::selectedId() const
{
    return currentKey(m_table);
}

void SourcesPanel::setSources(const QList<model::Source> &sources)
{
    m_sources = sources;
    QList<RowsModel::Row> rows;
    for (const model::Source &s : sources) {
        QString state = !s.enabled                            ? tr("Disabled")
                        : s.state == model::SourceState::Up   ? tr("Up")
                        : s.state == model::SourceState::Down ? tr("Down")
                                                              : tr("Waiting for the first scrape");
        if (s.enabled && !s.stateReason.isEmpty())
            state += QStringLiteral(": ") + s.stateReason;
        const QColor stateColour = !s.enabled                            ? QColor()
                                   : s.state == model::SourceState::Down ? theme::danger()
                                   : s.state == model::SourceState::Up   ? theme::accent()
                                                                         : QColor();
        rows.append({s.id,
                     {{s.baseUrl},
                      {state, state, stateColour},
                      {s.lastScrapeAtMs ? formatDateTime(*s.lastScrapeAtMs) : tr("never")},
                      {s.lastLatencyMs ? tr("%1 ms").arg(*s.lastLatencyMs) : QString()},
                      {tr("%1 ms").arg(s.intervalMs)},
                      {model::name(s.engine)},
                      {s.hasApiKey ? tr("In the keychain") : tr("None")}}});
    }
    m_rows->setRows(std::move(rows)); // the selected source stays selected: rows change in place
}

void SourcesPanel::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void SourcesPanel::clearInput()
{
    m_url->clear();
    m_apiKey->clear();
    m_error->hide();
}

SourceNotices::SourceNotices(QWidget *parent) : QWidget(parent), m_rows(new QVBoxLayout(this))
{
    m_rows->setContentsMargins(0, 0, 0, 0);
    hide();
}

QString SourceNotices::text(const QString &code, const QJsonObject &args)
{
    const auto num = [&args](const char *key) {
        return formatCount(args.value(QLatin1String(key)).toInteger());
    };
    const auto str = [&args](const char *key) {
        return args.value(QLatin1String(key)).toString();
    };
    // A command line stays on one line: no break after its dashes or between its words.
    const auto flags = [&args] {
        return args.value(QLatin1String("flags"))
            .toString()
            .replace(QLatin1Char('-'), QChar(0x2011))
            .replace(QLatin1Char(' '), QChar(0x00A0));
    };
    const auto time = [&args] {
        return formatDateTime(args.value(QLatin1String("at")).toInteger());
    };
    namespace n = sources::notice;
    if (code == QLatin1String(n::kKvLayoutUnknown))
        return tr("llama-server has %1 slots of %2 tokens each. Its API does not say whether they share one "
                  "cache of %2 tokens (unified, its default when started without -np) or each have their own "
                  "(%1 × %2 tokens). KV capacity and usage are left out until you say which.")
            .arg(num("slots"), num("slotContext"));
    if (code == QLatin1String(n::kRuntimeMismatch))
        return tr("The server reports %1 × %2 tokens (slots × context of each), but the project's engine and "
                  "model "
                  "(%3) describe %4 × %5. Update Engine and model on the Settings tab.")
            .arg(num("slots"), num("slotContext"), flags(), num("expectedSlots"), num("expectedSlotContext"));
    if (code == QLatin1String(n::kSlotOverRuntime))
        return tr("Slot %1 holds %2 tokens, more than the %3 one slot of the described runtime can hold: the "
                  "cache is unified or larger than described.")
            .arg(num("slot"), num("tokens"), num("limit"));
    if (code == QLatin1String(n::kNotUnified))
        return tr("The slots hold %1 tokens together, more than one shared cache of %2 could: each slot has "
                  "a "
                  "cache of its own.")
            .arg(num("tokens"), num("slotContext"));
    if (code == QLatin1String(n::kRestarted))
        return str("changes").isEmpty()
                   ? tr("The server restarted (seen %1). If it was started with other flags, update Engine "
                        "and "
                        "model.")
                         .arg(time())
                   : tr("The server restarted (seen %1) with changes: %2. Update Engine and model.")
                         .arg(time(), str("changes"));
    if (code == QLatin1String(n::kEraseRefused))
        return tr("llama-server refused to erase a slot (HTTP 501, %1): start it with --slot-save-path DIR "
                  "so "
                  "CacheWise can free idle slots. Until it restarts, the cache rule only alerts.")
            .arg(time());
    if (code == QLatin1String(n::kCacheTypeMismatch))
        return tr("The server reports its KV cache as %1; the project's engine and model say %2.")
            .arg(str("reported"), str("described"));
    return code;
}

void SourceNotices::setSources(const QList<model::Source> &sources)
{
    QByteArray key;
    for (const model::Source &s : sources)
        key += s.id.toUtf8() + s.noticesJson;
    if (key == m_shown)
        return;
    m_shown = key;
    while (QLayoutItem *item = m_rows->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_count = 0;
    for (const model::Source &s : sources) {
        if (!s.enabled)
            continue;
        for (const sources::Notice &n : sources::parseNotices(s.noticesJson)) {
            auto *row = new QFrame(this);
            row->setObjectName(QStringLiteral("sourceNotice"));
            row->setProperty("code", n.code);
            row->setFrameShape(QFrame::StyledPanel);
            auto *line = new QHBoxLayout(row);
            auto *label = new QLabel(QStringLiteral("%1 — %2").arg(s.baseUrl, text(n.code, n.args)), row);
            label->setObjectName(QStringLiteral("sourceNoticeText"));
            label->setWordWrap(true);
            label->setTextInteractionFlags(Qt::TextSelectableByMouse);
            line->addWidget(label, 1);
            const QString id = s.id;
            if (n.code == QLatin1String(sources::notice::kKvLayoutUnknown)) {
                const int slots = int(n.args.value(QLatin1String("slots")).toInteger());
                const qint64 context = n.args.value(QLatin1String("slotContext")).toInteger();
                auto *shared = new QPushButton(tr("One shared cache"), row);
                shared->setObjectName(QStringLiteral("answerUnified"));
                shared->setToolTip(tr("Started without -np, or with --kv-unified"));
                auto *perSlot = new QPushButton(tr("A cache per slot"), row);
                perSlot->setObjectName(QStringLiteral("answerPerSlot"));
                perSlot->setToolTip(tr("Started with -np and without --kv-unified"));
                connect(shared, &QPushButton::clicked, this, [this, id, slots, context] {
                    Q_EMIT layoutAnswered(id, model::KvLayout::Unified, slots, context);
                });
                connect(perSlot, &QPushButton::clicked, this, [this, id, slots, context] {
                    Q_EMIT layoutAnswered(id, model::KvLayout::PerSlot, slots, context);
                });
                line->addWidget(shared);
                line->addWidget(perSlot);
            } else if (n.code == QLatin1String(sources::notice::kRestarted)) {
                auto *same = new QPushButton(tr("Runtime still holds"), row);
                same->setObjectName(QStringLiteral("acknowledgeRestart"));
                connect(same, &QPushButton::clicked, this, [this, id] { Q_EMIT restartAcknowledged(id); });
                line->addWidget(same);
            }
            m_rows->addWidget(row);
            ++m_count;
        }
    }
    setVisible(m_count > 0);
}

SlotsTable::SlotsTable(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Slots (llama-server, last scrape)"), this);
    title->setObjectName(QStringLiteral("sectionTitle"));
    layout->addWidget(title);
    m_rows = new RowsModel({tr("Slot"), tr("Tokens in cache"), tr("Use"), tr("Activity")}, this);
    m_table = makeRowsView(this, QStringLiteral("slotTable"), m_rows);
    m_table->setMaximumHeight(180);
    layout->addWidget(m_table);
    hide();
}

int SlotsTable::rowCount() const
{
    return m_rows->rowCount();
}

void SlotsTable::setProcessedData(const QByteArray &json)
{
    const QJsonObject scraped = QJsonDocument::fromJson(json).object();
    const QJsonArray slots = scraped.value(QLatin1String("slots")).toArray();
    // In a unified cache every slot's n_ctx is the shared pool: its use is its share of that pool.
    const bool shared =
        slots.size() > 1 && scraped.value(QLatin1String("kvLayout")).toString() == QLatin1String("unified");
    setVisible(!slots.isEmpty());
    QList<RowsModel::Row> rows;
    for (const QJsonValue &value : slots) {
        const QJsonObject s = value.toObject();
        const double tokens = s.value(QLatin1String("tokens")).toDouble();
        const double context = s.value(QLatin1String("nCtx")).toDouble();
        const QString id = QString::number(s.value(QLatin1String("id")).toInt());
        const QString activity =
            s.value(QLatin1String("processing")).toBool()
                ? tr("Processing")
                : tr("Idle for %1 s").arg(formatDecimal(s.value(QLatin1String("idleSeconds")).toDouble(), 0));
        rows.append({id,
                     {{id},
                      {(shared ? tr("%1 of %2 shared") : tr("%1 of %2"))
                           .arg(formatCount(qint64(tokens)), formatCount(qint64(context)))},
                      {context > 0 ? QStringLiteral("%1 %").arg(formatDecimal(100.0 * tokens / context, 0))
                                   : QString()},
                      {activity}}});
    }
    m_rows->setRows(std::move(rows));
}

LatencyTable::LatencyTable(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Latency percentiles (last scrape)"), this);
    title->setObjectName(QStringLiteral("sectionTitle"));
    layout->addWidget(title);
    m_rows = new RowsModel({tr("Latency"), tr("p50"), tr("p95"), tr("p99")}, this);
    m_table = makeRowsView(this, QStringLiteral("latencyTable"), m_rows);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum); // no stretching between title and rows
    layout->addWidget(m_table);
    hide();
}

int LatencyTable::rowCount() const
{
    return m_rows->rowCount();
}

void LatencyTable::setProcessedData(const QByteArray &json)
{
    const QJsonObject latency =
        QJsonDocument::fromJson(json).object().value(QLatin1String("latencySeconds")).toObject();
    const std::pair<const char *, QString> rows[] = {
        {"ttft", tr("Time to first token")},
        {"itl", tr("Between tokens")},
        {"tpot", tr("Per output token")},
        {"e2e", tr("Whole request")},
    };
    QList<RowsModel::Row> table;
    for (const auto &[key, label] : rows) {
        const QJsonObject q = latency.value(QLatin1String(key)).toObject();
        if (q.isEmpty())
            continue;
        RowsModel::Row row{QLatin1String(key), {{label}}};
        for (const char *p : {"p50", "p95", "p99"}) {
            const QJsonValue v = q.value(QLatin1String(p));
            row.cells.append(
                {v.isDouble() ? tr("%1 ms").arg(formatDecimal(v.toDouble() * 1000.0, 0)) : QString(),
                 QString(), QColor(), Qt::AlignRight | Qt::AlignVCenter});
        }
        table.append(std::move(row));
    }
    m_rows->setRows(std::move(table));
    const int row = m_rows->rowCount();
    // As tall as its rows: four at most, no empty space below them.
    m_table->setFixedHeight(m_table->horizontalHeader()->height() + 2 * m_table->frameWidth() +
                            row * m_table->verticalHeader()->defaultSectionSize());
    setVisible(row > 0);
}

} // namespace cachewise::ui
