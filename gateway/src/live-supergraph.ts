// The supergraph the gateway serves, replaced while it runs: each new text its source gives is
// handed to Apollo Gateway, which swaps schema and query planner at once (operations already
// executing finish on the plan they have); a text that does not load leaves the one being served.
import { createHash } from 'node:crypto';
import type { SupergraphManager, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from '#lib/service/logger.ts';
import { StartupError } from '#lib/service/startup-errors.ts';
import { withoutSecurityFeatures } from './supergraph.ts';
import { UNCHANGED, type SupergraphSource } from './supergraph-source.ts';

const reloads = new Counter({
  name: 'gateway_supergraph_reloads_total',
  help: 'New supergraphs the gateway saw after its start, by result: loaded, invalid (did not load: the old one stays) or unreadable.',
  labelNames: ['result'] as const,
});
const served = new Gauge({
  name: 'gateway_supergraph_info',
  help: 'The supergraph the gateway serves: 1, labelled with the short sha256 of its SDL (as /ready shows it).',
  labelNames: ['hash'] as const,
});

/** The first 12 hex digits of the SDL's sha256: what /ready and the metric show, and what
 *  `sha256sum supergraph.graphql | cut -c1-12` prints for the file. */
export function supergraphHash(sdl: string): string {
  return createHash('sha256').update(sdl).digest('hex').slice(0, 12);
}

export interface LiveSupergraphOptions {
  logger: Logger;
  /** How long a watched file must stay quiet before it is read: one save is several file events. */
  settleMs?: number;
}

export interface LiveSupergraph {
  /** For ApolloGateway's `supergraphSdl`: it starts the source and stops it with the gateway. */
  readonly manager: SupergraphManager;
  /** The short hash of the supergraph being served (undefined before the gateway loads it). */
  hash(): string | undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Refusal = { result: 'invalid'; hash: string; error: unknown } | { result: 'unreadable'; error: unknown };

export function liveSupergraph(source: SupergraphSource, options: LiveSupergraphOptions): LiveSupergraph {
  const { logger } = options;
  let current: string | undefined;
  // The last refusal, so that a file left broken or a URL that stays down is reported once, not
  // at every poll.
  let refused: string | undefined;

  function serve(hash: string) {
    current = hash;
    refused = undefined;
    served.reset();
    served.set({ hash }, 1);
  }

  function refuse(refusal: Refusal) {
    const message = messageOf(refusal.error);
    const key = refusal.result === 'invalid' ? refusal.hash : message;
    if (key === refused) return;
    refused = key;
    reloads.inc({ result: refusal.result });
    logger.error(
      { source: source.location, result: refusal.result, ...(refusal.result === 'invalid' ? { hash: refusal.hash } : {}), reason: message, served: current },
      refusal.result === 'invalid'
        ? 'The new supergraph does not load; the gateway goes on serving the one it has. Fix the supergraph (npm run schema:compose writes one that composes).'
        : 'The supergraph cannot be read; the gateway goes on serving the one it has.',
    );
  }

  async function reload(update: SupergraphSdlUpdateFunction) {
    let text: string | typeof UNCHANGED;
    try {
      text = await source.read();
    } catch (error) {
      return refuse({ result: 'unreadable', error });
    }
    if (text === UNCHANGED) return;
    const hash = supergraphHash(text);
    if (hash === current) {
      // Back to the one served: a broken one written again is news again.
      refused = undefined;
      return;
    }
    try {
      // Apollo Gateway builds the new supergraph before it lets go of the old one: it throws
      // and keeps the old one when the new one does not load.
      update(withoutSecurityFeatures(text));
    } catch (error) {
      return refuse({ result: 'invalid', hash, error });
    }
    logger.info({ source: source.location, hash, previous: current }, 'supergraph reloaded');
    reloads.inc({ result: 'loaded' });
    serve(hash);
  }

  /** Starts listening and polling; gives what stops both and waits for a reload under way. */
  function keepCurrent(update: SupergraphSdlUpdateFunction, settleMs: number): () => Promise<void> {
    // One reload at a time; a change heard during one is read again after it.
    let running: Promise<void> | undefined;
    let again = false;
    const check = () => {
      if (running) {
        again = true;
        return;
      }
      running = reload(update).finally(() => {
        running = undefined;
        if (again) {
          again = false;
          check();
        }
      });
    };
    let settling: NodeJS.Timeout | undefined;
    const stopListening = source.listen?.(() => {
      clearTimeout(settling);
      settling = setTimeout(check, settleMs).unref();
    });
    const polling = source.pollIntervalMs === undefined ? undefined : setInterval(check, source.pollIntervalMs).unref();
    return async () => {
      stopListening?.();
      clearTimeout(settling);
      clearInterval(polling);
      again = false;
      await running;
    };
  }

  return {
    hash: () => current,
    manager: {
      async initialize({ update }) {
        // What fails here stops the start, with a message for the person starting it.
        const text = await source.read().catch((error: unknown) => {
          throw new StartupError(messageOf(error), { cause: error });
        });
        if (text === UNCHANGED) throw new StartupError(`${source.location} answered "not modified" to the first request for the supergraph.`);
        let supergraphSdl: string;
        try {
          supergraphSdl = withoutSecurityFeatures(text);
        } catch (error) {
          throw new StartupError(`The supergraph from ${source.location} is not valid GraphQL: ${messageOf(error)}`, { cause: error });
        }
        serve(supergraphHash(text));
        logger.info({ source: source.location, hash: current, reload: Boolean(source.listen ?? source.pollIntervalMs) }, 'supergraph loaded');
        return { supergraphSdl, cleanup: keepCurrent(update, options.settleMs ?? 100) };
      },
    },
  };
}
