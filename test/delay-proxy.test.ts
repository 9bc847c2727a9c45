// The delay proxy must add the configured round-trip time (half each way) and deliver every
// byte, in order, in both directions.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDelayProxy, throughProxy } from './delay-proxy.ts';

const echo = net.createServer((socket) => socket.pipe(socket));
let target: { host: string; port: number };

beforeAll(async () => {
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  target = { host: '127.0.0.1', port: (echo.address() as net.AddressInfo).port };
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/** Writes `payload` and resolves with the time until `expected` bytes came back. */
function echoTime(socket: net.Socket, payload: Buffer): Promise<{ ms: number; received: Buffer }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const started = performance.now();
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length < payload.length) return;
      socket.off('data', onData);
      resolve({ ms: performance.now() - started, received: Buffer.concat(chunks) });
    };
    socket.on('data', onData);
    socket.write(payload);
  });
}

describe('delay proxy', () => {
  it('delays a request and its answer by the configured round-trip time', async () => {
    for (const roundTripMs of [20, 80]) {
      const proxy = await startDelayProxy(target, roundTripMs);
      const socket = await connect(proxy.port);
      const times = [];
      for (let i = 0; i < 5; i++) times.push((await echoTime(socket, Buffer.from(`ping ${i}`))).ms);
      socket.destroy();
      await proxy.close();
      // Timers never fire early; a loaded 2-core machine may make them a little late.
      expect(Math.min(...times)).toBeGreaterThanOrEqual(roundTripMs - 1);
      expect(Math.min(...times)).toBeLessThan(roundTripMs + 15);
    }
  });

  it('adds no delay at 0 ms: bytes come back while timers stand still', async () => {
    // Clocks are frozen, sockets are not: an echo that completes proves the proxy waited on no timer.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const proxy = await startDelayProxy(target, 0);
      const socket = await connect(proxy.port);
      const { received } = await echoTime(socket, Buffer.from('ping'));
      socket.destroy();
      await proxy.close();
      expect(received.toString()).toBe('ping');
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps every byte in order when many chunks of different sizes are in flight', async () => {
    const proxy = await startDelayProxy(target, 20);
    const socket = await connect(proxy.port);
    const parts = Array.from({ length: 300 }, (_, i) => Buffer.alloc(((i * 7919) % 3000) + 1, i % 251));
    const payload = Buffer.concat(parts);
    const received = new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      let length = 0;
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= payload.length) resolve(Buffer.concat(chunks));
      });
    });
    // Written as separate chunks, some while earlier ones still wait in the proxy.
    for (const [index, part] of parts.entries()) {
      socket.write(part);
      if (index % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const echoed = await received;
    socket.destroy();
    await proxy.close();
    expect(echoed.length).toBe(payload.length);
    expect(echoed.equals(payload)).toBe(true);
  });

  it('points a URL at the proxy, keeping its path', () => {
    expect(throughProxy('http://127.0.0.1:4001/users/1?limit=2', { port: 61000, close: async () => {} })).toBe('http://127.0.0.1:61000/users/1?limit=2');
  });
});
