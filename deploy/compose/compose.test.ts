// docker-compose.yml's front: gateway replicas and the web app behind the load balancer of
// deploy/compose/nginx.conf, each started once what it needs is healthy. No Docker engine runs
// here; `docker compose config` (.ci/run) checks the file's syntax, this test what it means.
// subgraphs/manifest.test.ts checks the subgraphs' services.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, SUBGRAPHS } from '../../subgraphs/manifest.ts';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(new URL('docker-compose.yml', REPO_ROOT), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const { gateway, web, 'load-balancer': loadBalancer } = compose.services;
const nginxConfig = readFileSync(new URL('nginx.conf', import.meta.url), 'utf8');

/** The path a service's healthcheck asks for on its own PORT. */
function probedPath(service: ComposeService | undefined): string | undefined {
  return service?.healthcheck?.test
    .join(' ')
    .match(/'\/(\w+)'/)?.[0]
    .slice(1, -1);
}

/** The upstream a location of nginx.conf passes to, and the server that upstream names. */
function routeOf(location: string): string | undefined {
  const upstream = new RegExp(`location ${location} \\{[^}]*proxy_pass http://(\\w+);`).exec(nginxConfig)?.[1];
  return new RegExp(`upstream ${upstream} \\{[^}]*server ([\\w.-]+:\\d+)`).exec(nginxConfig)?.[1];
}

describe('docker-compose.yml', () => {
  it('runs gateway replicas that only the load balancer publishes, and trust it for the client address', () => {
    expect(gateway?.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(gateway?.ports).toBeUndefined();
    expect(gateway?.environment?.TRUST_PROXY).toBe('1');
    const published = Object.entries(compose.services).filter(([, service]) => service.ports !== undefined);
    expect(published.map(([name]) => name)).toEqual(['load-balancer']);
  });

  it('routes /graphql to the gateways and the rest to the web app, which sends its page to /graphql', () => {
    expect(loadBalancer?.volumes).toContain('./deploy/compose/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
    expect(existsSync(new URL('deploy/compose/nginx.conf', REPO_ROOT))).toBe(true);
    expect(routeOf('= /graphql')).toBe(`gateway:${gateway?.environment?.PORT}`);
    expect(routeOf('/')).toBe(`web:${web?.environment?.PORT}`);
    expect(web?.command).toEqual(['node', '--import', 'tsx', 'web/main.ts']);
    expect(web?.environment?.WEB_GRAPHQL_URL).toBe('/graphql');
  });

  it('checks readiness where a service has dependencies, liveness where it has none, and starts each after what it needs', () => {
    for (const { name } of SUBGRAPHS) expect(probedPath(compose.services[name]), name).toBe('/ready');
    expect(probedPath(gateway)).toBe('/ready');
    expect(probedPath(web)).toBe('/health');
    expect(loadBalancer?.depends_on).toEqual({ gateway: { condition: 'service_healthy' }, web: { condition: 'service_healthy' } });
    expect(loadBalancer?.healthcheck?.test.join(' ')).toContain('/load-balancer/health');
    expect(nginxConfig).toContain('location = /load-balancer/health');
  });
});
