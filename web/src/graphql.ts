// The typed operations that `npm run codegen` generates from the .graphql files beside the pages
// (client preset, into operations/__generated__/ with docs/api.md's examples).
export * from '../../operations/__generated__/graphql.ts';
// Fragments are masked in the generated types: a component reads the fields of its own fragment
// through this function (the preset calls it useFragment, but it is no React hook).
export { useFragment as getFragmentData, type FragmentType } from '../../operations/__generated__/fragment-masking.ts';
