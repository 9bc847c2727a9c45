// What runs the subgraphs (`npm start`, the benchmark's services) loads each one's code from its
// manifest entry, so that adding a subgraph adds no import to them.
import type { AuthSettings } from '#lib/service/auth.ts';
import type { SubgraphDefinition } from '#lib/subgraph/service.ts';
import { REPO_ROOT, type SubgraphEntry } from './manifest.ts';

/** What `defineSubgraph` returns: the subgraph, made for one database. */
export type SubgraphFactory = (databaseUrl: string, auth?: AuthSettings) => SubgraphDefinition;

export async function loadSubgraph(entry: SubgraphEntry): Promise<SubgraphFactory> {
  const [file = '', exportName = ''] = entry.definition.split('#');
  const module = (await import(new URL(file, REPO_ROOT).href)) as Record<string, unknown>;
  const factory = module[exportName];
  if (typeof factory !== 'function') {
    throw new Error(
      `The ${entry.name} subgraph's definition "${entry.definition}" (subgraphs/manifest.ts) names no export of ${file} ` +
        'made by defineSubgraph: write it as file#export.',
    );
  }
  return factory as SubgraphFactory;
}
