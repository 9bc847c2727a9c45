// The benchmark's HTTP client: keep-alive connections, at most six per origin as a browser
// keeps over HTTP/1.1, and exact bytes on the wire for every exchange, counted at the socket
// (status line, headers, body and chunked framing; request and response apart).
import http from 'node:http';
import type { Socket } from 'node:net';

export interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Bytes the client received for this exchange: the whole response as sent on the wire. */
  bytesDown: number;
  /** Bytes the client sent: request line, headers and body. */
  bytesUp: number;
}

export interface Traffic {
  requests: number;
  bytesDown: number;
  bytesUp: number;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** Browsers open at most six HTTP/1.1 connections per origin; requests beyond wait for one. */
export const BROWSER_CONNECTIONS_PER_ORIGIN = 6;

const REQUEST_TIMEOUT_MS = 30_000;

export class HttpClient {
  private readonly agent: http.Agent;
  /** Where each connection's counters stood when its previous exchange ended. */
  private readonly marks = new WeakMap<Socket, { read: number; written: number }>();
  readonly traffic: Traffic = { requests: 0, bytesDown: 0, bytesUp: 0 };

  constructor(options: { connectionsPerOrigin?: number } = {}) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.connectionsPerOrigin ?? BROWSER_CONNECTIONS_PER_ORIGIN });
  }

  request(url: string, options: RequestOptions = {}): Promise<Exchange> {
    return new Promise((resolve, reject) => {
      const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: this.agent });
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`${url}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      request.on('error', reject);
      request.on('response', (response) => {
        // Taken now: once the response ends, Node detaches it from the connection it hands back.
        const socket = response.socket;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          // One exchange at a time per connection (no pipelining), and the agent hands the
          // connection to the next request only on a later tick: the counters' growth since the
          // previous exchange on this connection is exactly this exchange.
          const mark = this.marks.get(socket) ?? { read: 0, written: 0 };
          const bytesDown = socket.bytesRead - mark.read;
          const bytesUp = socket.bytesWritten - mark.written;
          this.marks.set(socket, { read: socket.bytesRead, written: socket.bytesWritten });
          this.traffic.requests += 1;
          this.traffic.bytesDown += bytesDown;
          this.traffic.bytesUp += bytesUp;
          resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), bytesDown, bytesUp });
        });
      });
      request.end(options.body);
    });
  }

  /** The traffic since the last call, and a fresh count from here. */
  takeTraffic(): Traffic {
    const taken = { ...this.traffic };
    Object.assign(this.traffic, { requests: 0, bytesDown: 0, bytesUp: 0 });
    return taken;
  }

  close() {
    this.agent.destroy();
  }
}
