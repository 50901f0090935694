// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/samplecodec.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace cachewise::storage {
namespace {

constexpr int kRawDouble = 15;
constexpr int kMaxDecimals = 14;
constexpr double kPowersOfTen[kMaxDecimals + 1] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6, 1e7,
                                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14};
// Below 2^53 every integer is a double, so m / 10^k is one correctly rounded division.
constexpr double kMaxMantissa = 9007199254740992.0;

void putVarint(QByteArray &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

bool getVarint(const char *&p, const char *end, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p == end)
            return false;
        const auto byte = static_cast<unsigned char>(*p++);
        v |= std::uint64_t(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return shift < 63 || byte <= 1;
    }
    return false;
}

std::uint64_t zigzag(std::int64_t v)
{
    return (std::uint64_t(v) << 1) ^ std::uint64_t(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v)
{
    return std::int64_t(v >> 1) ^ -std::int64_t(v & 1);
}

void putReal(QByteArray &out, double v)
{
    if (v >= 0 && v < kMaxMantissa && !std::signbit(v)) {
        for (int k = 0; k <= kMaxDecimals; ++k) {
            const double scaled = v * kPowersOfTen[k];
            if (!(scaled < kMaxMantissa))
                break;
            const double m = std::nearbyint(scaled);
            if (m / kPowersOfTen[k] == v) {
                putVarint(out, (std::uint64_t(m) << 4) | std::uint64_t(k));
                return;
            }
        }
    }
    putVarint(out, kRawDouble);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i)
        out.append(char((bits >> (8 * i)) & 0xff));
}

bool getReal(const char *&p, const char *end, double &v)
{
    std::uint64_t h = 0;
    if (!getVarint(p, end, h))
        return false;
    const int k = int(h & 0xf);
    if (k == kRawDouble) {
        if (h != kRawDouble || end - p < 8)
            return false;
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
        p += 8;
        std::memcpy(&v, &bits, sizeof v);
        return true;
    }
    const std::uint64_t m = h >> 4;
    if (double(m) >= kMaxMantissa)
        return false;
    v = double(m) / kPowersOfTen[k];
    return true;
}

} // namespace

void encodeSampleValues(const SampleValues &values, QByteArray &out)
{
    out.clear();
    std::uint64_t present = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i])
            present |= std::uint64_t(1) << i;
    }
    putVarint(out, present);
    for (const model::MetricInfo &info : model::metricTable()) {
        const std::optional<double> &v = values[model::metricIndex(info.metric)];
        if (!v)
            continue;
        if (info.integer)
            putVarint(out, zigzag(static_cast<std::int64_t>(*v)));
        else
            putReal(out, *v);
    }
}

bool decodeSampleValues(const char *data, qsizetype size, SampleValues &values)
{
    const char *p = data;
    const char *const end = data + size;
    std::uint64_t present = 0;
    if (!getVarint(p, end, present) || (present >> model::kMetricCount) != 0)
        return false;
    for (const model::MetricInfo &info : model::metricTable()) {
        const std::size_t i = model::metricIndex(info.metric);
        values[i].reset();
        if ((present & (std::uint64_t(1) << i)) == 0)
            continue;
        if (info.integer) {
            std::uint64_t z = 0;
            if (!getVarint(p, end, z))
                return false;
            values[i] = double(unzigzag(z));
        } else {
            double v = 0;
            if (!getReal(p, end, v))
                return false;
            values[i] = v;
        }
    }
    return p == end;
}

} // namespace cachewise::storage
