// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/storage/database.h"
#include "core/storage/types.h"

#include <QList>
#include <QString>

#include <optional>

namespace cachewise {
class Clock;
}

namespace cachewise::storage {

// What the rules recommend for a project, and the user's answer to each.
class RecommendationStore
{
public:
    RecommendationStore(Connection &connection, const Clock &clock) : m_connection(connection), m_clock(clock)
    {}

    Result<QList<Recommendation>> list(const QString &projectId);
    Result<std::optional<Recommendation>> get(const QString &recommendationId);
    Result<bool> setStatus(const QString &recommendationId, model::RecommendationStatus status);
    // Stores what the rules found now, in one transaction: a rule's recommendation is updated in place
    // (keeping the user's applied/dismissed status, except that applied advice whose flags changed is
    // pending again: it is new advice), new rules get a pending one, and pending ones whose rule no
    // longer fires are removed.
    Result<QList<Recommendation>> replace(const QString &projectId, const QList<Recommendation> &current);

private:
    Connection &m_connection;
    const Clock &m_clock;
};

} // namespace cachewise::storage
