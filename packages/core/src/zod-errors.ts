import type { z } from 'zod';
import { validationFailed, type AppError, type FieldError } from './errors';
import { findJsonBoundsViolation } from './json-bounds';

/** Renders a zod issue path as `a.b[0].c`, the form every field error uses. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

export function fieldErrorsFromZod(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] =>
    // An unknown key is a problem at that key's path, not at its parent object.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key], prefix), message: 'Unknown field.' }))
      : [{ path: formatPath(issue.path, prefix), message: issue.message }],
  );
}

/**
 * Parses `value` with `schema` or throws a validation AppError with field paths under `prefix`. Every input
 * first has to keep the JSON bounds (no NUL, bounded nesting and sizes), whatever the schema says: this is
 * the one gate all tenant input passes, and a schema may hold `z.unknown()` parts (definitions, run input).
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const violation = findJsonBoundsViolation(value);
  if (violation) throw validationFailed([{ path: formatPath(violation.path, prefix), message: violation.message }]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw zodToAppError(result.error, prefix);
}

export const zodToAppError = (error: z.ZodError, prefix = ''): AppError => validationFailed(fieldErrorsFromZod(error, prefix));
