import type { SubgraphContext } from '#lib/subgraph/service.ts';
import type { OrdersDatabase } from './db.ts';
import type { OrdersLoaders } from './loaders.ts';
import type { OrdersServices } from './subgraph.ts';

export type Context = SubgraphContext<OrdersDatabase, OrdersLoaders, OrdersServices>;
