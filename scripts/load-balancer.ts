// One address in front of the gateway replicas of `npm run start:distributed`: round-robin over
// the replicas whose /ready answers 200, asked every second, over undici's keep-alive pools. In
// production the platform's balancer does this (a Kubernetes Service, a cloud load balancer).
//
// A request whose connection to a replica fails before any answer (refused, or reset) goes to the
// next replica: a replica that stops drains, answering every request it has read, so such a
// request was never read there, and sending it again cannot run it twice. Nothing is retried
// once an answer has begun. With no replica ready, each is tried all the same: 503 only when none answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { ErrorCode } from '#lib/service/errors.ts';

export interface LoadBalancerOptions {
  /** The replicas' origins, e.g. http://127.0.0.1:40123. */
  upstreams: readonly string[];
  port: number;
  host?: string;
  /** How often each replica's /ready is asked (default 1 s). */
  checkIntervalMs?: number;
}

export interface RunningLoadBalancer {
  /** Its origin, e.g. http://127.0.0.1:4000. */
  origin: string;
  /** The replicas it sends requests to now. */
  ready(): string[];
  close(): Promise<void>;
}

/** Larger than any body a gateway takes (100 kB): the gateway itself answers those that are too large. */
const MAX_BODY_BYTES = 1024 * 1024;
// Per hop: meaningful between two parties only, never passed on (RFC 9110, 7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function forwardable(headers: http.IncomingHttpHeaders | Record<string, string | string[] | undefined>) {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.has(name))) as Record<
    string,
    string | string[]
  >;
}

/** A failure of the connection itself, before any answer: the replica never read the request. */
function unanswered(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function refuse(response: http.ServerResponse, status: number, message: string, code: string) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

async function readBody(incoming: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startLoadBalancer(options: LoadBalancerOptions): Promise<RunningLoadBalancer> {
  const agent = new Agent();
  const ready = new Set<string>();
  let next = 0;

  const check = async (origin: string) => {
    // As long as a gateway may take to ask its subgraphs (a second each), and a little more.
    const answered = await request(`${origin}/ready`, { dispatcher: agent, signal: AbortSignal.timeout(2_000) }).then(
      async (response) => {
        await response.body.dump();
        return response.statusCode === 200;
      },
      () => false,
    );
    if (answered) ready.add(origin);
    else ready.delete(origin);
  };
  const checkAll = () => Promise.all(options.upstreams.map(check));
  await checkAll();
  const timer = setInterval(() => void checkAll(), options.checkIntervalMs ?? 1_000);

  const server = http.createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readBody(incoming);
      if (!body) return refuse(outgoing, 413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`, ErrorCode.PayloadTooLarge);
      // Each replica at most once: the ready ones from the next in turn, then, rather than no
      // answer, those whose /ready said no or was late (a busy machine), as nginx does.
      const inTurn = [...ready];
      const first = next++;
      const candidates = [...inTurn.map((_, index) => inTurn[(first + index) % inTurn.length]!), ...options.upstreams.filter((origin) => !ready.has(origin))];
      for (const origin of candidates) {
        let answer: Awaited<ReturnType<typeof request>>;
        try {
          answer = await request(`${origin}${incoming.url ?? '/'}`, {
            dispatcher: agent,
            method: incoming.method as 'GET',
            headers: forwardable(incoming.headers),
            body: incoming.method === 'GET' || incoming.method === 'HEAD' ? undefined : body,
          });
        } catch (error) {
          if (!unanswered(error)) throw error;
          // Out of turn until its /ready answers again.
          ready.delete(origin);
          continue;
        }
        outgoing.writeHead(answer.statusCode, forwardable(answer.headers));
        for await (const chunk of answer.body) outgoing.write(chunk);
        outgoing.end();
        return;
      }
      refuse(outgoing, 503, 'No gateway replica answers; try again in a moment.', ErrorCode.ServiceUnavailable);
    })().catch(() => outgoing.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    origin: `http://${address}:${port}`,
    ready: () => [...ready],
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}
