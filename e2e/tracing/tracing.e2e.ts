// Tracing across services: `npm start` with OTEL_EXPORTER_OTLP_ENDPOINT sends OTLP/HTTP spans to
// a collector (a small receiver here), and one operation is one trace that spans the gateway and
// the subgraphs it called, joined by the traceparent header.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, testDatabaseEnv } from '../../test/start-process.ts';

interface OtlpSpan {
  traceId: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { intValue?: number | string; stringValue?: string } }[];
}

const spans: OtlpSpan[] = [];
let collector: http.Server;
let collectorUrl: string;

beforeAll(async () => {
  collector = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

const SERVER = 2;
const portOf = (span: OtlpSpan) => Number(span.attributes.find((attribute) => attribute.key === 'net.host.port')?.value.intValue);

describe('tracing with OpenTelemetry', () => {
  it('exports one trace per operation, from the gateway into the subgraphs', async () => {
    const server = await startProcess({ ...process.env, ...testDatabaseEnv(), OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_BSP_SCHEDULE_DELAY: '100' }, [
      '--no-seed',
      '--no-web',
    ]);
    try {
      const gatewayUrl = server.urlOf('GraphQL gateway');
      const subgraphPorts = ['users', 'posts'].map((name) => Number(new URL(server.urlOf(`${name} subgraph`)).port));
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-debug-sql': '1' },
        body: JSON.stringify({ query: '{ users(first: 2) { edges { node { name posts(first: 1) { totalCount } } } } }' }),
      });
      expect(response.status).toBe(200);

      const gatewayPort = Number(new URL(gatewayUrl).port);
      let trace: OtlpSpan[] = [];
      for (let i = 0; i < 50 && trace.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const incoming = spans.find((span) => span.kind === SERVER && portOf(span) === gatewayPort);
        const all = incoming ? spans.filter((span) => span.traceId === incoming.traceId) : [];
        if (subgraphPorts.every((port) => all.some((span) => span.kind === SERVER && portOf(span) === port))) trace = all;
      }
      expect(trace.length).toBeGreaterThan(2);
      // Apollo Gateway's own spans join the same trace.
      expect(trace.some((span) => span.name.startsWith('gateway.'))).toBe(true);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);
});
