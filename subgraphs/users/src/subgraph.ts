import { createLocalJWKSet } from 'jose';
import { createAccessTokenVerifier, type AuthSettings } from '../../../lib/auth.ts';
import type { RestServices } from '../../../lib/rest.ts';
import { defineSubgraph } from '../../../lib/subgraph.ts';
import { connectUsersDatabase, type UsersDatabase } from './db.ts';
import { createUsersLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';
import { usersRestRoutes } from './rest.ts';
import type { SessionIssuer } from './sessions.ts';
import { loadSigningKeys } from './signing-keys.ts';

export interface UsersServices {
  sessions: SessionIssuer;
  /** What the REST routes need (they run outside GraphQL, so they get no resolver context). */
  rest: RestServices<UsersDatabase>;
}

export const JWKS_PATH = '/.well-known/jwks.json';

export const usersSubgraph = defineSubgraph({
  name: 'users',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectUsersDatabase,
  createLoaders: createUsersLoaders,
  createServices: (db: UsersDatabase, auth: AuthSettings): UsersServices => {
    const keys = loadSigningKeys();
    return {
      sessions: { db, keys, settings: auth },
      rest: { db, verifyAccessToken: createAccessTokenVerifier(auth, createLocalJWKSet(keys.jwks)) },
    };
  },
  // The public keys that every service verifies access tokens with.
  routes: (app, { sessions, rest }) => {
    app.get(JWKS_PATH, (_request, response) => {
      response.set('Cache-Control', 'public, max-age=300').json(sessions.keys.jwks);
    });
    usersRestRoutes(app, rest);
  },
  verificationKeys: ({ sessions }) => createLocalJWKSet(sessions.keys.jwks),
});
