// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/getstarted.h"

#include "ui/theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {

// "8080 (llama.cpp), 9931 (llama.cpp), …": the ports discovery tries, as it will try them.
QString portsText(const QList<sources::ProbeTarget> &targets)
{
    QStringList ports;
    for (const sources::ProbeTarget &t : targets)
        ports << QStringLiteral("%1 (%2)").arg(t.port).arg(sources::serverName(t));
    return ports.join(QStringLiteral(", "));
}

// A command-line flag in a wrapped text, never broken at its dashes (non-breaking hyphens).
QString flag(QString name)
{
    return QStringLiteral("<code>%1</code>").arg(name.replace(QLatin1Char('-'), QChar(0x2011)));
}

} // namespace

QPushButton *GetStartedPanel::addWay(QHBoxLayout *row, const Way &way)
{
    auto *frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("kpiCard")); // the cards' look
    frame->setProperty("way", way.name);
    auto *layout = new QVBoxLayout(frame);
    auto *heading = new QLabel(QStringLiteral("<b>%1</b>").arg(way.title.toHtmlEscaped()), frame);
    heading->setObjectName(way.name + QStringLiteral("Title"));
    layout->addWidget(heading);
    auto *body = new QLabel(way.text, frame);
    body->setTextFormat(Qt::RichText);
    body->setWordWrap(true);
    body->setObjectName(QStringLiteral("secondaryText"));
    layout->addWidget(body);
    if (way.status) {
        // What came of the action, hidden until there is something to say.
        *way.status = new QLabel(frame);
        (*way.status)->setObjectName(way.name + QStringLiteral("Status"));
        (*way.status)->setWordWrap(true);
        (*way.status)->hide();
        layout->addWidget(*way.status);
    }
    if (way.extra) {
        way.extra->setParent(frame);
        layout->addWidget(way.extra);
    }
    layout->addStretch();
    auto *button = new QPushButton(way.action, frame);
    button->setObjectName(way.name + QStringLiteral("Button"));
    layout->addWidget(button);
    row->addWidget(frame, 1);
    return button;
}

GetStartedPanel::GetStartedPanel(Scope scope, QWidget *parent) : QWidget(parent), m_scope(scope)
{
    setObjectName(QStringLiteral("getStarted"));
    auto *outer = new QVBoxLayout(this);
    outer->addStretch();
    auto *title =
        new QLabel(scope == Scope::App ? tr("Welcome to CacheWise. How do your metrics get here?")
                                       : tr("No metrics for this project yet. Connect its server or "
                                            "send from your code:"),
                   this);
    title->setObjectName(QStringLiteral("getStartedTitle"));
    title->setAlignment(Qt::AlignCenter);
    title->setWordWrap(true);
    outer->addWidget(title);
    auto *row = new QHBoxLayout;
    row->setSpacing(12);

    const auto targets = sources::probeTargets();
    auto *foundHolder = new QWidget;
    m_found = new QVBoxLayout(foundHolder);
    m_found->setContentsMargins(0, 0, 0, 0);
    m_find =
        addWay(row, {QStringLiteral("findServers"), tr("Connect a running server"),
                     tr("CacheWise reads llama-server, vLLM, SGLang and Ollama on this machine. It tries the "
                        "ports %1. llama-server needs %2 and %3; LM Studio is found but has no metrics "
                        "endpoint: send from your code instead.")
                         .arg(targets ? portsText(*targets) : portsText(sources::defaultProbeTargets()),
                              flag(QStringLiteral("--metrics")), flag(QStringLiteral("--slots"))),
                     tr("Find Servers"), &m_serversText, foundHolder});
    connect(m_find, &QPushButton::clicked, this, &GetStartedPanel::findServers);

    QPushButton *send =
        addWay(row, {QStringLiteral("sendMetrics"), tr("Send metrics from your code"),
                     scope == Scope::App
                         ? tr("Creates a project and its API key, and shows ready snippets for curl, "
                              "Python and the OpenTelemetry SDK that push to this app.")
                         : tr("The project's Settings tab has its keys and ready snippets for curl, "
                              "Python and the OpenTelemetry SDK that push to this app."),
                     scope == Scope::App ? tr("Create Project…") : tr("Show Keys and Snippets")});
    connect(send, &QPushButton::clicked, this, &GetStartedPanel::sendMetricsRequested);

    if (scope == Scope::App) {
        m_sample =
            addWay(row, {QStringLiteral("sampleData"), tr("Explore with sample data"),
                         tr("Three sample projects (llama.cpp, vLLM, Ollama) with two hours of history, "
                            "recommendations and a score. Delete them whenever you like."),
                         tr("Load Sample Data"), &m_sampleText});
        connect(m_sample, &QPushButton::clicked, this, &GetStartedPanel::sampleDataRequested);
    }
    outer->addLayout(row);
    outer->addStretch();
}

