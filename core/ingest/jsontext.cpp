// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/jsontext.h"

#include <QList>
#include <QSet>

namespace cachewise::ingest {
namespace {

struct Frame
{
    bool object = false;
    QString path;       // of this object or array
    QSet<QString> keys; // an object's keys so far
    QString key;        // the key whose value comes next
    qsizetype index = 0;
    bool expectKey = true;
};

// The four hex digits at `at`, or -1.
int hex4(const QByteArray &s, qsizetype at)
{
    if (at + 4 > s.size())
        return -1;
    int v = 0;
    for (qsizetype i = at; i < at + 4; ++i) {
        const int d = hexDigit(s.at(i));
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

} // namespace

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<JsonTextProblem> checkJsonText(const QByteArray &json, const QString &rootArrayName)
{
    QList<Frame> stack;
    // Where the value about to start sits.
    const auto valuePath = [&stack, &rootArrayName](bool isArray) {
        if (stack.isEmpty())
            return isArray ? rootArrayName : QString();
        const Frame &top = stack.last();
        if (!top.object)
            return QStringLiteral("%1[%2]").arg(top.path).arg(top.index);
        return top.path.isEmpty() ? top.key : top.path + QLatin1Char('.') + top.key;
    };
    const qsizetype n = json.size();
    qsizetype i = 0;
    while (i < n) {
        const char c = json.at(i);
        switch (c) {
        case '{':
        case '[': {
            Frame f;
            f.object = c == '{';
            f.path = valuePath(c == '[');
            stack.append(std::move(f));
            ++i;
            break;
        }
        case '}':
        case ']':
            if (!stack.isEmpty())
                stack.removeLast();
            ++i;
            break;
        case ',':
            if (!stack.isEmpty()) {
                if (stack.last().object)
                    stack.last().expectKey = true;
                else
                    ++stack.last().index;
            }
            ++i;
            break;
        case ':':
            if (!stack.isEmpty())
                stack.last().expectKey = false;
            ++i;
            break;
        case '"': {
            // A string: decoded (a key's escapes spell the same key), its surrogates checked.
            const bool isKey = !stack.isEmpty() && stack.last().object && stack.last().expectKey;
            QString text;
            QByteArray run; // raw UTF-8 bytes since the last escape
            ++i;
            while (i < n && json.at(i) != '"') {
                if (json.at(i) != '\\') {
                    run += json.at(i++);
                    continue;
                }
                text += QString::fromUtf8(run);
                run.clear();
                const char e = i + 1 < n ? json.at(i + 1) : '\0';
                if (e != 'u') {
                    static const QByteArray from("\"\\/bfnrt");
                    static const char to[] = "\"\\/\b\f\n\r\t";
                    const qsizetype k = from.indexOf(e);
                    text += QLatin1Char(k >= 0 ? to[k] : e);
                    i += 2;
                    continue;
                }
                const int unit = hex4(json, i + 2);
                i += 6;
                const bool high = unit >= 0xD800 && unit <= 0xDBFF;
                const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
                int next = -1;
                if (high && i + 1 < n && json.at(i) == '\\' && json.at(i + 1) == 'u')
                    next = hex4(json, i + 2);
                if (low || (high && !(next >= 0xDC00 && next <= 0xDFFF))) {
                    // In a key: the object it belongs to; in a value: where the value sits.
                    QString path = isKey ? stack.last().path : valuePath(false);
                    if (path.isEmpty())
                        path = QStringLiteral("body");
                    return JsonTextProblem{
                        QStringLiteral("invalid_string"), path,
                        QStringLiteral(
                            "%1 holds \\u%2, half of a UTF-16 surrogate pair without its other half")
                            .arg(path)
                            .arg(unit, 4, 16, QLatin1Char('0'))};
                }
                text += QChar(char16_t(unit));
                if (high) {
                    text += QChar(char16_t(next));
                    i += 6;
                }
            }
            text += QString::fromUtf8(run);
            ++i; // the closing quote
            if (isKey) {
                Frame &top = stack.last();
                if (top.keys.contains(text)) {
                    const QString path = top.path.isEmpty() ? text : top.path + QLatin1Char('.') + text;
                    return JsonTextProblem{QStringLiteral("duplicate_field"), path,
                                           QStringLiteral("%1 is given twice").arg(path)};
                }
                top.keys.insert(text);
                top.key = text;
            }
            break;
        }
        default: ++i; break; // whitespace, numbers, true, false, null
        }
    }
    return std::nullopt;
}

} // namespace cachewise::ingest
