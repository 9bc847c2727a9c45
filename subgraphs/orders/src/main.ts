// Runs the orders subgraph on its own: ORDERS_DATABASE_URL, PORT (default 4003), HOST (default 127.0.0.1; a container sets 0.0.0.0).
import { runSubgraphFromEnv } from '#lib/subgraph/service.ts';
import { ordersSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(ordersSubgraph, 'ORDERS_DATABASE_URL', 4003);
