// The request log on a real node:http server: the fields pino-http wrote, the level by status,
// probes left out, credentials redacted by the service's logger.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { logRequest } from './request-log.ts';

interface Line {
  level: number;
  msg: string;
  req: { id: string; method: string; url: string; headers: Record<string, string> };
  res: { statusCode: number };
  responseTime: number;
  err?: { message: string };
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function serve(level: string, status = 200) {
  const lines: Line[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  const logger = pino({ level, redact: { paths: ['req.headers.authorization'], censor: '[redacted]' } }, destination);
  const server = http.createServer((request, response) => {
    logRequest(request, response, 'req-1', { logger, ignore: (probe) => probe.url === '/health' });
    response.writeHead(status).end('{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { lines, get: (path: string) => fetch(`${origin}${path}`, { headers: { authorization: 'Bearer secret' } }).then((response) => response.text()) };
}

describe('logRequest', () => {
  it('logs a success at info with the request (id, method, url, headers), the status and the time taken', async () => {
    const { lines, get } = await serve('info');
    await get('/graphql?x=1');
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request completed', req: { id: 'req-1', method: 'GET', url: '/graphql?x=1' }, res: { statusCode: 200 } });
    expect(lines[0]!.req.headers.authorization).toBe('[redacted]');
    expect(lines[0]!.responseTime).toBeGreaterThanOrEqual(0);
  });

  it('warns of a client error and logs a failure as an error; successes below the level are not logged', async () => {
    const client = await serve('warn', 400);
    await client.get('/graphql');
    const failing = await serve('warn', 503);
    await failing.get('/graphql');
    const quiet = await serve('warn');
    await quiet.get('/graphql');
    await expect.poll(() => client.lines.length + failing.lines.length).toBe(2);
    expect(client.lines[0]).toMatchObject({ level: 40, msg: 'request completed', res: { statusCode: 400 } });
    expect(failing.lines[0]).toMatchObject({ level: 50, msg: 'request errored', err: { message: 'failed with status code 503' } });
    expect(quiet.lines).toEqual([]);
  });

  it('leaves out the ignored requests (health probes)', async () => {
    const { lines, get } = await serve('info', 503);
    await get('/health');
    await get('/graphql');
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]!.req.url).toBe('/graphql');
  });
});
