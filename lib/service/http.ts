// The HTTP front of every service (subgraphs and gateway alike): Express with Apollo Server
// mounted on /graphql, JSON errors for requests that never reach GraphQL, and a clean close.
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { MAX_VARIABLE_DEPTH, variableNestedDeeperThan } from './document-shape.ts';
import { isProduction } from './env.ts';
import { ErrorCode } from './errors.ts';
import { graphqlHandler, type GraphQLContextArgument } from './graphql-handler.ts';
import { httpSettingsFromEnv } from './http-settings.ts';
import type { Logger } from './logger.ts';
import { logRequest } from './request-log.ts';
import { acquireMetricsListener, metricsHandler, requestTiming } from './metrics.ts';
import { routeNotFound } from './route-not-found.ts';
import { securityHeaders } from './security-headers.ts';

export interface DependencyState {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

/** Checks one dependency within a second; never throws. */
export async function checkDependency(check: (signal: AbortSignal) => Promise<unknown>): Promise<DependencyState> {
  const started = performance.now();
  try {
    await check(AbortSignal.timeout(1_000));
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's request id when it is a sane one, else a new one: logs and responses carry it. */
function requestIdOf(request: http.IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Health probes and metric scrapes: logged only when they fail. */
function isProbe(request: http.IncomingMessage): boolean {
  return request.url === '/health' || request.url === '/ready' || request.url === '/metrics';
}

export interface RunningService {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql. */
  url: string;
  port: number;
  /** Where its metrics are scraped: its own port, or the process's METRICS_PORT listener. */
  metricsUrl: string;
  close(): Promise<void>;
}

export interface ServiceOptions<Context extends BaseContext> {
  name: string;
  port: number;
  host?: string;
  logger: Logger;
  /** Built by the caller with `drainPlugin` among its plugins; started here. */
  apollo: ApolloServer<Context>;
  context: (args: GraphQLContextArgument) => Promise<Context>;
  /** Routes mounted before /graphql (REST equivalents, health). */
  routes?: (app: Express) => void;
  /** Runs for each GraphQL request once its body is parsed, just before Apollo Server. */
  beforeGraphQL?: RequestHandler;
  /**
   * May answer a GraphQL request itself once its body is parsed (after CORS, the body limit and the
   * variables' depth check), before Apollo Server: true when it did (the gateway's early cache
   * hits). A rejection is passed on as a request error.
   */
  answerEarly?: (request: express.Request, response: express.Response) => Promise<boolean>;
  /** Browser origins allowed to call /graphql with credentials (the web app's); none by default. */
  corsOrigins?: string[];
  /** What this service needs to serve requests (its database, its subgraphs), for GET /ready. */
  readiness?: () => Promise<Record<string, DependencyState>>;
  /**
   * Which checks must pass for GET /ready to answer 200 (default `all`). `any`: the gateway, which
   * serves partial data while one subgraph is down; `degraded` then says so, and a load balancer
   * keeps sending it traffic rather than take every replica out at once.
   */
  readyWhen?: 'all' | 'any';
  /** What GET /ready shows besides the checks (the gateway: the supergraph it serves). */
  readyDetails?: () => Record<string, unknown>;
  bodyLimit?: string;
}

/** What body-parser puts on the errors it raises; anything else may reach the handler too. */
interface RequestError {
  status?: unknown;
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

/** Errors a request can hit before GraphQL runs, as GraphQL-shaped JSON instead of an HTML page. */
const requestErrorHandler: ErrorRequestHandler = (error: RequestError | null | undefined, _request, response, next) => {
  if (response.headersSent) return next(error);
  const status = typeof error?.status === 'number' ? error.status : 500;
  const [message, code] =
    error?.type === 'entity.parse.failed'
      ? ['The request body is not valid JSON.', ErrorCode.BadRequest]
      : error?.type === 'entity.too.large'
        ? [`The request body is larger than the limit of ${String(error.limit)} bytes.`, ErrorCode.PayloadTooLarge]
        : status < 500
          ? [typeof error?.message === 'string' ? error.message : 'Bad request', ErrorCode.BadRequest]
          : ['Internal server error', ErrorCode.InternalServerError];
  response.status(status).json({ errors: [{ message, extensions: { code } }] });
};

/** The variables of a GraphQL request: in the JSON body, or as JSON in a GET's query string. */
function variablesOf(request: express.Request): Record<string, unknown> | undefined {
  if (request.method !== 'GET') return (request.body as { variables?: Record<string, unknown> } | undefined)?.variables;
  try {
    return typeof request.query.variables === 'string' ? (JSON.parse(request.query.variables) as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // Apollo Server answers that one
  }
}

/**
 * Variables nested deeper than any input of ours are refused here, before Apollo Server or a
 * plugin walks them: whatever walks them recursively (JSON.stringify for a cache key, coercion, a
 * check of their strings) would overflow the stack and answer 500.
 */
const refuseDeepVariables: RequestHandler = (request, response, next) => {
  const variable = variableNestedDeeperThan(MAX_VARIABLE_DEPTH, variablesOf(request));
  if (variable === undefined) return next();
  response.status(400).json({
    errors: [
      {
        message: `Variable "$${variable}" is nested deeper than ${MAX_VARIABLE_DEPTH} levels of lists and objects; send flatter input.`,
        extensions: { code: ErrorCode.BadUserInput, variable, maxDepth: MAX_VARIABLE_DEPTH },
      },
    ],
  });
};

/** The route's step for `answerEarly`: the request goes on unless it answered. */
function answeringEarly(answerEarly: ServiceOptions<BaseContext>['answerEarly']): RequestHandler {
  if (!answerEarly) return (_request, _response, next) => next();
  return (request, response, next) => {
    answerEarly(request, response).then((answered) => answered || next(), next);
  };
}

/**
 * Apollo Server pretty-prints responses by default; compact JSON is smaller on the wire and
 * measurably faster to produce for large results.
 */
export function compactJson(result: FormattedExecutionResult): string {
  return JSON.stringify(result);
}

/**
 * What a client sees of an error. In production it never sees an internal error's message or
 * stack: it gets INTERNAL_SERVER_ERROR with the request id, and the details go to the log under
 * that id. In development it sees the message, and a stack trace only where one helps: with an
 * internal error, not with an error the API answers on purpose (UNAUTHENTICATED, NOT_FOUND, ...),
 * whose stack would only bury the message.
 */
export function clientErrorsPlugin(logger: Logger): ApolloServerPlugin {
  const production = isProduction();
  return {
    async requestDidStart({ request }) {
      const requestId = request.http?.headers.get('x-request-id');
      return {
        async willSendResponse({ response, errors }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const result = response.body.singleResult;
          result.errors = result.errors!.map((formatted, index) => {
            const code = formatted.extensions?.code;
            const internal = code === undefined || code === ErrorCode.InternalServerError;
            if (internal && production) {
              logger.error({ err: errors?.[index], requestId, path: formatted.path }, 'internal error');
              return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.InternalServerError, requestId } };
            }
            if (internal || formatted.extensions?.stacktrace === undefined) return formatted;
            const extensions = { ...formatted.extensions };
            delete extensions.stacktrace;
            return { ...formatted, extensions };
          });
        },
      };
    },
  };
}

/**
 * No landing page in production; in development, `development` or else Apollo Server's default,
 * Apollo Sandbox.
 */
export function landingPagePlugins(development?: ApolloServerPlugin): ApolloServerPlugin[] {
  if (isProduction()) return [ApolloServerPluginLandingPageDisabled()];
  return development ? [development] : [];
}

/** Lets Apollo Server wait for in-flight requests when the service closes. */
export function drainPlugin(httpServer: http.Server) {
  return ApolloServerPluginDrainHttpServer({ httpServer });
}

export function createHttpServer(): http.Server {
  return http.createServer();
}

export async function serveGraphQL<Context extends BaseContext>(httpServer: http.Server, options: ServiceOptions<Context>): Promise<RunningService> {
  const { apollo, logger } = options;
  const settings = httpSettingsFromEnv();
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  app.use(securityHeaders({ landingPage: !isProduction() }));
  app.use(requestTiming(options.name));
  if (settings.metrics.port === undefined) app.get('/metrics', metricsHandler);
  app.use((request, response, next) => {
    const id = requestIdOf(request);
    response.setHeader('x-request-id', id);
    // What reads the request's headers further on (Apollo's plugins, the masked errors, the
    // gateway's context) sees the id this service chose when the caller sent none.
    request.headers['x-request-id'] = id;
    logRequest(request, response, id, { logger, ignore: isProbe });
    next();
  });
  // Liveness: the process answers.
  app.get('/health', (_request, response) => {
    response.json({ status: 'ok', service: options.name });
  });
  // Readiness: it can do its work; load balancers stop sending traffic while this is 503.
  app.get('/ready', async (_request, response) => {
    const checks = (await options.readiness?.()) ?? {};
    const states = Object.values(checks);
    const status = states.every((check) => check.ok) ? 'ready' : options.readyWhen === 'any' && states.some((check) => check.ok) ? 'degraded' : 'not ready';
    response.status(status === 'not ready' ? 503 : 200).json({ status, service: options.name, ...options.readyDetails?.(), checks });
  });
  options.routes?.(app);
  app.use(
    '/graphql',
    cors({ origin: options.corsOrigins ?? false, credentials: true, maxAge: 600 }),
    express.json({ limit: options.bodyLimit ?? '100kb' }),
    refuseDeepVariables,
    answeringEarly(options.answerEarly),
    options.beforeGraphQL ?? ((_request, _response, next) => next()),
    graphqlHandler(apollo, options.context),
  );
  app.use(routeNotFound);
  app.use(requestErrorHandler);
  httpServer.on('request', app);
  const { port: metricsPort, host: metricsHost } = settings.metrics;
  const metricsListener = metricsPort === undefined ? undefined : await acquireMetricsListener(metricsPort, metricsHost);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await metricsListener?.release();
    throw error;
  });
  const { port } = httpServer.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const url = `${origin}/graphql`;
  logger.info({ url }, `${options.name} listening`);
  return {
    name: options.name,
    url,
    port,
    metricsUrl: metricsListener?.url ?? `${origin}/metrics`,
    close: async () => {
      await apollo.stop();
      await metricsListener?.release();
      logger.info(`${options.name} stopped`);
    },
  };
}
