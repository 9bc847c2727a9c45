import type { SubgraphContext } from '#lib/subgraph/service.ts';
import type { PostsDatabase } from './db.ts';
import type { PostsLoaders } from './loaders.ts';

export type Context = SubgraphContext<PostsDatabase, PostsLoaders>;
