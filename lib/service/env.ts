// Every environment variable the product reads, in one place, by concern: its rule, its default
// when no concern owns one, and what it does. Each concern's settings (limits, caches, the upstream
// pipeline, ...) read their values here and keep their own defaults; nothing else reads
// process.env. docs/configuration.md lists the same variables (env.test.ts checks).
//
// A blank value is unset: Compose passes `${VAR:-}` as one. An invalid environment is one error
// that names every invalid variable, by concern, with what it must be and what it got:
//   Invalid start settings: GATEWAY_PORT must be a port number between 0 and 65535 (got "abc").
import { z } from 'zod';
import { SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { list, matching, oneOf, port, text, trustProxy, url, wholeNumber } from './env-rules.ts';

type Subgraph = (typeof SUBGRAPHS)[number];

/** Which concern each variable belongs to, for the error message: "Invalid limit settings: …". */
const CONCERN_OF = new Map<string, string>();

function concern<Shape extends z.ZodRawShape>(title: string, variables: Shape): Shape {
  for (const name of Object.keys(variables)) CONCERN_OF.set(name, title);
  return variables;
}

/** One variable per subgraph of the manifest, e.g. USERS_PORT, POSTS_PORT, ORDERS_PORT. */
function perSubgraph<Name extends string, Schema extends z.ZodType>(
  name: (subgraph: Subgraph) => Name,
  schema: (subgraph: Subgraph) => Schema,
): Record<Name, Schema> {
  return Object.fromEntries(SUBGRAPHS.map((subgraph) => [name(subgraph), schema(subgraph)])) as Record<Name, Schema>;
}

/** A variable's one-line description; `sensitive` keeps its value out of error messages (passwords, keys). */
function about<Schema extends z.ZodType>(schema: Schema, description: string, options: { sensitive?: boolean } = {}): Schema {
  return schema.meta({ description, ...options });
}

const databaseUrl = url('postgresql://postgres@127.0.0.1:5432/postgres');
const positive = wholeNumber({ min: 1 });
const milliseconds = wholeNumber({ min: 1, unit: 'milliseconds' });
const onOff = oneOf(['on', 'off']);
const trueFalse = oneOf(['true', 'false']);
const ANY_FREE = ', 0 for any free one';

const schema = z.object({
  ...concern('database settings', {
    DATABASE_URL: about(databaseUrl.optional(), 'One PostgreSQL server for every subgraph, each with a database of its own there.', { sensitive: true }),
    DATABASE_NAME_PREFIX: about(text().default(''), "Prefix of those databases' names: dev_ gives dev_users."),
    ...perSubgraph(
      (subgraph) => subgraph.env.databaseUrl,
      (subgraph) => about(databaseUrl.optional(), `The ${subgraph.name} subgraph's database; wins over DATABASE_URL.`, { sensitive: true }),
    ),
    EMBEDDED_POSTGRES_DIR: about(text().default('.data/postgres'), 'Data directory of the embedded PostgreSQL, used when no database URL is set.'),
    EMBEDDED_POSTGRES_PORT: about(port(ANY_FREE).optional(), 'Its port on 127.0.0.1; unset or 0: the first free one from 15432.'),
    DATABASE_POOL_SIZE: about(positive.default(10), 'Connections to its database per subgraph process.'),
    DATABASE_STATEMENT_TIMEOUT_MS: about(
      wholeNumber({ min: 0, unit: 'milliseconds' }).default(5_000),
      "PostgreSQL's statement_timeout for the subgraphs' statements (0: none); the gateway's operation timeout by default.",
    ),
    SEED_DEMO_DATA: about(trueFalse.optional(), 'true lets NODE_ENV=production seed the demo data, whose ADMIN password is published.'),
  }),
  ...concern('listen address', {
    HOST: about(text().optional(), 'Interface a service listens on (127.0.0.1 for a subgraph, 0.0.0.0 for the gateway run on its own).'),
    PORT: about(port().optional(), 'Port of a service run on its own (a container).'),
  }),
  ...concern('start settings', {
    GATEWAY_PORT: about(port().optional(), "The gateway's port under npm start (4000)."),
    ...perSubgraph(
      (subgraph) => subgraph.env.port,
      (subgraph) => about(port().optional(), `The ${subgraph.name} subgraph's port under npm start (${subgraph.port}).`),
    ),
    WEB_PORT: about(port().optional(), "The web app's port under npm start (4080)."),
  }),
  ...concern('web app settings', {
    WEB_GRAPHQL_URL: about(
      text()
        .refine(
          (value) => /^\/(?!\/)/.test(value) || URL.canParse(value),
          "must be a path on the page's own origin or a URL, e.g. /graphql or https://api.example.com/graphql",
        )
        .default('/graphql'),
      "Where the web app run on its own sends the page for the API: a path on the page's own origin, routed to the gateway, or the gateway's URL.",
    ),
  }),
  ...concern('gateway settings', {
    SUPERGRAPH_PATH: about(text().optional(), 'The supergraph the gateway serves (supergraph.graphql).'),
    SUPERGRAPH_URL: about(
      url('http://config/supergraph.graphql').optional(),
      'Where the gateway run on its own fetches its supergraph instead; wins over SUPERGRAPH_PATH.',
    ),
    SUPERGRAPH_RELOAD: about(
      onOff.default('on'),
      'on: the gateway run on its own serves each new supergraph that loads, without a restart; off: the one read at start.',
    ),
    SUPERGRAPH_POLL_INTERVAL_MS: about(milliseconds.default(10_000), 'How often the gateway reads its supergraph again (a watched file is also seen at once).'),
    ...perSubgraph(
      (subgraph) => subgraph.env.routingUrl,
      (subgraph) =>
        about(url(`http://${subgraph.name}:${subgraph.port}/graphql`).optional(), `Where the gateway run on its own reaches the ${subgraph.name} subgraph.`),
    ),
    CORS_ORIGINS: about(list().optional(), 'Browser origins, comma-separated, that may call the gateway run on its own with credentials.'),
    GATEWAY_WORKERS: about(positive.default(1), "Processes serving the gateway's port (node:cluster)."),
    APOLLO_TELEMETRY: about(
      onOff.default('off'),
      'on lets Apollo Gateway send Apollo its anonymous usage metrics (and probe cloud metadata servers to label them); off by default: nothing leaves the machine unasked.',
    ),
  }),
  ...concern('service settings', {
    NODE_ENV: about(text().optional(), 'production: no introspection, no Sandbox, explorer or index at /, masked internal errors, no demo data.'),
    LOG_LEVEL: about(oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), "pino's level."),
    OTEL_EXPORTER_OTLP_ENDPOINT: about(url('http://127.0.0.1:4318').optional(), 'Turns OpenTelemetry tracing on, exported there over OTLP/HTTP.'),
    OTEL_SERVICE_NAME: about(text().optional(), "The service's name in its traces."),
  }),
  ...concern('HTTP settings', {
    TRUST_PROXY: about(trustProxy().default(false), "Which proxies' X-Forwarded-For to believe for the client's address: a count or addresses."),
    METRICS_PORT: about(port().optional(), "Serves /metrics on this port only, not on the services' own ports."),
    METRICS_HOST: about(text().default('127.0.0.1'), 'The interface of that /metrics listener.'),
  }),
  ...concern('auth settings', {
    AUTH_JWKS_URL: about(
      url('http://users:4001/.well-known/jwks.json').default('http://127.0.0.1:4001/.well-known/jwks.json'),
      "The users service's public keys, which verify access tokens.",
    ),
    AUTH_ISSUER: about(text().default('urn:graphql-federation-platform:users'), 'The `iss` every access token must carry.'),
    AUTH_AUDIENCE: about(text().default('urn:graphql-federation-platform:api'), 'The `aud` every access token must carry.'),
    AUTH_PRIVATE_JWKS: about(text().optional(), "The users service's Ed25519 signing keys, a JWK Set; required in production.", { sensitive: true }),
    AUTH_SIGNING_KEY_ID: about(text().optional(), 'The `kid` of the key that signs (the first key of AUTH_PRIVATE_JWKS by default).'),
    DATA_DIR: about(text().default('.data'), 'Where the development signing key is kept.'),
  }),
  // The defaults are the gateway's (gateway/src/limits/settings.ts); a subgraph allows one level more and twice the counts.
  ...concern('limit settings', {
    MAX_QUERY_DEPTH: about(positive.optional(), 'Deepest selection an operation may have.'),
    MAX_QUERY_COST: about(positive.optional(), 'Dearest an operation may be, in cost units.'),
    MAX_QUERY_ALIASES: about(positive.optional(), 'Most aliases in an operation.'),
    MAX_QUERY_DIRECTIVES: about(positive.optional(), 'Most directives in an operation.'),
    MAX_QUERY_TOKENS: about(positive.optional(), 'Most tokens in a document, and fields once its fragments are expanded.'),
    OPERATION_TIMEOUT_MS: about(milliseconds.optional(), 'Longest an operation may take at the gateway before it answers with what it has.'),
    RATE_LIMIT: about(onOff.optional(), 'off turns the rate limit per client off.'),
    RATE_LIMIT_CAPACITY: about(positive.optional(), 'Cost units a client may spend at once.'),
    RATE_LIMIT_REFILL_PER_SECOND: about(positive.optional(), 'Cost units given back to a client per second.'),
    RATE_LIMIT_KEY_PREFIX: about(
      matching(/^[!-~]{1,100}$/, 'must be 1 to 100 printable ASCII characters without spaces, e.g. "shop-eu:ratelimit:"').optional(),
      'Namespace of the rate-limit buckets in Redis, one per deployment sharing a Redis.',
    ),
  }),
  ...concern('sign-in throttle settings', {
    LOGIN_MAX_FAILURES: about(positive.optional(), 'Sign-in attempts one email gets per window without a success.'),
    LOGIN_FAILURE_WINDOW_SECONDS: about(wholeNumber({ min: 1, unit: 'seconds' }).optional(), 'How long that window lasts.'),
  }),
  ...concern('Redis settings', {
    REDIS_URL: about(url('redis://127.0.0.1:6379').optional(), 'Shares rate limits and caches across gateways, and carries the invalidations.', {
      sensitive: true,
    }),
  }),
  ...concern('cache settings', {
    CACHE: about(onOff.optional(), 'off: no caching; on: caching even where no invalidation can reach the gateway.'),
    CACHE_RESPONSES: about(onOff.optional(), 'off turns the response cache off.'),
    CACHE_ENTITIES: about(onOff.optional(), 'off turns the entity cache off.'),
    CACHE_EARLY_HITS: about(onOff.optional(), 'off: response-cache hits go through Apollo Server like any request.'),
    CACHE_MEMORY_MB: about(positive.optional(), 'Bound of the in-memory cache per process, in megabytes.'),
    CACHE_REDIS_PREFIX: about(text().optional(), "Namespace of the cache's keys in Redis, the same on the gateway and the subgraphs."),
    CACHE_REDIS_TIMEOUT_MS: about(milliseconds.optional(), 'A Redis command slower than this bypasses the cache for a while.'),
    VITEST: about(text().optional(), 'Set by vitest: each test process then keeps its cache entries in Redis apart.'),
  }),
  ...concern('trusted documents settings', {
    TRUSTED_DOCUMENTS: about(
      oneOf(['off', 'log', 'enforce']).optional(),
      'enforce: only registered documents run; log: others run and are logged; off: others run. enforce in production, log elsewhere.',
    ),
    TRUSTED_DOCUMENTS_ADMIN_ADHOC: about(trueFalse.optional(), 'false refuses unregistered documents to signed-in admins too (the explorer) under enforce.'),
    TRUSTED_DOCUMENTS_FILE: about(text().default('.data/trusted-documents.json'), 'The registry of trusted documents when there is no REDIS_URL.'),
  }),
  ...concern('subgraph resilience settings', {
    SUBGRAPH_TIMEOUT_MS: about(milliseconds.optional(), 'Longest one attempt at a subgraph call may take.'),
    SUBGRAPH_RETRIES: about(wholeNumber({ min: 0 }).optional(), 'Extra attempts for a query whose subgraph call failed.'),
    SUBGRAPH_BREAKER_FAILURES: about(positive.optional(), "Failures in a row that open a subgraph's circuit."),
    SUBGRAPH_BREAKER_RESET_MS: about(milliseconds.optional(), 'How long an open circuit waits before a trial request.'),
    UPSTREAM_DEDUPE: about(onOff.optional(), 'off: identical query fetches in flight at once each go to the subgraph, unshared.'),
  }),
  ...concern('order expiry settings', {
    PENDING_ORDER_TTL_MINUTES: about(
      wholeNumber({ min: 1, max: 10_080, unit: 'minutes', maxInWords: 'a week' }).optional(),
      'How long an unpaid order holds its items before it expires.',
    ),
    PENDING_ORDER_SWEEP_SECONDS: about(
      wholeNumber({ min: 1, max: 3_600, unit: 'seconds', maxInWords: 'an hour' }).optional(),
      'How often each orders replica expires what is due.',
    ),
  }),
  ...concern('subgraph settings', {
    NAIVE_RESOLVERS: about(trueFalse.optional(), 'true turns DataLoader batching off, for benchmarks and tests.'),
  }),
  // Read by tools and tests, which may read them directly: listed in docs/configuration.md and checked with the rest.
  ...concern('tool settings', {
    GATEWAY_ORIGIN: about(url('http://127.0.0.1:4000').optional(), 'Where the web dev server (npm run web:dev) proxies /graphql.'),
    TEST_EMBEDDED_POSTGRES_DIR: about(text().optional(), "The tests' own embedded PostgreSQL's data directory (.data/postgres-test)."),
    TEST_EMBEDDED_POSTGRES_PORT: about(port(ANY_FREE).optional(), "The tests' embedded PostgreSQL's port, picked as for EMBEDDED_POSTGRES_PORT."),
    CHROMIUM_PATH: about(text().optional(), 'The Chromium the browser tests drive (/usr/bin/chromium).'),
  }),
});

