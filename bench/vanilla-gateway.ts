// Vanilla Apollo Gateway under Apollo Server's standalone server, with stock settings, for
// bench:gateway to compare the project's gateway with: `node --import tsx bench/vanilla-gateway.ts`.
// Only two things differ from the stock example, both needed to run at all: the supergraph is
// handed over without the security features Apollo Gateway refuses (as the project's gateway
// does), and each subgraph is called at its routing URL from the environment (USERS_URL, ...).
// Prints `{"url": ...}` once it listens; stops on SIGTERM or when stdin closes.
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readSupergraph, withoutSecurityFeatures } from '../gateway/src/supergraph.ts';
import { environment } from '#lib/service/env.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';

// Nothing leaves the machine: Apollo Gateway's usage telemetry is off, as in the project's gateway.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const routingUrls = new Map(SUBGRAPHS.map((subgraph) => [subgraph.name as string, environment()[subgraph.env.routingUrl]]));
const gateway = new ApolloGateway({
  supergraphSdl: withoutSecurityFeatures(readSupergraph(path.resolve('supergraph.graphql'))),
  buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: routingUrls.get(name) ?? url }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`${JSON.stringify({ url })}\n`);
const stop = () => void server.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();
