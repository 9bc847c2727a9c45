// What the server tells the page at run time (one build serves any port or host): the server
// answers RUNTIME_CONFIG_PATH with this JSON, see web/server.ts and web/vite.config.ts.
export const RUNTIME_CONFIG_PATH = '/config.json';

export interface RuntimeConfig {
  /** The gateway's GraphQL endpoint, absolute or relative to the page. */
  graphqlUrl: string;
}
