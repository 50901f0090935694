// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace cachewise {

// What kind of failure an Error is: callers decide on this (an exit code, an HTTP status, whether to
// name a field), never on the message.
enum class ErrorKind
{
    BadInput,    // what was given is malformed or out of range (a field, a file, a peer's answer)
    NotFound,    // what was named does not exist
    Conflict,    // it exists already, or is no longer in the state the request needs
    Storage,     // the database failed
    Io,          // a file could not be read or written
    Network,     // a socket could not be opened or a peer could not be reached
    Unavailable, // a service this needs is off or missing (the keychain, a server's endpoint)
    TooLarge,    // past a size limit
    Unsupported, // valid, but this version cannot handle it
    Cancelled,   // stopped on request
};

// The error half of a Result: its kind, a message for people and, for bad input, the field it concerns.
struct Error
{
    ErrorKind kind = ErrorKind::BadInput;
    QString message;
    QString field;
};

// Small expected-like type used by every synchronous core API (until C++23's std::expected).
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    // By value, so `for (x : f().value())` over a temporary Result keeps what it iterates alive.
    T value() && { return std::get<T>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<Error>(m_state); }
    const QString &errorMessage() const { return error().message; }

private:
    std::variant<T, Error> m_state;
};

template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    const QString &errorMessage() const { return m_error->message; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(ErrorKind kind, QString message, QString field = {})
{
    return Error{kind, std::move(message), std::move(field)};
}

} // namespace cachewise
