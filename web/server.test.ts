// The web app's server while its build still runs (npm start serves the API meanwhile): it listens at
// once, says the page is being built, then serves the page once the build is done.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebApp, type RunningWebApp } from './server.ts';

let web: RunningWebApp | undefined;
let distDir: string | undefined;

afterEach(async () => {
  await web?.close();
  if (distDir) await rm(distDir, { recursive: true, force: true });
  web = distDir = undefined;
});

/** A build the test finishes: an empty folder until then, an index.html once it is done. */
async function pendingBuild() {
  distDir = await mkdtemp(path.join(tmpdir(), 'web-dist-'));
  const dir = distDir;
  let settle!: { done(): Promise<void>; fail(): void };
  const build = new Promise<void>((resolve, reject) => {
    settle = {
      done: async () => {
        await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>The app</title>');
        resolve();
      },
      fail: () => reject(new Error('tsc found errors')),
    };
  });
  return { dir, build, settle };
}

describe('the web app while it is built', () => {
  it('answers at once that it is being built and reloads itself, then serves the page once built', async () => {
    const { dir, build, settle } = await pendingBuild();
    web = await startWebApp({ port: 0, distDir: dir, graphqlUrl: () => 'http://127.0.0.1:4000/graphql', build });

    const building = await fetch(web.url);
    expect(building.status).toBe(503);
    expect(building.headers.get('retry-after')).toBe('2');
    const page = await building.text();
    expect(page).toContain('The web app is being built');
    expect(page).toContain('<meta http-equiv="refresh" content="2">');
    // Where the page finds the gateway is known already.
    expect((await fetch(new URL('/config.json', web.url))).status).toBe(200);

    await settle.done();
    const built = await fetch(new URL('/posts/1', web.url));
    expect(built.status).toBe(200);
    expect(await built.text()).toContain('<title>The app</title>');
  });

  it('says where to look when the build failed', async () => {
    const { dir, build, settle } = await pendingBuild();
    web = await startWebApp({ port: 0, distDir: dir, graphqlUrl: () => 'http://127.0.0.1:4000/graphql', build });
    settle.fail();
    await build.catch(() => {});
    const response = await fetch(web.url);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("The web app's build failed: its errors are in the output of <code>npm start</code>");
  });
});

describe('the web app behind a load balancer', () => {
  it('sends the page to /graphql on its own origin, allows it no other, and answers /health', async () => {
    distDir = await mkdtemp(path.join(tmpdir(), 'web-dist-'));
    await writeFile(path.join(distDir, 'index.html'), '<!doctype html><title>The app</title>');
    web = await startWebApp({ port: 0, distDir, graphqlUrl: () => '/graphql' });

    expect(await (await fetch(new URL('/config.json', web.url))).json()).toEqual({ graphqlUrl: '/graphql' });
    const page = await fetch(new URL('/orders', web.url));
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self';");
    const health = await fetch(new URL('/health', web.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', service: 'web' });
  });
});
