// `npm start` as an operator sees it: JSON logs carrying the client's request id through the
// gateway and every subgraph, with no credential in them; and SIGTERM under load loses no
// request it accepted: each one is answered in full, or its connection was refused or closed
// before any answer began (then the request was never read, and a client may send it again).
import { describe, expect, it } from 'vitest';
import { startProcess, testDatabaseEnv } from '../../test/start-process.ts';

function startServer() {
  return startProcess({ ...process.env, ...testDatabaseEnv(), LOG_LEVEL: 'info' }, ['--no-seed'], 60_000);
}

const logLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { name?: string; req?: { id?: string } });

describe('npm start in operation', () => {
  it('logs each request with its id in the gateway and the subgraphs, and never a credential', async () => {
    const server = await startServer();
    try {
      const url = server.urlOf('GraphQL gateway');
      const logIn = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'login-req-1' },
        body: JSON.stringify({
          query: 'mutation { logIn(input: { email: "ada@example.com", password: "demo-password" }, delivery: BODY) { accessToken refreshToken } }',
        }),
      });
      const { data } = (await logIn.json()) as { data: { logIn: { accessToken: string; refreshToken: string } } };
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-42', authorization: `Bearer ${data.logIn.accessToken}` },
        body: JSON.stringify({ query: '{ users(first: 2) { edges { node { email posts(first: 1) { totalCount } orders(first: 1) { totalCount } } } } }' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const traced = logLines(server.output()).filter((line) => line.req?.id === 'trace-me-42');
      expect(new Set(traced.map((line) => line.name))).toEqual(new Set(['gateway', 'users', 'posts', 'orders']));
      const output = server.output();
      expect(output).not.toContain(data.logIn.accessToken);
      expect(output).not.toContain(data.logIn.refreshToken);
      expect(output).not.toContain('demo-password');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);

  it('answers every request it accepted when SIGTERM arrives under load, then exits cleanly', async () => {
    const server = await startServer();
    const url = server.urlOf('GraphQL gateway');
    const outcomes: string[] = [];
    let stopAt = Infinity;
    let signalledAt = Infinity;
    const client = async () => {
      while (Date.now() < stopAt) {
        const startedAt = Date.now();
        let response: Response;
        try {
          // A new connection per request, so that "accepted" has one meaning: the answer began.
          response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', connection: 'close' },
            body: JSON.stringify({ query: '{ users(first: 20) { edges { node { name posts(first: 3) { totalCount } } } } }' }),
          });
        } catch (error) {
          // No answer began. Fine for a request sent as the server stopped listening (refused, or
          // closed before it was read); a request sent well before the signal had been accepted.
          const accepted = startedAt < signalledAt - 50;
          outcomes.push(accepted ? `lost: ${String((error as Error).cause ?? error)}` : 'refused');
          if (!accepted) return;
          continue;
        }
        try {
          const body = (await response.json()) as { errors?: unknown[] };
          outcomes.push(response.status === 200 && !body.errors ? 'answered' : `failed ${response.status}`);
        } catch (error) {
          outcomes.push(`cut off mid-answer: ${String((error as Error).cause ?? error)}`);
        }
      }
    };
    // Warm up first, so that requests are in flight, not queued behind a cold start, at the signal.
    for (let i = 0; i < 3; i++) await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' });
    const clients = Array.from({ length: 4 }, client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    signalledAt = Date.now();
    server.child.kill('SIGTERM');
    stopAt = Date.now() + 3_000;
    await Promise.all(clients);
    expect(await server.exited).toBe(0);
    expect(outcomes.filter((outcome) => outcome !== 'answered' && outcome !== 'refused')).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'answered').length).toBeGreaterThanOrEqual(4);
  }, 90_000);
});
