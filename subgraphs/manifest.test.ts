// The manifest against what cannot read it: docker-compose.yml and the PostgreSQL init script must
// run the same subgraphs, on the same ports, databases and variables. Each problem says what to
// add where, so that a new subgraph's missing pieces read as a to-do list.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prismaConfigPath, schemaPath } from '../prisma/layout.ts';
import { loadSubgraph } from './load-subgraph.ts';
import { REPO_ROOT, SUBGRAPHS, type SubgraphEntry } from './manifest.ts';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
}

// `merge`: the Compose file shares settings through YAML merge keys (`<<: *anchor`).
const compose = parse(readFileSync(new URL('docker-compose.yml', REPO_ROOT), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const initSql = readFileSync(new URL('docker/postgres/init-databases.sql', REPO_ROOT), 'utf8');
const NOT_SUBGRAPHS = ['postgres', 'redis', 'migrate', 'publish-documents', 'gateway', 'web', 'load-balancer'];

function subgraphServiceProblems({ name, main, port, database, env }: SubgraphEntry): string[] {
  const service = compose.services[name];
  const gateway = compose.services.gateway!;
  const migrate = compose.services.migrate!;
  const databaseUrl = `postgresql://\${POSTGRES_USER:-postgres}:\${POSTGRES_PASSWORD:-postgres}@postgres:5432/${database}`;
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => ok || problems.push(problem);
  need(migrate.environment?.[env.databaseUrl] === databaseUrl, `x-database-urls: ${env.databaseUrl}: &${name}-database-url ${databaseUrl}`);
  if (!service) {
    problems.push(`services.${name}: a service like the others, with the command, environment and healthcheck below`);
  }
  need(
    JSON.stringify(service?.command) === JSON.stringify(['node', '--import', 'tsx', main]),
    `services.${name}.command: ["node", "--import", "tsx", "${main}"]`,
  );
  need(service?.environment?.HOST === '0.0.0.0', `services.${name}.environment: <<: *subgraph-environment`);
  need(service?.environment?.PORT === String(port), `services.${name}.environment.PORT: "${port}"`);
  need(service?.environment?.[env.databaseUrl] === databaseUrl, `services.${name}.environment.${env.databaseUrl}: *${name}-database-url`);
  need(service?.healthcheck !== undefined, `services.${name}.healthcheck: *service-healthcheck`);
  need(service?.depends_on !== undefined, `services.${name}.depends_on: *subgraph-depends-on`);
  const routingUrl = `http://${name}:${port}/graphql`;
  need(gateway.environment?.[env.routingUrl] === routingUrl, `services.gateway.environment.${env.routingUrl}: ${routingUrl}`);
  need(gateway.depends_on?.[name]?.condition === 'service_healthy', `services.gateway.depends_on.${name}.condition: service_healthy`);
  return problems.map((problem) => `docker-compose.yml: ${problem}`);
}

/** What docker-compose.yml and init-databases.sql lack, or have beyond, to run these subgraphs. */
function deploymentProblems(subgraphs: readonly SubgraphEntry[]): string[] {
  const names = subgraphs.map(({ name }) => name);
  const databases = subgraphs.map(({ database }) => database);
  const created = [...initSql.matchAll(/'CREATE DATABASE (\w+)'/g)].map((match) => match[1]!);
  return [
    ...subgraphs.flatMap(subgraphServiceProblems),
    ...Object.keys(compose.services)
      .filter((service) => !NOT_SUBGRAPHS.includes(service) && !names.includes(service))
      .map((service) => `docker-compose.yml: services.${service} runs no subgraph of subgraphs/manifest.ts`),
    ...databases
      .filter((database) => !created.includes(database))
      .map(
        (database) =>
          `docker/postgres/init-databases.sql: SELECT 'CREATE DATABASE ${database}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${database}')\\gexec`,
      ),
    ...created
      .filter((database) => !databases.includes(database))
      .map((database) => `docker/postgres/init-databases.sql: creates ${database}, the database of no subgraph`),
  ];
}

describe('subgraphs/manifest.ts', () => {
  it('gives every subgraph its own name, port, database and variables', () => {
    const distinct = (values: (string | number)[]) => expect(new Set(values).size).toBe(values.length);
    distinct(SUBGRAPHS.map(({ name }) => name));
    distinct([4000, ...SUBGRAPHS.map(({ port }) => port)]);
    distinct(SUBGRAPHS.map(({ database }) => database));
    distinct(SUBGRAPHS.flatMap(({ env }) => Object.values(env)));
  });

  it.each(SUBGRAPHS)('names files that exist for $name, and its defineSubgraph export', async (subgraph) => {
    for (const file of [subgraph.schema, subgraph.main, subgraph.definition.split('#')[0]!]) {
      expect(existsSync(new URL(file, REPO_ROOT)), file).toBe(true);
    }
    expect(existsSync(schemaPath(subgraph)), subgraph.prismaSchema).toBe(true);
    expect(existsSync(prismaConfigPath(subgraph)), prismaConfigPath(subgraph)).toBe(true);
    expect(await loadSubgraph(subgraph)).toBeTypeOf('function');
  });
});

describe('docker-compose.yml and docker/postgres/init-databases.sql', () => {
  it('run exactly the subgraphs of the manifest, on their ports, databases and variables', () => {
    expect(deploymentProblems(SUBGRAPHS)).toEqual([]);
  });

  it('list what a new subgraph still needs there', () => {
    const reviews: SubgraphEntry = {
      ...SUBGRAPHS[1],
      name: 'reviews',
      port: 4004,
      main: 'subgraphs/reviews/src/main.ts',
      database: 'reviews',
      env: { databaseUrl: 'REVIEWS_DATABASE_URL', port: 'REVIEWS_PORT', routingUrl: 'REVIEWS_URL' },
    };
    const database = 'postgresql://${POSTGRES_USER:-postgres}:${POSTGRES_PASSWORD:-postgres}@postgres:5432/reviews';
    expect(deploymentProblems([...SUBGRAPHS, reviews])).toEqual([
      `docker-compose.yml: x-database-urls: REVIEWS_DATABASE_URL: &reviews-database-url ${database}`,
      'docker-compose.yml: services.reviews: a service like the others, with the command, environment and healthcheck below',
      'docker-compose.yml: services.reviews.command: ["node", "--import", "tsx", "subgraphs/reviews/src/main.ts"]',
      'docker-compose.yml: services.reviews.environment: <<: *subgraph-environment',
      'docker-compose.yml: services.reviews.environment.PORT: "4004"',
      'docker-compose.yml: services.reviews.environment.REVIEWS_DATABASE_URL: *reviews-database-url',
      'docker-compose.yml: services.reviews.healthcheck: *service-healthcheck',
      'docker-compose.yml: services.reviews.depends_on: *subgraph-depends-on',
      'docker-compose.yml: services.gateway.environment.REVIEWS_URL: http://reviews:4004/graphql',
      'docker-compose.yml: services.gateway.depends_on.reviews.condition: service_healthy',
      "docker/postgres/init-databases.sql: SELECT 'CREATE DATABASE reviews' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'reviews')\\gexec",
    ]);
  });
});
