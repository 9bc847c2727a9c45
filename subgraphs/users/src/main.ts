// Runs the users subgraph on its own: the variable of its database URL and its default PORT come
// from its manifest entry; HOST defaults to 127.0.0.1 (a container sets 0.0.0.0).
import { runSubgraphFromEnv } from '#lib/subgraph/service.ts';
import { subgraphEntry } from '../../manifest.ts';
import { usersSubgraph } from './subgraph.ts';

const { env, port } = subgraphEntry('users');
await runSubgraphFromEnv(usersSubgraph, env.databaseUrl, port);
