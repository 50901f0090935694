// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace cachewise::ui {

enum class SnippetKind
{
    Curl,
    Python,
    OpenTelemetry, // the Python SDK's OTLP/HTTP exporter
};

// The names shown in the snippet chooser, in SnippetKind's order.
QStringList snippetKindNames();

// A ready program that pushes one sample of the project to the listener at `listenerUrl`. With `key` the
// key is written in (it is shown once, right after it was made); without, $CACHEWISE_KEY is read.
QString pushSnippet(SnippetKind kind, const QString &listenerUrl, const QString &projectId,
                    const QString &key = {});

} // namespace cachewise::ui
