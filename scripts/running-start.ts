// The `npm start` that runs on an embedded PostgreSQL data directory, recorded beside it (its pid
// and the addresses it serves), so that a second start there says where the first one is instead of
// failing on PostgreSQL's lock file. A record left by a start that crashed is ignored.
import { renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { processIsAlive } from '../prisma/postgres.ts';

/** A service and where it answers, as the start-up output lists them. */
export interface ServiceAddress {
  label: string;
  url: string;
  /** After the URL, e.g. "(open it in a browser for Apollo Sandbox)". */
  note?: string;
}

export interface RunningStart {
  pid: number;
  /** Where the databases are, as the start-up output says. */
  databases: string;
  services: ServiceAddress[];
}

/** `.data/postgres` → `.data/postgres.npm-start.json`: one record per data directory, as one start can use it. */
export function runningStartFile(embeddedDir: string): string {
  const dir = path.resolve(embeddedDir);
  return path.join(path.dirname(dir), `${path.basename(dir)}.npm-start.json`);
}

/** The services, one a line, their addresses aligned: "  GraphQL gateway  http://…". */
export function serviceLines(services: readonly ServiceAddress[]): string {
  return services.map(({ label, url, note }) => `  ${label.padEnd(17)}${url}${note ? `   ${note}` : ''}`).join('\n');
}

export function alreadyRunningMessage(running: RunningStart): string {
  return (
    `npm start is already running here (pid ${running.pid}), on ${running.databases}:\n${serviceLines(running.services)}\n` +
    `Use it, or stop it first (Ctrl-C where it runs, or \`kill ${running.pid}\`). ` +
    'A second stack beside it needs an EMBEDDED_POSTGRES_DIR and ports of its own.'
  );
}

export function recordRunningStart(file: string, running: RunningStart): void {
  // Written whole, then renamed: a start reading it never sees half a record.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(running, null, 2)}\n`);
  renameSync(partial, file);
}

export function forgetRunningStart(file: string): void {
  rmSync(file, { force: true });
}

function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    const settle = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(2_000, () => settle(false));
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
  });
}

/**
 * The start recorded in `file`, if it still runs: its process lives (and is not this one, which a
 * container may give the same pid as a crashed run) and its first service still answers (the pid
 * was not handed to another program since).
 */
export async function findRunningStart(file: string): Promise<RunningStart | undefined> {
  let running: RunningStart;
  try {
    running = JSON.parse(readFileSync(file, 'utf8')) as RunningStart;
  } catch {
    return undefined;
  }
  if (running.pid === process.pid || !processIsAlive(running.pid)) return undefined;
  const first = running.services.find((service) => service.url.startsWith('http'));
  return first && (await answers(first.url)) ? running : undefined;
}
