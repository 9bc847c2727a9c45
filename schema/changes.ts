// Changes of the client-facing API schema against a base, with GraphQL Inspector's rules for what
// breaks a client. A breaking change fails `npm run schema:check` unless schema-changes.allow.json
// records it with a reason: the last step of the deprecation path, after `@deprecated(reason:)`
// has given clients the time to move.
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { z } from 'zod';

export const ALLOW_LIST_FILE = 'schema-changes.allow.json';

const allowListEntry = z
  .strictObject({
    path: z.string().min(1).optional().describe('The change\'s schema path, e.g. "User.email".'),
    type: z.string().min(1).optional().describe('GraphQL Inspector\'s change type, e.g. "FIELD_REMOVED".'),
    message: z.string().min(1).optional().describe("The change's message, word for word."),
    reason: z
      .string({ error: 'a reason is required: why this breaking change is safe to ship' })
      .trim()
      .min(1, 'a reason is required: why this breaking change is safe to ship'),
  })
  .refine((entry) => entry.path !== undefined || entry.message !== undefined, {
    error: 'needs a path or a message to say which change it allows',
  });

export type AllowListEntry = z.infer<typeof allowListEntry>;

export class AllowListError extends Error {}

/** Reads the allow-list's JSON: an array of `{ path?, type?, message?, reason }`. */
export function parseAllowList(json: string, file = ALLOW_LIST_FILE): AllowListEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AllowListError(`${file}: not valid JSON (${(error as Error).message}).`);
  }
  const result = z.array(allowListEntry).safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const where = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
      return `${file}${where ? ` ${where}` : ''}: ${issue.message}`;
    });
    throw new AllowListError(lines.join('\n'));
  }
  return result.data;
}

type Criticality = `${CriticalityLevel}`;

export interface SchemaChange {
  criticality: Criticality;
  /** GraphQL Inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** The schema path it concerns, e.g. `User.email` or `Query.user.id` for an argument. */
  path: string;
  message: string;
  /** The allow-list's reason, for a breaking change that it records. */
  allowedBecause?: string;
}

export interface SchemaChanges {
  changes: SchemaChange[];
  /** Breaking changes that no allow-list entry records: these fail the check. */
  breaking: SchemaChange[];
  /** Entries that match no change, which can go once the base has moved past them. */
  unusedAllowances: AllowListEntry[];
}

export async function compareApiSchemas(baseSdl: string, newSdl: string, allowList: AllowListEntry[] = []): Promise<SchemaChanges> {
  const found = await diff(buildSchema(baseSdl), buildSchema(newSdl));
  const used = new Set<AllowListEntry>();
  const changes = found.map((change): SchemaChange => {
    const described: SchemaChange = {
      criticality: change.criticality.level,
      type: String(change.type),
      path: change.path ?? '',
      message: change.message,
    };
    if (described.criticality !== 'BREAKING') return described;
    const allowance = allowList.find((entry) => allows(entry, described));
    if (!allowance) return described;
    used.add(allowance);
    return { ...described, allowedBecause: allowance.reason };
  });
  return {
    changes,
    breaking: changes.filter((change) => change.criticality === 'BREAKING' && !change.allowedBecause),
    unusedAllowances: allowList.filter((entry) => !used.has(entry)),
  };
}

function allows(entry: AllowListEntry, change: SchemaChange): boolean {
  return (
    (entry.path === undefined || entry.path === change.path) &&
    (entry.type === undefined || entry.type === change.type) &&
    (entry.message === undefined || entry.message === change.message)
  );
}

export function formatSchemaChange(change: SchemaChange): string {
  const allowed = change.allowedBecause ? ` (allowed: ${change.allowedBecause})` : '';
  // A message quotes descriptions, which may span lines: one change, one line.
  const message = change.message.replace(/\s*\n\s*/g, ' ');
  return `${change.criticality.padEnd(12)} ${change.path || '(schema)'}: ${message}${allowed}`;
}
