// `npm run schema:compose`: writes supergraph.graphql and the client-facing schema.graphql.
import { writeFileSync } from 'node:fs';
import { optionsOrExit } from '#lib/service/startup-errors.ts';
import { REPO_ROOT, SUBGRAPHS } from '../subgraphs/manifest.ts';
import { composeSupergraph, CompositionError } from './compose.ts';

const KUBERNETES_SUPERGRAPH = 'deploy/kubernetes/base/supergraph.graphql';

const HELP = `Usage: npm run schema:compose

Composes the schemas of the subgraphs in subgraphs/manifest.ts (${SUBGRAPHS.map(({ name }) => name).join(', ')})
with @apollo/composition and writes:
  supergraph.graphql  what the gateway serves (and Apollo Router could), and its copy in
                      ${KUBERNETES_SUPERGRAPH}
  schema.graphql      the client-facing API schema
Exits with status 1 and lists every composition error, with its code and the subgraph file, line
and column it concerns, when the subgraphs do not compose.`;

optionsOrExit({ options: { help: { type: 'boolean', short: 'h' } } }, 'npm run schema:compose', HELP);

try {
  const { supergraphSdl, apiSchemaSdl } = composeSupergraph();
  writeFileSync(new URL('supergraph.graphql', REPO_ROOT), supergraphSdl);
  // The Kubernetes base's copy, for its ConfigMap: kustomize reads no file above its folder.
  writeFileSync(new URL(KUBERNETES_SUPERGRAPH, REPO_ROOT), supergraphSdl);
  writeFileSync(new URL('schema.graphql', REPO_ROOT), apiSchemaSdl);
  console.log(`Wrote supergraph.graphql (and ${KUBERNETES_SUPERGRAPH}) and schema.graphql.`);
} catch (error) {
  if (!(error instanceof CompositionError)) throw error;
  console.error(error.message);
  process.exit(1);
}
