// The REST wrapper's failure paths: an unexpected error is a JSON 500 that reveals nothing, and a
// token the verifier refuses is a 401 that says so.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidToken } from '#lib/service/auth.ts';
import { restRoute } from './rest.ts';

const app = express();
app.get(
  '/broken',
  restRoute(
    async () => null,
    async () => {
      throw new Error('connection to the database lost: password=hunter2');
    },
  ),
);
app.get(
  '/refused',
  restRoute(
    async () => {
      throw invalidToken('The access token has expired; refresh it.');
    },
    async () => ({ body: {}, caching: { scope: 'private' } }),
  ),
);
let server: ReturnType<typeof app.listen>;
let base: string;

beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('restRoute failures', () => {
  it('answers an unexpected error with a JSON 500 that does not leak its message', async () => {
    const response = await fetch(`${base}/broken`);
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
  });

  it('answers a refused token with 401, its reason and a Bearer challenge', async () => {
    const response = await fetch(`${base}/refused`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'The access token has expired; refresh it.' } });
  });
});
