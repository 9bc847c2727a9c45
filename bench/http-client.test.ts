// Bytes on the wire, counted at the client, must be exactly what the server wrote and what the
// client sent, per exchange, also when exchanges follow each other on one kept-alive connection.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from './http-client.ts';

/** A server that answers every request with fixed bytes and records the bytes of each request. */
function rawServer(responses: string[]) {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  let next = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      // Every request here is headers only, or a body with a Content-Length.
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(pending.slice(0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        requests.push(pending.slice(0, end + 4 + length));
        pending = pending.slice(end + 4 + length);
        socket.write(responses[next++ % responses.length]!);
      }
    });
  });
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, requests, close };
}

const CHUNKED =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n' +
  '5\r\n{"a":\r\na\r\n[1,2,3,4]}\r\n0\r\n\r\n';
const FIXED_BODY = '{"b":"ü1"}';
const FIXED = `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(FIXED_BODY)}\r\nX-Extra: héllo\r\nConnection: keep-alive\r\n\r\n${FIXED_BODY}`;
const NOT_MODIFIED = 'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\nConnection: keep-alive\r\n\r\n';

const { server, requests, close } = rawServer([CHUNKED, FIXED, NOT_MODIFIED]);
let url: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => close());

describe('HttpClient byte counting', () => {
  it('counts each exchange exactly, framing and multi-byte characters included, on one kept-alive connection', async () => {
    const client = new HttpClient({ connectionsPerOrigin: 1 });
    requests.length = 0;
    // Queued behind each other on the single connection: each is written the moment the
    // previous one frees it, the case where a late count would take the next request's bytes.
    const exchanges = await Promise.all([
      client.request(`${url}/a`),
      client.request(`${url}/bb`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":"é"}' }),
      client.request(`${url}/ccc`, { headers: { 'if-none-match': '"x"' } }),
    ]);
    client.close();
    expect(exchanges.map((exchange) => exchange.status)).toEqual([200, 200, 304]);
    expect(exchanges[0].body).toBe('{"a":[1,2,3,4]}');
    expect(exchanges[1].body).toBe(FIXED_BODY);
    expect(exchanges.map((exchange) => exchange.bytesDown)).toEqual([CHUNKED, FIXED, NOT_MODIFIED].map((raw) => Buffer.byteLength(raw)));
    expect(exchanges.map((exchange) => exchange.bytesUp)).toEqual(requests.map((raw) => Buffer.byteLength(raw, 'latin1')));
    expect(client.takeTraffic()).toEqual({
      requests: 3,
      bytesDown: Buffer.byteLength(CHUNKED + FIXED + NOT_MODIFIED),
      bytesUp: requests.reduce((sum, raw) => sum + Buffer.byteLength(raw, 'latin1'), 0),
    });
    expect(client.takeTraffic()).toEqual({ requests: 0, bytesDown: 0, bytesUp: 0 });
  });

  it('opens at most the given number of connections per origin', async () => {
    let connections = 0;
    const open = new Set<net.Socket>();
    const counted = net.createServer((socket) => {
      connections += 1;
      open.add(socket);
      socket.on('data', () => socket.write(FIXED));
    });
    await new Promise<void>((resolve) => counted.listen(0, '127.0.0.1', resolve));
    const client = new HttpClient();
    const target = `http://127.0.0.1:${(counted.address() as net.AddressInfo).port}/`;
    await Promise.all(Array.from({ length: 20 }, () => client.request(target)));
    client.close();
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => counted.close(() => resolve()));
    expect(connections).toBe(6);
  });
});
