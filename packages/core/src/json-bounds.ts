// Bounds every input value meets before a schema sees it: no NUL characters (Postgres text and jsonb refuse
// them, so they would surface as a 500), and nesting and array sizes small enough that recursive code
// (zod, JSON.stringify, Prisma) cannot overflow the stack. The walk itself is iterative for the same reason.
import type { z } from 'zod';

export const JSON_BOUNDS = {
  /** Objects and arrays nested deeper than this are refused (a workflow definition needs far fewer). */
  maxDepth: 64,
  maxArrayLength: 10_000,
  maxObjectKeys: 10_000,
} as const;

export interface JsonBoundsViolation {
  path: PropertyKey[];
  message: string;
}

/** The first bound `value` breaks (with the path to it), or null when it keeps them all. */
export function findJsonBoundsViolation(value: unknown, bounds: typeof JSON_BOUNDS = JSON_BOUNDS): JsonBoundsViolation | null {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    const at = (message: string): JsonBoundsViolation => ({ path, message });
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return at('Must not contain NUL characters (\\u0000).');
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= bounds.maxDepth) return at(`Nested deeper than ${bounds.maxDepth} levels.`);
    if (Array.isArray(current)) {
      if (current.length > bounds.maxArrayLength) return at(`Has more than ${bounds.maxArrayLength} items.`);
      for (let index = current.length - 1; index >= 0; index--) stack.push({ value: current[index], path: [...path, index] });
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > bounds.maxObjectKeys) return at(`Has more than ${bounds.maxObjectKeys} fields.`);
    for (const key of keys.reverse()) {
      if (key.includes('\u0000')) return at('Field names must not contain NUL characters (\\u0000).');
      stack.push({ value: (current as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

/** Free-form JSON (a definition, a run input) inside a schema, held to the same bounds. */
export const boundedJson = <T extends z.ZodType>(schema: T) =>
  schema.superRefine((value, ctx) => {
    const violation = findJsonBoundsViolation(value);
    if (violation) ctx.addIssue({ code: 'custom', path: violation.path, message: violation.message });
  });
