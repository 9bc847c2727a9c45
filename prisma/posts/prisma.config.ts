// Lets the stock Prisma CLI work on this service's schema, e.g.
// `npx prisma migrate deploy --config prisma/posts/prisma.config.ts` with POSTS_DATABASE_URL set.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.POSTS_DATABASE_URL ?? '' },
});
