// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/analysis/gguf.h"

#include <QFile>
#include <QtEndian>

#include <cstring>

namespace cachewise::analysis {
namespace {

enum Type : quint32
{
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    ArrayType = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};

constexpr quint64 kMaxKeyLength = 64 * 1024;
constexpr quint64 kMaxKeyValues = 1 << 20;
constexpr quint64 kMaxKeptNumbers = 4096;

qint64 scalarSize(quint32 type)
{
    switch (type) {
    case U8:
    case I8:
    case Bool: return 1;
    case U16:
    case I16: return 2;
    case U32:
    case I32:
    case F32: return 4;
    case U64:
    case I64:
    case F64: return 8;
    default: return -1;
    }
}

class Reader
{
public:
    explicit Reader(QIODevice &device) : m_device(device), m_size(device.size()) {}

    qint64 left() const { return m_size - m_device.pos(); }

    Result<QByteArray> bytes(quint64 n, const char *what)
    {
        if (n > quint64(std::max<qint64>(0, left())))
            return makeError(ErrorKind::BadInput, QStringLiteral("the file ends inside %1 (at byte %2)")
                                                      .arg(QLatin1String(what))
                                                      .arg(m_device.pos()));
        QByteArray out = m_device.read(qint64(n));
        if (quint64(out.size()) != n)
            return makeError(
                ErrorKind::Io,
                QStringLiteral("cannot read %1: %2").arg(QLatin1String(what), m_device.errorString()));
        return out;
    }

    template <typename T> Result<T> number(const char *what)
    {
        auto raw = bytes(sizeof(T), what);
        if (!raw)
            return raw.error();
        T value;
        std::memcpy(&value, raw->constData(), sizeof(T));
        return qFromLittleEndian(value);
    }

    Result<QString> string(quint64 limit, const char *what)
    {
        auto length = number<quint64>(what);
        if (!length)
            return length.error();
        if (length.value() > limit)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("%1 claims %2 bytes, more than the %3 allowed")
                                 .arg(QLatin1String(what))
                                 .arg(length.value())
                                 .arg(limit));
        auto text = bytes(length.value(), what);
        if (!text)
            return text.error();
        return QString::fromUtf8(text.value());
    }

    Result<QVariant> scalar(quint32 type)
    {
        switch (type) {
        case U8: return convert(number<quint8>("a value"));
        case I8: return convert(number<qint8>("a value"));
        case U16: return convert(number<quint16>("a value"));
        case I16: return convert(number<qint16>("a value"));
        case U32: return convert(number<quint32>("a value"));
        case I32: return convert(number<qint32>("a value"));
        case U64: return convert(number<quint64>("a value"));
        case I64: return convert(number<qint64>("a value"));
        case F32: {
            auto bits = number<quint32>("a value");
            if (!bits)
                return bits.error();
            float f;
            const quint32 b = bits.value();
            std::memcpy(&f, &b, sizeof f);
            return QVariant(double(f));
        }
        case F64: {
            auto bits = number<quint64>("a value");
            if (!bits)
                return bits.error();
            double d;
            const quint64 b = bits.value();
            std::memcpy(&d, &b, sizeof d);
            return QVariant(d);
        }
        case Bool: {
            auto v = number<quint8>("a value");
            if (!v)
                return v.error();
            if (v.value() > 1)
                return makeError(ErrorKind::BadInput, QStringLiteral("a boolean holds %1").arg(v.value()));
            return QVariant(v.value() == 1);
        }
        default: return makeError(ErrorKind::BadInput, QStringLiteral("unknown value type %1").arg(type));
        }
    }

    bool skip(qint64 n) { return m_device.seek(m_device.pos() + n); }

private:
    template <typename T> static Result<QVariant> convert(const Result<T> &r)
    {
        if (!r)
            return r.error();
        return QVariant::fromValue(r.value());
    }

