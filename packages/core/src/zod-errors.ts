import type { z } from 'zod';
import { validationFailed, type AppError, type FieldError } from './errors';

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

/** Parses `value` with `schema` or throws a validation AppError with field paths under `prefix`. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw zodToAppError(result.error, prefix);
}

export const zodToAppError = (error: z.ZodError, prefix = ''): AppError => validationFailed(fieldErrorsFromZod(error, prefix));
