// The screens the benchmark builds, each twice: with one GraphQL query through the gateway, and
// with the REST endpoints composed as a frontend would. Both produce the same view model (the
// benchmark checks that they are equal before timing), so neither style is measured doing less.
import type { GraphQLClient, RestClient, RestPage } from './api-clients.ts';

/** Ids the scenarios use, picked from the benchmark data before the run. */
export interface ScenarioInputs {
  /** A user whose 5 newest posts each have at least 2 comments. */
  userId: string;
  /** The signed-in user of the dashboard, with its access token. */
  viewerId: string;
  productId: string;
}

export interface Scenario {
  id: string;
  title: string;
  /** What the screen shows, for the report. */
  screen: string;
  /** Sign in first (the screen shows private data). */
  signedIn?: boolean;
  graphql: { query: string; build(client: GraphQLClient, inputs: ScenarioInputs): Promise<unknown> };
  rest: { requests: string; build(client: RestClient, inputs: ScenarioInputs): Promise<unknown> };
}

interface RestUser {
  id: string;
  name: string;
  email?: string;
}
interface RestPost {
  id: string;
  authorId: string;
  title: string;
  createdAt: string;
}
interface RestComment {
  authorId: string;
  text: string;
}
interface RestOrder {
  id: string;
  status: string;
  totalCents: number;
  createdAt: string;
}

interface Connection<Node> {
  edges: { node: Node }[];
}
const nodes = <Node>(connection: Connection<Node>) => connection.edges.map((edge) => edge.node);
const unique = <T>(items: T[]) => [...new Set(items)];

/** Comment authors, each fetched once, all at once: the step a frontend cannot avoid. */
async function authorNames(client: RestClient, comments: RestComment[]): Promise<Map<string, string>> {
  const ids = unique(comments.map((comment) => comment.authorId));
  const users = await client.step(ids.map((id) => client.get<RestUser>('users', `/users/${id}`)));
  return new Map(users.map((user) => [user.id, user.name]));
}

/** Posts with their newest comments and each comment's author: steps 2 and 3 of a user's page. */
async function postsWithComments(client: RestClient, posts: RestPost[], commentsPerPost: number) {
  const pages = await client.step(posts.map((post) => client.get<RestPage<RestComment>>('posts', `/posts/${post.id}/comments?limit=${commentsPerPost}`)));
  const names = await authorNames(
    client,
    pages.flatMap((page) => page.items),
  );
  return posts.map((post, index) => ({
    title: post.title,
    createdAt: post.createdAt,
    comments: pages[index]!.items.map((comment) => ({ text: comment.text, author: names.get(comment.authorId)! })),
  }));
}

interface GraphQLPost {
  title: string;
  createdAt: string;
  comments: Connection<{ text: string; author: { name: string } }>;
}
const postView = (post: GraphQLPost) => ({
  title: post.title,
  createdAt: post.createdAt,
  comments: nodes(post.comments).map((comment) => ({ text: comment.text, author: comment.author.name })),
});

const USER_PAGE = `query UserPage($id: ID!) {
  user(id: $id) {
    name
    posts(first: 5) { edges { node { title createdAt comments(first: 2) { edges { node { text author { name } } } } } } }
  }
}`;

const DASHBOARD = `query Dashboard {
  me {
    name
    email
    posts(first: 3) { edges { node { title createdAt comments(first: 1) { edges { node { text author { name } } } } } } }
    orders(first: 3) { edges { node { id status totalCents createdAt } } }
  }
}`;

const MOBILE_NAMES = `query UserNames { users(first: 100) { edges { node { name } } } }`;

const USERS_WITH_POSTS = `query UsersWithPosts {
  users(first: 100) { edges { node { name posts(first: 5) { edges { node { title } } } } } }
}`;

const PRODUCT = `query Product($id: ID!) { product(id: $id) { name priceCents stock } }`;

const productGraphQL = {
  query: PRODUCT,
  build: async (client: GraphQLClient, inputs: ScenarioInputs) =>
    (await client.query<{ product: { name: string; priceCents: number; stock: number } }>(PRODUCT, { id: inputs.productId })).product,
};

const productView = ({ name, priceCents, stock }: { name: string; priceCents: number; stock: number }) => ({ name, priceCents, stock });

