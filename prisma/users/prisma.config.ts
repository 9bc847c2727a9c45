// Lets the stock Prisma CLI work on this service's schema, e.g.
// `npx prisma migrate deploy --config prisma/users/prisma.config.ts` with USERS_DATABASE_URL set.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.USERS_DATABASE_URL ?? '' },
});
