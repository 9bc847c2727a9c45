// A bare `node:http` server that answers every request with the same bytes (RESPONSE_BODY, JSON),
// once it has read the request: the ceiling bench:gateway compares the gateways with.
// `node --import tsx bench/fixed-response-server.ts`; prints `{"url": ...}` once it listens;
// stops on SIGTERM or when stdin closes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(process.env.RESPONSE_BODY ?? '{}');
const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` })}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();
