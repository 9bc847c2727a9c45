// Enforces federation's @authenticated and @requiresScopes where the subgraph SDL declares them.
// The composed supergraph carries the same directives (Apollo Router would enforce them there);
// Apollo Gateway ignores them, so each subgraph enforces its own fields.
import { defaultFieldResolver, isObjectType, valueFromASTUntyped, type DirectiveNode, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { forbidden, unauthenticated, type Viewer } from '#lib/service/auth.ts';

interface AuthorizationContext {
  viewer: Viewer | null;
}

interface FieldRule {
  authenticated: boolean;
  /** Any one of these sets, all scopes of the set (federation's OR of ANDs). */
  scopeSets: string[][];
}

function ruleOf(directives: readonly DirectiveNode[] | undefined): FieldRule | null {
  const byName = new Map((directives ?? []).map((directive) => [directive.name.value, directive]));
  const requiresScopes = byName.get('requiresScopes');
  if (!byName.has('authenticated') && !requiresScopes) return null;
  const scopesArgument = requiresScopes?.arguments?.find((argument) => argument.name.value === 'scopes');
  const scopeSets = scopesArgument ? (valueFromASTUntyped(scopesArgument.value) as string[][]) : [];
  return { authenticated: true, scopeSets };
}

function checkRule(rule: FieldRule, viewer: Viewer | null, field: string): void {
  if (!viewer) throw unauthenticated(`You must be signed in to read ${field}.`);
  if (rule.scopeSets.length > 0 && !rule.scopeSets.some((set) => set.every((scope) => viewer.scopes.includes(scope)))) {
    const needed = rule.scopeSets.map((set) => set.join(' + ')).join(' or ');
    throw forbidden(`Your token lacks the scope ${needed} that ${field} requires.`);
  }
}

/**
 * The check of `@requiresScopes(scopes: scopeSets)`, for an entry point that cannot carry the
 * directive: an entity's `__resolveReference`, reached through federation's `_entities` field.
 */
export function requireScopes(viewer: Viewer | null, scopeSets: string[][], what: string): Viewer {
  checkRule({ authenticated: true, scopeSets }, viewer, what);
  return viewer!;
}

/** Wraps, in place, the resolver of every field that carries one of the directives. */
export function enforceAuthorizationDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = ruleOf(field.astNode?.directives);
      if (!rule) continue;
      const resolve: GraphQLFieldResolver<unknown, AuthorizationContext> = field.resolve ?? defaultFieldResolver;
      const name = `${type.name}.${field.name}`;
      field.resolve = (source, args, context: AuthorizationContext, info) => {
        checkRule(rule, context.viewer, name);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
