// The offline explorer (development only): GraphiQL built from npm packages into
// web/explorer/dist by `npm run web:build`, served at /explorer, so that a machine without
// internet can explore the API where Apollo Sandbox, loaded from Apollo's CDN, cannot.
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import express, { type Express } from 'express';
import { explorerSecurityHeaders } from '#lib/service/security-headers.ts';

/** Where the explorer is: `/explorer` redirects here (serve-static's trailing-slash redirect). */
export const EXPLORER_PATH = '/explorer/';
export const EXPLORER_DIST_DIR = path.resolve(import.meta.dirname, '../../web/explorer/dist');

// What /explorer answers before its first build is done (npm start builds it in the background).
const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Building the explorer</title>
<p>The explorer is not built yet. <code>npm start</code> builds it with the web app, and this page reloads by
itself until it is there; without <code>npm start</code>, run <code>npm run web:build</code>.</p></html>
`;

export function serveExplorer(app: Express, distDir = EXPLORER_DIST_DIR): void {
  app.use(
    '/explorer',
    explorerSecurityHeaders,
    express.static(distDir, {
      setHeaders(response, file) {
        // Vite names the bundles by their content hash: cache them for good, never index.html.
        const hashed = file.startsWith(path.join(distDir, 'assets') + path.sep);
        response.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
    (request, response, next) => {
      if (request.path !== '/' || existsSync(path.join(distDir, 'index.html'))) return next();
      response.status(503).set({ 'cache-control': 'no-store', 'retry-after': '2' }).type('html').send(NOT_BUILT_PAGE);
    },
  );
}

// Sandbox's own page shows its "cannot be loaded; it appears that you might be offline" fallback
// (class "fallback") under Sandbox's frame, where it fades in only when the frame never comes.
const OFFLINE_WAY_OUT = `<div class="fallback"><p>Apollo Sandbox comes from Apollo's CDN. Without the internet, use
<a href="${EXPLORER_PATH}">the explorer</a>: GraphiQL, served from this machine.</p></div>`;

/** Apollo Sandbox, Apollo Server's landing page in development, with a link to the explorer for when it cannot load. */
export function sandboxLinkingToExplorer(): ApolloServerPlugin {
  const sandbox = ApolloServerPluginLandingPageLocalDefault();
  return {
    async serverWillStart(service) {
      const listener = await sandbox.serverWillStart?.(service);
      const render = listener?.renderLandingPage?.bind(listener);
      if (!listener || !render) return listener;
      return {
        ...listener,
        async renderLandingPage() {
          const { html } = await render();
          return { html: async () => (typeof html === 'string' ? html : await html()).replace('</body>', `${OFFLINE_WAY_OUT}\n</body>`) };
        },
      };
    },
  };
}
