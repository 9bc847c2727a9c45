// `npm start`: the whole stack on this machine, on the embedded PostgreSQL unless one is configured.
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, startStack } from './stack.ts';

const HELP = `Usage: npm start [-- --no-seed]

Starts PostgreSQL (embedded under .data/postgres, unless DATABASE_URL or the per-service URLs
are set), applies pending migrations, seeds demo data into empty databases, then serves:
  gateway  http://localhost:${DEFAULT_PORTS.gateway}/graphql  (GATEWAY_PORT)
  users    http://localhost:${DEFAULT_PORTS.users}/graphql  (USERS_PORT)
  posts    http://localhost:${DEFAULT_PORTS.posts}/graphql  (POSTS_PORT)
  orders   http://localhost:${DEFAULT_PORTS.orders}/graphql  (ORDERS_PORT)
Ctrl-C (or SIGTERM) stops everything, the embedded PostgreSQL included.

  --no-seed   leave empty databases empty
  -h, --help  show this text

Every environment variable is listed in the README's Configuration section.`;

const { values } = parseArgs({
  options: { 'no-seed': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number between 0 and 65535 (got "${raw}").`);
    process.exit(2);
  }
  return port;
}

process.env.LOG_LEVEL ??= 'warn';
const startedAt = Date.now();
const stack = await startStack({
  ports: {
    gateway: portFromEnv('GATEWAY_PORT', DEFAULT_PORTS.gateway),
    users: portFromEnv('USERS_PORT', DEFAULT_PORTS.users),
    posts: portFromEnv('POSTS_PORT', DEFAULT_PORTS.posts),
    orders: portFromEnv('ORDERS_PORT', DEFAULT_PORTS.orders),
  },
  host: process.env.HOST,
  supergraphPath: process.env.SUPERGRAPH_PATH,
  seed: !values['no-seed'],
  log: console.log,
}).catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

console.log(`
Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, on ${stack.databases.description}.
  GraphQL gateway  ${stack.gateway.url}   (open it in a browser for Apollo Sandbox)
  users subgraph   ${stack.subgraphs.users.url}
  posts subgraph   ${stack.subgraphs.posts.url}
  orders subgraph  ${stack.subgraphs.orders.url}
Press Ctrl-C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
