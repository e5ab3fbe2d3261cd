// Validates a run's input against the workflow's input JSON Schema (draft 2020-12 subset that Ajv supports).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { validationFailed, type FieldError } from '@manifold/core';

const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  a: Ajv,
) => void;
addFormats(ajv);

const cache = new WeakMap<object, ValidateFunction>();

/** `/a/0/b` (JSON pointer) → `a[0].b`, the path style of every error we return. */
function pointerToPath(pointer: string, prefix: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function toFieldError(error: ErrorObject, prefix: string): FieldError {
  const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  const path = pointerToPath(error.instancePath, prefix);
  return missing
    ? { path: path ? `${path}.${missing}` : missing, message: 'Required.' }
    : { path, message: error.message ?? 'Invalid value.' };
}

export function validateAgainstSchema(schema: Record<string, unknown> | undefined, value: unknown, prefix: string): void {
  if (!schema) return;
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  if (!validate(value)) throw validationFailed((validate.errors ?? []).map((e) => toFieldError(e, prefix)));
}
