// A stand-in subgraph on a real local port, for tests of the gateway's calls to subgraphs without
// databases: it records every request that reaches it and answers as the test says (or hangs, or
// drops the connection), and it notices a caller that gives up before the answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { authSettingsFromEnv } from '#lib/service/auth.ts';
import type { RunningService } from '#lib/service/http.ts';
import { startGateway, type GatewayOptions } from '../gateway/src/gateway.ts';
import { readSupergraph } from '../gateway/src/supergraph.ts';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/manifest.ts';
import { serveDevelopmentJwks } from './auth.ts';

interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  /** Settles once the connection is gone: true when the caller left before the answer was sent. */
  abandoned: Promise<boolean>;
}

/** How the stand-in answers one request. */
export type Answer = (request: ReceivedRequest, response: http.ServerResponse) => void;

export interface FakeSubgraph {
  /** Its GraphQL endpoint. */
  url: string;
  received: ReceivedRequest[];
  /** What it does with the next requests; a test may change it between calls. */
  answer: Answer;
  close(): Promise<void>;
}

/** A GraphQL response as JSON, with a status and headers of the test's choosing. */
export function answerWith(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Answer {
  return (_, response) => {
    response.writeHead(init.status ?? 200, { 'content-type': 'application/json', ...init.headers });
    response.end(JSON.stringify(body));
  };
}

/** Never answers: a subgraph that hangs. */
export const hang: Answer = () => {};

/** Closes the connection without a word: a subgraph that crashed mid-request. */
export const dropConnection: Answer = (_, response) => {
  response.socket?.destroy();
};

export async function startFakeSubgraph(answer: Answer = answerWith({ data: {} })): Promise<FakeSubgraph> {
  const fake: FakeSubgraph = { url: '', received: [], answer, close: async () => {} };
  const server = http.createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const abandoned = new Promise<boolean>((resolve) => response.once('close', () => resolve(!response.writableFinished)));
      const received: ReceivedRequest = { headers: request.headers, body: JSON.parse(text || '{}'), abandoned };
      fake.received.push(received);
      fake.answer(received, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/**
 * For a test file of the gateway in-process in front of stand-in subgraphs (no databases): one per
 * subgraph, answering as `answers` says at first (default: an empty result), and development token
 * keys. Each gateway `gatewayWith` starts serves the committed supergraph over them and is closed
 * after its test, when the subgraphs forget what they received.
 */
export function useGatewayOverFakeSubgraphs(answers: Partial<Record<SubgraphName, Answer>> = {}) {
  const supergraphSdl = readSupergraph(new URL('../supergraph.graphql', import.meta.url).pathname);
  const subgraphs = {} as Record<SubgraphName, FakeSubgraph>;
  let jwks: Awaited<ReturnType<typeof serveDevelopmentJwks>> | undefined;
  const gateways: RunningService[] = [];

  beforeAll(async () => {
    jwks = await serveDevelopmentJwks();
    for (const { name } of SUBGRAPHS) subgraphs[name] = await startFakeSubgraph(answers[name]);
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
    for (const subgraph of Object.values(subgraphs)) subgraph.received.length = 0;
  });
  afterAll(async () => {
    await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.close()));
    await jwks?.close();
  });

  async function gatewayWith(options: Partial<GatewayOptions>): Promise<RunningService> {
    const gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl,
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, subgraph]) => [name, subgraph.url])),
      auth: { ...authSettingsFromEnv(), jwksUrl: jwks!.url },
      ...options,
    });
    gateways.push(gateway);
    return gateway;
  }
  return { subgraphs, gatewayWith };
}
