// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <functional>
#include <optional>
#include <utility>

namespace cachewise::storage {

class Repository;

// One write of this process: store calls on the repository it is given.
using Write = std::function<Result<void>(Repository &)>;
// Where a process writes and waits for it: in the app the writer's connection (MetricWriter::write), so
// that SQLite's change counter moves only for other processes; in the CLI its one repository.
using Writes = std::function<Result<void>(const Write &)>;

// Runs `write` (Repository & -> Result<T>) through `writes` and returns its result, or why it could not run.
template <class Function>
auto writeThrough(const Writes &writes, Function &&write) -> decltype(write(std::declval<Repository &>()))
{
    std::optional<decltype(write(std::declval<Repository &>()))> out;
    if (auto ran = writes([&](Repository &repository) -> Result<void> {
            out.emplace(write(repository));
            return {};
        });
        !ran)
        return ran.error();
    return std::move(*out);
}

// Writes on `repository` itself, at once (the CLI; tests of one store).
inline Writes writesOn(Repository &repository)
{
    return [&repository](const Write &write) {
        return write(repository);
    };
}

} // namespace cachewise::storage
