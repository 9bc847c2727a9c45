// A copy of this repository as a fresh clone has it after `npm ci`: its files (those git tracks or
// would track), the Prisma clients that `npm ci` generates, and node_modules (linked, not copied);
// no .data/, no built web app. For the tests that follow a newcomer's steps, or steps that change
// the repository's files (a migration, a composed schema), without touching this working tree.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../subgraphs/manifest.ts';

const repo = fileURLToPath(REPO_ROOT);

function git(...args: string[]): string[] {
  return execFileSync('git', [...args, '-z'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
}

export interface RepositoryCopy {
  dir: string;
  remove(): Promise<void>;
}

/** A fresh copy under .data/ (which the test runner skips), named after `purpose`. */
export async function copyRepository(purpose: string): Promise<RepositoryCopy> {
  await mkdir(path.join(repo, '.data'), { recursive: true });
  const dir = await mkdtemp(path.join(repo, '.data', `${purpose}-`));
  // As a clone's folder is: under root, the embedded PostgreSQL runs as `postgres` and must reach its data in here.
  await chmod(dir, 0o755);
  const files = git('ls-files', '--cached', '--others', '--exclude-standard').filter((file) => existsSync(path.join(repo, file)));
  // Of what git ignores, only what `npm ci` makes (its postinstall generates the Prisma clients).
  const prismaClients = git('ls-files', '--others', '--ignored', '--exclude-standard', '--directory').filter((entry) =>
    entry.endsWith('__generated__/prisma/'),
  );
  for (const file of [...files, ...prismaClients]) {
    await cp(path.join(repo, file), path.join(dir, file), { recursive: true, preserveTimestamps: true });
  }
  await symlink(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
