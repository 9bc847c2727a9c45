// A second `npm start` on the same data is told where the first one serves; a record left by a
// start that crashed is ignored.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alreadyRunningMessage, findRunningStart, recordRunningStart, runningStartFile, type RunningStart } from './running-start.ts';

let dir: string;
let server: http.Server;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'running-start-'));
  server = http.createServer((_request, response) => response.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** A process that has ended: its pid names no process now (pids are not reused this soon). */
function endedPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

const record = (pid: number, gatewayUrl = url): RunningStart => ({
  pid,
  databases: 'embedded PostgreSQL on 127.0.0.1:15432 (data in .data/postgres)',
  services: [
    { label: 'Web app', url: 'being built; its address follows once it is served' },
    { label: 'GraphQL gateway', url: gatewayUrl, note: '(open it in a browser for Apollo Sandbox)' },
    { label: 'users subgraph', url: 'http://127.0.0.1:4001/graphql' },
  ],
});

describe('the record of a running npm start', () => {
  it('sits beside the data directory it uses', () => {
    expect(runningStartFile('.data/postgres')).toBe(path.resolve('.data/postgres.npm-start.json'));
  });

  it("gives a second start the first one's pid and addresses, and how to stop it", () => {
    expect(alreadyRunningMessage(record(4242, 'http://127.0.0.1:4000/graphql'))).toBe(
      'npm start is already running here (pid 4242), on embedded PostgreSQL on 127.0.0.1:15432 (data in .data/postgres):\n' +
        '  Web app          being built; its address follows once it is served\n' +
        '  GraphQL gateway  http://127.0.0.1:4000/graphql   (open it in a browser for Apollo Sandbox)\n' +
        '  users subgraph   http://127.0.0.1:4001/graphql\n' +
        'Use it, or stop it first (Ctrl-C where it runs, or `kill 4242`). A second stack beside it needs an EMBEDDED_POSTGRES_DIR and ports of its own.',
    );
  });

  it('is found while its process runs and its services answer', async () => {
    const file = path.join(dir, 'live.npm-start.json');
    // The test runner's parent stands for the other start: a live process that is not this one.
    recordRunningStart(file, record(process.ppid));
    expect(await findRunningStart(file)).toEqual(record(process.ppid));
  });

  it('is ignored when left by a start that crashed: its process is gone, or its pid serves nothing now', async () => {
    const file = path.join(dir, 'stale.npm-start.json');
    recordRunningStart(file, record(endedPid()));
    expect(await findRunningStart(file)).toBeUndefined();
    // The pid is another program's now (or this process's own, as a container may hand out).
    recordRunningStart(file, record(process.ppid, 'http://127.0.0.1:1/graphql'));
    expect(await findRunningStart(file)).toBeUndefined();
    recordRunningStart(file, record(process.pid));
    expect(await findRunningStart(file)).toBeUndefined();
    expect(await findRunningStart(path.join(dir, 'none.json'))).toBeUndefined();
  });
});
