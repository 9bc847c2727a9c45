// The HTTP front every service shares, on a real Apollo Server with a resolver that fails
// unexpectedly: error masking in production, security headers, JSON 404s, where /metrics is
// served, and which proxies are believed.
import { ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from './errors.ts';
import { createHttpServer, drainPlugin, landingPagePlugins, clientErrorsPlugin, serveGraphQL, type RunningService, type ServiceOptions } from './http.ts';
import { createLogger } from './logger.ts';
import type { GraphQLResponse } from '../../test/graphql.ts';

const VARIABLES = ['NODE_ENV', 'METRICS_PORT', 'METRICS_HOST', 'TRUST_PROXY'] as const;
const previous = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
const running: RunningService[] = [];
afterEach(async () => {
  for (const service of running.splice(0)) await service.close();
  for (const name of VARIABLES) {
    if (previous[name] === undefined) delete process.env[name];
    else process.env[name] = previous[name];
  }
});

const typeDefs = 'type Query { broken: String known: String fine: String }';
const resolvers = {
  Query: {
    broken: () => {
      throw new Error('connection to 10.0.0.7:5432 refused; password=hunter2');
    },
    known: () => {
      throw new GraphQLError('No such thing.', { extensions: { code: ErrorCode.NotFound } });
    },
    fine: () => 'ok',
  },
};

async function run() {
  const server = new ApolloServer({ typeDefs, resolvers, plugins: [clientErrorsPlugin(createLogger('test'))] });
  const response = await server.executeOperation({
    query: '{ broken known fine }',
    http: { method: 'POST', headers: new Map([['x-request-id', 'req-9']]) as never, search: '', body: {} },
  });
  await server.stop();
  return response.body.kind === 'single' ? response.body.singleResult : undefined;
}

describe('clientErrorsPlugin', () => {
  it('in production, hides an internal error behind its request id and leaves coded errors alone', async () => {
    process.env.NODE_ENV = 'production';
    const result = await run();
    expect(result?.data).toEqual({ broken: null, known: null, fine: 'ok' });
    expect(result?.errors).toEqual([
      { message: 'Internal server error', path: ['broken'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-9' } },
      expect.objectContaining({ message: 'No such thing.', extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
  });

  it('outside production, shows the real message to the developer', async () => {
    process.env.NODE_ENV = 'development';
    const result = await run();
    expect(result?.errors?.[0]?.message).toContain('10.0.0.7');
  });

  it('outside production, gives a stack trace with internal errors only, not with errors a client expects', async () => {
    process.env.NODE_ENV = 'development';
    const [broken, known] = (await run())?.errors ?? [];
    expect(broken?.extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      stacktrace: expect.arrayContaining([expect.stringContaining('Error: connection to')]),
    });
    expect(known?.extensions).toEqual({ code: 'NOT_FOUND' });
  });
});

/** A service as the subgraphs and the gateway are served, with these variables set first. */
async function serve(
  env: Partial<Record<(typeof VARIABLES)[number], string>> = {},
  readiness: Pick<ServiceOptions<BaseContext>, 'readiness' | 'readyWhen'> = {},
): Promise<RunningService> {
  Object.assign(process.env, env);
  const logger = createLogger('test');
  const httpServer = createHttpServer();
  const apollo = new ApolloServer({
    typeDefs,
    resolvers,
    plugins: [drainPlugin(httpServer), clientErrorsPlugin(logger), ...landingPagePlugins()],
  });
  const service = await serveGraphQL(httpServer, { name: 'test', port: 0, logger, apollo, context: async () => ({}), ...readiness });
  running.push(service);
  return service;
}

function post(service: RunningService, query: string) {
  return fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
}

describe('masked errors', () => {
  it('carry the request id the service made when the client sent none, as in the response header', async () => {
    const service = await serve({ NODE_ENV: 'production' });
    const response = await post(service, '{ broken }');
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as GraphQLResponse['body'];
    expect(body.errors![0]!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId });
  });
});

describe('security headers', () => {
  it('come with every response: the JSON API allows no scripts and no framing', async () => {
    const service = await serve({ NODE_ENV: 'production' });
    for (const response of [await post(service, '{ fine }'), await fetch(new URL('/health', service.url))]) {
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('leave the Sandbox landing page (development only) its own Content-Security-Policy', async () => {
    const service = await serve({ NODE_ENV: 'development' });
    const page = await fetch(service.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBeNull();
    expect(await page.text()).toMatch(/<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const json = await post(service, '{ fine }');
    expect(json.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
  });
});

describe('a path no route serves', () => {
  it.each(['GET', 'POST', 'DELETE'])('gets a JSON 404 for %s', async (method) => {
    const service = await serve();
    const response = await fetch(new URL('/nothing/here?x=1', service.url), { method });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      errors: [{ message: `Nothing is served at ${method} /nothing/here. The GraphQL API is at POST /graphql.`, extensions: { code: 'NOT_FOUND' } }],
    });
  });
});

describe('/metrics', () => {
  it('is served on the service port by default', async () => {
    const service = await serve();
    expect(service.metricsUrl).toBe(new URL('/metrics', service.url).toString());
    const response = await fetch(service.metricsUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('http_request_duration_seconds');
  });

  it('with METRICS_PORT, is served on that port only, one listener for the services of a process', async () => {
    const first = await serve({ METRICS_PORT: '0' });
    const second = await serve();
    expect(new URL(first.metricsUrl).port).not.toBe(String(first.port));
    expect(first.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(second.metricsUrl).toBe(first.metricsUrl);
    expect((await fetch(first.metricsUrl)).status).toBe(200);
    expect((await fetch(new URL('/anything', first.metricsUrl))).status).toBe(404);
    const onPublicPort = await fetch(new URL('/metrics', first.url));
    expect(onPublicPort.status).toBe(404);
    expect(((await onPublicPort.json()) as GraphQLResponse['body']).errors![0]!.extensions!.code).toBe('NOT_FOUND');

    await running.pop()!.close();
    expect((await fetch(first.metricsUrl)).status).toBe(200);
    await running.pop()!.close();
    await expect(fetch(first.metricsUrl)).rejects.toThrow();
  });
});

describe('TRUST_PROXY', () => {
  it('refuses true at start, naming the variable and the alternatives', async () => {
    await expect(serve({ TRUST_PROXY: 'true' })).rejects.toThrow(/TRUST_PROXY must not be true: it would believe whatever X-Forwarded-For a client sends/);
  });
});

describe('GET /ready', () => {
  const checks =
    (...states: boolean[]) =>
    async () =>
      Object.fromEntries(states.map((ok, index) => [`dependency${index}`, { ok }]));
  const ready = async (service: RunningService) => {
    const response = await fetch(new URL('/ready', service.url));
    return { status: response.status, body: (await response.json()) as { status: string } };
  };

  it('is 503 when one check fails, by default', async () => {
    expect(await ready(await serve({}, { readiness: checks(true, false) }))).toMatchObject({ status: 503, body: { status: 'not ready' } });
  });

  it("with readyWhen 'any', is 200 degraded while some checks pass, and 503 when none does", async () => {
    expect(await ready(await serve({}, { readiness: checks(true, true), readyWhen: 'any' }))).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await ready(await serve({}, { readiness: checks(true, false), readyWhen: 'any' }))).toMatchObject({ status: 200, body: { status: 'degraded' } });
    expect(await ready(await serve({}, { readiness: checks(false, false), readyWhen: 'any' }))).toMatchObject({ status: 503, body: { status: 'not ready' } });
  });
});
