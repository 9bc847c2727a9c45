// Validates mutation input with zod, turning every problem into a field-level BAD_USER_INPUT.
import type { z } from 'zod';
import { invalidInput } from '#lib/service/errors.ts';

export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, argumentName: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(
    result.error.issues.map((issue) => ({
      field: [argumentName, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}