    QIODevice &m_device;
    qint64 m_size;
};

Result<GgufHeader::Array> readArray(Reader &reader, int depth)
{
    GgufHeader::Array array;
    auto type = reader.number<quint32>("an array's element type");
    auto count = reader.number<quint64>("an array's length");
    if (!type || !count)
        return !type ? type.error() : count.error();
    array.elementType = type.value();
    array.count = count.value();
    if (array.elementType == ArrayType) {
        if (depth > 0)
            return makeError(ErrorKind::BadInput, QStringLiteral("arrays nested more than two deep"));
        for (quint64 i = 0; i < array.count; ++i) {
            if (reader.left() <= 0)
                return makeError(ErrorKind::BadInput, QStringLiteral("the file ends inside an array"));
            if (auto inner = readArray(reader, depth + 1); !inner)
                return inner.error();
        }
        return array;
    }
    if (array.elementType == String) {
        // Each string needs at least its 8-byte length: a count the file cannot hold is refused at once.
        if (array.count > quint64(std::max<qint64>(0, reader.left())) / 8)
            return makeError(
                ErrorKind::BadInput,
                QStringLiteral("an array claims %1 strings, more than the file holds").arg(array.count));
        for (quint64 i = 0; i < array.count; ++i) {
            if (auto s = reader.string(quint64(std::max<qint64>(0, reader.left())), "a string in an array");
                !s)
                return s.error();
        }
        return array;
    }
    const qint64 size = scalarSize(array.elementType);
    if (size < 0)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("unknown array element type %1").arg(array.elementType));
    if (array.count > quint64(std::max<qint64>(0, reader.left())) / quint64(size))
        return makeError(
            ErrorKind::BadInput,
            QStringLiteral("an array claims %1 values, more than the file holds").arg(array.count));
    if (array.count <= kMaxKeptNumbers) {
        for (quint64 i = 0; i < array.count; ++i) {
            auto v = reader.scalar(array.elementType);
            if (!v)
                return v.error();
            array.numbers << v->toDouble();
        }
    } else if (!reader.skip(qint64(array.count) * size)) {
        return makeError(ErrorKind::Io, QStringLiteral("cannot skip an array"));
    }
    return array;
}

} // namespace

std::optional<qint64> GgufHeader::archInteger(const QString &suffix) const
{
    const auto it = values.constFind(architecture() + QLatin1Char('.') + suffix);
    if (it == values.constEnd())
        return std::nullopt;
    bool ok = false;
    const qint64 v = it->toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

Result<GgufHeader> readGgufHeader(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    auto header = readGgufHeader(file);
    if (!header)
        return makeError(
            header.error().kind,
            QStringLiteral("%1 is not a readable GGUF file: %2").arg(path, header.errorMessage()),
            header.error().field);
    return header;
}

Result<GgufHeader> readGgufHeader(QIODevice &device)
{
    Reader reader(device);
    auto magic = reader.bytes(4, "the magic number");
    if (!magic)
        return magic.error();
    if (magic.value() != "GGUF")
        return makeError(ErrorKind::BadInput, QStringLiteral("it does not start with GGUF"));
    GgufHeader header;
    auto version = reader.number<quint32>("the version");
    if (!version)
        return version.error();
    header.version = version.value();
    if (header.version < 2 || header.version > 3)
        return makeError(
            ErrorKind::Unsupported,
            QStringLiteral("GGUF version %1 is not supported (2 and 3 are)").arg(header.version));
    auto tensors = reader.number<quint64>("the tensor count");
    auto count = reader.number<quint64>("the metadata count");
    if (!tensors || !count)
        return !tensors ? tensors.error() : count.error();
    header.tensorCount = tensors.value();
    if (count.value() > kMaxKeyValues)
        return makeError(ErrorKind::BadInput,
                         QStringLiteral("it claims %1 metadata entries").arg(count.value()));
    for (quint64 i = 0; i < count.value(); ++i) {
        auto key = reader.string(kMaxKeyLength, "a metadata key");
        if (!key)
            return key.error();
        auto type = reader.number<quint32>("a metadata type");
        if (!type)
            return type.error();
        if (type.value() == String) {
            auto text = reader.string(quint64(std::max<qint64>(0, reader.left())), "a metadata string");
            if (!text)
                return text.error();
            header.values.insert(key.value(), text.value());
        } else if (type.value() == ArrayType) {
            auto array = readArray(reader, 0);
            if (!array)
                return array.error();
            header.arrays.insert(key.value(), array.value());
        } else {
            auto value = reader.scalar(type.value());
            if (!value)
                return value.error();
            header.values.insert(key.value(), value.value());
        }
    }
    return header;
}

} // namespace cachewise::analysis