export const SCENARIOS: Scenario[] = [
  {
    id: 'user-page',
    title: 'User page',
    screen: "a user's name, their 5 newest posts, the 2 newest comments of each, and each comment's author",
    graphql: {
      query: USER_PAGE,
      build: async (client, inputs) => {
        const { user } = await client.query<{ user: { name: string; posts: Connection<GraphQLPost> } }>(USER_PAGE, { id: inputs.userId });
        return { name: user.name, posts: nodes(user.posts).map(postView) };
      },
    },
    rest: {
      requests: 'GET /users/:id ‖ GET /users/:id/posts?limit=5 → 5 × GET /posts/:id/comments?limit=2 → GET /users/:id per distinct comment author',
      build: async (client, inputs) => {
        const [user, posts] = await client.step([
          client.get<RestUser>('users', `/users/${inputs.userId}`),
          client.get<RestPage<RestPost>>('posts', `/users/${inputs.userId}/posts?limit=5`),
        ]);
        return { name: user.name, posts: await postsWithComments(client, posts.items, 2) };
      },
    },
  },
  {
    id: 'dashboard',
    title: 'Dashboard (signed in)',
    screen: "the signed-in user's name and email, their 3 newest posts with the newest comment and its author, and their 3 newest orders",
    signedIn: true,
    graphql: {
      query: DASHBOARD,
      build: async (client) => {
        const { me } = await client.query<{
          me: { name: string; email: string; posts: Connection<GraphQLPost>; orders: Connection<RestOrder> };
        }>(DASHBOARD);
        return { name: me.name, email: me.email, posts: nodes(me.posts).map(postView), orders: nodes(me.orders) };
      },
    },
    rest: {
      requests:
        'GET /users/:id ‖ GET /users/:id/posts?limit=3 ‖ GET /users/:id/orders?limit=3 → 3 × GET /posts/:id/comments?limit=1 → GET /users/:id per distinct author',
      build: async (client, inputs) => {
        const [user, posts, orders] = await client.step([
          client.get<RestUser>('users', `/users/${inputs.viewerId}`),
          client.get<RestPage<RestPost>>('posts', `/users/${inputs.viewerId}/posts?limit=3`),
          client.get<RestPage<RestOrder>>('orders', `/users/${inputs.viewerId}/orders?limit=3`),
        ]);
        return {
          name: user.name,
          email: user.email,
          posts: await postsWithComments(client, posts.items, 1),
          orders: orders.items.map(({ id, status, totalCents, createdAt }) => ({ id, status, totalCents, createdAt })),
        };
      },
    },
  },
  {
    id: 'mobile-names',
    title: 'Mobile list: names only',
    screen: 'the names of the 100 newest users, nothing else (over-fetching)',
    graphql: {
      query: MOBILE_NAMES,
      build: async (client) => nodes((await client.query<{ users: Connection<{ name: string }> }>(MOBILE_NAMES)).users).map((user) => user.name),
    },
    rest: {
      requests: 'GET /users?limit=100',
      build: async (client) => {
        const [users] = await client.step([client.get<RestPage<RestUser>>('users', '/users?limit=100')]);
        return users.items.map((user) => user.name);
      },
    },
  },
  {
    id: 'users-with-posts',
    title: '100 users with their posts',
    screen: 'the 100 newest users, each with the titles of their 5 newest posts (under-fetching: N+1 requests)',
    graphql: {
      query: USERS_WITH_POSTS,
      build: async (client) => {
        const { users } = await client.query<{ users: Connection<{ name: string; posts: Connection<{ title: string }> }> }>(USERS_WITH_POSTS);
        return nodes(users).map((user) => ({ name: user.name, titles: nodes(user.posts).map((post) => post.title) }));
      },
    },
    rest: {
      requests: 'GET /users?limit=100 → 100 × GET /users/:id/posts?limit=5',
      build: async (client) => {
        const [users] = await client.step([client.get<RestPage<RestUser>>('users', '/users?limit=100')]);
        const posts = await client.step(users.items.map((user) => client.get<RestPage<RestPost>>('posts', `/users/${user.id}/posts?limit=5`)));
        return users.items.map((user, index) => ({ name: user.name, titles: posts[index]!.items.map((post) => post.title) }));
      },
    },
  },
  {
    id: 'single-resource',
    title: 'One product by id',
    screen: "a product's name, price and stock (REST's best case: one resource, one service)",
    graphql: productGraphQL,
    rest: {
      requests: 'GET /products/:id',
      build: async (client, inputs) => {
        const [product] = await client.step([client.get<{ name: string; priceCents: number; stock: number }>('orders', `/products/${inputs.productId}`)]);
        return productView(product);
      },
    },
  },
  {
    id: 'single-resource-revalidated',
    title: 'One product, revalidated',
    screen:
      'the same product again, the client holding a copy whose max-age has passed (REST: If-None-Match → 304 Not Modified; a GraphQL POST has no HTTP validator)',
    graphql: productGraphQL,
    rest: {
      requests: 'GET /products/:id with If-None-Match → 304',
      build: async (client, inputs) => {
        const [product] = await client.step([
          client.getRevalidated<{ name: string; priceCents: number; stock: number }>('orders', `/products/${inputs.productId}`),
        ]);
        return productView(product);
      },
    },
  },
];
