import type { SubgraphContext } from '../../../lib/subgraph.ts';
import type { OrdersDatabase } from './db.ts';
import type { OrdersLoaders } from './loaders.ts';
import type { OrdersServices } from './subgraph.ts';

export type Context = SubgraphContext<OrdersDatabase, OrdersLoaders, OrdersServices>;
