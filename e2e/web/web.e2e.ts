// The web app in Chromium against the whole stack on the test databases: what a person does, with
// CORS, the HttpOnly refresh cookie and the in-memory access token as a real browser handles them.
// Each test leaves a screenshot in .data/screenshots/web/ and, when it fails, the page's console.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, startStack, type Stack } from '../../scripts/stack.ts';
import { launchChromium } from '../../test/chromium.ts';
import { testDatabaseOptions } from '../../test/graphql.ts';
import { ensureWebAppBuilt } from '../../web/build.ts';
import { trustedDocumentSettingsFromEnv } from '../../gateway/src/trusted-documents/settings.ts';

const SCREENSHOTS = path.resolve('.data/screenshots/web');
const PASSWORD = 'demo-password';

let stack: Stack;
let browser: Browser;
let webUrl: string;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  await ensureWebAppBuilt();
  // As in production: the gateway runs registered documents only, for admins too, so that any
  // document the page sends in full (not by its id) fails the test that sends it.
  const trustedDocuments = { ...trustedDocumentSettingsFromEnv(), mode: 'enforce' as const, adminAdhoc: false };
  stack = await startStack({ ports: freePorts(), database: testDatabaseOptions(), seed: false, web: { port: 0 }, trustedDocuments });
  webUrl = `http://127.0.0.1:${stack.web!.port}`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The GraphQL operations the page sent, by name, in order. */
type Operations = string[];

/** The operation a request to the gateway names: in the URL of a GET (queries, by id), in the body of a POST (mutations). */
function operationNameOf(request: Request): string | undefined {
  if (!new URL(request.url()).pathname.endsWith('/graphql')) return undefined;
  if (request.method() === 'GET') return new URL(request.url()).searchParams.get('operationName') ?? undefined;
  return request.method() === 'POST' ? request.postDataJSON()?.operationName : undefined;
}

/**
 * A fresh browser profile (no cookies) on one page. The screenshot is taken however the test
 * ends; the console output is kept when it fails.
 */
