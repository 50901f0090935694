// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <atomic>
#include <cstddef>

namespace cachewise {

// A latency histogram that one thread records into and any thread reads (Prometheus' cumulative
// buckets in seconds). Lock-free; readers may see a sample in the count before it is in the sum.
class LatencyHistogram
{
public:
    static constexpr std::array<double, 12> kBounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

    void observe(double seconds)
    {
        for (std::size_t i = 0; i < kBounds.size(); ++i) {
            if (seconds <= kBounds[i]) {
                m_buckets[i].fetch_add(1, std::memory_order_relaxed);
                break;
            }
        }
        m_count.fetch_add(1, std::memory_order_relaxed);
        m_sumMicros.fetch_add(static_cast<unsigned long long>(seconds * 1e6), std::memory_order_relaxed);
    }

    // Cumulative count of observations up to bound i.
    unsigned long long cumulative(std::size_t i) const
    {
        unsigned long long total = 0;
        for (std::size_t k = 0; k <= i && k < kBounds.size(); ++k)
            total += m_buckets[k].load(std::memory_order_relaxed);
        return total;
    }
    unsigned long long count() const { return m_count.load(std::memory_order_relaxed); }
    double sumSeconds() const { return double(m_sumMicros.load(std::memory_order_relaxed)) / 1e6; }

private:
    std::array<std::atomic<unsigned long long>, kBounds.size()> m_buckets{};
    std::atomic<unsigned long long> m_count{0};
    std::atomic<unsigned long long> m_sumMicros{0};
};

} // namespace cachewise
