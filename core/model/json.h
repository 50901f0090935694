// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/types.h"

#include <QJsonObject>

// The one JSON shape of each stored record, shared by the HTTP API, the CLI's --json and exports.
// Machine format: ISO 8601 UTC times, numbers as JSON numbers, never the UI locale.
namespace cachewise::model::json {

QJsonObject project(const Project &p);
QJsonObject apiKey(const ApiKey &k); // never the secret: it is not stored
QJsonObject stats(const ProjectStats &s);
QJsonObject sample(const MetricSample &s);
QJsonObject recommendation(const Recommendation &r);
QJsonObject action(const ActionLogEntry &a);
// A runtime as stored in its history: every field, the model's architecture as an object.
QJsonObject runtime(const ProjectRuntime &r);
// Empty when `o` lacks a field or names an unknown engine or cache type.
std::optional<ProjectRuntime> runtimeFrom(const QJsonObject &o);

} // namespace cachewise::model::json
