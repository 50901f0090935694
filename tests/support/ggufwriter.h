// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace cachewise::test {

// A GGUF v3 header with no tensors, written as llama.cpp's gguf.c lays it out: for models whose shape a test
// chooses (a head size no quantized cache fits, a blob in an Ollama store).
class GgufWriter
{
public:
    GgufWriter &string(const QByteArray &key, const QByteArray &value);
    GgufWriter &uint32(const QByteArray &key, quint32 value);
    QByteArray bytes() const;
    bool writeTo(const QString &path) const;

    // A llama-architecture model: `layers` blocks, `heads` query and `kvHeads` KV heads of `headSize`,
    // trained on `context` tokens, file type 15 (Q4_K_M).
    static GgufWriter llama(const QByteArray &name, int layers, int heads, int kvHeads, int headSize,
                            int context);

private:
    QList<QByteArray> m_pairs;
};

} // namespace cachewise::test
