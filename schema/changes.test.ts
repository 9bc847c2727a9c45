import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AllowListError, compareApiSchemas, formatSchemaChange, parseAllowList } from './changes.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/api-changes/${name}.graphql`, import.meta.url), 'utf8');
const base = fixture('base');
const summary = (changes: { criticality: string; type: string; path: string }[]) => changes.map(({ criticality, type, path }) => ({ criticality, type, path }));

describe('compareApiSchemas', () => {
  it('finds no change between a schema and itself', async () => {
    const { changes, breaking } = await compareApiSchemas(base, base);
    expect(changes).toEqual([]);
    expect(breaking).toEqual([]);
  });

  it.each([
    ['field-removed', { criticality: 'BREAKING', type: 'FIELD_REMOVED', path: 'User.email' }],
    ['field-type-changed', { criticality: 'BREAKING', type: 'FIELD_TYPE_CHANGED', path: 'User.name' }],
    ['required-argument-added', { criticality: 'BREAKING', type: 'FIELD_ARGUMENT_ADDED', path: 'Query.users.role' }],
  ])('reports %s as breaking', async (name, expected) => {
    const { changes, breaking } = await compareApiSchemas(base, fixture(name));
    expect(summary(changes)).toEqual([expected]);
    expect(summary(breaking)).toEqual([expected]);
  });

  it('does not count a new optional field as breaking', async () => {
    const { changes, breaking } = await compareApiSchemas(base, fixture('optional-field-added'));
    expect(summary(changes)).toEqual([
      { criticality: 'NON_BREAKING', type: 'FIELD_ADDED', path: 'User.nickname' },
      { criticality: 'NON_BREAKING', type: 'FIELD_DESCRIPTION_ADDED', path: 'User.nickname' },
    ]);
    expect(breaking).toEqual([]);
  });

  it('does not count a deprecation as breaking: it is the safe first step before a removal', async () => {
    const { changes, breaking } = await compareApiSchemas(base, fixture('field-deprecated'));
    expect(summary(changes)).toContainEqual({
      criticality: 'NON_BREAKING',
      type: 'FIELD_DEPRECATION_ADDED',
      path: 'User.email.@deprecated',
    });
    expect(changes.every(({ criticality }) => criticality === 'NON_BREAKING')).toBe(true);
    expect(breaking).toEqual([]);
  });

  it('lets a breaking change recorded in the allow-list pass, with its reason', async () => {
    const reason = 'Deprecated for 90 days; no client has asked for it since.';
    const { changes, breaking, unusedAllowances } = await compareApiSchemas(base, fixture('field-removed'), [
      { path: 'User.email', type: 'FIELD_REMOVED', reason },
    ]);
    expect(breaking).toEqual([]);
    expect(changes).toEqual([expect.objectContaining({ criticality: 'BREAKING', path: 'User.email', allowedBecause: reason })]);
    expect(formatSchemaChange(changes[0]!)).toBe(`BREAKING     User.email: Field 'email' was removed from object type 'User' (allowed: ${reason})`);
    expect(unusedAllowances).toEqual([]);
  });

  it('allows only the change an entry names: another change at the same path still fails', async () => {
    const allowList = [{ path: 'User.name', type: 'FIELD_REMOVED', reason: 'Going away.' }];
    const { breaking, unusedAllowances } = await compareApiSchemas(base, fixture('field-type-changed'), allowList);
    expect(summary(breaking)).toEqual([{ criticality: 'BREAKING', type: 'FIELD_TYPE_CHANGED', path: 'User.name' }]);
    expect(unusedAllowances).toEqual(allowList);
  });

  it('prints each change on one line, even a description that spans lines', async () => {
    const changed = base.replace('"""Display name."""', '"""\n  Display name,\n  as the user typed it.\n  """');
    const { changes } = await compareApiSchemas(base, changed);
    expect(changes.map(formatSchemaChange)).toEqual([
      "NON_BREAKING User.name: Field 'User.name' description changed from 'Display name.' to 'Display name, as the user typed it.'",
    ]);
  });

  it('matches an entry by the change message too', async () => {
    const { breaking } = await compareApiSchemas(base, fixture('field-removed'), [
      { message: "Field 'email' was removed from object type 'User'", reason: 'Moved to the accounts service.' },
    ]);
    expect(breaking).toEqual([]);
  });
});

describe('parseAllowList', () => {
  it('reads entries with a path or a message and a reason', () => {
    const json = JSON.stringify([{ path: 'User.email', type: 'FIELD_REMOVED', reason: 'Deprecated since v3.' }]);
    expect(parseAllowList(json)).toEqual([{ path: 'User.email', type: 'FIELD_REMOVED', reason: 'Deprecated since v3.' }]);
  });

  it.each([
    ['a missing reason', [{ path: 'User.email' }], 'schema-changes.allow.json [0].reason: a reason is required'],
    ['a blank reason', [{ path: 'User.email', reason: '  ' }], 'schema-changes.allow.json [0].reason: a reason is required'],
    ['no path nor message', [{ reason: 'Because.' }], 'schema-changes.allow.json [0]: needs a path or a message'],
    ['an unknown key', [{ path: 'User.email', reason: 'Because.', resaon: 'typo' }], 'schema-changes.allow.json [0]: Unrecognized key: "resaon"'],
    ['an object instead of an array', { path: 'User.email', reason: 'Because.' }, 'schema-changes.allow.json: Invalid input: expected array'],
  ])('rejects %s, saying where', (_, value, message) => {
    expect(() => parseAllowList(JSON.stringify(value))).toThrow(AllowListError);
    expect(() => parseAllowList(JSON.stringify(value))).toThrow(message);
  });

  it('rejects a file that is not JSON', () => {
    expect(() => parseAllowList('[{ path: User.email }]')).toThrow(/^schema-changes\.allow\.json: not valid JSON/);
  });
});
