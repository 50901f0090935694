// SPDX-License-Identifier: GPL-3.0-or-later
// A program instrumented with the real OpenTelemetry JavaScript SDK, as its users write it, exporting
// twice to an OTLP/HTTP endpoint so that cumulative counters have an interval.
//   node peer.mjs URL json|proto SERVICE_NAME
// Exit 0 when both exports were accepted; the exporter's error otherwise.
import { metrics } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

const [url, protocol, serviceName] = process.argv.slice(2);
if (!url || !['json', 'proto'].includes(protocol) || !serviceName) {
  console.error('usage: node peer.mjs URL json|proto SERVICE_NAME');
  process.exit(2);
}

// Collects only when asked, so the test decides when each export happens.
class OnDemandReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const reader = new OnDemandReader();
const provider = new MeterProvider({
  resource: resourceFromAttributes({ 'service.name': serviceName, 'process.pid': process.pid }),
  readers: [reader],
});
metrics.setGlobalMeterProvider(provider);
const meter = metrics.getMeter('cachewise-otel-peer', '1.0.0');
const Exporter = protocol === 'json' ? JsonExporter : ProtoExporter;
const exporter = new Exporter({ url, timeoutMillis: 5000 });

const usage = meter.createObservableGauge('kv_cache_usage_ratio', { unit: '1' });
let ratio = 0.25;
usage.addCallback((result) => result.observe(ratio, { model: 'llama-3.1-8b' }));
const tokens = meter.createCounter('llm.tokens', { unit: '{token}' });
const active = meter.createUpDownCounter('llm.requests.active');
const duration = meter.createHistogram('llm.request.duration', { unit: 's' });

async function exportOnce(label) {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`${label}: collection failed: ${errors.join('; ')}`);
  const result = await new Promise((resolve) => exporter.export(resourceMetrics, resolve));
  if (result.code !== ExportResultCode.SUCCESS)
    throw new Error(`${label}: export failed: ${result.error?.message ?? 'unknown error'}`);
  console.log(`${label}: exported`);
}

try {
  tokens.add(100, { kind: 'prompt' });
  active.add(3);
  duration.record(0.2);
  duration.record(0.4);
  await exportOnce('first');
  ratio = 0.375;
  tokens.add(30, { kind: 'prompt' });
  tokens.add(20, { kind: 'completion' });
  active.add(-1);
  duration.record(0.6);
  await exportOnce('second');
  await exporter.shutdown();
  await provider.shutdown();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
