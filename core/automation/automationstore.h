// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/model/types.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace cachewise::automation {

// What automation reads and records: a project's limits, its action log and sources. services
// implements it over the database; each engine or executor opens its own on the thread it runs on.
class AutomationStore
{
public:
    virtual ~AutomationStore() = default;

    virtual Result<model::AutomationSettings> automation(const QString &projectId) = 0;
    virtual Result<QList<model::ActionLogEntry>> actions(const QString &projectId, int limit) = 0;
    virtual Result<QList<model::Source>> sources(const QString &projectId) = 0;
    virtual Result<model::ActionLogEntry> addAction(const model::ActionLogEntry &entry) = 0;
    // `phrases` replace the entry's (and so its English details).
    virtual Result<bool> updateActionStatus(const QString &actionId, model::ActionStatus status,
                                            const QJsonArray &phrases) = 0;
    // llama-server answered 501 to an erase: it has no --slot-save-path until it restarts.
    virtual Result<void> recordSourceEraseRefused(const QString &sourceId, qint64 atMs) = 0;
};

// Opens a store; called on the thread that will use it.
using StoreOpener = std::function<Result<std::unique_ptr<AutomationStore>>()>;

// A store opened on first use, by the thread that uses it; tried again on the next use when it fails.
class LazyStore
{
public:
    explicit LazyStore(StoreOpener open) : m_open(std::move(open)) {}
    // Null (and a warning naming `user`) when the store cannot be opened.
    AutomationStore *get(const char *user);
    // The store a successful get() opened.
    AutomationStore *operator->() const { return m_store.get(); }

private:
    StoreOpener m_open;
    std::unique_ptr<AutomationStore> m_store;
};

} // namespace cachewise::automation
