// The two clients a screen is built with: one GraphQL request to the gateway, or REST requests
// to each resource's own service, composed as a frontend does: everything that does not depend
// on an earlier answer goes out at once, in "steps" (one step = one round trip on the critical
// path when the connections allow it).
import { HttpClient } from './http-client.ts';
import type { ServiceName } from './stack-processes.ts';

export type Origins = Record<ServiceName, string>;

interface ClientOptions {
  origins: Origins;
  /** A bearer access token sent with every request, as a signed-in frontend does. */
  token?: string;
  /** Ask every service for its SQL statement count (`x-debug-sql: 1`), summed in `sqlStatements`. */
  countSql?: boolean;
}

abstract class ApiClient {
  readonly http = new HttpClient();
  /** Sequential steps of the screen built last: requests that had to wait for an earlier answer. */
  steps = 0;
  sqlStatements = 0;

  constructor(protected readonly options: ClientOptions) {}

  protected headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.options.token && { authorization: `Bearer ${this.options.token}` }),
      ...(this.options.countSql && { 'x-debug-sql': '1' }),
      ...extra,
    };
  }

  close() {
    this.http.close();
  }
}

export class GraphQLClient extends ApiClient {
  async query<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
    this.steps += 1;
    const exchange = await this.http.request(`${this.options.origins.gateway}/graphql`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ query, variables }),
    });
    const body = JSON.parse(exchange.body) as { data?: Data; errors?: unknown[]; extensions?: { sqlStatements?: Record<string, number> } };
    if (exchange.status !== 200 || body.errors || !body.data) {
      throw new Error(`GraphQL ${exchange.status}: ${exchange.body.slice(0, 300)}`);
    }
    const statements = body.extensions?.sqlStatements;
    if (statements) this.sqlStatements += Object.values(statements).reduce((sum, count) => sum + count, 0);
    return body.data;
  }
}

/** What a browser keeps of a response with a validator, to revalidate it later. */
interface CachedRepresentation {
  etag: string;
  body: unknown;
}

export class RestClient extends ApiClient {
  /** Responses kept for revalidation (`If-None-Match`), by URL; only filled by `getRevalidated`. */
  private readonly cache = new Map<string, CachedRepresentation>();

  /** One step: the requests all go out at once, and the step ends when the last answer is in. */
  async step<Requests extends readonly Promise<unknown>[]>(
    requests: readonly [...Requests],
  ): Promise<{ -readonly [K in keyof Requests]: Awaited<Requests[K]> }> {
    this.steps += 1;
    return Promise.all(requests);
  }

  get<Body>(service: Exclude<ServiceName, 'gateway'>, path: string): Promise<Body> {
    return this.fetchJson<Body>(`${this.options.origins[service]}${path}`);
  }

  /**
   * A resource the client has a copy of whose `max-age` has passed: it asks with `If-None-Match`,
   * and a 304 lets it keep its copy. (Within `max-age` a browser asks nothing at all.)
   */
  getRevalidated<Body>(service: Exclude<ServiceName, 'gateway'>, path: string): Promise<Body> {
    return this.fetchJson<Body>(`${this.options.origins[service]}${path}`, true);
  }

  private async fetchJson<Body>(url: string, revalidate = false): Promise<Body> {
    const cached = revalidate ? this.cache.get(url) : undefined;
    const exchange = await this.http.request(url, { headers: this.headers(cached ? { 'if-none-match': cached.etag } : {}) });
    const statements = exchange.headers['x-sql-statements'];
    if (typeof statements === 'string') this.sqlStatements += Number(statements);
    if (exchange.status === 304 && cached) return cached.body as Body;
    if (exchange.status !== 200) throw new Error(`GET ${url}: ${exchange.status} ${exchange.body.slice(0, 300)}`);
    const body = JSON.parse(exchange.body) as Body;
    const etag = exchange.headers.etag;
    if (revalidate && etag) this.cache.set(url, { etag, body });
    return body;
  }
}

/** The REST list shape: a page of items and the cursor of the next page. */
export interface RestPage<Item> {
  items: Item[];
  nextCursor: string | null;
}
