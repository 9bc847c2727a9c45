// A TCP proxy that delays every chunk by half a round-trip time in each direction: a network
// between two processes on one machine, with no root and no `tc`. Order is kept because every
// chunk waits the same time.
import net from 'node:net';

export interface DelayProxy {
  port: number;
  close(): Promise<void>;
}

/** `listenPort` 0 picks a free port; a fixed one lets a test stop the proxy and bring it back. */
export async function startDelayProxy(target: { host: string; port: number }, roundTripMs: number, listenPort = 0): Promise<DelayProxy> {
  const oneWay = roundTripMs / 2;
  const sockets = new Set<net.Socket>();
  const pipeDelayed = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => {
      if (oneWay === 0) to.write(chunk);
      else setTimeout(() => to.writable && to.write(chunk), oneWay);
    });
    from.on('end', () => setTimeout(() => to.end(), oneWay));
    from.on('error', () => to.destroy());
    from.on('close', () => to.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    pipeDelayed(client, upstream);
    pipeDelayed(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The same URL, pointed at the proxy. */
export function throughProxy(url: string, proxy: DelayProxy): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}