export type Environment = z.output<typeof schema>;
/** process.env, or the variables a test passes. */
export type EnvironmentSource = Readonly<Record<string, string | undefined>>;

/** The names of every variable read, in the order of their concerns. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** A variable's one-line description. */
export function describeVariable(name: string): string | undefined {
  return (schema.shape as Record<string, z.ZodType | undefined>)[name]?.meta()?.description;
}

const SENSITIVE = new Set(ENVIRONMENT_VARIABLES.filter((name) => (schema.shape as Record<string, z.ZodType>)[name]!.meta()?.sensitive === true));

export interface EnvironmentProblem {
  variable: string;
  concern: string;
  /** What the value must be: "must be a port number between 0 and 65535". */
  rule: string;
  /** The value as given, or undefined where it may hold a secret. */
  got: string | undefined;
}

function describeProblems(problems: readonly EnvironmentProblem[]): string {
  const byConcern = new Map<string, string[]>();
  for (const { variable, concern: title, rule, got } of problems) {
    const line = `${variable} ${rule} ${got === undefined ? '(its value is not shown: it may hold a secret)' : `(got ${JSON.stringify(got)})`}`;
    byConcern.set(title, [...(byConcern.get(title) ?? []), line]);
  }
  return [...byConcern].map(([title, lines]) => `Invalid ${title}: ${lines.join('; ')}.`).join('\n');
}

