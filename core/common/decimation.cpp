// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/decimation.h"

#include <algorithm>
#include <cmath>

namespace cachewise {

QList<SeriesPoint> decimateLttb(const QList<SeriesPoint> &points, int threshold)
{
    const qsizetype n = points.size();
    if (threshold < 3 || n <= threshold)
        return points;
    QList<SeriesPoint> out;
    out.reserve(threshold);
    out.append(points.first());
    // Bucket i (1..threshold-2) covers [start(i), start(i+1)) of the points between first and last.
    const double every = double(n - 2) / double(threshold - 2);
    auto bucketStart = [&](qsizetype i) {
        return qsizetype(std::floor(double(i - 1) * every)) + 1;
    };
    qsizetype a = 0; // index of the previously kept point
    for (qsizetype i = 1; i <= threshold - 2; ++i) {
        const qsizetype from = bucketStart(i);
        const qsizetype to = std::min(bucketStart(i + 1), n - 1);
        // The next bucket's average (the last point for the final bucket).
        const qsizetype nextFrom = to;
        const qsizetype nextTo = i + 1 <= threshold - 2 ? std::min(bucketStart(i + 2), n - 1) : n;
        double avgX = 0;
        double avgY = 0;
        const qsizetype nextCount = std::max<qsizetype>(1, nextTo - nextFrom);
        for (qsizetype j = nextFrom; j < nextFrom + nextCount && j < n; ++j) {
            avgX += double(points[j].timestampMs);
            avgY += points[j].value;
        }
        avgX /= double(nextCount);
        avgY /= double(nextCount);

        const double ax = double(points[a].timestampMs);
        const double ay = points[a].value;
        double bestArea = -1;
        qsizetype best = from;
        double envelopeMin = points[from].minimum;
        double envelopeMax = points[from].maximum;
        for (qsizetype j = from; j < to; ++j) {
            const double area = std::abs((ax - avgX) * (points[j].value - ay) -
                                         (ax - double(points[j].timestampMs)) * (avgY - ay));
            if (area > bestArea) {
                bestArea = area;
                best = j;
            }
            envelopeMin = std::min(envelopeMin, points[j].minimum);
            envelopeMax = std::max(envelopeMax, points[j].maximum);
        }
        SeriesPoint kept = points[best];
        kept.minimum = envelopeMin;
        kept.maximum = envelopeMax;
        out.append(kept);
        a = best;
    }
    out.append(points.last());
    return out;
}

QList<SeriesPoint> shareOf(const QList<SeriesPoint> &part, const QList<SeriesPoint> &whole)
{
    QList<SeriesPoint> out;
    if (whole.isEmpty())
        return out;
    out.reserve(part.size());
    for (const SeriesPoint &p : part) {
        const auto after = std::lower_bound(whole.cbegin(), whole.cend(), p.timestampMs,
                                            [](const SeriesPoint &w, qint64 t) { return w.timestampMs < t; });
        const SeriesPoint *nearest = after == whole.cend() ? &whole.last() : &*after;
        if (after != whole.cbegin() && after != whole.cend() &&
            p.timestampMs - std::prev(after)->timestampMs < after->timestampMs - p.timestampMs)
            nearest = &*std::prev(after);
        if (nearest->value <= 0)
            continue;
        out << SeriesPoint{p.timestampMs, p.value / nearest->value, p.minimum / nearest->value,
                           p.maximum / nearest->value};
    }
    return out;
}

} // namespace cachewise