void GetStartedPanel::findServers()
{
    const auto targets = sources::probeTargets();
    if (!targets) {
        m_serversText->setText(targets.errorMessage());
        m_serversText->show();
        return;
    }
    m_find->setEnabled(false);
    m_serversText->setText(tr("Looking on ports %1…").arg(portsText(*targets)));
    m_serversText->show();
    while (QLayoutItem *item = m_found->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto *discovery = new sources::Discovery(this);
    connect(discovery, &sources::Discovery::finished, this,
            [this, discovery, ports = portsText(*targets)](const QList<sources::FoundServer> &found) {
                discovery->deleteLater();
                m_find->setEnabled(true);
                if (found.isEmpty()) {
                    m_serversText->setText(
                        tr("Nothing answered on %1. Start your server (for llama-server: --metrics --slots), "
                           "then look again.")
                            .arg(ports));
                    return;
                }
                m_serversText->setText(tr("Found on this machine:"));
                for (const sources::FoundServer &f : found) {
                    auto *line = new QWidget;
                    auto *layout = new QHBoxLayout(line);
                    layout->setContentsMargins(0, 0, 0, 0);
                    QString text = QStringLiteral("%1 %2").arg(sources::serverName(f), f.url);
                    if (!f.detail.isEmpty())
                        text += QStringLiteral(" · ") + f.detail;
                    else if (f.lmStudio)
                        text += QStringLiteral(" · ") + tr("no model loaded");
                    auto *label = new QLabel(text, line);
                    label->setWordWrap(true);
                    if (f.lmStudio) {
                        // Nothing to read from it: the way in is a project that its callers push to. The
                        // name on its own line, what to do under it.
                        auto *named = new QVBoxLayout;
                        named->addWidget(label);
                        auto *hint = new QLabel(tr("no metrics endpoint: push from your code"), line);
                        hint->setWordWrap(true);
                        hint->setStyleSheet(QStringLiteral("color: %1;").arg(theme::secondaryText().name()));
                        named->addWidget(hint);
                        layout->addLayout(named, 1);
                        auto *push = new QPushButton(m_scope == Scope::App ? tr("Create Project…")
                                                                           : tr("Show Keys and Snippets"),
                                                     line);
                        push->setObjectName(QStringLiteral("pushFromFoundServer"));
                        connect(push, &QPushButton::clicked, this, &GetStartedPanel::sendMetricsRequested);
                        layout->addWidget(push, 0, Qt::AlignTop);
                        m_found->addWidget(line);
                        continue;
                    }
                    layout->addWidget(label, 1);
                    if (f.needsApiKey) {
                        layout->addWidget(
                            new QLabel(tr("needs its API key: add it in a project's Settings"), line));
                    } else {
                        auto *add = new QPushButton(tr("Add"), line);
                        add->setObjectName(QStringLiteral("addFoundServer"));
                        connect(add, &QPushButton::clicked, this, [this, f, add] {
                            add->setEnabled(false);
                            Q_EMIT serverChosen(f);
                        });
                        layout->addWidget(add);
                    }
                    m_found->addWidget(line);
                }
            });
    discovery->start(*targets);
}

void GetStartedPanel::setSampleDataLoading(bool loading, const QString &error)
{
    if (!m_sample)
        return;
    m_sample->setEnabled(!loading);
    m_sampleText->setVisible(loading || !error.isEmpty());
    m_sampleText->setText(loading ? tr("Loading two hours of samples…")
                                  : tr("Could not load: %1").arg(error));
    m_sampleText->setStyleSheet(error.isEmpty() ? QString()
                                                : QStringLiteral("color: %1;").arg(theme::danger().name()));
}

} // namespace cachewise::ui
