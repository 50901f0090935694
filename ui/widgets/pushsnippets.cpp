// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/pushsnippets.h"

namespace cachewise::ui {

QStringList snippetKindNames()
{
    return {QStringLiteral("curl"), QStringLiteral("Python"), QStringLiteral("OpenTelemetry (Python)")};
}

QString pushSnippet(SnippetKind kind, const QString &listenerUrl, const QString &projectId,
                    const QString &key)
{
    const QString body =
        QStringLiteral("{\"projectId\":\"%1\",\"tokensProcessed\":1250,\"kvCacheSizeKB\":480000,"
                       "\"memoryUsageGB\":2.7,\"inferenceTimeMs\":550}")
            .arg(projectId);
    switch (kind) {
    case SnippetKind::Curl:
        return QStringLiteral("curl -s %1/api/metrics \\\n"
                              "  -H \"Authorization: Bearer %3\" \\\n"
                              "  -H \"Content-Type: application/json\" \\\n"
                              "  -d '%2'\n")
            .arg(listenerUrl, body, key.isEmpty() ? QStringLiteral("$CACHEWISE_KEY") : key);
    case SnippetKind::Python:
        return QStringLiteral("import json, os, urllib.request\n\n"
                              "sample = %2\n"
                              "request = urllib.request.Request(\n"
                              "    \"%1/api/metrics\",\n"
                              "    data=json.dumps(sample).encode(),\n"
                              "    headers={\"Authorization\": \"Bearer \" + %3,\n"
                              "             \"Content-Type\": \"application/json\"},\n"
                              ")\n"
                              "print(urllib.request.urlopen(request).read().decode())\n")
            .arg(listenerUrl, body,
                 key.isEmpty() ? QStringLiteral("os.environ[\"CACHEWISE_KEY\"]")
                               : QStringLiteral("\"%1\"").arg(key));
    case SnippetKind::OpenTelemetry:
        return QStringLiteral(
                   "# pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http\n"
                   "import os\n"
                   "from opentelemetry import metrics\n"
                   "from opentelemetry.sdk.metrics import MeterProvider\n"
                   "from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader\n"
                   "from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter\n\n"
                   "exporter = OTLPMetricExporter(endpoint=\"%1/v1/metrics\",\n"
                   "                              headers={\"Authorization\": \"Bearer \" + %2})\n"
                   "metrics.set_meter_provider(MeterProvider(\n"
                   "    metric_readers=[PeriodicExportingMetricReader(exporter, "
                   "export_interval_millis=5000)]))\n"
                   "meter = metrics.get_meter(\"my-llm-app\")\n"
                   "kv_used = meter.create_gauge(\"kv_cache_size_bytes\", unit=\"By\")\n"
                   "kv_used.set(491520000)  # the KV cache in use now, in bytes\n")
            .arg(listenerUrl, key.isEmpty() ? QStringLiteral("os.environ[\"CACHEWISE_KEY\"]")
                                            : QStringLiteral("\"%1\"").arg(key));
    }
    return {};
}

} // namespace cachewise::ui
