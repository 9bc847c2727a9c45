// Properties of the cost over random documents of the real API schema: it is the same however a
// document is written (literals, variables, fragments, inline fragments, @include/@skip), adding
// a field never lowers it, it is at least the page sizes' product above any object, and a page
// size the resolvers would refuse refuses the whole operation.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildSchema, getNamedType, isObjectType, parse, validate, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '#lib/service/page-size.ts';
import { operationCost } from './cost.ts';

const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));
const queryType = schema.getQueryType()!;

/** A field of a generated query, with what is selected under it (names only: counterexamples stay readable). */
interface Selected {
  parent: string;
  name: string;
  /** The response key: the field's name, or an alias for a field added to a set. */
  key: string;
  first?: number;
  children: Selected[];
}

const definition = (selected: Selected) => (schema.getType(selected.parent) as GraphQLObjectType).getFields()[selected.name]!;

const takesFirst = (field: GraphQLField<unknown, unknown>) => field.args.some((argument) => argument.name === 'first');
const RELAY_WRAPPERS = new Set(['edges', 'node']);
// Arguments a query field requires are all ids here; any other required argument rules the field out.
const usable = (field: GraphQLField<unknown, unknown>) =>
  field.args.every((argument) => !String(argument.type).endsWith('!') || String(argument.type) === 'ID!');

const validFirst = fc.option(fc.integer({ min: 0, max: MAX_PAGE_SIZE }), { nil: undefined });
/** Any Int GraphQL accepts, the resolvers' range or not. */
const anyFirst = fc.oneof(validFirst, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));

function fieldArbitrary(
  parent: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  depth: number,
  { key = field.name, first = validFirst }: { key?: string; first?: fc.Arbitrary<number | undefined> } = {},
): fc.Arbitrary<Selected> {
  const type = getNamedType(field.type);
  return fc
    .record({
      first: takesFirst(field) ? first : fc.constant(undefined),
      children: isObjectType(type) ? selectionsArbitrary(type, depth - 1) : fc.constant([]),
    })
    .map(({ first, children }) => ({ parent: parent.name, name: field.name, key, first, children }));
}

function selectionsArbitrary(type: GraphQLObjectType, depth: number): fc.Arbitrary<Selected[]> {
  const candidates = Object.values(type.getFields()).filter((field) => usable(field) && (depth > 0 || !isObjectType(getNamedType(field.type))));
  return fc
    .uniqueArray(fc.constantFrom(...candidates), { minLength: 1, maxLength: 3, selector: (field) => field.name })
    .chain((fields) => fc.tuple(...fields.map((field) => fieldArbitrary(type, field, depth))));
}

// Seven levels reach a comment's author through edges and node: users { edges { node { posts ...
const queryArbitrary = selectionsArbitrary(queryType, 7);

type Style = 'literals' | 'variables' | 'fragments' | 'inline fragments' | 'directives';
const STYLES: Style[] = ['literals', 'variables', 'fragments', 'inline fragments', 'directives'];

/** The query text and variables for a tree, written in one style. */
function write(selections: Selected[], style: Style, firsts: (selected: Selected) => number | undefined = (selected) => selected.first) {
  const variables: Record<string, unknown> = style === 'directives' ? { yes: true } : {};
  const definitions = style === 'directives' ? ['$yes: Boolean!'] : [];
  const fragments: string[] = [];
  let counter = 0;
  const set = (children: Selected[], type: GraphQLObjectType): string => {
    const inner = children.map((child) => render(child)).join(' ');
    if (style === 'fragments') {
      const name = `F${counter++}`;
      fragments.push(`fragment ${name} on ${type.name} { ${inner} }`);
      return `{ ...${name} }`;
    }
    if (style === 'inline fragments') return `{ ... on ${type.name} { ${inner} } }`;
    return `{ ${inner} }`;
  };
  const render = (selected: Selected): string => {
    const field = definition(selected);
    const args: string[] = field.args.filter((argument) => String(argument.type) === 'ID!').map((argument) => `${argument.name}: "1"`);
    const first = firsts(selected);
    if (first !== undefined) {
      if (style === 'variables') {
        const name = `first${counter++}`;
        definitions.push(`$${name}: Int`);
        variables[name] = first;
        args.push(`first: $${name}`);
      } else {
        args.push(`first: ${first}`);
      }
    }
    const alias = selected.key === selected.name ? '' : `${selected.key}: `;
    const call = `${selected.name}${args.length ? `(${args.join(', ')})` : ''}`;
    const type = getNamedType(field.type);
    const body = isObjectType(type) ? ` ${set(selected.children, type)}` : '';
    if (style !== 'directives') return `${alias}${call}${body}`;
    // The same field again under @skip: execution never runs it, so it must cost nothing.
    const skippedBody = isObjectType(type) ? ' { __typename }' : '';
    return `${alias}${call} @include(if: $yes)${body} skipped${counter++}: ${call} @skip(if: $yes)${skippedBody}`;
  };
  const root = selections.map((selected) => render(selected)).join(' ');
  const header = definitions.length ? `query Q(${definitions.join(', ')})` : 'query Q';
  const query = [`${header} { ${root} }`, ...fragments].join('\n');
  return { query, variables };
}

function costOf(selections: Selected[], style: Style = 'literals', firsts?: (selected: Selected) => number | undefined) {
  const { query, variables } = write(selections, style, firsts);
  const document = parse(query);
  expect(validate(schema, document), query).toEqual([]);
  return operationCost(schema, document, variables, 'Q').cost;
}

