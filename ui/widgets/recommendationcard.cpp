// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/recommendationcard.h"

#include "core/analysis/recommender.h"
#include "core/common/units.h"
#include "ui/metrictext.h"
#include "ui/theme.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachewise::ui {
namespace {

QLabel *paragraph(const QString &caption, const QString &text, QWidget *parent)
{
    auto *label =
        new QLabel(QStringLiteral("<b>%1</b> %2").arg(caption.toHtmlEscaped(), text.toHtmlEscaped()), parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

RecommendationCard::RecommendationCard(const model::Recommendation &r,
                                       const std::optional<model::RuntimeChange> &appliedChange,
                                       QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("recommendationCard"));
    setProperty("recommendationId", r.id);
    setProperty("rule", r.rule);
    setStyleSheet(QStringLiteral("QFrame#recommendationCard { border: 1px solid %1; border-radius: 10px; }")
                      .arg(theme::isDark() ? QStringLiteral("#3A3A3C") : QStringLiteral("#E5E5EA")));
    auto *layout = new QVBoxLayout(this);

    const QJsonObject details = QJsonDocument::fromJson(r.details).object();
    const bool structured = !details.isEmpty();
    const analysis::RecommendationText text =
        structured ? analysis::renderRecommendation(details)
                   : analysis::RecommendationText{r.title, r.description, {}, {}, {}};
    auto *title = new QLabel(QStringLiteral("<b>%1</b>").arg(text.title.toHtmlEscaped()), this);
    title->setObjectName(QStringLiteral("recommendationTitle"));
    title->setWordWrap(true);
    layout->addWidget(title);

    QStringList impact;
    if (r.memorySavingPercent && *r.memorySavingPercent > 0)
        impact << tr("Estimated Memory Saving: %1 %").arg(formatSignificant(*r.memorySavingPercent, 3));
    if (r.speedIncreasePercent)
        impact << tr("Estimated Speed Increase: %1 %").arg(formatDecimal(*r.speedIncreasePercent, 0));
    if (!impact.isEmpty()) {
        auto *impactLabel = new QLabel(impact.join(QStringLiteral(" · ")), this);
        impactLabel->setObjectName(QStringLiteral("recommendationImpact"));
        impactLabel->setStyleSheet(
            QStringLiteral("color: %1; font-weight: 600;").arg(theme::accent().name()));
        layout->addWidget(impactLabel);
    }

    if (structured) {
        layout->addWidget(paragraph(tr("Observed:"), text.observation, this));
        layout->addWidget(paragraph(tr("Impact:"), text.impact, this));
        layout->addWidget(paragraph(tr("Speed:"), text.speed, this));
        layout->addWidget(paragraph(tr("Quality risk:"), text.risk, this));
        const QString source = details.value(QLatin1String("source")).toString();
        if (!source.isEmpty()) {
            auto *link = new QLabel(QStringLiteral("<b>%1</b> <a href=\"%2\">%2</a>")
                                        .arg(tr("Source:").toHtmlEscaped(), source.toHtmlEscaped()),
                                    this);
            link->setObjectName(QStringLiteral("recommendationSource"));
            link->setOpenExternalLinks(true);
            link->setWordWrap(true);
            layout->addWidget(link);
        }
        const QStringList apply = analysis::applyFlags(details);
        if (!apply.isEmpty()) {
            layout->addWidget(
                new QLabel(QStringLiteral("<b>%1</b>").arg(tr("How to apply:").toHtmlEscaped()), this));
            for (const QString &flag : apply) {
                auto *row = new QHBoxLayout;
                auto *command = new QLineEdit(flag, this);
                command->setObjectName(QStringLiteral("recommendationCommand"));
                command->setReadOnly(true);
                command->setAccessibleName(tr("Command"));
                command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
                auto *copy = new QPushButton(tr("Copy"), this);
                copy->setAccessibleName(tr("Copy command"));
                connect(copy, &QPushButton::clicked, this, [this, flag] {
                    QApplication::clipboard()->setText(flag);
                    Q_EMIT copied();
                });
                row->addWidget(command, 1);
                row->addWidget(copy);
                layout->addLayout(row);
            }
        }
    } else {
        auto *description = new QLabel(r.description, this);
        description->setWordWrap(true);
        layout->addWidget(description);
    }

    auto *footer = new QHBoxLayout;
    const QString statusText = r.status == model::RecommendationStatus::Applied     ? tr("Applied")
                               : r.status == model::RecommendationStatus::Dismissed ? tr("Dismissed")
                                                                                    : tr("Pending");
    auto *status = new QLabel(statusText, this);
    status->setObjectName(QStringLiteral("recommendationStatus"));
    footer->addWidget(status);
    const QString when = appliedChange ? tr("Applied %1").arg(formatDateTime(appliedChange->changedAtMs))
                                       : tr("Generated %1").arg(formatDateTime(r.generatedAtMs));
    auto *generated = new QLabel(when, this);
    generated->setObjectName(QStringLiteral("recommendationTime"));
    generated->setStyleSheet(QStringLiteral("color: %1;").arg(theme::secondaryText().name()));
    footer->addWidget(generated);
    footer->addStretch();
    if (r.status == model::RecommendationStatus::Pending) {
        auto *apply = new QPushButton(tr("Mark as Applied…"), this);
        apply->setObjectName(QStringLiteral("applyRecommendation"));
        apply->setToolTip(tr("Copies the flags and records the change in the project's runtime. CacheWise "
                             "does not restart your server: restart it with the flags."));
        auto *dismiss = new QPushButton(tr("Dismiss"), this);
        dismiss->setObjectName(QStringLiteral("dismissRecommendation"));
        connect(apply, &QPushButton::clicked, this, [this, id = r.id] { Q_EMIT applyRequested(id); });
        connect(dismiss, &QPushButton::clicked, this,
                [this, id = r.id] { Q_EMIT statusRequested(id, model::RecommendationStatus::Dismissed); });
        footer->addWidget(apply);
        footer->addWidget(dismiss);
    } else if (r.status == model::RecommendationStatus::Applied) {
        auto *undo = new QPushButton(tr("Undo"), this);
        undo->setObjectName(QStringLiteral("undoRecommendation"));
        undo->setToolTip(appliedChange ? tr("Puts the project's runtime back as it was and makes the "
                                            "recommendation pending again.")
                                       : tr("Makes the recommendation pending again."));
        connect(undo, &QPushButton::clicked, this, [this, id = r.id] { Q_EMIT undoRequested(id); });
        footer->addWidget(undo);
    }
    if (appliedChange && appliedChange->before) {
        const QStringList changed = runtimeChangeLines(*appliedChange->before, appliedChange->after);
        if (!changed.isEmpty()) {
            auto *runtime =
                new QLabel(tr("Runtime changed: %1").arg(changed.join(QStringLiteral("; "))), this);
            runtime->setObjectName(QStringLiteral("recommendationRuntimeChange"));
            runtime->setWordWrap(true);
            layout->addWidget(runtime);
        }
    }
    layout->addLayout(footer);
}

} // namespace cachewise::ui
