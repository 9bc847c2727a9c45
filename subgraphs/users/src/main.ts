// Runs the users subgraph on its own: USERS_DATABASE_URL, PORT (default 4001), HOST (default 127.0.0.1; a container sets 0.0.0.0).
import { runSubgraphFromEnv } from '#lib/subgraph/service.ts';
import { usersSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(usersSubgraph, 'USERS_DATABASE_URL', 4001);
