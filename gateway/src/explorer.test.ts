// The explorer's route on an Express app of its own, on a build made here: the page with its
// policy, the address without the slash, the bundles' caching, the page before the first build;
// and the Sandbox page's way out to it.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxLinkingToExplorer, serveExplorer } from './explorer.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The explorer's route over `distDir`, listening on a free port; its origin. */
async function explorerOver(distDir: string): Promise<string> {
  const app = express();
  serveExplorer(app, distDir);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'explorer-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('serveExplorer', () => {
  it('serves the built page under its own policy, and its hashed bundles for good', async () => {
    const dist = await temporaryDir();
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>explorer</title>');
    await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'export {};');
    const origin = await explorerOver(dist);

    const page = await fetch(`${origin}/explorer/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>explorer</title>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;object-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    const typed = await fetch(`${origin}/explorer`, { redirect: 'manual' });
    expect(typed.status).toBe(301);
    expect(typed.headers.get('location')).toBe('/explorer/');

    const bundle = await fetch(`${origin}/explorer/assets/index-abc123.js`);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('before the first build, says how to get one and reloads itself', async () => {
    const origin = await explorerOver(path.join(await temporaryDir(), 'dist'));
    const page = await fetch(`${origin}/explorer/`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('2');
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="2">');
    expect(html).toContain('run <code>npm run web:build</code>');
  });
});

describe('sandboxLinkingToExplorer', () => {
  it("is Apollo Sandbox's page, with a link to the explorer beside its offline fallback", async () => {
    const listener = await sandboxLinkingToExplorer().serverWillStart!({} as never);
    const { html } = await listener!.renderLandingPage!();
    const page = typeof html === 'string' ? html : await html();
    expect(page).toContain('embeddable-sandbox');
    expect(page).toContain('Apollo Sandbox cannot be loaded');
    expect(page).toMatch(
      /<div class="fallback"><p>Apollo Sandbox comes from Apollo's CDN\. Without the internet, use\s+<a href="\/explorer\/">the explorer<\/a>: GraphiQL, served from this machine\.<\/p><\/div>\s+<\/body>/,
    );
  });
});
