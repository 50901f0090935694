// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/ggufwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace cachewise::test {
namespace {

QByteArray le(quint64 v, int bytes)
{
    QByteArray out(bytes, '\0');
    for (int i = 0; i < bytes; ++i)
        out[i] = char((v >> (8 * i)) & 0xff);
    return out;
}

QByteArray text(const QByteArray &s)
{
    return le(quint64(s.size()), 8) + s;
}

constexpr quint32 kUint32 = 4; // gguf_type
constexpr quint32 kString = 8;

} // namespace

GgufWriter &GgufWriter::string(const QByteArray &key, const QByteArray &value)
{
    m_pairs << text(key) + le(kString, 4) + text(value);
    return *this;
}

GgufWriter &GgufWriter::uint32(const QByteArray &key, quint32 value)
{
    m_pairs << text(key) + le(kUint32, 4) + le(value, 4);
    return *this;
}

QByteArray GgufWriter::bytes() const
{
    QByteArray out = QByteArray("GGUF") + le(3, 4) + le(0, 8) + le(quint64(m_pairs.size()), 8);
    for (const QByteArray &pair : m_pairs)
        out += pair;
    return out;
}

bool GgufWriter::writeTo(const QString &path) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    const QByteArray all = bytes();
    return file.open(QIODevice::WriteOnly) && file.write(all) == all.size();
}

GgufWriter GgufWriter::llama(const QByteArray &name, int layers, int heads, int kvHeads, int headSize,
                             int context)
{
    GgufWriter w;
    w.string("general.architecture", "llama")
        .string("general.name", name)
        .uint32("general.file_type", 15)
        .uint32("llama.block_count", quint32(layers))
        .uint32("llama.context_length", quint32(context))
        .uint32("llama.embedding_length", quint32(heads * headSize))
        .uint32("llama.attention.head_count", quint32(heads))
        .uint32("llama.attention.head_count_kv", quint32(kvHeads));
    return w;
}

} // namespace cachewise::test
