// Where the gateway's supergraph comes from: a fixed SDL, a file it watches (SUPERGRAPH_PATH), or
// a URL it polls (SUPERGRAPH_URL). A source only reads; live-supergraph.ts decides what loads.
import { watch } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { environment } from '#lib/service/env.ts';
import { readSupergraph } from './supergraph.ts';

/** What `read` gives when the source knows that nothing changed since its last read (HTTP 304). */
export const UNCHANGED = Symbol('unchanged');

export interface SupergraphSource {
  /** Where the supergraph comes from, for log lines: a path or a URL. */
  readonly location: string;
  /** The supergraph's text; rejects when it cannot be read. */
  readonly read: () => Promise<string | typeof UNCHANGED>;
  /** Tells `changed` as soon as the supergraph may have changed, where the source can hear it;
   *  returns what stops listening. */
  readonly listen?: (changed: () => void) => () => void;
  /** How often to read it again whatever `listen` heard; unset: never (a fixed SDL). */
  readonly pollIntervalMs?: number;
}

/** The SDL given, for good: what the tests, the benchmarks and `npm start` serve. */
export function fixedSupergraph(supergraphSdl: string): SupergraphSource {
  return { location: 'the SDL given at start', read: async () => supergraphSdl };
}

/**
 * A file, watched and read again every `pollIntervalMs`. Its directory is watched, not the file:
 * an editor or `npm run schema:compose` may replace the file, and Kubernetes updates a mounted
 * ConfigMap by swapping a symlink beside it, and either leaves a watch on the old file deaf. The
 * polling catches what a watch misses (network file systems).
 */
export function watchedSupergraphFile(file: string, options: { pollIntervalMs: number }): SupergraphSource {
  return {
    location: file,
    pollIntervalMs: options.pollIntervalMs,
    read: async () => readSupergraph(file),
    listen(changed) {
      const watcher = watch(path.dirname(file), { persistent: false }, changed);
      // A directory that goes away leaves the polling, which reports the file as unreadable.
      watcher.on('error', () => watcher.close());
      return () => watcher.close();
    },
  };
}

/** A URL, asked every `pollIntervalMs` with the ETag of its last answer: a 304 costs no reload. */
export function polledSupergraphUrl(url: string, options: { pollIntervalMs: number; timeoutMs?: number }): SupergraphSource {
  let etag: string | undefined;
  return {
    location: url,
    pollIntervalMs: options.pollIntervalMs,
    async read() {
      const response = await request(url, {
        headers: etag ? { 'if-none-match': etag } : {},
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      }).catch((error: unknown) => {
        throw new Error(`Cannot fetch the supergraph from ${url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
      if (response.statusCode === 304) {
        await response.body.dump();
        return UNCHANGED;
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new Error(`Cannot fetch the supergraph: GET ${url} answered ${response.statusCode}.`);
      }
      const text = await response.body.text();
      const given = response.headers.etag;
      etag = typeof given === 'string' ? given : undefined;
      return text;
    },
  };
}

/**
 * The gateway run on its own: SUPERGRAPH_URL when set, else the file at SUPERGRAPH_PATH; read once
 * with SUPERGRAPH_RELOAD=off.
 */
export function supergraphSourceFromEnv(): SupergraphSource {
  const env = environment();
  const pollIntervalMs = env.SUPERGRAPH_POLL_INTERVAL_MS;
  const source = env.SUPERGRAPH_URL
    ? polledSupergraphUrl(env.SUPERGRAPH_URL, { pollIntervalMs })
    : watchedSupergraphFile(path.resolve(env.SUPERGRAPH_PATH ?? 'supergraph.graphql'), { pollIntervalMs });
  return env.SUPERGRAPH_RELOAD === 'on' ? source : { location: source.location, read: source.read };
}
