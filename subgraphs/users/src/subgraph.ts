import { createLocalJWKSet } from 'jose';
import type { AuthSettings } from '#lib/service/auth.ts';
import { defineSubgraph } from '#lib/subgraph/service.ts';
import { connectUsersDatabase, type UsersDatabase } from './db.ts';
import { createUsersLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';
import { logInThrottleSettingsFromEnv, type LogInThrottle } from './login-throttle.ts';
import { usersRestRoutes } from './rest.ts';
import type { SessionIssuer } from './sessions.ts';
import { loadSigningKeys } from './signing-keys.ts';

export interface UsersServices {
  sessions: SessionIssuer;
  logInThrottle: LogInThrottle;
}

export const JWKS_PATH = '/.well-known/jwks.json';

export const usersSubgraph = defineSubgraph({
  name: 'users',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectUsersDatabase,
  createLoaders: createUsersLoaders,
  createServices: (db: UsersDatabase, auth: AuthSettings): UsersServices => ({
    sessions: { db, keys: loadSigningKeys(), settings: auth },
    logInThrottle: { db, settings: logInThrottleSettingsFromEnv() },
  }),
  // The public keys that every service verifies access tokens with.
  routes: (app, { sessions, db, verifyAccessToken }) => {
    app.get(JWKS_PATH, (_request, response) => {
      response.set('Cache-Control', 'public, max-age=300').json(sessions.keys.jwks);
    });
    usersRestRoutes(app, { db, verifyAccessToken });
  },
  verificationKeys: ({ sessions }) => createLocalJWKSet(sessions.keys.jwks),
});
