// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace cachewise::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>; // names in lower case

struct Request
{
    QByteArray method;
    QByteArray target; // as sent: path and query
    QString path;      // percent-decoded path
    QUrlQuery query;
    QByteArray version; // "HTTP/1.1"
    HeaderList headers;
    QByteArray body;
    QHostAddress peer;
    bool keepAlive = true;

    // The value of the first header of that (lower-case) name, or an empty array.
    QByteArray header(QByteArrayView lowerName) const;
    bool hasHeader(QByteArrayView lowerName) const;
};

struct Response
{
    int status = 200;
    HeaderList headers; // Content-Length, Connection and Date are added when sent
    QByteArray body;
    bool closeConnection = false;

    void setHeader(const QByteArray &name, const QByteArray &value);

    static Response json(int status, const QJsonObject &object);
    // The error body every endpoint uses: {"error": code, "message": …, "field": …}.
    static Response error(int status, const QString &code, const QString &message, const QString &field = {});
};

QByteArrayView reasonPhrase(int status);

// Limits that protect the listener from large, slow or too many clients.
struct Limits
{
    qint64 maxHeaderBytes = 16 * 1024;     // request line + headers (and chunk trailers)
    qint64 maxBodyBytes = 4 * 1024 * 1024; // after chunked decoding
    int maxConnections = 256;
    int idleTimeoutMs = 10'000;      // no byte of a started request for this long: 408
    int requestTimeoutMs = 60'000;   // a whole request must arrive within this: 408
    int keepAliveTimeoutMs = 30'000; // an idle kept-alive connection is closed after this
};

} // namespace cachewise::http