/** Every field of the tree, with its path and the product of the page sizes above it. */
function* walk(selections: Selected[], path = '', above = 1): Generator<{ selected: Selected; path: string; above: number }> {
  for (const selected of selections) {
    const here = path ? `${path}.${selected.key}` : selected.key;
    yield { selected, path: here, above };
    const connection = getNamedType(definition(selected).type).name.endsWith('Connection');
    yield* walk(selected.children, here, connection ? above * (selected.first ?? DEFAULT_PAGE_SIZE) : above);
  }
}

const RUNS = { numRuns: 100, seed: 20261201 };

describe('operation cost, over random documents of the API schema', () => {
  it('is the same however the document is written', () => {
    fc.assert(
      fc.property(queryArbitrary, (selections) => {
        const literal = costOf(selections);
        for (const style of STYLES) expect(costOf(selections, style), style).toBe(literal);
      }),
      RUNS,
    );
  });

  it('never goes down when a field is added, anywhere, whatever its page size: or refuses the operation', () => {
    const withAddition = queryArbitrary.chain((selections) => {
      const sets = [
        { into: selections, type: queryType },
        ...[...walk(selections)]
          .filter(({ selected }) => selected.children.length > 0)
          .map(({ selected }) => ({ into: selected.children, type: getNamedType(definition(selected).type) as GraphQLObjectType })),
      ];
      return fc.constantFrom(...sets).chain(({ into, type }) =>
        fc.record({
          selections: fc.constant(selections),
          into: fc.constant(into),
          style: fc.constantFrom(...STYLES),
          added: fc
            .constantFrom(...Object.values(type.getFields()).filter(usable))
            .chain((field) => fieldArbitrary(type, field, 2, { key: 'added', first: anyFirst })),
        }),
      );
    });
    fc.assert(
      fc.property(withAddition, ({ selections, into, style, added }) => {
        const before = costOf(selections, style);
        into.push(added);
        try {
          const after = (() => {
            try {
              return costOf(selections, style);
            } catch (error) {
              expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
              return 'refused';
            }
          })();
          if (after !== 'refused') expect(after).toBeGreaterThanOrEqual(before);
        } finally {
          into.pop();
        }
      }),
      RUNS,
    );
  });

  it('is at least the product of the page sizes above any object it resolves', () => {
    fc.assert(
      fc.property(queryArbitrary, fc.constantFrom(...STYLES), (selections, style) => {
        const cost = costOf(selections, style);
        for (const { selected, above } of walk(selections)) {
          if (isObjectType(getNamedType(definition(selected).type)) && !RELAY_WRAPPERS.has(selected.name)) {
            expect(cost).toBeGreaterThanOrEqual(above);
          }
        }
      }),
      RUNS,
    );
  });

  it('refuses the whole operation when any page size is one the resolvers would refuse, naming its field', () => {
    const invalid = anyFirst.filter((first) => first !== undefined && (first < 0 || first > MAX_PAGE_SIZE));
    const withConnection = queryArbitrary.filter((selections) => [...walk(selections)].some(({ selected }) => takesFirst(definition(selected))));
    fc.assert(
      fc.property(withConnection, fc.nat(), invalid, fc.constantFrom(...STYLES), (selections, pick, first, style) => {
        const connections = [...walk(selections)].filter(({ selected }) => takesFirst(definition(selected)));
        const target = connections[pick % connections.length]!;
        expect(() => costOf(selections, style, (selected) => (selected === target.selected ? first : selected.first))).toThrow(
          expect.objectContaining({
            message: `"first" of ${target.path} must be between 0 and 100 (got ${first}).`,
            extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: 'first', field: target.path }),
          }),
        );
      }),
      RUNS,
    );
  });
});

describe('operation cost, by example', () => {
  const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, parse(query), variables, undefined);

  it("charges the issue's query nothing: it refuses it, naming the field and the argument", () => {
    const query = `{ users(first: 100) { edges { node {
      posts(first: 100) { edges { node { comments(first: 100) { edges { node { author { name } } } } } } }
      orders(first: -2147483648) { edges { node { items { product { id } } } } } } } } }`;
    expect(() => cost(query)).toThrow('"first" of users.edges.node.orders must be between 0 and 100 (got -2147483648).');
  });

  it('costs a page of first: 0 one, whatever it holds; a list of no page size ten times its items', () => {
    expect(cost('{ users(first: 0) { edges { node { posts(first: 100) { edges { node { author { name } } } } } } } }').cost).toBe(1);
    expect(cost('{ order(id: "1") { items { product { id } } } }').cost).toBe(1 + (1 + 10 * 1));
  });

  it('lists each root field execution runs, once per response key, through fragments and directives', () => {
    const login = 'logIn(input: { email: "a@example.com", password: "x" })';
    const names = (query: string, variables?: Record<string, unknown>) => cost(query, variables).rootFields.map((field) => field.name);
    expect(names(`mutation { ...F } fragment F on Mutation { ${login} { accessToken } }`)).toEqual(['logIn']);
    expect(names(`mutation { ... on Mutation { a: ${login} { accessToken } } b: ${login} { accessToken } }`)).toEqual(['logIn', 'logIn']);
    expect(names(`mutation { ${login} { accessToken } ${login} { user { id } } }`)).toEqual(['logIn']); // merged: it runs once
    expect(names(`mutation ($on: Boolean!) { ${login} @include(if: $on) { accessToken } }`, { on: false })).toEqual([]);
    expect(names(`mutation ($on: Boolean!) { ...F @skip(if: $on) } fragment F on Mutation { ${login} { accessToken } }`, { on: false })).toEqual(['logIn']);
  });

  it('turns variables that do not coerce into BAD_USER_INPUT', () => {
    expect(() => cost('query ($n: Int) { users(first: $n) { totalCount } }', { n: 'x' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
