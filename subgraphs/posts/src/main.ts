// Runs the posts subgraph on its own: POSTS_DATABASE_URL, PORT (default 4002), HOST (default 127.0.0.1; a container sets 0.0.0.0).
import { runSubgraphFromEnv } from '#lib/subgraph/service.ts';
import { postsSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(postsSubgraph, 'POSTS_DATABASE_URL', 4002);
