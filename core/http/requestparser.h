// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/http/message.h"

#include <QByteArray>

namespace cachewise::http {

// Incremental HTTP/1.1 request parser with hard limits. Pure: no sockets, no Qt event loop.
// Feed bytes as they arrive; after Complete take the request and call feed() with no bytes to
// parse what was pipelined behind it. After Error the connection must be answered and closed.
class RequestParser
{
public:
    enum class State
    {
        Incomplete,
        Complete,
        Error
    };

    explicit RequestParser(const Limits &limits);

    State feed(const QByteArray &bytes);
    State state() const { return m_state; }

    Request takeRequest(); // resets for the next request, keeping bytes already received
    bool hasStarted() const { return m_phase != Phase::RequestLine || !m_buffer.isEmpty(); }
    bool hasBufferedBytes() const { return !m_buffer.isEmpty(); }
    // True once the headers asked for "100-continue" and the body may be sent.
    bool wantsContinue() const;
    void markContinueSent() { m_continueSent = true; }

    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }

private:
    enum class Phase
    {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Done
    };

    State fail(int status, QString message);
    State parse();
    // Moves up to m_remaining body bytes from the buffer; true when they are all there.
    bool takeBodyBytes();
    // The line points into the buffer: valid until the buffer changes.
    bool takeLine(QByteArrayView *line, qint64 limit, bool *tooLong);
    State parseRequestLine(QByteArrayView line);
    State parseHeaderLine(QByteArrayView line);
    State headersDone();

    Limits m_limits;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    Phase m_phase = Phase::RequestLine;
    State m_state = State::Incomplete;
    Request m_request;
    qint64 m_headerBytes = 0;
    qint64 m_remaining = 0; // bytes left in the body or current chunk
    bool m_chunked = false;
    bool m_expectContinue = false;
    bool m_continueSent = false;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace cachewise::http
