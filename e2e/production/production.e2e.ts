// `NODE_ENV=production` as an operator deploys it: empty databases stay empty (the demo accounts,
// an ADMIN among them, share a published password), the seed CLI refuses unless told this is a
// demo, every response carries the security headers, unknown paths get JSON, and /metrics can be
// kept off the public port.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrlEnv, type DatabaseUrls } from '../../prisma/postgres.ts';
import { SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { postGraphQL, testDatabaseUrls } from '../../test/graphql.ts';
import { startProcess, type StartedProcess } from '../../test/start-process.ts';

/** Databases of their own, beside the test ones, created empty by the start under test. */
function emptyDatabaseUrls(): DatabaseUrls {
  const urls = testDatabaseUrls();
  return Object.fromEntries(
    SUBGRAPHS.map(({ name }) => {
      const url = new URL(urls[name]);
      url.pathname = `${url.pathname}_production`;
      return [name, url.toString()];
    }),
  ) as DatabaseUrls;
}

async function dropDatabases(urls: DatabaseUrls) {
  for (const url of Object.values(urls)) {
    const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

const urls = emptyDatabaseUrls();
const productionEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  ...databaseUrlEnv(urls),
  AUTH_PRIVATE_JWKS: JSON.stringify({ keys: [{ ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'production-e2e' }] }),
  SEED_DEMO_DATA: undefined,
  // These checks send documents of their own: production's default, enforce, would refuse them (e2e/trusted-documents).
  TRUSTED_DOCUMENTS: 'log',
};

/** `npm run db:seed` as a child process: its exit code and output. */
function seedCli(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'prisma/seed-cli.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

let server: StartedProcess;
let gatewayUrl: string;

beforeAll(async () => {
  await dropDatabases(urls);
  server = await startProcess({ ...productionEnv, METRICS_PORT: '0' }, ['--no-web']);
  gatewayUrl = server.urlOf('GraphQL gateway');
});

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await dropDatabases(urls);
});

describe('npm start with NODE_ENV=production', () => {
  it('seeds no demo accounts into empty databases, and says why', async () => {
    expect(server.output()).toContain('NODE_ENV=production: no demo data seeded');
    const { body } = await postGraphQL(gatewayUrl, 'mutation ($input: LogInInput!) { logIn(input: $input, delivery: BODY) { accessToken } }', {
      input: { email: 'ada@example.com', password: 'demo-password' },
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const users = await postGraphQL(gatewayUrl, '{ users { totalCount } products { totalCount } }');
    expect(users.body.data).toEqual({ users: { totalCount: 0 }, products: { totalCount: 0 } });
  });

  it('sends security headers, and JSON for a path nothing serves', async () => {
    const response = await fetch(new URL('/admin', gatewayUrl));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Nothing is served at GET /admin. The GraphQL API is at POST /graphql.', extensions: { code: 'NOT_FOUND' } }],
    });
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=/);
    // No landing page in production: a browser gets no HTML, hence no page to give a looser policy.
    const page = await fetch(gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('with METRICS_PORT, serves /metrics there and not on the public ports', async () => {
    const metricsUrl = server.urlOf('Metrics');
    expect(new URL(metricsUrl).hostname).toBe('127.0.0.1');
    const metrics = await fetch(metricsUrl);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('graphql_operations_total{service="gateway"');
    for (const label of ['GraphQL gateway', 'users subgraph', 'posts subgraph', 'orders subgraph']) {
      expect((await fetch(new URL('/metrics', server.urlOf(label)))).status, label).toBe(404);
    }
  });
});

describe('npm run db:seed with NODE_ENV=production', () => {
  it('refuses, naming the risk and the opt-in', async () => {
    const { code, output } = await seedCli(productionEnv);
    expect(code).toBe(2);
    expect(output).toContain('NODE_ENV=production: no demo data seeded');
    expect(output).toContain('SEED_DEMO_DATA=true');
    const users = await postGraphQL(gatewayUrl, '{ users { totalCount } }');
    expect(users.body.data).toEqual({ users: { totalCount: 0 } });
  });

  it('seeds a demo deployment that asks for it with SEED_DEMO_DATA=true', async () => {
    const { code, output } = await seedCli({ ...productionEnv, SEED_DEMO_DATA: 'true' });
    expect(code, output).toBe(0);
    expect(output).toMatch(/Seeded in/);
  });
});
