// GET / on the gateway in development: where everything is, as a page for a person who opened the
// gateway's address and as JSON for a script (`Accept: application/json`, or curl's `*/*`).
// Production serves no index: its clients know the endpoint, and / is a JSON 404 like any path
// nothing serves, which names no internal address (the metrics listener, the web app's host).
import type { Express } from 'express';
import type { RunningService } from '#lib/service/http.ts';
import { EXPLORER_PATH } from './explorer.ts';

export interface ServiceIndexSources {
  /** The web app's page, when this process serves one (npm start). */
  webAppUrl?: string;
  /** The gateway, once it listens. */
  service: () => RunningService | undefined;
}

/** /metrics on the gateway's own port, or the METRICS_PORT listener's URL. */
function metricsLocation(service: RunningService): string {
  return service.metricsUrl.startsWith(new URL(service.url).origin) ? '/metrics' : service.metricsUrl;
}

interface Entry {
  key: string;
  url: string;
  what: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(entries: Entry[]): string {
  const items = entries.map(({ url, what }) => `  <li><a href="${escapeHtml(url)}">${escapeHtml(url)}</a>: ${escapeHtml(what)}</li>`);
  return `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>GraphQL gateway</title>
<h1>GraphQL gateway (development)</h1>
<ul>
${items.join('\n')}
</ul>
<p>With NODE_ENV=production the gateway serves neither this index, nor the explorer, nor Apollo Sandbox.</p>
</html>
`;
}

export function serveIndex(app: Express, sources: ServiceIndexSources): void {
  app.get('/', (request, response) => {
    const service = sources.service();
    const entries: Entry[] = [
      { key: 'graphql', url: '/graphql', what: "the GraphQL endpoint (POST); a browser gets Apollo Sandbox there, from Apollo's CDN (online only)" },
      { key: 'explorer', url: EXPLORER_PATH, what: 'GraphiQL from this machine (works offline), with a sign-in as the demo accounts' },
      ...(sources.webAppUrl ? [{ key: 'webApp', url: sources.webAppUrl, what: 'the web app' }] : []),
      { key: 'health', url: '/health', what: 'liveness: the process answers' },
      { key: 'ready', url: '/ready', what: 'readiness: which subgraphs answer (degraded while some do not)' },
      ...(service ? [{ key: 'metrics', url: metricsLocation(service), what: 'Prometheus metrics' }] : []),
    ];
    response.set('cache-control', 'no-store');
    if (request.accepts(['application/json', 'text/html']) === 'text/html') {
      response.type('html').send(page(entries));
    } else {
      response.json({ service: 'gateway', ...Object.fromEntries(entries.map(({ key, url }) => [key, url])) });
    }
  });
}
