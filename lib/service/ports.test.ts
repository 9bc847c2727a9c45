// A taken port is named with its service and the variable that moves it, before anything starts.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePortsFree, explainListenError, portTakenMessage } from './ports.ts';
import { StartupError } from './startup-errors.ts';

let holder: net.Server;
let taken: number;

beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  taken = (holder.address() as net.AddressInfo).port;
});

afterAll(() => new Promise((resolve) => holder.close(resolve)));

describe('a taken port', () => {
  it('is named with its service and the variable to change', () => {
    expect(portTakenMessage({ service: 'posts subgraph', host: '127.0.0.1', port: 4002, variable: 'POSTS_PORT' })).toBe(
      'The posts subgraph cannot listen on 127.0.0.1:4002: the port is taken. Set POSTS_PORT to another port (0 picks a free one), or stop what holds it.',
    );
  });

  it('is found before anything listens, one line per taken port; port 0 never is', async () => {
    const check = ensurePortsFree([
      { service: 'gateway', host: '127.0.0.1', port: taken, variable: 'GATEWAY_PORT' },
      { service: 'users subgraph', host: '127.0.0.1', port: 0, variable: 'USERS_PORT' },
      { service: 'web app', host: '127.0.0.1', port: taken, variable: 'WEB_PORT' },
    ]);
    await expect(check).rejects.toThrow(StartupError);
    await expect(check).rejects.toThrow(
      `The gateway cannot listen on 127.0.0.1:${taken}: the port is taken. Set GATEWAY_PORT to another port (0 picks a free one), or stop what holds it.\n` +
        `The web app cannot listen on 127.0.0.1:${taken}: the port is taken. Set WEB_PORT to another port (0 picks a free one), or stop what holds it.`,
    );
    await expect(ensurePortsFree([{ service: 'gateway', host: '127.0.0.1', port: 0, variable: 'GATEWAY_PORT' }])).resolves.toBeUndefined();
  });

  it('is explained when a listen fails on it after all (another program took it meanwhile)', async () => {
    const server = net.createServer();
    const error = await new Promise((resolve) => server.once('error', resolve).listen(taken, '127.0.0.1'));
    const explained = explainListenError(error, { service: 'gateway', host: '0.0.0.0', port: taken, variable: 'PORT' });
    expect(explained).toBeInstanceOf(StartupError);
    expect((explained as Error).message).toBe(
      `The gateway cannot listen on 0.0.0.0:${taken}: the port is taken. Set PORT to another port (0 picks a free one), or stop what holds it.`,
    );
    const other = new Error('something else');
    expect(explainListenError(other, { service: 'gateway', host: '0.0.0.0', port: taken, variable: 'PORT' })).toBe(other);
  });
});
