// Prometheus metrics of every service, on GET /metrics. One registry per process: run alone (a
// container) a service's /metrics is its own; under `npm start` the four share one process and
// every series carries a `service` (or `database`) label.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, register } from 'prom-client';
import { routeNotFound } from './route-not-found.ts';

let defaultsCollected = false;

/** Seconds, from a cached answer (5 ms) to the operation timeout (5 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by service, route and status.',
  labelNames: ['service', 'method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
});
const operations = new Counter({
  name: 'graphql_operations_total',
  help: 'GraphQL operations by service, operation name and outcome.',
  labelNames: ['service', 'operation', 'outcome'] as const,
});
const operationDuration = new Histogram({
  name: 'graphql_operation_duration_seconds',
  help: 'GraphQL operation latency by service and operation name.',
  labelNames: ['service', 'operation'] as const,
  buckets: LATENCY_BUCKETS,
});
export const sqlStatements = new Counter({
  name: 'sql_statements_total',
  help: 'SQL statements sent to PostgreSQL, by database.',
  labelNames: ['database'] as const,
});
export const loaderBatchSize = new Histogram({
  name: 'dataloader_batch_size',
  help: 'Keys per DataLoader batch, by kind of loader: how much N+1 each batch saved.',
  labelNames: ['kind'] as const,
  buckets: [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000],
});
export const subgraphFetchDuration = new Histogram({
  name: 'subgraph_fetch_duration_seconds',
  help: 'Gateway fetches from each subgraph, by outcome.',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});
export const subgraphFetchDedupe = new Counter({
  name: 'subgraph_fetch_dedupe_total',
  help: 'Gateway query fetches by how they went: leader (sent), follower (shared an identical fetch in flight), alone (past the bound).',
  labelNames: ['subgraph', 'role'] as const,
});
export const queryCost = new Histogram({
  name: 'graphql_query_cost',
  help: 'Computed cost of the operations the gateway accepted.',
  buckets: [1, 10, 100, 1_000, 5_000, 10_000, 25_000],
});
export const limitRefusals = new Counter({
  name: 'graphql_limit_refusals_total',
  help: 'Operations refused by a gateway limit, by error code.',
  labelNames: ['code'] as const,
});
export const trustedDocumentRequests = new Counter({
  name: 'graphql_trusted_document_requests_total',
  help: 'Gateway requests by what became of their document: registered (ran), logged (unregistered, ran in log mode), admin (unregistered, ran for an admin) or refused.',
  labelNames: ['outcome'] as const,
});

/** Times every request of an Express app, by route and status. */
export function requestTiming(service: string): RequestHandler {
  if (!defaultsCollected) {
    collectDefaultMetrics();
    defaultsCollected = true;
  }
  return (request, response, next) => {
    const stop = httpDuration.startTimer({ service, method: request.method });
    response.on('finish', () => {
      // Express types the matched route as `any`: it is a Route, whose path is the pattern.
      const route = request.route as { path: string } | undefined;
      stop({ route: route?.path ?? request.baseUrl, status: response.statusCode });
    });
    next();
  };
}

/** GET /metrics: every series of this process, in Prometheus's text format. */
export const metricsHandler: RequestHandler = async (_request, response) => {
  response.set('Content-Type', register.contentType).send(await register.metrics());
};

export interface MetricsListener {
  /** Where Prometheus scrapes, e.g. http://127.0.0.1:9464/metrics. */
  url: string;
  /** The last service of the process to let go closes it. */
  release(): Promise<void>;
}

// One listener per process, as there is one registry: under `npm start` the four services share it.
let sharedListener: Promise<{ server: http.Server; url: string }> | undefined;
let listenerHolders = 0;

async function listenForMetrics(port: number, host: string): Promise<{ server: http.Server; url: string }> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler);
  app.use(routeNotFound);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/metrics` };
}

/** /metrics on a port apart from the services' (METRICS_PORT), opened by the first service to ask. */
export async function acquireMetricsListener(port: number, host: string): Promise<MetricsListener> {
  listenerHolders++;
  sharedListener ??= listenForMetrics(port, host);
  let listening;
  try {
    listening = await sharedListener;
  } catch (error) {
    listenerHolders--;
    sharedListener = undefined;
    throw new Error(`Cannot serve /metrics on ${host}:${port} (METRICS_HOST, METRICS_PORT): ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const { server, url } = listening;
  let released = false;
  return {
    url,
    release: async () => {
      if (released) return;
      released = true;
      if (--listenerHolders > 0) return;
      sharedListener = undefined;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// Operation names come from clients: past this many distinct ones, the rest share one label, so
// that a client cannot grow the series without bound.
const MAX_OPERATION_NAMES = 200;
const knownOperationNames = new Set<string>();

function operationLabel(name: string | undefined | null): string {
  if (!name) return 'anonymous';
  if (knownOperationNames.has(name)) return name;
  if (knownOperationNames.size >= MAX_OPERATION_NAMES || !/^\w{1,64}$/.test(name)) return 'other';
  knownOperationNames.add(name);
  return name;
}

/** Counts and times each GraphQL operation by name and outcome. */
export function operationMetricsPlugin(service: string): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors }) {
          const operation = operationLabel(operationName);
          operations.inc({ service, operation, outcome: errors?.length ? 'error' : 'success' });
          operationDuration.observe({ service, operation }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
