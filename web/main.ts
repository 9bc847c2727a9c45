// Runs the web app on its own (a container): the built files of web/dist (npm run web:build) on
// PORT (default 4080) and HOST (default 0.0.0.0), the page sent to WEB_GRAPHQL_URL for the API:
// /graphql by default, the page's own origin, where a load balancer routes it to the gateways.
import { environmentOrExit } from '#lib/service/env.ts';
import { explainListenError } from '#lib/service/ports.ts';
import { exitOnStartupError } from '#lib/service/startup-errors.ts';
import { DEFAULT_WEB_PORT, startWebApp } from './server.ts';

const env = environmentOrExit();
const address = { port: env.PORT ?? DEFAULT_WEB_PORT, host: env.HOST ?? '0.0.0.0' };
const web = await startWebApp({ ...address, graphqlUrl: () => env.WEB_GRAPHQL_URL }).catch((error: unknown) =>
  exitOnStartupError(explainListenError(error, { service: 'web app', ...address, variable: 'PORT' })),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void web.close().then(() => process.exit(0)));
}
