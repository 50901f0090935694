// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/servers/llamalog.h"

namespace cachewise::servers {
namespace {

// "M.SS.mmm.uuu L ": common/log.cpp prints minutes, seconds, milliseconds and microseconds.
bool readTime(QByteArrayView line, qsizetype *end, qint64 *us)
{
    qint64 parts[4] = {};
    qsizetype at = 0;
    for (int p = 0; p < 4; ++p) {
        const qsizetype start = at;
        while (at < line.size() && line[at] >= '0' && line[at] <= '9')
            parts[p] = parts[p] * 10 + (line[at++] - '0');
        if (at == start || at - start > 9)
            return false;
        if (p < 3) {
            if (at >= line.size() || line[at] != '.')
                return false;
            ++at;
        }
    }
    if (parts[1] > 59 || parts[2] > 999 || parts[3] > 999)
        return false;
    *us = ((parts[0] * 60 + parts[1]) * 1000 + parts[2]) * 1000 + parts[3];
    *end = at;
    return true;
}

} // namespace

LlamaLogLine parseLlamaLogLine(QByteArrayView line)
{
    while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
        line.chop(1);
    LlamaLogLine out;
    qsizetype end = 0;
    qint64 us = 0;
    // The time, one space, the level letter, one space.
    if (readTime(line, &end, &us) && end + 1 < line.size() && line[end] == ' ' &&
        (end + 2 == line.size() || line[end + 2] == ' ')) {
        LlamaLogLine::Level level = LlamaLogLine::Level::None;
        switch (line[end + 1]) {
        case 'D': level = LlamaLogLine::Level::Debug; break;
        case 'I': level = LlamaLogLine::Level::Info; break;
        case 'W': level = LlamaLogLine::Level::Warning; break;
        case 'E': level = LlamaLogLine::Level::Error; break;
        default: break;
        }
        if (level != LlamaLogLine::Level::None) {
            out.level = level;
            out.sinceStartUs = us;
            out.text = QString::fromUtf8(line.sliced(std::min(end + 3, line.size())));
            return out;
        }
    }
    out.text = QString::fromUtf8(line);
    return out;
}

QString formatSinceStart(qint64 us)
{
    return QStringLiteral("%1.%2.%3.%4")
        .arg(us / 60'000'000)
        .arg(us / 1'000'000 % 60, 2, 10, QLatin1Char('0'))
        .arg(us / 1000 % 1000, 3, 10, QLatin1Char('0'))
        .arg(us % 1000, 3, 10, QLatin1Char('0'));
}

} // namespace cachewise::servers
