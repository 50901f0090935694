// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>

namespace cachewise {

struct SeriesPoint
{
    qint64 timestampMs = 0;
    double value = 0;   // the value drawn (a sample, or a bucket's mean)
    double minimum = 0; // the envelope the point stands for (equal to value for a raw sample)
    double maximum = 0;
    bool operator==(const SeriesPoint &) const = default;
};

// Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last point and, from each
// of threshold-2 buckets, the point that spans the largest triangle with its neighbours, so peaks
// and troughs survive. Each kept point's envelope grows to cover the points of its bucket. Points
// must be sorted by time. Returns the input when it has no more than `threshold` points.
QList<SeriesPoint> decimateLttb(const QList<SeriesPoint> &points, int threshold);

// Each point of `part` as a share of `whole` at the same moment (the nearest point of `whole`; its
// value must be positive, else the point is left out). Both sorted by time.
QList<SeriesPoint> shareOf(const QList<SeriesPoint> &part, const QList<SeriesPoint> &whole);

} // namespace cachewise
