// The load balancer of npm run start:distributed, in front of two stand-in replicas: round-robin
// over the ready ones, requests passed on whole, a refused connection sent to the next replica,
// and a clear 503 when none is ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startLoadBalancer, type RunningLoadBalancer } from './load-balancer.ts';

interface Replica {
  origin: string;
  isReady: boolean;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Answers /ready with 200 or 503, anything else with its name and what it received. */
async function replica(name: string, port = 0): Promise<Replica> {
  const state = { isReady: true };
  const server = http.createServer((request, response) => {
    if (request.url === '/ready') return response.writeHead(state.isReady ? 200 : 503).end();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = { method: request.method, url: request.url, header: request.headers['x-custom'], body: Buffer.concat(chunks).toString() };
      response.writeHead(201, { 'content-type': 'application/json', 'x-replica': name, 'set-cookie': ['a=1', 'b=2'] }).end(JSON.stringify(received));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  cleanups.push(close);
  return {
    origin,
    get isReady() {
      return state.isReady;
    },
    set isReady(value) {
      state.isReady = value;
    },
    close,
  };
}

async function balancer(upstreams: string[]): Promise<RunningLoadBalancer> {
  const started = await startLoadBalancer({ upstreams, port: 0, checkIntervalMs: 50 });
  cleanups.push(() => started.close());
  return started;
}

const post = (origin: string, body = '{"query":"{ me { id } }"}') =>
  fetch(`${origin}/graphql?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': 'kept' }, body });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the load balancer', () => {
  it('takes the ready replicas in turn, passing each request and its answer on whole', async () => {
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    const lb = await balancer([a.origin, b.origin]);
    const answers = await Promise.all([post(lb.origin), post(lb.origin), post(lb.origin), post(lb.origin)]);
    expect(answers.map((answer) => answer.headers.get('x-replica')).sort()).toEqual(['a', 'a', 'b', 'b']);
    const answer = answers[0];
    expect(answer.status).toBe(201);
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await answer.json()).toEqual({ method: 'POST', url: '/graphql?x=1', header: 'kept', body: '{"query":"{ me { id } }"}' });
  });

  it('leaves out a replica while its /ready says no, and takes it back when it says yes', async () => {
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    const lb = await balancer([a.origin, b.origin]);
    a.isReady = false;
    await wait(200);
    expect(lb.ready()).toEqual([b.origin]);
    const answers = await Promise.all([post(lb.origin), post(lb.origin), post(lb.origin)]);
    expect(answers.map((answer) => answer.headers.get('x-replica'))).toEqual(['b', 'b', 'b']);
    a.isReady = true;
    await wait(200);
    expect(lb.ready().sort()).toEqual([a.origin, b.origin].sort());
  });

  it('sends a request whose connection is refused to the next replica, before its /ready is asked again', async () => {
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    const lb = await startLoadBalancer({ upstreams: [a.origin, b.origin], port: 0, checkIntervalMs: 60_000 });
    cleanups.push(() => lb.close());
    await a.close();
    const answers = await Promise.all([post(lb.origin), post(lb.origin), post(lb.origin)]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(answers.map((answer) => answer.headers.get('x-replica'))).toEqual(['b', 'b', 'b']);
    expect(lb.ready()).toEqual([b.origin]);
  });

  it('tries the replicas that are not ready when none is, and answers 503 SERVICE_UNAVAILABLE when none answers', async () => {
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    a.isReady = false;
    b.isReady = false;
    const lb = await balancer([a.origin, b.origin]);
    expect(lb.ready()).toEqual([]);
    expect((await post(lb.origin)).status).toBe(201);

    await Promise.all([a.close(), b.close()]);
    const answer = await post(lb.origin);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({
      errors: [{ message: 'No gateway replica answers; try again in a moment.', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
  });
});
