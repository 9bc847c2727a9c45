// The committed supergraph and a variant of it, for tests that change what a gateway serves.
import { readFileSync } from 'node:fs';

export const SUPERGRAPH = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');

const PRODUCT_BY_ID = /\n {2}"""The product with this id, or null when there is none\."""\n {2}product\([^)]*\): Product @join__field\(graph: ORDERS\)\n/;

/** The same supergraph without `Query.product`: a change that shows, and that a query of the
 *  catalogue (`products`) does not notice. */
export const WITHOUT_PRODUCT = SUPERGRAPH.replace(PRODUCT_BY_ID, '\n');
if (WITHOUT_PRODUCT === SUPERGRAPH) throw new Error('supergraph.graphql no longer has Query.product as test/supergraph-variants.ts expects it; update it.');
