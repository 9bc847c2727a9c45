// Identical subgraph fetches of queries in flight at the same time share one request: under a hot
// query, concurrent operations plan the same fetches, and the subgraph would answer each of them
// again. Identical means the same subgraph, document, operation name and variables, and the same
// value of every header sent with it (propagate-headers has run above: credentials are part of the
// key, so two users never share a fetch, nor does a signed-in user with an anonymous one).
// Mutations are never shared (the kind comes from the parsed operation, as for the retries).
//
// It sits below the operation's deadline: each caller waits under its own signal and leaves when
// it fires, while the shared fetch runs on with its own signal, which aborts only once every
// caller has left. Each caller gets its own copy of the answer, because Apollo Gateway merges a
// fetch's data into the operation's result in place.
import { OperationTypeNode } from 'graphql';
import { subgraphFetchDedupe } from '#lib/service/metrics.ts';
import type { UpstreamRequest, UpstreamResponse, UpstreamUnit } from './types.ts';

export interface DedupeOptions {
  /** Most distinct fetches shared at once; past it, a fetch goes on its own (default 1000). */
  maxInFlight: number;
  /** Headers sent to the subgraph that do not change its answer, left out of the key (default: the request id). */
  unkeyedHeaders: readonly string[];
}

const DEFAULT_DEDUPE: DedupeOptions = { maxInFlight: 1_000, unkeyedHeaders: ['x-request-id'] };

interface SharedFetch {
  /** The callers still waiting for the answer. */
  waiting: number;
  controller: AbortController;
  answer: Promise<UpstreamResponse>;
}

/** JSON with the keys of every object in order: `{ a, b }` and `{ b, a }` are the same variables. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}

function keyOf(request: UpstreamRequest, unkeyed: ReadonlySet<string>): string {
  let headers = '';
  // undici's Headers iterate lower-cased and sorted by name.
  for (const [name, value] of request.headers) if (!unkeyed.has(name)) headers += `${name}:${value}\n`;
  return `${request.subgraph}\n${request.url}\n${request.operationName ?? ''}\n${request.query}\n${stableJson(request.variables)}\n${headers}`;
}

/** What one caller gets: the data as sent, in objects of its own (the HTTP part is only read). */
function copyOf(response: UpstreamResponse): UpstreamResponse {
  const { http, ...body } = response;
  return { ...structuredClone(body), http };
}

/** The promise's outcome, or the signal's reason once it fires first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const leave = () => reject(signal.reason);
    signal.addEventListener('abort', leave, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave));
  });
}

export function dedupeQueries(options: Partial<DedupeOptions> = {}): UpstreamUnit {
  const { maxInFlight, unkeyedHeaders } = { ...DEFAULT_DEDUPE, ...options };
  const unkeyed = new Set(unkeyedHeaders.map((name) => name.toLowerCase()));
  const inFlight = new Map<string, SharedFetch>();
  const forget = (key: string, shared: SharedFetch) => inFlight.get(key) === shared && inFlight.delete(key);

  async function wait(shared: SharedFetch, key: string, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    shared.waiting++;
    let response: UpstreamResponse;
    try {
      response = await (signal ? untilAborted(shared.answer, signal) : shared.answer);
    } catch (error) {
      // The last caller to give up before the answer takes the fetch with it.
      if (--shared.waiting === 0 && signal?.aborted) {
        shared.controller.abort(signal.reason);
        forget(key, shared);
      }
      throw error;
    }
    // Every caller is counted by now (the fetch left the map as it settled): the last to take the
    // answer gets it as it came, the others copies, made before it is handed over.
    return --shared.waiting === 0 ? response : copyOf(response);
  }

  return (next) => async (request) => {
    if (request.operation !== OperationTypeNode.QUERY) return next(request);
    const { subgraph, signal } = request;
    signal?.throwIfAborted();
    const key = keyOf(request, unkeyed);
    let shared = inFlight.get(key);
    if (shared) {
      subgraphFetchDedupe.inc({ subgraph, role: 'follower' });
    } else if (inFlight.size >= maxInFlight) {
      subgraphFetchDedupe.inc({ subgraph, role: 'alone' });
      return next(request);
    } else {
      subgraphFetchDedupe.inc({ subgraph, role: 'leader' });
      const controller = new AbortController();
      const started: SharedFetch = { waiting: 0, controller, answer: next({ ...request, signal: controller.signal }) };
      inFlight.set(key, started);
      // Registered before any caller waits, so that it runs first: once the answer is back, a new
      // caller starts a fetch of its own rather than join one whose answer is already handed out.
      void started.answer.then(
        () => forget(key, started),
        () => forget(key, started),
      );
      shared = started;
    }
    return wait(shared, key, signal);
  };
}
