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
    "fragment SessionFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  user {\n    id\n    name\n    email\n    role\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation RefreshSession {\n  refreshToken {\n    ...SessionFields\n  }\n}\n\nmutation LogOut {\n  logOut\n}": typeof types.SessionFieldsFragmentDoc,
    "query FeedPosts($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        ...PostSummary\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.FeedPostsDocument,
    "fragment PostSummary on Post {\n  id\n  title\n  body\n  createdAt\n  author {\n    id\n    name\n  }\n}": typeof types.PostSummaryFragmentDoc,
    "fragment OrderSummary on Order {\n  id\n  status\n  totalCents\n  createdAt\n  items {\n    quantity\n    unitPriceCents\n    product {\n      id\n      name\n      stock\n    }\n  }\n}\n\nquery MyOrders($after: String) {\n  me {\n    id\n    orders(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    ...OrderSummary\n  }\n}": typeof types.OrderSummaryFragmentDoc,
    "fragment CommentFields on Comment {\n  id\n  text\n  createdAt\n  author {\n    id\n    name\n  }\n}\n\nquery PostPage($id: ID!, $after: String) {\n  post(id: $id) {\n    id\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    comments(first: 20, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...CommentFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation AddComment($input: AddCommentInput!) {\n  addComment(input: $input) {\n    id\n    ...CommentFields\n  }\n}": typeof types.CommentFieldsFragmentDoc,
    "query Catalogue($after: String) {\n  products(first: 20, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        name\n        priceCents\n        stock\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!, $idempotencyKey: String!) {\n  placeOrder(input: $input, idempotencyKey: $idempotencyKey) {\n    id\n    ...OrderSummary\n    buyer {\n      id\n    }\n  }\n}": typeof types.CatalogueDocument,
    "query UserPage($id: ID!, $after: String) {\n  user(id: $id) {\n    id\n    name\n    role\n    createdAt\n    posts(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...PostSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.UserPageDocument,
};
const documents: Documents = {
    "query Feed($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        title\n        createdAt\n        author {\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.FeedDocument,
    "query OrderWithBuyer {\n  order(id: \"1\") {\n    status\n    totalCents\n    buyer {\n      name\n      email\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        name\n        priceCents\n      }\n    }\n  }\n}": types.OrderWithBuyerDocument,
    "query UsersWithPostsAndOrders {\n  users(first: 3) {\n    edges {\n      node {\n        name\n        posts(first: 2) {\n          edges {\n            node {\n              title\n              comments(first: 2) {\n                totalCount\n              }\n            }\n          }\n        }\n        orders(first: 2) {\n          totalCount\n        }\n      }\n    }\n  }\n}": types.UsersWithPostsAndOrdersDocument,
    "fragment SessionFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  user {\n    id\n    name\n    email\n    role\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation RefreshSession {\n  refreshToken {\n    ...SessionFields\n  }\n}\n\nmutation LogOut {\n  logOut\n}": types.SessionFieldsFragmentDoc,
    "query FeedPosts($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        ...PostSummary\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.FeedPostsDocument,
    "fragment PostSummary on Post {\n  id\n  title\n  body\n  createdAt\n  author {\n    id\n    name\n  }\n}": types.PostSummaryFragmentDoc,
    "fragment OrderSummary on Order {\n  id\n  status\n  totalCents\n  createdAt\n  items {\n    quantity\n    unitPriceCents\n    product {\n      id\n      name\n      stock\n    }\n  }\n}\n\nquery MyOrders($after: String) {\n  me {\n    id\n    orders(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    ...OrderSummary\n  }\n}": types.OrderSummaryFragmentDoc,
    "fragment CommentFields on Comment {\n  id\n  text\n  createdAt\n  author {\n    id\n    name\n  }\n}\n\nquery PostPage($id: ID!, $after: String) {\n  post(id: $id) {\n    id\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    comments(first: 20, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...CommentFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation AddComment($input: AddCommentInput!) {\n  addComment(input: $input) {\n    id\n    ...CommentFields\n  }\n}": types.CommentFieldsFragmentDoc,
    "query Catalogue($after: String) {\n  products(first: 20, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        name\n        priceCents\n        stock\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!, $idempotencyKey: String!) {\n  placeOrder(input: $input, idempotencyKey: $idempotencyKey) {\n    id\n    ...OrderSummary\n    buyer {\n      id\n    }\n  }\n}": types.CatalogueDocument,
    "query UserPage($id: ID!, $after: String) {\n  user(id: $id) {\n    id\n    name\n    role\n    createdAt\n    posts(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...PostSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.UserPageDocument,
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SessionFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  user {\n    id\n    name\n    email\n    role\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation RefreshSession {\n  refreshToken {\n    ...SessionFields\n  }\n}\n\nmutation LogOut {\n  logOut\n}"): (typeof documents)["fragment SessionFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  user {\n    id\n    name\n    email\n    role\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation RefreshSession {\n  refreshToken {\n    ...SessionFields\n  }\n}\n\nmutation LogOut {\n  logOut\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query FeedPosts($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        ...PostSummary\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query FeedPosts($after: String) {\n  posts(first: 10, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        ...PostSummary\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment PostSummary on Post {\n  id\n  title\n  body\n  createdAt\n  author {\n    id\n    name\n  }\n}"): (typeof documents)["fragment PostSummary on Post {\n  id\n  title\n  body\n  createdAt\n  author {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment OrderSummary on Order {\n  id\n  status\n  totalCents\n  createdAt\n  items {\n    quantity\n    unitPriceCents\n    product {\n      id\n      name\n      stock\n    }\n  }\n}\n\nquery MyOrders($after: String) {\n  me {\n    id\n    orders(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    ...OrderSummary\n  }\n}"): (typeof documents)["fragment OrderSummary on Order {\n  id\n  status\n  totalCents\n  createdAt\n  items {\n    quantity\n    unitPriceCents\n    product {\n      id\n      name\n      stock\n    }\n  }\n}\n\nquery MyOrders($after: String) {\n  me {\n    id\n    orders(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    ...OrderSummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CommentFields on Comment {\n  id\n  text\n  createdAt\n  author {\n    id\n    name\n  }\n}\n\nquery PostPage($id: ID!, $after: String) {\n  post(id: $id) {\n    id\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    comments(first: 20, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...CommentFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation AddComment($input: AddCommentInput!) {\n  addComment(input: $input) {\n    id\n    ...CommentFields\n  }\n}"): (typeof documents)["fragment CommentFields on Comment {\n  id\n  text\n  createdAt\n  author {\n    id\n    name\n  }\n}\n\nquery PostPage($id: ID!, $after: String) {\n  post(id: $id) {\n    id\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    comments(first: 20, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...CommentFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation AddComment($input: AddCommentInput!) {\n  addComment(input: $input) {\n    id\n    ...CommentFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Catalogue($after: String) {\n  products(first: 20, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        name\n        priceCents\n        stock\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!, $idempotencyKey: String!) {\n  placeOrder(input: $input, idempotencyKey: $idempotencyKey) {\n    id\n    ...OrderSummary\n    buyer {\n      id\n    }\n  }\n}"): (typeof documents)["query Catalogue($after: String) {\n  products(first: 20, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        name\n        priceCents\n        stock\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!, $idempotencyKey: String!) {\n  placeOrder(input: $input, idempotencyKey: $idempotencyKey) {\n    id\n    ...OrderSummary\n    buyer {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserPage($id: ID!, $after: String) {\n  user(id: $id) {\n    id\n    name\n    role\n    createdAt\n    posts(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...PostSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query UserPage($id: ID!, $after: String) {\n  user(id: $id) {\n    id\n    name\n    role\n    createdAt\n    posts(first: 10, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...PostSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;