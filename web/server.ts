// Serves the built web app (web/dist) beside the gateway: the files, the app's routes (history
// API: any path without a file extension gets index.html), and /config.json, which tells the page
// where the gateway is, so one build runs on any port.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { StartupError } from '#lib/service/startup-errors.ts';
import { RUNTIME_CONFIG_PATH, type RuntimeConfig } from './src/runtime-config.ts';

export const WEB_DIST_DIR = path.resolve(import.meta.dirname, 'dist');
export const DEFAULT_WEB_PORT = 4080;

export interface WebAppOptions {
  port: number;
  host?: string;
  distDir?: string;
  /**
   * The gateway's GraphQL URL, or its path on the page's own origin (/graphql); read per request,
   * as the gateway may start after this server.
   */
  graphqlUrl: () => string;
  /**
   * The build of `distDir` when it is still running: until it is done, the page says so and
   * reloads itself, so the server (its port, its origins) is up before the page is.
   */
  build?: Promise<void>;
}

export interface RunningWebApp {
  name: 'web';
  /** The page, e.g. http://localhost:4080/. */
  url: string;
  port: number;
  /** The browser origins this page has: the gateway must let them call it (CORS). */
  origins: string[];
  close(): Promise<void>;
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The gateway URL as this page must call it. `localhost` and `127.0.0.1` are different sites to a
 * browser, and the refresh cookie is SameSite=Strict: when both servers are on this machine, the
 * page calls the gateway by the host name it was itself loaded from.
 */
function gatewayUrlForPage(gatewayUrl: string, pageHost: string | undefined): string {
  if (isPathOnly(gatewayUrl)) return gatewayUrl;
  const url = new URL(gatewayUrl);
  let pageHostname: string | undefined;
  try {
    pageHostname = pageHost ? new URL(`http://${pageHost}`).hostname : undefined;
  } catch {
    pageHostname = undefined; // a malformed Host header: the URL as configured
  }
  if (pageHostname && LOOPBACK_HOSTNAMES.has(url.hostname) && LOOPBACK_HOSTNAMES.has(pageHostname)) {
    url.hostname = pageHostname;
  }
  return url.toString();
}

/**
 * A gateway URL without an origin, such as /graphql: the page's own origin, where a load balancer
 * or an Ingress routes it to the gateway (docs/operations.md).
 */
function isPathOnly(gatewayUrl: string): boolean {
  return gatewayUrl.startsWith('/') && !gatewayUrl.startsWith('//');
}

/**
 * The access token lives in page memory, so the page allows no script but its own files and
 * talks to no server but its own and the gateway.
 */
function securityHeaders(gatewayUrl: string): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'self'",
      isPathOnly(gatewayUrl) ? "connect-src 'self'" : `connect-src 'self' ${new URL(gatewayUrl).origin}`,
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };
}

const BUILDING_PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Building the web app</title>
<p>The web app is being built: the first start takes a few seconds more. This page reloads by itself.</p></html>
`;

const BUILD_FAILED_PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>The web app did not build</title>
<p>The web app's build failed: its errors are in the output of <code>npm start</code> (and of
<code>npm run web:build</code>). Fix them, then restart <code>npm start</code>.</p></html>
`;

function webOrigins(port: number, host = '127.0.0.1'): string[] {
  const hosts = ['localhost', '127.0.0.1'];
  if (!['0.0.0.0', '::', ...hosts].includes(host)) hosts.push(host.includes(':') ? `[${host}]` : host);
  return hosts.map((name) => `http://${name}:${port}`);
}

export async function startWebApp(options: WebAppOptions): Promise<RunningWebApp> {
  const distDir = options.distDir ?? WEB_DIST_DIR;
  const indexPath = path.join(distDir, 'index.html');
  if (!options.build && !existsSync(indexPath)) {
    throw new StartupError(`The web app is not built (no ${path.relative(process.cwd(), indexPath)}): run \`npm run web:build\`.`);
  }
  let build: 'running' | 'done' | 'failed' = options.build ? 'running' : 'done';
  options.build?.then(
    () => (build = 'done'),
    () => (build = 'failed'),
  );
  const app = express();
  app.disable('x-powered-by');
  // Liveness and readiness alike: the files are served as soon as the process runs.
  app.get('/health', (_request, response) => {
    response.set('cache-control', 'no-store').json({ status: 'ok', service: 'web' });
  });
  app.get(RUNTIME_CONFIG_PATH, (request, response) => {
    const config: RuntimeConfig = { graphqlUrl: gatewayUrlForPage(options.graphqlUrl(), request.headers.host) };
    response.set('cache-control', 'no-store').json(config);
  });
  app.use((_request, response, next) => {
    if (build === 'done') return next();
    response
      .status(503)
      .set({ 'content-security-policy': "default-src 'none'", 'cache-control': 'no-store', 'retry-after': '2' })
      .type('html')
      .send(build === 'running' ? BUILDING_PAGE : BUILD_FAILED_PAGE);
  });
  app.use(
    express.static(distDir, {
      index: false,
      setHeaders(response, file) {
        // Vite names the bundles by their content hash: cache them for good, never index.html.
        const hashed = file.startsWith(path.join(distDir, 'assets') + path.sep);
        response.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.use(async (request, response, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || path.extname(request.path)) return next();
    try {
      const html = await readFile(indexPath, 'utf8');
      const gatewayUrl = gatewayUrlForPage(options.graphqlUrl(), request.headers.host);
      response
        .set({ ...securityHeaders(gatewayUrl), 'cache-control': 'no-cache' })
        .type('html')
        .send(html);
    } catch (error) {
      next(error);
    }
  });

  const server = http.createServer(app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const [url] = webOrigins(port, host);
  return {
    name: 'web',
    url: `${url}/`,
    port,
    origins: webOrigins(port, host),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Browsers keep connections open; they would hold close() for their idle timeout.
        server.closeAllConnections();
      }),
  };
}
