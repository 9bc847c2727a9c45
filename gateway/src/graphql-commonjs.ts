// graphql's CommonJS entry, for the schemas we hand to or take from @apollo/composition and
// GraphQL Inspector. graphql checks `instanceof` on schemas and types, so both sides must use one
// copy of it. Node resolves those packages' `import 'graphql'` to the CommonJS entry (`main`);
// Vite, under vitest, resolves ours to the ESM one (`module`): two copies, and "Cannot use
// GraphQLObjectType from another module or realm". Naming the CommonJS file gives the same copy
// under Node, tsx and vitest.
export { buildSchema, printSchema } from 'graphql/index.js';
