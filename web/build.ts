// Builds web/dist (the web app) and web/explorer/dist (the explorer the gateway serves in
// development) when either is missing or older than what it is built from, for `npm start` and the
// browser tests; `npm run web:build` builds both unconditionally.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import path from 'node:path';
import { EXPLORER_DIST_DIR } from '../gateway/src/explorer.ts';
import { WEB_DIST_DIR } from './server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUNDLES = [
  { dist: WEB_DIST_DIR, sources: ['web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'web/src', 'operations/__generated__', 'package-lock.json'] },
  { dist: EXPLORER_DIST_DIR, sources: ['web/explorer', 'prisma/demo-accounts.ts', 'web/tsconfig.json', 'package-lock.json'] },
];

/** The newest change under `entry`, a bundle's own output (a `dist` folder in its sources) apart. */
function newestChange(entry: string): number {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  const files = readdirSync(entry, { recursive: true, withFileTypes: true }).filter(
    (file) => file.isFile() && !path.relative(entry, file.parentPath).split(path.sep).includes('dist'),
  );
  return Math.max(stat.mtimeMs, ...files.map((file) => statSync(path.join(file.parentPath, file.name)).mtimeMs));
}

/** Why web/dist or web/explorer/dist needs a build, or null when both are up to date. */
export function webBuildNeeded(): string | null {
  for (const { dist, sources } of BUNDLES) {
    const name = path.relative(ROOT, dist);
    const index = path.join(dist, 'index.html');
    if (!existsSync(index)) return `${name} is missing`;
    const built = statSync(index).mtimeMs;
    const stale = sources.find((source) => newestChange(path.join(ROOT, source)) > built);
    if (stale) return `${stale} changed since ${name} was built`;
  }
  return null;
}

export interface WebBuildOptions {
  /** Stops the build: its whole process tree (npm, tsc, Vite), which a signal to npm alone would leave running. */
  signal?: AbortSignal;
  /**
   * At the lowest CPU priority, beside the services starting (npm start): they get the cores
   * first, and the build takes what they leave.
   */
  background?: boolean;
}

/** Runs `npm run web:build` (type check, then Vite); rejects with its output when it fails. */
export function buildWebApp(options: WebBuildOptions = {}): Promise<void> {
  // Under `npm test` or `npm start`, npm_execpath is the npm that runs us.
  const [command, args] = process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath, 'run', '--silent', 'web:build']]
    : ['npm', ['run', '--silent', 'web:build']];
  const ownProcessGroup = process.platform !== 'win32';
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    // NODE_ENV=production: Vite would otherwise bundle React's development build under vitest (test).
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: ownProcessGroup,
    });
    // npm, then what it runs, inherit the priority: set before npm starts them.
    if (options.background && child.pid) setPriority(child.pid, constants.priority.PRIORITY_LOW);
    const stop = () => {
      if (ownProcessGroup && child.pid) process.kill(-child.pid, 'SIGTERM');
      else child.kill();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      options.signal?.removeEventListener('abort', stop);
      if (options.signal?.aborted) reject(options.signal.reason);
      else if (code === 0) resolve();
      else reject(new Error(`npm run web:build failed (exit ${code}):\n${output}`));
    });
  });
}

/** Builds web/dist if needed; says why through `log`. */
export async function ensureWebAppBuilt(log: (line: string) => void = () => {}): Promise<void> {
  const reason = webBuildNeeded();
  if (!reason) return;
  log(`Building the web app (${reason})...`);
  const startedAt = Date.now();
  await buildWebApp();
  log(`Built the web app in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
}
