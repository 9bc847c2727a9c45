// `npm start`: the whole stack on this machine, on the embedded PostgreSQL unless one is configured.
// What can be checked before anything is created is: another start on the same data, taken ports,
// production without signing keys. The API is served first; a web app that needs building follows.
import { environmentOrExit, isProduction } from '#lib/service/env.ts';
import { ensurePortsFree } from '#lib/service/ports.ts';
import { exitOnStartupError, optionsOrExit, StartupError } from '#lib/service/startup-errors.ts';
import { startTracing } from '#lib/service/tracing.ts';
import { stopOnSignals } from '../prisma/embedded-postgres.ts';
import { configuredDatabases } from '../prisma/postgres.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';
import { loadSigningKeys } from '../subgraphs/users/src/signing-keys.ts';
import { buildWebApp, webBuildNeeded } from '../web/build.ts';
import { DEFAULT_WEB_PORT } from '../web/server.ts';
import {
  alreadyRunningMessage,
  findRunningStart,
  forgetRunningStart,
  recordRunningStart,
  runningStartFile,
  serviceLines,
  type ServiceAddress,
} from './running-start.ts';
import { DEFAULT_PORTS, stackAddresses, startStack } from './stack.ts';

const HELP = `Usage: npm start [-- [--no-seed] [--no-web]]

Starts PostgreSQL (embedded under .data/postgres, unless DATABASE_URL or the per-service URLs
are set), applies pending migrations, seeds demo data into empty databases (not with
NODE_ENV=production, unless SEED_DEMO_DATA=true), then serves the API and prints "Ready". The web
app follows: at once when web/dist is up to date, otherwise once it is built, in the background.
  web app  http://localhost:${DEFAULT_WEB_PORT}/  (WEB_PORT)
  gateway  http://localhost:${DEFAULT_PORTS.gateway}/graphql  (GATEWAY_PORT)
${SUBGRAPHS.map(({ name, port, env }) => `  ${name.padEnd(9)}http://localhost:${port}/graphql  (${env.port})`).join('\n')}
Ctrl-C (or SIGTERM) stops everything, the embedded PostgreSQL included. While it runs,
npm run db:migrate and db:seed use its embedded PostgreSQL.

  --no-seed   leave empty databases empty
  --no-web    neither build nor serve the web app
  -h, --help  show this text

Every environment variable is listed in docs/configuration.md.`;

const { values } = optionsOrExit(
  { options: { 'no-seed': { type: 'boolean' }, 'no-web': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } },
  'npm start',
  HELP,
);

process.env.LOG_LEVEL ??= 'warn';
const env = environmentOrExit();
const startedAt = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const ports = {
  gateway: env.GATEWAY_PORT ?? DEFAULT_PORTS.gateway,
  ...Object.fromEntries(SUBGRAPHS.map(({ name, port, env: variables }) => [name, env[variables.port] ?? port])),
} as typeof DEFAULT_PORTS;
const webPort = values['no-web'] ? undefined : (env.WEB_PORT ?? DEFAULT_WEB_PORT);
let recordFile: string | undefined;

try {
  // A start on the embedded PostgreSQL is recorded beside its data: a second one there is told where the first is.
  recordFile = configuredDatabases() ? undefined : runningStartFile(env.EMBEDDED_POSTGRES_DIR);
  const running = recordFile && (await findRunningStart(recordFile));
  if (running) throw new StartupError(alreadyRunningMessage(running));
  const metrics = env.METRICS_PORT
    ? [{ service: 'metrics endpoint (/metrics)', host: env.METRICS_HOST, port: env.METRICS_PORT, variable: 'METRICS_PORT' }]
    : [];
  await ensurePortsFree([...stackAddresses({ ports, host: env.HOST, webPort }), ...metrics]);
  // Without keys the users service would stop the start half-way, after the databases.
  if (isProduction()) loadSigningKeys();
} catch (error) {
  exitOnStartupError(error);
}

const tracing = startTracing('graphql-federation-platform');
// Built beside the start, at low priority: the API does not wait for the page.
const webBuildReason = webPort === undefined ? null : webBuildNeeded();
const stopWebBuild = new AbortController();
// Whatever ends this process ends the build too: it runs in a process group of its own.
process.on('exit', () => stopWebBuild.abort());
const webBuild = webBuildReason ? buildWebApp({ signal: stopWebBuild.signal, background: true }) : undefined;
const webBuilt = webBuild?.then(
  () => true,
  (error: unknown) => {
    if (!stopWebBuild.signal.aborted) console.error(error instanceof Error ? error.message : String(error));
    return false;
  },
);
if (webBuildReason) console.log(`Building the web app in the background (${webBuildReason})...`);

const stack = await startStack({
  ports,
  host: env.HOST,
  supergraphPath: env.SUPERGRAPH_PATH,
  seed: !values['no-seed'],
  web: webPort === undefined ? undefined : { port: webPort, build: webBuild },
  log: console.log,
}).catch(exitOnStartupError);

const webApp = (line: string): ServiceAddress => ({ label: 'Web app', url: line });
const services: ServiceAddress[] = [
  webApp(!stack.web ? 'not served (--no-web)' : webBuild ? 'being built; its address follows once it is served' : stack.web.url),
  { label: 'GraphQL gateway', url: stack.gateway.url, note: '(open it in a browser for Apollo Sandbox)' },
  // The explorer the gateway serves in development, from this machine: it works offline.
  ...(isProduction() ? [] : [{ label: 'Explorer', url: new URL('/explorer/', stack.gateway.url).toString(), note: '(GraphiQL, with the demo accounts)' }]),
  ...SUBGRAPHS.map(({ name }) => ({ label: `${name} subgraph`, url: stack.subgraphs[name].url })),
  // Listed only when METRICS_PORT moves /metrics off the services' ports, where it is otherwise.
  ...(stack.gateway.metricsUrl.startsWith(new URL(stack.gateway.url).origin) ? [] : [{ label: 'Metrics', url: stack.gateway.metricsUrl }]),
];
stopOnSignals(async () => {
  stopWebBuild.abort();
  await stack.stop();
  await tracing?.shutdown();
});

const record = () => recordFile && recordRunningStart(recordFile, { pid: process.pid, databases: stack.databases.description, services });
record();
process.on('exit', () => recordFile && forgetRunningStart(recordFile));
console.log(`
Ready in ${seconds(startedAt)}, on ${stack.databases.description}.
${serviceLines(services)}
Press Ctrl-C to stop.`);

void webBuilt?.then((built) => {
  if (stopWebBuild.signal.aborted || !stack.web) return;
  services[0] = webApp(built ? stack.web.url : 'not served: its build failed (see above; fix it, then restart npm start)');
  record();
  console.log(`\n${built ? `Web app built in ${seconds(startedAt)}:` : 'Web app:'}\n${serviceLines(services.slice(0, 1))}`);
});
