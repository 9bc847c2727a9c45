// The supergraph the gateway serves: read from its file, and stripped of the security features
// Apollo Gateway cannot enforce.
import { readFileSync } from 'node:fs';
import { Kind, parse, print, visit } from 'graphql';

export function readSupergraph(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph at ${path}. Run \`npm run schema:compose\` to write it.`, {
      cause: error,
    });
  }
}

// Apollo Gateway refuses a supergraph that links a SECURITY feature it cannot enforce. The
// subgraphs enforce them, so the gateway is handed the supergraph without them; the committed
// supergraph.graphql keeps them for Apollo Router.
const SECURITY_DIRECTIVES = new Set(['authenticated', 'requiresScopes', 'policy']);
const SECURITY_FEATURE = /^https:\/\/specs\.apollo\.dev\/(authenticated|requiresScopes|policy)\//;

export function withoutSecurityFeatures(supergraphSdl: string): string {
  const withoutUsages = visit(parse(supergraphSdl), {
    Directive(node) {
      if (SECURITY_DIRECTIVES.has(node.name.value)) return null;
      const url = node.arguments?.find((argument) => argument.name.value === 'url')?.value;
      if (node.name.value === 'link' && url?.kind === Kind.STRING && SECURITY_FEATURE.test(url.value)) return null;
      return undefined;
    },
    DirectiveDefinition(node) {
      return SECURITY_DIRECTIVES.has(node.name.value) ? null : undefined;
    },
    ScalarTypeDefinition(node) {
      return /^(requiresScopes|policy)__/.test(node.name.value) ? null : undefined;
    },
  });
  return print(withoutUsages);
}

/** The subgraphs a supergraph routes to, with the URL written for each (its `join__Graph` enum). */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const graphs = parse(supergraphSdl).definitions.find(
    (definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph',
  );
  if (graphs?.kind !== Kind.ENUM_TYPE_DEFINITION) return [];
  return (graphs.values ?? []).flatMap((value) => {
    const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
    const argument = (name: string) => {
      const given = graph?.arguments?.find((candidate) => candidate.name.value === name)?.value;
      return given?.kind === Kind.STRING ? given.value : undefined;
    };
    const name = argument('name');
    const url = argument('url');
    return name && url ? [{ name, url }] : [];
  });
}
