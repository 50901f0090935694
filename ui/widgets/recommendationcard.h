// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storage/types.h"

#include <QFrame>

namespace cachewise::ui {

// One recommendation: what was observed, what it saves, its speed effect and quality risk with the
// source, the exact flags for this project's engine (copyable), and Mark as Applied / Dismiss while
// pending; once applied, when and what it changed in the runtime, and Undo. Texts are rendered from the
// stored numbers in the reader's language.
class RecommendationCard final : public QFrame
{
    Q_OBJECT

public:
    RecommendationCard(const model::Recommendation &recommendation,
                       const std::optional<model::RuntimeChange> &appliedChange, QWidget *parent = nullptr);

Q_SIGNALS:
    void applyRequested(const QString &recommendationId);
    void undoRequested(const QString &recommendationId);
    void statusRequested(const QString &recommendationId, model::RecommendationStatus status);
    void copied();
};

} // namespace cachewise::ui
