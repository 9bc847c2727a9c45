// OpenTelemetry tracing, on when OTEL_EXPORTER_OTLP_ENDPOINT is set (off otherwise: no cost).
// Incoming HTTP requests and the gateway's fetches to the subgraphs become spans, and the W3C
// `traceparent` header carries the trace from the gateway into every subgraph, so one trace
// shows a whole operation; Apollo Gateway adds its own spans (planning, each fetch).
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { environment, type EnvironmentSource } from './env.ts';

const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

export interface Tracing {
  /** Sends the spans still buffered; call before the process exits. */
  shutdown(): Promise<void>;
}

export function startTracing(serviceName: string, source?: EnvironmentSource): Tracing | null {
  const env = environment(source);
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return null;
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }))],
  });
  provider.register();
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(request.url ?? '') }), new UndiciInstrumentation()],
  });
  // The instrumentation patches `http` when it is required; ES modules import it instead, so
  // require it once here: the patch lands on the module object those imports share.
  createRequire(import.meta.url)('node:http');
  return { shutdown: () => provider.shutdown() };
}
