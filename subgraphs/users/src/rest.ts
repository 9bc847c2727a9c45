// REST equivalents of the users service's queries: `GET /users` and `GET /users/:id`. A user's
// email shows only to the user themself and admins (as `User.email`); a reply holding one is
// private, any other is public and the same for everyone.
import type { Express } from 'express';
import { isAdmin, type Viewer } from '#lib/service/auth.ts';
import { NEWEST_FIRST, afterPosition } from '#lib/subgraph/pagination.ts';
import { LIST_CACHING, PRIVATE, publicFor, idParameter, notFound, pageParameters, pageReply, restRoute, type RestServices } from '#lib/subgraph/rest.ts';
import type { UsersDatabase } from './db.ts';
import { createUsersLoaders } from './loaders.ts';
import type { UserModel } from './models.ts';

/** `User` is hinted `maxAge: 300`. */
const USER_CACHING = publicFor(300);

function mayReadEmail(viewer: Viewer | null, user: UserModel): boolean {
  return viewer !== null && (viewer.id === user.id || isAdmin(viewer));
}

function represent(user: UserModel, viewer: Viewer | null) {
  return {
    id: String(user.id),
    name: user.name,
    ...(mayReadEmail(viewer, user) && { email: user.email }),
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

export function usersRestRoutes(app: Express, { db, verifyAccessToken }: RestServices<UsersDatabase>) {
  app.get(
    '/users',
    restRoute(verifyAccessToken, async ({ request, viewer }) => {
      const page = pageParameters(request);
      const rows = await db.user.findMany({ where: afterPosition(page.after), orderBy: NEWEST_FIRST, take: page.size + 1 });
      const showsEmail = rows.slice(0, page.size).some((user) => mayReadEmail(viewer, user));
      const reply = pageReply(request, rows, page, (user) => represent(user, viewer), showsEmail ? PRIVATE : LIST_CACHING);
      return { ...reply, vary: 'Authorization' };
    }),
  );
  app.get(
    '/users/:id',
    restRoute(verifyAccessToken, async ({ request, viewer }) => {
      const id = idParameter(request, 'user');
      const user = await createUsersLoaders(db, { batch: true }).userById.load(id);
      if (!user) throw notFound('user', id);
      const caching = mayReadEmail(viewer, user) ? PRIVATE : USER_CACHING;
      return { body: represent(user, viewer), caching, vary: 'Authorization' };
    }),
  );
}
