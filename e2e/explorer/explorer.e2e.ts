// What a person finds at the gateway in development, and that production serves none of it: the
// index at /, Apollo Sandbox with a way out when it cannot load, the introspection every explorer
// sends, errors without stack traces where none helps, and the offline explorer in Chromium,
// signing in as a demo account with no internet. Screenshots go to .data/screenshots/explorer/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '#lib/service/http.ts';
import { freePorts, startExtraGateway, startStack, type Stack } from '../../scripts/stack.ts';
import { launchChromium } from '../../test/chromium.ts';
import { postGraphQL, testDatabaseOptions } from '../../test/graphql.ts';
import { ensureWebAppBuilt } from '../../web/build.ts';

const SCREENSHOTS = path.resolve('.data/screenshots/explorer');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

let stack: Stack;
let browser: Browser;
let gatewayOrigin: string;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  await ensureWebAppBuilt();
  stack = await startStack({ ports: freePorts(), database: testDatabaseOptions(), seed: false, web: { port: 0 } });
  gatewayOrigin = new URL(stack.gateway.url).origin;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const asBrowser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('/ on the gateway in development', () => {
  it('is an index of the services: a page for a browser', async () => {
    const response = await fetch(gatewayOrigin, { headers: asBrowser });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    for (const link of ['/graphql', '/explorer/', stack.web!.url, '/health', '/ready', '/metrics']) {
      expect(html).toContain(`<a href="${link}">`);
    }
  });

  it('and JSON for a script (curl sends */*)', async () => {
    const expected = {
      service: 'gateway',
      graphql: '/graphql',
      explorer: '/explorer/',
      webApp: stack.web!.url,
      health: '/health',
      ready: '/ready',
      metrics: '/metrics',
    };
    for (const accept of ['application/json', '*/*']) {
      const response = await fetch(gatewayOrigin, { headers: { accept } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(expected);
    }
  });
});

describe('Apollo Sandbox, the landing page at /graphql', () => {
  it('links to the explorer for when it cannot load from the CDN', async () => {
    const html = await (await fetch(stack.gateway.url, { headers: asBrowser })).text();
    expect(html).toContain('embeddable-sandbox');
    expect(html).toMatch(
      /<div class="fallback"><p>Apollo Sandbox comes from Apollo's CDN\. Without the internet, use\s+<a href="\/explorer\/">the explorer<\/a>/,
    );
  });
});

describe('introspection in development', () => {
  it("passes the gateway's limits: the query GraphiQL sends is 14 levels deep", async () => {
    const query = getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true });
    const { status, body } = await postGraphQL(stack.gateway.url, query);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data!.__schema.queryType).toMatchObject({ name: 'Query' });
  });
});

/** Another gateway in front of the stack's subgraphs, made under this NODE_ENV (vitest runs under "test"). */
async function gatewayUnder(nodeEnv: string): Promise<RunningService> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    return await startExtraGateway(stack, { webAppUrl: stack.web!.url });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

describe('errors in development', () => {
  let development: RunningService;
  beforeAll(async () => {
    development = await gatewayUnder('development');
  });
  afterAll(() => development?.close());

  it('carry no stack trace when the API refuses on purpose (UNAUTHENTICATED)', async () => {
    const { body } = await postGraphQL(development.url, '{ users(first: 1) { edges { node { email orders(first: 1) { totalCount } } } } }');
    expect(body.errors).toHaveLength(2);
    for (const error of body.errors!) {
      expect(error.extensions).toEqual({ code: 'UNAUTHENTICATED', serviceName: expect.any(String) });
    }
  });
});

describe('production', () => {
  let production: RunningService;
  beforeAll(async () => {
    production = await gatewayUnder('production');
  });
  afterAll(() => production?.close());

  it('serves neither the index nor the explorer: a JSON 404 that names nothing internal', async () => {
    const origin = new URL(production.url).origin;
    for (const pathname of ['/', '/explorer', '/explorer/', '/explorer/index.html']) {
      const response = await fetch(origin + pathname, { headers: asBrowser });
      expect(response.status, pathname).toBe(404);
      const body = await response.text();
      expect(JSON.parse(body).errors[0].extensions.code).toBe('NOT_FOUND');
      expect(body).not.toContain(String(stack.web!.port));
    }
  });
});

describe('the explorer in Chromium, with no internet', () => {
  it('signs in as a demo account and runs a query that needs that user', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    // No internet: anything but this machine is refused, and remembered.
    const leftTheMachine: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK.has(url.hostname)) return route.continue();
      leftTheMachine.push(url.href);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      const answers: { operationName?: string; status: number; authorization?: string }[] = [];
      page.on('requestfinished', async (request) => {
        if (request.method() !== 'POST' || !request.url().endsWith('/graphql')) return;
        const response = await request.response();
        answers.push({ operationName: request.postDataJSON()?.operationName, status: response!.status(), authorization: request.headers().authorization });
      });

      const response = await page.goto(`${gatewayOrigin}/explorer`);
      expect(page.url()).toBe(`${gatewayOrigin}/explorer/`);
      expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
      await page.getByRole('button', { name: 'Sign in as Bob Buyer' }).click();
      await expect.poll(() => page.getByTestId('signed-in').textContent()).toMatch(/^Signed in as bob@example\.com \(USER\)/);
      await expect.poll(() => page.locator('.graphiql-editor-tool').innerText()).toMatch(/"Authorization":\s"Bearer\sey/); // Monaco shows spaces as U+00A0

      await page.getByRole('button', { name: /^Execute query/ }).click();
      await expect.poll(() => page.locator('.result-window').innerText()).toMatch(/"email":\s"bob@example\.com"/);

      expect(answers.find((answer) => answer.operationName === 'IntrospectionQuery')?.status).toBe(200);
      // The listener above records an answer once its response is read: it may come after the result shows.
      await expect.poll(() => answers.findLast((answer) => answer.operationName !== 'LogIn')?.authorization).toMatch(/^Bearer ey/);
      expect(leftTheMachine).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'signed-in-query.png') }).catch(() => {});
      await context.close();
    }
  });
});
