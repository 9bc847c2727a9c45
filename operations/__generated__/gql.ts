/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Feed($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        title\n        createdAt\n        author {\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.FeedDocument,
    "query OrderWithBuyer {\n  order(id: \"1\") {\n    status\n    totalCents\n    buyer {\n      name\n      email\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        name\n        priceCents\n      }\n    }\n  }\n}": typeof types.OrderWithBuyerDocument,
    "query UsersWithPostsAndOrders {\n  users(first: 3) {\n    edges {\n      node {\n        name\n        posts(first: 2) {\n          edges {\n            node {\n              title\n              comments(first: 2) {\n                totalCount\n              }\n            }\n          }\n        }\n        orders(first: 2) {\n          totalCount\n        }\n      }\n    }\n  }\n}": typeof types.UsersWithPostsAndOrdersDocument,
};
const documents: Documents = {
    "query Feed($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        title\n        createdAt\n        author {\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.FeedDocument,
    "query OrderWithBuyer {\n  order(id: \"1\") {\n    status\n    totalCents\n    buyer {\n      name\n      email\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        name\n        priceCents\n      }\n    }\n  }\n}": types.OrderWithBuyerDocument,
    "query UsersWithPostsAndOrders {\n  users(first: 3) {\n    edges {\n      node {\n        name\n        posts(first: 2) {\n          edges {\n            node {\n              title\n              comments(first: 2) {\n                totalCount\n              }\n            }\n          }\n        }\n        orders(first: 2) {\n          totalCount\n        }\n      }\n    }\n  }\n}": types.UsersWithPostsAndOrdersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Feed($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        title\n        createdAt\n        author {\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query Feed($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        title\n        createdAt\n        author {\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderWithBuyer {\n  order(id: \"1\") {\n    status\n    totalCents\n    buyer {\n      name\n      email\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        name\n        priceCents\n      }\n    }\n  }\n}"): (typeof documents)["query OrderWithBuyer {\n  order(id: \"1\") {\n    status\n    totalCents\n    buyer {\n      name\n      email\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        name\n        priceCents\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UsersWithPostsAndOrders {\n  users(first: 3) {\n    edges {\n      node {\n        name\n        posts(first: 2) {\n          edges {\n            node {\n              title\n              comments(first: 2) {\n                totalCount\n              }\n            }\n          }\n        }\n        orders(first: 2) {\n          totalCount\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query UsersWithPostsAndOrders {\n  users(first: 3) {\n    edges {\n      node {\n        name\n        posts(first: 2) {\n          edges {\n            node {\n              title\n              comments(first: 2) {\n                totalCount\n              }\n            }\n          }\n        }\n        orders(first: 2) {\n          totalCount\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;