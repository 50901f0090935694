// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QString>

#include <functional>

class QSqlDatabase;

namespace cachewise::storage {

// Told after each batch: samples converted so far in this run, and how many there were to convert when
// it started. Returning false stops the conversion there (what it converted stays; the next open goes on).
using ConversionObserver = std::function<bool(qint64 converted, qint64 total)>;

// Whether the database (at schema 10 or later) still has samples in the layout before the compact store.
Result<bool> sampleConversionPending(QSqlDatabase &db);

// Moves the samples of the old table (metric_samples) into the compact store, `batchRows` at a time, each
// batch in its own transaction that also deletes what it moved: stopped at any point, nothing is lost or
// doubled and the next run goes on from there. Drops the old table when it is empty and then compacts the
// file (VACUUM), unless another process holds it open. Another process converting the same file at the
// same time takes turns batch by batch. Returns how many it moved; Cancelled when the observer stopped it.
Result<qint64> convertSamples(QSqlDatabase &db, const ConversionObserver &observer = {},
                              int batchRows = 20'000);

// Opens the file (migrating its schema), converts its samples and closes it: for the app, which shows the
// progress before anything else opens the database.
Result<qint64> convertSamples(const QString &path, const ConversionObserver &observer = {});

} // namespace cachewise::storage
