// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

#include <optional>

namespace cachewise {

// Turns cumulative counters into per-interval differences. A counter that goes backwards restarted from
// zero with its process, so its whole value is the difference; rebase() says the same of every counter
// at once (a restart seen another way, before the counters passed their old totals).
class CounterTracker
{
public:
    std::optional<double> delta(const QString &name, std::optional<double> value);
    // Whether any of these counters is below its last value (the process restarted).
    bool wentBackwards(const QHash<QString, double> &values) const;
    void rebase();
    void reset() { m_last.clear(); }
    int resets() const { return m_resets; }

private:
    QHash<QString, double> m_last;
    int m_resets = 0;
};

} // namespace cachewise
