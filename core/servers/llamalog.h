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

// The KV cache allocation llama-server logs while loading a model (llama_kv_cache's constructor; a model
// with sliding-window layers logs one line for each kind of layer):
// "llama_kv_cache: size =    4.00 MiB (  4096 cells,   2 layers,  4/1 seqs), K (f16):    2.00 MiB, V (f16):
// …"
struct KvAllocationLine
{
    double totalMiB = 0;
    qint64 cells = 0; // per stream
    int layers = 0;
    int sequences = 0; // slots that may hold a sequence
    int streams = 0;   // 1: one cache the slots share (unified); else one per slot
    QString typeK;
    double kMiB = 0;
    QString typeV;
    double vMiB = 0;
};

// The allocation in a line's text (with or without the log prefix), or nothing when the line is not one.
std::optional<KvAllocationLine> parseKvAllocation(QStringView text);

} // namespace cachewise::servers
