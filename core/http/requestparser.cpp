// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/requestparser.h"

#include <QUrl>

#include <array>

namespace cachewise::http {
namespace {

constexpr qint64 kMaxChunkLine = 1024;

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// The usual methods, versions and header names as shared literals: a request made of them allocates
// nothing for them.
QByteArray shared(QByteArrayView text, std::initializer_list<QByteArray> usual)
{
    for (const QByteArray &u : usual) {
        if (text == u)
            return u;
    }
    return text.toByteArray();
}

QByteArray lowerName(QByteArrayView name)
{
    static const std::array kUsual{
        QByteArrayLiteral("host"),           QByteArrayLiteral("content-type"),
        QByteArrayLiteral("content-length"), QByteArrayLiteral("authorization"),
        QByteArrayLiteral("user-agent"),     QByteArrayLiteral("accept"),
        QByteArrayLiteral("connection"),     QByteArrayLiteral("accept-encoding"),
        QByteArrayLiteral("x-api-key"),      QByteArrayLiteral("content-encoding"),
        QByteArrayLiteral("expect"),         QByteArrayLiteral("transfer-encoding")};
    for (const QByteArray &u : kUsual) {
        if (name.size() == u.size() && name.compare(u, Qt::CaseInsensitive) == 0)
            return u;
    }
    return name.toByteArray().toLower();
}

} // namespace

RequestParser::RequestParser(const Limits &limits) : m_limits(limits) {}

RequestParser::State RequestParser::feed(const QByteArray &bytes)
{
    if (m_state == State::Error)
        return m_state;
    m_buffer.append(bytes);
    if (m_state == State::Complete)
        return m_state; // the caller has not taken the request yet
    return parse();
}

Request RequestParser::takeRequest()
{
    Request r = std::move(m_request);
    m_request = Request{};
    m_buffer.remove(0, m_pos);
    m_pos = 0;
    m_phase = Phase::RequestLine;
    m_state = State::Incomplete;
    m_headerBytes = 0;
    m_remaining = 0;
    m_chunked = false;
    m_expectContinue = false;
    m_continueSent = false;
    return r;
}

bool RequestParser::wantsContinue() const
{
    return m_expectContinue && !m_continueSent && m_state == State::Incomplete &&
           (m_phase == Phase::Body || m_phase == Phase::ChunkSize);
}

RequestParser::State RequestParser::fail(int status, QString message)
{
    m_state = State::Error;
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    m_buffer.clear();
    m_pos = 0;
    return m_state;
}

bool RequestParser::takeLine(QByteArrayView *line, qint64 limit, bool *tooLong)
{
    *tooLong = false;
    const qsizetype end = m_buffer.indexOf('\n', m_pos);
    if (end < 0) {
        *tooLong = m_buffer.size() - m_pos > limit;
        return false;
    }
    if (end - m_pos > limit) {
        *tooLong = true;
        return false;
    }
    qsizetype lineEnd = end;
    if (lineEnd > m_pos && m_buffer.at(lineEnd - 1) == '\r')
        --lineEnd;
    *line = QByteArrayView(m_buffer).sliced(m_pos, lineEnd - m_pos);
    m_pos = end + 1;
    return true;
}

bool RequestParser::takeBodyBytes()
{
    const qint64 take = std::min<qint64>(m_buffer.size() - m_pos, m_remaining);
    m_request.body.append(m_buffer.constData() + m_pos, take);
    m_pos += take;
    m_remaining -= take;
    return m_remaining == 0;
}

RequestParser::State RequestParser::parse()
{
    for (;;) {
        switch (m_phase) {
        case Phase::RequestLine:
        case Phase::Headers:
        case Phase::Trailers: {
            QByteArrayView line;
            bool tooLong = false;
            const qint64 budget = m_limits.maxHeaderBytes - m_headerBytes;
            if (!takeLine(&line, budget, &tooLong)) {
                if (tooLong)
                    return fail(431, QStringLiteral("request headers are larger than %1 bytes")
                                         .arg(m_limits.maxHeaderBytes));
                return m_state;
            }
            m_headerBytes += line.size() + 2;
            if (m_phase == Phase::RequestLine) {
                if (line.isEmpty() && m_request.method.isEmpty())
                    continue; // tolerate blank lines before a request (RFC 9112 2.2)
                if (parseRequestLine(line) == State::Error)
                    return m_state;
                m_phase = Phase::Headers;
            } else if (line.isEmpty()) {
                if (m_phase == Phase::Trailers) {
                    m_phase = Phase::Done;
                } else if (headersDone() == State::Error) {
                    return m_state;
                }
            } else if (m_phase == Phase::Headers) {
                if (parseHeaderLine(line) == State::Error)
                    return m_state;
            }
            // Trailer fields are read and dropped.
            break;
        }
        case Phase::Body:
            if (!takeBodyBytes())
                return m_state;
            m_phase = Phase::Done;
            break;
        case Phase::ChunkSize: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, kMaxChunkLine, &tooLong)) {
                if (tooLong)
                    return fail(400, QStringLiteral("chunk size line too long"));
                return m_state;
            }
            const qsizetype semicolon = line.indexOf(';');
            const QByteArrayView hex = (semicolon >= 0 ? line.first(semicolon) : line).trimmed();
            bool ok = hex.size() <= 15 && !hex.isEmpty();
            const qint64 size = ok ? hex.toLongLong(&ok, 16) : 0;
            if (!ok || size < 0)
                return fail(400, QStringLiteral("malformed chunk size"));
            if (m_request.body.size() + size > m_limits.maxBodyBytes)
                return fail(
                    413, QStringLiteral("request body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
            if (size == 0) {
                m_phase = Phase::Trailers;
            } else {
                m_remaining = size;
                m_phase = Phase::ChunkData;
            }
            break;
        }
        case Phase::ChunkData:
            if (!takeBodyBytes())
                return m_state;
            m_phase = Phase::ChunkDataEnd;
            break;
        case Phase::ChunkDataEnd: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, 2, &tooLong)) {
                if (tooLong)
                    return fail(400, QStringLiteral("chunk data longer than its size"));
                return m_state;
            }
            if (!line.isEmpty())
                return fail(400, QStringLiteral("chunk data longer than its size"));
            m_phase = Phase::ChunkSize;
            break;
        }
        case Phase::Done: m_state = State::Complete; return m_state;
        }
    }
}

