// Trusted documents at the gateway: a request that names a registered document by id (Apollo's
// `persistedQuery` extension, by POST or by GET) runs that document; a document sent in full runs
// if it is registered, and otherwise as the mode says (settings.ts). Decided before the document
// is parsed: a refused document costs a hash and a registry lookup, never a parse or a validation
// (whose errors would let a stranger probe the schema field by field). Registered documents then
// go through everything else, the limits included.
import type { ApolloServerPlugin, GraphQLRequest, GraphQLRequestListener } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { isAdmin, type Viewer } from '#lib/service/auth.ts';
import { ErrorCode } from '#lib/service/errors.ts';
import type { Logger } from '#lib/service/logger.ts';
import { trustedDocumentRequests } from '#lib/service/metrics.ts';
import { documentId, type DocumentRegistry } from '../../../documents/registry.ts';
import type { TrustedDocumentSettings } from './settings.ts';

export interface TrustedDocumentsContext {
  viewer: Viewer | null;
}

/**
 * Apollo Server answers an error thrown before parsing with a 500: a refused request goes on
 * with this stand-in instead of its document, and gets its refusal once the stand-in is resolved,
 * before anything runs.
 */
const STAND_IN = '{ __typename }';

const UNREACHABLE = Symbol('registry unreachable');

function refuse(request: GraphQLRequest, error: GraphQLError): GraphQLRequestListener<TrustedDocumentsContext> {
  request.query = STAND_IN;
  request.extensions = {};
  return {
    async didResolveOperation() {
      throw error;
    },
  };
}

/** Each unregistered document is logged once per this many, not once per request. */
const LOGGED_DOCUMENTS = 1_000;

function refusal(code: string, message: string, status: number): GraphQLError {
  trustedDocumentRequests.inc({ outcome: 'refused' });
  // Not cacheable: the id may be published a moment later.
  const headers = new HeaderMap([['cache-control', 'private, no-cache, must-revalidate']]);
  return new GraphQLError(message, { extensions: { code, http: { status, headers } } });
}

function persistedQueryHash(request: GraphQLRequest): string | undefined {
  const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

export function trustedDocumentsPlugin(
  settings: Pick<TrustedDocumentSettings, 'mode' | 'adminAdhoc'>,
  registry: DocumentRegistry,
  logger: Logger,
): ApolloServerPlugin<TrustedDocumentsContext> {
  const logged = new LRUCache<string, true>({ max: LOGGED_DOCUMENTS });
  const adminMayRunAnything = (viewer: Viewer | null) => settings.adminAdhoc && isAdmin(viewer);
  const howToRegister = 'Clients send the ids of the documents they published (npm run documents:publish; see docs/trusted-documents.md)';
  const orSignIn = (adminAdhoc: boolean) => (adminAdhoc ? ', and admins may run any document once signed in.' : '.');
  const unavailable = () =>
    refusal(
      ErrorCode.ServiceUnavailable,
      'The registry of trusted documents cannot be reached, so this document cannot be checked: retry in a few seconds.',
      503,
    );

  // Redis away: documents the registry's reader already knows keep their answer (registry.ts);
  // under enforce the others are refused (fail closed), elsewhere they run. Said once per outage.
  let registryDown = false;
  async function lookup(id: string): Promise<string | undefined | typeof UNREACHABLE> {
    try {
      const body = await registry.get(id);
      if (registryDown) logger.warn('The registry of trusted documents answers again.');
      registryDown = false;
      return body;
    } catch (error) {
      if (!registryDown)
        logger.error({ err: error }, 'The registry of trusted documents cannot be reached: under enforce, documents not seen yet are refused (503).');
      registryDown = true;
      return UNREACHABLE;
    }
  }

  return {
    async serverWillStart() {
      return {
        async serverWillStop() {
          await registry.close();
        },
      };
    },
    async requestDidStart({ request, contextValue }) {
      const hash = persistedQueryHash(request);
      if (request.query === undefined && hash !== undefined) {
        const body = await lookup(hash);
        if (typeof body === 'string') {
          trustedDocumentRequests.inc({ outcome: 'registered' });
          // Run as a document sent in full: Apollo Server would otherwise store it again in its APQ cache at every request.
          const { persistedQuery: _registered, ...extensions } = request.extensions ?? {};
          request.query = body;
          request.extensions = extensions;
          return;
        }
        // Not registered: under log and off, Apollo Server's APQ cache may know it (and the
        // client then sends it in full, which is checked below); under enforce, an error.
        if (settings.mode === 'enforce' && !adminMayRunAnything(contextValue.viewer)) {
          return refuse(
            request,
            body === UNREACHABLE
              ? unavailable()
              : refusal(
                  ErrorCode.PersistedQueryNotFound,
                  `No registered document has the id ${hash}. ${howToRegister}: publish this client version's manifest, then retry${orSignIn(settings.adminAdhoc)}`,
                  404,
                ),
          );
        }
        return;
      }
      if (settings.mode === 'off' || typeof request.query !== 'string') return;
      const id = documentId(request.query);
      const body = await lookup(id);
      if (typeof body === 'string') {
        trustedDocumentRequests.inc({ outcome: 'registered' });
        return;
      }
      if (settings.mode === 'log') {
        trustedDocumentRequests.inc({ outcome: 'logged' });
        if (!logged.has(id)) {
          logged.set(id, true);
          // A record, not a fault: at info, so that npm start's console (LOG_LEVEL=warn) stays quiet while one explores.
          logger.info({ documentId: id, operationName: request.operationName }, 'Ran an unregistered document: TRUSTED_DOCUMENTS=enforce would refuse it.');
        }
        return;
      }
      if (adminMayRunAnything(contextValue.viewer)) {
        trustedDocumentRequests.inc({ outcome: 'admin' });
        return;
      }
      return refuse(
        request,
        body === UNREACHABLE
          ? unavailable()
          : refusal(
              ErrorCode.DocumentNotTrusted,
              `This gateway runs registered documents only, and this one is not registered. ${howToRegister}${orSignIn(settings.adminAdhoc)}`,
              403,
            ),
      );
    },
  };
}
