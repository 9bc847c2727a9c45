// The ports the services listen on, checked before anything starts: a taken port is named with its
// service and the variable that moves it, before `npm start` creates or starts a database.
import net from 'node:net';
import { StartupError } from './startup-errors.ts';

/** Where a service will listen, and the variable that sets its port. */
export interface ListenAddress {
  /** As a sentence names it: "gateway", "posts subgraph". */
  service: string;
  host: string;
  port: number;
  variable: string;
}

export function portTakenMessage({ service, host, port, variable }: ListenAddress): string {
  return `The ${service} cannot listen on ${host}:${port}: the port is taken. Set ${variable} to another port (0 picks a free one), or stop what holds it.`;
}

/** Why nothing can listen on `host`:`port` (EADDRINUSE, EACCES, ...), or undefined when something can. */
export function listenProblem(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', resolve);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

/** What a failed listen means for this service: the port-taken message when that is the cause. */
export function explainListenError(error: unknown, address: ListenAddress): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? new StartupError(portTakenMessage(address), { cause: error }) : error;
}

/** Checks every fixed port (0 picks a free one, so it never fails); one line per port that is not free. */
export async function ensurePortsFree(addresses: readonly ListenAddress[]): Promise<void> {
  const problems: string[] = [];
  for (const address of addresses) {
    if (address.port === 0) continue;
    const problem = await listenProblem(address.port, address.host);
    if (!problem) continue;
    problems.push(
      problem.code === 'EADDRINUSE'
        ? portTakenMessage(address)
        : `The ${address.service} cannot listen on ${address.host}:${address.port}: ${problem.message}. Check ${address.variable} and HOST.`,
    );
  }
  if (problems.length) throw new StartupError(problems.join('\n'));
}

/** A port free on `host` now, for a service started in another process that must keep it across restarts. */
export function freePortOn(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