async function inBrowser(name: string, run: (page: Page, operations: Operations) => Promise<void>) {
  const context = await browser.newContext({ baseURL: webUrl, viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const consoleLines: string[] = [];
  const operations: Operations = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => consoleLines.push(`[requestfailed] ${request.url()} ${request.failure()?.errorText}`));
  page.on('request', (request) => {
    const operationName = operationNameOf(request);
    if (operationName) operations.push(operationName);
  });
  const consoleFile = path.join(SCREENSHOTS, `${name}.console.log`);
  await rm(consoleFile, { force: true });
  try {
    await run(page, operations);
  } catch (error) {
    await writeFile(consoleFile, `${consoleLines.join('\n') || '(nothing on the console)'}\n`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshot and console in ${path.relative('.', SCREENSHOTS)}/${name}.*)`, {
      cause: error,
    });
  } finally {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) }).catch(() => {});
    await context.close();
  }
}

async function logIn(page: Page, email: string, next = '/') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('viewer').waitFor();
}

const poll = { timeout: 10_000 };

describe('Apollo Sandbox', () => {
  it('is what a browser gets at the gateway URL in development', async () => {
    const response = await fetch(stack.gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
  });
});

describe('the web app in Chromium', () => {
  it('signs up after showing the field errors, and a reload keeps the session', async () => {
    await inBrowser('sign-up', async (page) => {
      await page.goto('/signup');
      await page.getByLabel('Name').fill('Wendy Web');
      await page.getByLabel('Email').fill('not-an-email');
      await page.getByLabel(/^Password/).fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      // The server's BAD_USER_INPUT fieldErrors, each under its field.
      await expect.poll(() => page.locator('.field-error').allTextContents(), poll).toEqual(['must be an email address', 'must be at least 8 characters']);

      await page.getByLabel('Email').fill(`wendy-${Date.now()}@example.com`);
      await page.getByLabel(/^Password/).fill('a-long-enough-password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect.poll(() => page.getByTestId('viewer').textContent(), poll).toBe('Wendy Web');

      // The refresh token is in an HttpOnly cookie the page cannot read; nothing is stored.
      const cookies = await page.context().cookies();
      expect(cookies.find((cookie) => cookie.name === 'refresh_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/graphql' });
      expect(await page.evaluate('document.cookie')).toBe('');
      expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);

      await page.reload();
      await expect.poll(() => page.getByTestId('viewer').textContent(), poll).toBe('Wendy Web');
    });
  });

  it('logs in and loads the next page of the feed when scrolled to its end', async () => {
    await inBrowser('feed-scroll', async (page, operations) => {
      await logIn(page, 'carol@example.com');
      const cards = page.locator('.post-card h2 a');
      await expect.poll(() => cards.count(), poll).toBe(10);
      await page.locator('.load-more').scrollIntoViewIfNeeded();
      await expect.poll(() => cards.count(), poll).toBe(20);
      const links = await cards.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
      expect(new Set(links).size).toBe(20);
      expect(operations.filter((name) => name === 'FeedPosts')).toHaveLength(2);
    });
  });

  it('adds a comment: it shows at once, counts, and is still there after a reload', async () => {
    await inBrowser('comment', async (page) => {
      await logIn(page, 'carol@example.com');
      const firstPost = page.locator('.post-card h2 a').first();
      const title = await firstPost.textContent();
      await firstPost.click();
      await expect.poll(() => page.locator('h1').textContent(), poll).toBe(title);
      const count = page.getByTestId('comment-count');
      await count.waitFor();
      const before = Number(await count.textContent());

      const text = `Seen from Chromium at ${new Date().toISOString()}`;
      await page.getByLabel('Add a comment').fill(text);
      await page.getByRole('button', { name: 'Comment' }).click();
      await expect.poll(() => page.locator('.comment p:not(.meta)').first().textContent(), poll).toBe(text);
      await expect.poll(async () => Number(await count.textContent()), poll).toBe(before + 1);
      await expect.poll(() => page.getByLabel('Add a comment').inputValue(), poll).toBe('');

      await page.reload();
      await expect.poll(() => page.locator('.comment p:not(.meta)').first().textContent(), poll).toBe(text);
    });
  });

  it('places an order and finds it first in "My orders", from the cache, without asking again', async () => {
    await inBrowser('order', async (page, operations) => {
      await logIn(page, 'bob@example.com');
      await page.locator('nav').getByRole('link', { name: 'My orders' }).click();
      const orders = page.locator('.order');
      await orders.first().waitFor();
      const before = await orders.count();

      await page.locator('nav').getByRole('link', { name: 'Products' }).click();
      // Other test files add products of their own, some sold out: the first with 2 in stock.
      const products = page.locator('.product');
      await products.first().waitFor();
      const stocks = (await products.locator('.stock').allTextContents()).map((text) => Number.parseInt(text, 10));
      const index = stocks.findIndex((stock) => stock >= 2);
      expect(index).toBeGreaterThanOrEqual(0);
      const product = products.nth(index);
      const name = await product.locator('.product-name').textContent();
      await product.getByLabel('Quantity').fill('2');
      await product.getByRole('button', { name: 'Order' }).click();
      await product.getByText('Order placed.').waitFor();
      expect(await product.locator('.stock').textContent()).toBe(stocks[index]! > 2 ? `${stocks[index]! - 2} in stock` : 'Sold out');

      await page.locator('nav').getByRole('link', { name: 'My orders' }).click();
      await expect.poll(() => orders.count(), poll).toBe(before + 1);
      await expect.poll(() => orders.first().locator('.order-items').textContent(), poll).toContain(`2 × ${name}`);
      expect(await orders.first().textContent()).toMatch(/Order #\d+/);
      // The cache took the new order in: "My orders" was fetched once, before the order.
      expect(operations.filter((operation) => operation === 'MyOrders')).toHaveLength(1);
      expect(operations.filter((operation) => operation === 'PlaceOrder')).toHaveLength(1);
    });
  });

  it('refreshes and retries once when the gateway refuses the access token (401)', async () => {
    await inBrowser('token-refused', async (page, operations) => {
      await logIn(page, 'bob@example.com');
      // What an expired token gets from the gateway, for the next "My orders" only.
      let refuse = true;
      await page.route(
        (url) => url.pathname.endsWith('/graphql'),
        async (route) => {
          if (!refuse || operationNameOf(route.request()) !== 'MyOrders') return route.fallback();
          refuse = false;
          await route.fulfill({
            status: 401,
            contentType: 'application/graphql-response+json',
            headers: { 'access-control-allow-origin': webUrl, 'access-control-allow-credentials': 'true' },
            body: JSON.stringify({ errors: [{ message: 'The access token expired.', extensions: { code: 'UNAUTHENTICATED' } }] }),
          });
        },
      );
      await page.locator('nav').getByRole('link', { name: 'My orders' }).click();
      await page.locator('.order').first().waitFor();
      expect(operations.slice(operations.indexOf('MyOrders'))).toEqual(['MyOrders', 'RefreshSession', 'MyOrders']);
      expect(await page.getByTestId('viewer').textContent()).toBe('Bob Buyer');
    });
  });

  it('tells a signed-out visitor to log in, then takes them back where they were', async () => {
    await inBrowser('signed-out', async (page) => {
      await page.goto('/orders');
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent(), poll).toContain('Your orders are private: log in to see them.');

      // The API's own UNAUTHENTICATED, told in words with a way forward.
      await page.goto('/products');
      await page.getByRole('button', { name: 'Order', disabled: false }).first().click();
      const refusal = page.locator('[role=alert][data-code=UNAUTHENTICATED]');
      await expect.poll(() => refusal.textContent(), poll).toContain('You need to be signed in to do that.');
      await refusal.getByRole('link', { name: 'Log in' }).click();
      await page.getByLabel('Email').fill('bob@example.com');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByTestId('viewer').waitFor();
      expect(new URL(page.url()).pathname).toBe('/products');
    });
  });
});
