/** The gateway's endpoint: the explorer is served by the gateway itself, so on the same origin. */
export const GRAPHQL_PATH = '/graphql';
