// The three services that own a database, and where each keeps its Prisma schema and migrations.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const SERVICE_NAMES = ['users', 'posts', 'orders'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const prismaDir = path.dirname(fileURLToPath(import.meta.url));

export function schemaPath(service: ServiceName): string {
  return path.join(prismaDir, service, 'schema.prisma');
}

export function migrationsDir(service: ServiceName): string {
  return path.join(prismaDir, service, 'migrations');
}
