// The subgraphs, listed once. Composition, migrations and the Prisma clients, `npm start`, codegen,
// the gateway run on its own and the tests all read this list; a test checks docker-compose.yml and
// docker/postgres/init-databases.sql against it, since neither can read it. Adding a subgraph is
// one entry here plus its folders (docs/schema-workflow.md, "Add a subgraph").
//
// Data only, with no imports, so that composition and codegen read it without loading any
// subgraph's code: what runs a subgraph imports its `definition` module when it starts it.

/** Where the entries' paths start: the repository root. */
export const REPO_ROOT = new URL('../', import.meta.url);

export interface SubgraphEntry<Name extends string = string> {
  /** Its name in the supergraph, the logs and the metrics. */
  readonly name: Name;
  /** Where it listens under `npm start` and in a container; supergraph.graphql names this port. */
  readonly port: number;
  /** Its SDL, the contract that composition and codegen read. */
  readonly schema: string;
  /** `file#export`: the module and the export made by `defineSubgraph`. */
  readonly definition: string;
  /** The entry point of the subgraph run on its own (a container's command). */
  readonly main: string;
  /** Its Prisma schema; `migrations/` and `prisma.config.ts` sit beside it (Prisma's layout). */
  readonly prismaSchema: string;
  /** Its database's name on a shared server (DATABASE_URL), after DATABASE_NAME_PREFIX. */
  readonly database: string;
  /** The environment variables that configure it. */
  readonly env: {
    /** Its database's URL; wins over DATABASE_URL. */
    readonly databaseUrl: string;
    /** Its port under `npm start`. */
    readonly port: string;
    /** Where the gateway run on its own reaches it, over the URL in supergraph.graphql. */
    readonly routingUrl: string;
  };
  /** Codegen's resolver types: the file written, and the model each GraphQL type's resolvers receive. */
  readonly resolverTypes: {
    readonly file: string;
    /** GraphQL type → `module#Type`, the module relative to `file`'s folder (codegen's mappers). */
    readonly mappers: Readonly<Record<string, string>>;
  };
}

// In start-up order: users first, since the others verify access tokens with its keys.
export const SUBGRAPHS = [
  {
    name: 'users',
    port: 4001,
    schema: 'subgraphs/users/schema.graphql',
    definition: 'subgraphs/users/src/subgraph.ts#usersSubgraph',
    main: 'subgraphs/users/src/main.ts',
    prismaSchema: 'prisma/users/schema.prisma',
    database: 'users',
    env: { databaseUrl: 'USERS_DATABASE_URL', port: 'USERS_PORT', routingUrl: 'USERS_URL' },
    resolverTypes: {
      file: 'subgraphs/users/src/__generated__/resolvers-types.ts',
      mappers: { User: '../models.ts#UserModel', UserConnection: '../models.ts#UserConnectionModel' },
    },
  },
  {
    name: 'posts',
    port: 4002,
    schema: 'subgraphs/posts/schema.graphql',
    definition: 'subgraphs/posts/src/subgraph.ts#postsSubgraph',
    main: 'subgraphs/posts/src/main.ts',
    prismaSchema: 'prisma/posts/schema.prisma',
    database: 'posts',
    env: { databaseUrl: 'POSTS_DATABASE_URL', port: 'POSTS_PORT', routingUrl: 'POSTS_URL' },
    resolverTypes: {
      file: 'subgraphs/posts/src/__generated__/resolvers-types.ts',
      mappers: {
        User: '../models.ts#UserReference',
        Post: '../models.ts#PostModel',
        Comment: '../models.ts#CommentModel',
        PostConnection: '../models.ts#PostConnectionModel',
        CommentConnection: '../models.ts#CommentConnectionModel',
      },
    },
  },
  {
    name: 'orders',
    port: 4003,
    schema: 'subgraphs/orders/schema.graphql',
    definition: 'subgraphs/orders/src/subgraph.ts#ordersSubgraph',
    main: 'subgraphs/orders/src/main.ts',
    prismaSchema: 'prisma/orders/schema.prisma',
    database: 'orders',
    env: { databaseUrl: 'ORDERS_DATABASE_URL', port: 'ORDERS_PORT', routingUrl: 'ORDERS_URL' },
    resolverTypes: {
      file: 'subgraphs/orders/src/__generated__/resolvers-types.ts',
      mappers: {
        User: '../models.ts#UserReference',
        Product: '../models.ts#ProductModel',
        Order: '../models.ts#OrderModel',
        OrderItem: '../models.ts#OrderItemModel',
        ProductConnection: '../models.ts#ProductConnectionModel',
        OrderConnection: '../models.ts#OrderConnectionModel',
      },
    },
  },
] as const satisfies readonly SubgraphEntry[];

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** The entry named `name`; an error that lists the known names when there is none. */
export function subgraphEntry(name: string, subgraphs: readonly SubgraphEntry[] = SUBGRAPHS): SubgraphEntry {
  const entry = subgraphs.find((subgraph) => subgraph.name === name);
  if (!entry) throw new Error(`No subgraph "${name}" in subgraphs/manifest.ts; it lists ${subgraphs.map((subgraph) => subgraph.name).join(', ')}.`);
  return entry;
}
