// Tracing across services: `npm start` with OTEL_EXPORTER_OTLP_ENDPOINT sends OTLP/HTTP spans to
// a collector (a small receiver here), and one operation is one trace that spans the gateway and
// the subgraphs it called, joined by the traceparent header.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrls } from '../../test/graphql.ts';

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
    const urls = testDatabaseUrls();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      USERS_DATABASE_URL: urls.users,
      POSTS_DATABASE_URL: urls.posts,
      ORDERS_DATABASE_URL: urls.orders,
      GATEWAY_PORT: '0',
      USERS_PORT: '0',
      POSTS_PORT: '0',
      ORDERS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--no-seed', '--no-web'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const ready = async () => {
        for (let i = 0; i < 600 && !output.includes('Press Ctrl-C'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
        if (!output.includes('Press Ctrl-C')) throw new Error(`not ready:\n${output}`);
      };
      await ready();
      const gatewayUrl = /GraphQL gateway\s+(http:\/\/\S+)/.exec(output)![1]!;
      const subgraphPorts = ['users', 'posts'].map((name) => Number(new URL(new RegExp(`${name} subgraph\\s+(http://\\S+)`).exec(output)![1]!).port));
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
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