/** One message for every invalid variable. */
export class EnvironmentError extends Error {
  constructor(readonly problems: readonly EnvironmentProblem[]) {
    super(describeProblems(problems));
    this.name = 'EnvironmentError';
  }
}

function blankAsUnset(value: string | undefined): string | undefined {
  return value?.trim() === '' ? undefined : value;
}

function parse(source: EnvironmentSource): Environment {
  const values = Object.fromEntries(ENVIRONMENT_VARIABLES.map((name) => [name, blankAsUnset(source[name])]));
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const problems = new Map<string, EnvironmentProblem>();
  for (const issue of parsed.error.issues) {
    const variable = String(issue.path[0]);
    if (problems.has(variable)) continue;
    const got = SENSITIVE.has(variable) ? undefined : values[variable];
    problems.set(variable, { variable, concern: CONCERN_OF.get(variable)!, rule: issue.message, got });
  }
  throw new EnvironmentError([...problems.values()]);
}

let last: { source: EnvironmentSource; values: string; environment: Environment } | undefined;

/**
 * The environment, read and checked: process.env unless a test passes its own. Parsed once while
 * its variables keep their values (a service's do; a test's vi.stubEnv gets them read again).
 * Comparing them costs some microseconds: read the environment when a service starts, not per request.
 */
export function environment(source: EnvironmentSource = process.env): Environment {
  const values = ENVIRONMENT_VARIABLES.map((name) => source[name] ?? '').join('\0');
  if (last?.source === source && last.values === values) return last.environment;
  const parsed = parse(source);
  last = { source, values, environment: parsed };
  return parsed;
}

/** For entry points: the environment, or every invalid variable on stderr and exit status 2. */
export function environmentOrExit(): Environment {
  try {
    return environment();
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

/**
 * The database URL in a subgraph's own variable (its manifest entry's `env.databaseUrl`), checked
 * as environment() checks the manifest's: also for a subgraph that is not in it yet (a test's).
 */
export function subgraphDatabaseUrl(variable: string, source: EnvironmentSource = process.env): string | undefined {
  const value = blankAsUnset(source[variable]);
  const parsed = databaseUrl.optional().safeParse(value);
  if (parsed.success) return parsed.data;
  throw new EnvironmentError([{ variable, concern: 'database settings', rule: parsed.error.issues[0]!.message, got: undefined }]);
}

/** NODE_ENV=production. */
export function isProduction(source?: EnvironmentSource): boolean {
  return environment(source).NODE_ENV === 'production';
}
