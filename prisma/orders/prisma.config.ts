// Lets the stock Prisma CLI work on this service's schema, e.g.
// `npx prisma migrate deploy --config prisma/orders/prisma.config.ts` with ORDERS_DATABASE_URL set.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.ORDERS_DATABASE_URL ?? '' },
});
