import type { SubgraphContext } from '#lib/subgraph/service.ts';
import type { UsersDatabase } from './db.ts';
import type { UsersLoaders } from './loaders.ts';
import type { UsersServices } from './subgraph.ts';

export type Context = SubgraphContext<UsersDatabase, UsersLoaders, UsersServices>;