RequestParser::State RequestParser::parseRequestLine(QByteArrayView line)
{
    // Exactly three parts, one space between each (found without splitting: this runs for every request).
    const qsizetype first = line.indexOf(' ');
    const qsizetype second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (second < 0 || line.indexOf(' ', second + 1) >= 0 || second == first + 1)
        return fail(400, QStringLiteral("malformed request line"));
    const QByteArrayView method = line.first(first);
    const QByteArrayView version = line.sliced(second + 1);
    if (!isToken(method))
        return fail(400, QStringLiteral("malformed request line"));
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        if (version.startsWith("HTTP/"))
            return fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported"));
        return fail(400, QStringLiteral("malformed request line"));
    }
    m_request.method = shared(method, {QByteArrayLiteral("POST"), QByteArrayLiteral("GET")});
    m_request.target = line.sliced(first + 1, second - first - 1).toByteArray();
    m_request.version = shared(version, {QByteArrayLiteral("HTTP/1.1"), QByteArrayLiteral("HTTP/1.0")});
    m_request.headers.reserve(8);
    if (!m_request.target.startsWith('/'))
        return fail(400, QStringLiteral("request target must be an absolute path"));
    const qsizetype q = m_request.target.indexOf('?');
    const QByteArray rawPath = q >= 0 ? m_request.target.left(q) : m_request.target;
    // Most paths have nothing to decode; the result is the same either way.
    m_request.path = rawPath.contains('%') ? QUrl::fromPercentEncoding(rawPath) : QString::fromUtf8(rawPath);
    if (q >= 0)
        m_request.query = QUrlQuery(QString::fromUtf8(m_request.target.mid(q + 1)));
    m_request.keepAlive = m_request.version == "HTTP/1.1";
    return m_state;
}

RequestParser::State RequestParser::parseHeaderLine(QByteArrayView line)
{
    if (line.startsWith(' ') || line.startsWith('\t'))
        return fail(400, QStringLiteral("folded header lines are not allowed"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return fail(400, QStringLiteral("malformed header line"));
    const QByteArrayView name = line.first(colon);
    if (!isToken(name))
        return fail(400, QStringLiteral("malformed header name"));
    const QByteArrayView value = line.sliced(colon + 1).trimmed();
    for (char c : value) {
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(400, QStringLiteral("control character in header %1").arg(QString::fromLatin1(name)));
    }
    m_request.headers.append({lowerName(name), value.toByteArray()});
    return m_state;
}

RequestParser::State RequestParser::headersDone()
{
    const QByteArray connection = m_request.header("connection").toLower();
    if (connection.contains("close"))
        m_request.keepAlive = false;
    else if (connection.contains("keep-alive"))
        m_request.keepAlive = true;

    m_expectContinue = m_request.header("expect").toLower() == "100-continue";

    const QByteArray *length = nullptr; // the first Content-Length; the others must say the same
    bool conflicting = false;
    bool hasEncoding = false;
    QByteArray encoding;
    for (const auto &[name, value] : m_request.headers) {
        if (name == "content-length") {
            conflicting = conflicting || (length && value != *length);
            length = length ? length : &value;
        } else if (name == "transfer-encoding") {
            hasEncoding = true;
            encoding = encoding.isEmpty() ? value : encoding + ", " + value;
        }
    }
    if (hasEncoding) {
        if (length)
            return fail(400, QStringLiteral("Content-Length and Transfer-Encoding together are not allowed"));
        if (encoding.trimmed().toLower() != "chunked")
            return fail(
                501,
                QStringLiteral("Transfer-Encoding %1 is not supported").arg(QString::fromLatin1(encoding)));
        m_chunked = true;
        m_phase = Phase::ChunkSize;
        return m_state;
    }
    if (!length) {
        m_phase = Phase::Done;
        return m_state;
    }
    if (conflicting)
        return fail(400, QStringLiteral("conflicting Content-Length headers"));
    const QByteArray &text = *length;
    bool ok = !text.isEmpty() && text.size() <= 18;
    for (char c : text)
        ok = ok && c >= '0' && c <= '9';
    const qint64 bodyBytes = ok ? text.toLongLong(&ok) : -1;
    if (!ok)
        return fail(400, QStringLiteral("malformed Content-Length"));
    if (bodyBytes > m_limits.maxBodyBytes)
        return fail(413, QStringLiteral("request body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
    m_remaining = bodyBytes;
    m_request.body.reserve(bodyBytes);
    m_phase = bodyBytes > 0 ? Phase::Body : Phase::Done;
    return m_state;
}

} // namespace cachewise::http
