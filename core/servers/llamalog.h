// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace cachewise::servers {

// One line of llama-server's standard error, as llama.cpp's log writes it at any verbosity:
// "0.00.003.354 I cmn  common_param: …": the time since start (minutes.seconds.milliseconds.microseconds),
// a level letter, then the text. A line without that prefix (some messages are printed straight to stderr)
// keeps its whole text, with no level and no time.
struct LlamaLogLine
{
    enum class Level
    {
        None, // no level letter on the line
        Debug,
        Info,
        Warning,
        Error,
    };
    Level level = Level::None;
    std::optional<qint64> sinceStartUs;
    QString text; // the line without its time and level
};

LlamaLogLine parseLlamaLogLine(QByteArrayView line);
// The time since start as llama.cpp prints it: minutes.seconds.milliseconds.microseconds ("0.01.250.113").
QString formatSinceStart(qint64 us);

// (The KV cache allocation line it logs while loading a model is read by analysis::parseLlamaKvLine.)

} // namespace cachewise::servers
