// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/counters.h"

#include <cmath>

namespace cachewise {

std::optional<double> CounterTracker::delta(const QString &name, std::optional<double> value)
{
    if (!value || !std::isfinite(*value))
        return std::nullopt;
    const auto last = m_last.constFind(name);
    const bool known = last != m_last.constEnd();
    const double previous = known ? *last : 0;
    m_last.insert(name, *value);
    if (!known)
        return std::nullopt;
    if (*value < previous) {
        ++m_resets; // the process restarted and counts from zero again
        return *value;
    }
    return *value - previous;
}

bool CounterTracker::wentBackwards(const QHash<QString, double> &values) const
{
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const auto last = m_last.constFind(it.key());
        if (last != m_last.constEnd() && std::isfinite(it.value()) && it.value() < *last)
            return true;
    }
    return false;
}

void CounterTracker::rebase()
{
    ++m_resets;
    for (auto it = m_last.begin(); it != m_last.end(); ++it)
        it.value() = 0;
}

} // namespace cachewise
